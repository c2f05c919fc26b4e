/** The ticket system Argus opens tickets in, through a plugin; its credentials come with the api's secrets (secrets.ts). */
import { ConfigReader } from "../configReader";
import { ConfigKeySpec } from "../keySpec";
import { dottedPath } from "../valueReaders";
import { isJsonObject } from "../../util/validators";

export const ticketKeys = {
    ticketPlugin: {
        type: "string",
        description: "Ticket system plugin (TICKET_PLUGIN) as a dotted class path, e.g. argus_ticket_rt.RequestTrackerPlugin. Empty: no ticket system.",
        example: "argus_ticket_rt.RequestTrackerPlugin",
        default: "",
    },
    ticketEndpoint: {
        type: "string",
        description: "URL of the ticket system (TICKET_ENDPOINT). Required with ticketPlugin.",
        example: "https://rt.example.org/",
        default: "",
    },
    ticketInformation: {
        type: "string",
        description: "Extra ticket fields as a JSON object (TICKET_INFORMATION), as the plugin documents. Required with ticketPlugin.",
        example: '{"queue": "argus"}',
        default: "",
        multiline: true,
    },
} satisfies Record<string, ConfigKeySpec>;

export type TicketKey = keyof typeof ticketKeys;

export interface TicketConfig {
    /** Dotted path of the plugin class (TICKET_PLUGIN). */
    readonly plugin: string;
    readonly endpoint: string;
    /** TICKET_INFORMATION, as compact JSON. */
    readonly information: string;
}

export function readTicket(read: ConfigReader<TicketKey>): TicketConfig | undefined {
    const plugin = read.string("ticketPlugin");
    const endpoint = read.string("ticketEndpoint");
    const information = read.string("ticketInformation");
    if (!plugin) {
        for (const [key, value] of [["ticketEndpoint", endpoint], ["ticketInformation", information]] as const) {
            if (value) {
                read.fail(key, "is set, but ticketPlugin is not, so no ticket system would use it.", `${read.setCommand("ticketPlugin")} (or: pulumi config rm --stack ${read.stack} ${key})`);
            }
        }
        return undefined;
    }
    if (!dottedPath.test(plugin)) {
        read.fail("ticketPlugin", `"${plugin}" is not a dotted Python class path.`, read.setCommand("ticketPlugin"));
    }
    if (!/^https?:\/\/\S+$/.test(endpoint)) {
        read.fail("ticketEndpoint", endpoint ? `"${endpoint}" is not an http(s) URL.` : "is required when ticketPlugin is set.", read.setCommand("ticketEndpoint"));
    }
    if (!isJsonObject(information)) {
        read.fail("ticketInformation", information ? `"${information}" is not a JSON object.` : "is required when ticketPlugin is set.", read.setCommand("ticketInformation"));
    }
    return { plugin, endpoint, information: isJsonObject(information) ? JSON.stringify(JSON.parse(information)) : "{}" };
}
