/** The mail the api sends: notifications, and Django's error mails to the admins. */
import { ConfigReader } from "../configReader";
import { ConfigKeySpec } from "../keySpec";
import { list } from "../valueReaders";
import { hostProblem, suggestedHost } from "../../util/validators";

export const mailKeys = {
    admins: {
        type: "string",
        description: "Who gets Django's error mails (ADMINS): Name <address>, comma-separated. Empty: nobody.",
        example: "Argus team <argus-admin@example.org>",
        default: "",
    },
    serverEmail: {
        type: "string",
        description: "Sender address of Django's error mails (SERVER_EMAIL). Empty: defaultFromEmail.",
        example: "argus-errors@argus.uninett.no",
        default: "",
    },
    sendNotifications: {
        type: "boolean",
        description: "Let Argus send notifications (email). Needs emailHost.",
        example: "true",
        default: false,
    },
    emailHost: {
        type: "string",
        description: "SMTP server the api sends mail through. Empty: localhost, where nothing listens, so no mail leaves (Argus requires a value).",
        example: "smtp.example.org",
        default: "",
    },
    emailPort: {
        type: "integer",
        description: "SMTP port. 0: 587 with emailUseTls, 25 without.",
        example: "2525",
        default: 0,
    },
    emailUseTls: {
        type: "boolean",
        description: "Talk STARTTLS to the SMTP server (EMAIL_USE_TLS; Argus hard-codes true before 1.36.0, our settings module applies it).",
        example: "false",
        default: true,
    },
    defaultFromEmail: {
        type: "string",
        description: "Sender address of notifications. Empty: argus@<webui host>.",
        example: "argus@argus.uninett.no",
        default: "",
    },
} satisfies Record<string, ConfigKeySpec>;

export type MailKey = keyof typeof mailKeys;

export interface Mailbox {
    readonly name: string;
    readonly address: string;
}

const mailboxSyntax = /^(.+?)\s*<([^<>@\s]+@[^<>@\s]+)>$/;

/** Whether Argus sends notifications, and the SMTP server it would send them through. */
export function readMailServer(read: ConfigReader<MailKey>): { sendNotifications: boolean; emailHost: string; emailUseTls: boolean } {
    const sendNotifications = read.boolean("sendNotifications");
    const emailHost = read.string("emailHost");
    if (sendNotifications && !emailHost) {
        read.fail("emailHost", "is required when sendNotifications is true.", read.setCommand("emailHost"));
    }
    const emailHostProblem = emailHost ? hostProblem(emailHost) : undefined;
    if (emailHostProblem) {
        read.fail("emailHost", `"${emailHost}" is not a valid host name: it ${emailHostProblem}.`, read.setCommand("emailHost", suggestedHost(emailHost)));
    }
    const emailUseTls = read.boolean("emailUseTls");
    return { sendNotifications, emailHost, emailUseTls };
}

/** The SMTP port; 0 means the one emailUseTls implies. */
export function readMailPort(read: ConfigReader<MailKey>, emailUseTls: boolean): number {
    return read.integer("emailPort", { min: 0, max: 65535 }) || (emailUseTls ? 587 : 25);
}

/** A sender address: the key's value, or the fallback when it is empty. */
export function readSender(read: ConfigReader<MailKey>, key: "defaultFromEmail" | "serverEmail", fallback: string): string {
    const address = read.string(key) || fallback;
    if (!/^[^@\s]+@[^@\s]+$/.test(address)) {
        read.fail(key, `"${address}" is not an email address.`, read.setCommand(key));
    }
    return address;
}

export function readAdmins(read: ConfigReader<MailKey>): Mailbox[] {
    return list(read.string("admins")).flatMap((entry) => {
        const match = mailboxSyntax.exec(entry);
        if (!match) {
            read.fail("admins", `"${entry}" is not of the form Name <address>.`, read.setCommand("admins"));
            return [];
        }
        return [{ name: match[1], address: match[2] }];
    });
}
