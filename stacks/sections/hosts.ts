/** The stack's DNS domain and the public hosts under it, derived from the stack's name unless set. */
import { ConfigReader } from "../configReader";
import { ConfigKeySpec } from "../keySpec";
import { StackIdentity } from "../stackName";
import type { ArgusLayout } from "../../releases/argusRelease";
import { hostProblem, isHostname, suggestedHost } from "../../util/validators";

export const hostKeys = {
    domain: {
        type: "string",
        description: "DNS domain every host of this stack lives under, e.g. uninett.no or paas2.uninett.no.",
        example: "paas2.uninett.no",
    },
    webuiHost: {
        type: "string",
        description: "Public host of the webui. Empty: <instance name>.<domain>.",
        example: "argus.uninett.no",
        default: "",
    },
    apiHost: {
        type: "string",
        description: "Public host of the api. 1.x: empty means api.<webui host>, so the webui host works as cookie domain. 2.x: optional second host of the same Argus.",
        example: "api.argus.uninett.no",
        default: "",
    },
} satisfies Record<string, ConfigKeySpec>;

export type HostKey = keyof typeof hostKeys;

/** The webui host serves the webui (1.x) or all of Argus (2.x); 1.x always has an api host, 2.x only if set. */
export interface Hosts {
    readonly webui: string;
    readonly api?: string;
}

/** The stack's domain, and what is wrong with it (reported once, here, not again for the hosts made from it). */
export interface StackDomain {
    readonly name: string;
    readonly problem?: string;
}

export function readDomain(read: ConfigReader<HostKey>): StackDomain {
    const domain = read.string("domain");
    const domainProblem = domain ? hostProblem(domain) : undefined;
    if (read.isChosen("domain") && !domain) {
        read.fail("domain", "is empty; every host of the stack must lie under it.", read.setCommand("domain"));
    } else if (domainProblem) {
        read.fail("domain", `"${domain}" is not a DNS domain: it ${domainProblem}.`, read.setCommand("domain", suggestedHost(domain)));
    }
    return { name: domain, problem: domainProblem };
}

export function readHosts(read: ConfigReader<HostKey>, identity: StackIdentity, { name: domain, problem: domainProblem }: StackDomain, layout: ArgusLayout): Hosts {
    const stack = identity.stack;
    const webuiHost = read.string("webuiHost") || `${identity.instanceName}.${domain}`;
    const explicitApiHost = read.string("apiHost");
    const apiHost = explicitApiHost || (layout === "spa" ? `api.${webuiHost}` : undefined);
    // A derived host is only as good as what it comes from: its cause is reported once, at its source.
    const hostsToCheck: ["webuiHost" | "apiHost", string][] = [];
    if (read.string("webuiHost") || !domainProblem) {
        hostsToCheck.push(["webuiHost", webuiHost]);
    }
    if (apiHost && (explicitApiHost || isHostname(webuiHost))) {
        hostsToCheck.push(["apiHost", apiHost]);
    }
    // Each fix is a host the same checks accept, under the stack's domain when the domain is valid.
    const fixFor = (key: "webuiHost" | "apiHost") => {
        const base = domain && !domainProblem ? `${identity.instanceName}.${domain}` : undefined;
        const webuiFix = isHostname(webuiHost) && (!base || webuiHost.endsWith(`.${domain}`)) ? webuiHost : base;
        const fix = key === "webuiHost" ? base : webuiFix && `api.${webuiFix}`;
        return read.setCommand(key, fix);
    };
    for (const [key, host] of hostsToCheck) {
        const problem = hostProblem(host);
        if (problem) {
            read.fail(key, `"${host}" is not a valid host name: it ${problem}.`, fixFor(key));
        } else if (domain && !domainProblem && host !== domain && !host.endsWith(`.${domain}`)) {
            read.fail(key, `"${host}" is outside this stack's domain "${domain}".`, fixFor(key));
        }
    }
    if (webuiHost === apiHost) {
        read.fail("apiHost", `must differ from webuiHost ("${webuiHost}"): each has its own Ingress.`, read.setCommand("apiHost"));
    } else if (layout === "spa" && apiHost && isHostname(apiHost) && !apiHost.endsWith(`.${webuiHost}`)) {
        // The api sets the token cookie with Domain=<webui host> (ARGUS_SPA_COOKIE_DOMAIN); a browser takes
        // it only from a host under that domain.
        read.fail("apiHost", `"${apiHost}" is not under the webui host "${webuiHost}", so the webui could never read the login cookie the api sets.`, `pulumi config set --stack ${stack} apiHost api.${webuiHost}`);
    }
    return { webui: webuiHost, ...(apiHost ? { api: apiHost } : {}) };
}
