/** The mail the api sends: notifications, and Django's error mails to the admins, through a relay that may ask for a login. */
import * as pulumi from "@pulumi/pulumi";
import { ConfigReader } from "../configReader";
import { ConfigKeySpec } from "../keySpec";
import { list, requireTogether } from "../valueReaders";
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
        description: "SMTP port. 0: 465 with emailUseSsl, 587 with emailUseTls, 25 with neither.",
        example: "2525",
        default: 0,
    },
    emailUseTls: {
        type: "boolean",
        description: "Talk STARTTLS to the SMTP server (EMAIL_USE_TLS; Argus hard-codes true before 1.36.0, our settings module applies it).",
        example: "false",
        default: true,
    },
    emailUseSsl: {
        type: "boolean",
        description: "Talk implicit TLS to the SMTP server from the first byte (EMAIL_USE_SSL, usually port 465), which no Argus release reads; our settings module applies it. Django takes either this or emailUseTls: set emailUseTls false with it.",
        example: "true",
        default: false,
    },
    emailHostUser: {
        type: "string",
        description: "User the api logs in to the SMTP server as (EMAIL_HOST_USER). Needs emailHostPassword. Empty: no login.",
        example: "argus@example.org",
        default: "",
    },
    emailHostPassword: {
        type: "string",
        description: "Password of emailHostUser at the SMTP server (EMAIL_HOST_PASSWORD; secret), unless existingApiSecret holds it as EMAIL_HOST_PASSWORD.",
        example: "<password>",
        default: "",
        secret: true,
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

/** How the api talks TLS to the SMTP server: STARTTLS (EMAIL_USE_TLS), implicit TLS (EMAIL_USE_SSL), or neither. */
export interface MailTls {
    readonly emailUseTls: boolean;
    readonly emailUseSsl: boolean;
}

/** Whether Argus sends notifications, and the SMTP server it would send them through. */
export function readMailServer(read: ConfigReader<MailKey>): { sendNotifications: boolean; emailHost: string } & MailTls {
    const sendNotifications = read.boolean("sendNotifications");
    const emailHost = read.string("emailHost");
    if (sendNotifications && !emailHost) {
        read.fail("emailHost", "is required when sendNotifications is true.", read.setCommand("emailHost"));
    }
    const emailHostProblem = emailHost ? hostProblem(emailHost) : undefined;
    if (emailHostProblem) {
        read.fail("emailHost", `"${emailHost}" is not a valid host name: it ${emailHostProblem}.`, read.setCommand("emailHost", suggestedHost(emailHost)));
    }
    return { sendNotifications, emailHost, ...readMailTls(read) };
}

/**
 * STARTTLS or implicit TLS. Django's SMTP backend refuses both at once when it first sends, with a ValueError
 * ("EMAIL_USE_TLS/EMAIL_USE_SSL are mutually exclusive", django/core/mail/backends/smtp.py in Django 5.2.16,
 * which argus-server 2.10.2 installs): only in the worker's log, so it is refused here, before anything is made.
 */
function readMailTls(read: ConfigReader<MailKey>): MailTls {
    const emailUseTls = read.boolean("emailUseTls");
    const emailUseSsl = read.boolean("emailUseSsl");
    if (emailUseTls && emailUseSsl) {
        read.fail(
            "emailUseSsl",
            "is true, and so is emailUseTls (its default): Django talks either STARTTLS (emailUseTls) or implicit TLS (emailUseSsl) to the SMTP server, never both.",
            `pulumi config set --stack ${read.stack} emailUseTls false (implicit TLS, usually port 465), or: pulumi config rm --stack ${read.stack} emailUseSsl (STARTTLS)`,
        );
    }
    return { emailUseTls, emailUseSsl };
}

/** The SMTP port; 0 means the one the TLS mode implies: 465 for implicit TLS (RFC 8314), 587 for STARTTLS, 25 for neither. */
export function readMailPort(read: ConfigReader<MailKey>, { emailUseTls, emailUseSsl }: MailTls): number {
    return read.integer("emailPort", { min: 0, max: 65535 }) || (emailUseSsl ? 465 : emailUseTls ? 587 : 25);
}

/**
 * The login at the SMTP server: a user, and its password from config, or (with existingApiSecret) from the
 * operator's Secret as EMAIL_HOST_PASSWORD. Django logs in only when both are non-empty
 * (django/core/mail/backends/smtp.py `open`, Django 5.2.16), so one without the other is refused.
 */
export interface MailLogin {
    readonly user: string;
    /** Unset: the operator's existingApiSecret holds EMAIL_HOST_PASSWORD. */
    readonly password?: pulumi.Output<string>;
}

export function readMailLogin(read: ConfigReader<MailKey>, existingSecretName: string): MailLogin | undefined {
    const user = read.string("emailHostUser");
    const password = read.secret("emailHostPassword");
    if (existingSecretName && password) {
        read.fail("emailHostPassword", `is set, but existingApiSecret "${existingSecretName}" already provides the api's secrets.`, `put it into that Secret as EMAIL_HOST_PASSWORD and run: pulumi config rm --stack ${read.stack} emailHostPassword`);
    } else if (!existingSecretName) {
        requireTogether(read, ["emailHostUser", user], ["emailHostPassword", password?.raw]);
    }
    if (/\s/.test(user)) {
        read.fail("emailHostUser", `"${user}" contains white space, which no SMTP login takes.`, read.setCommand("emailHostUser"));
    }
    return user ? { user, ...(password ? { password: password.value } : {}) } : undefined;
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
