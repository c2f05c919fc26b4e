/**
 * The generic validators: what the API server, DNS and a container registry take as a name, a host, an
 * image reference or an address range. Config (stacks/), the render's rules and the policy pack all use these,
 * so a value the config accepts is a value the rules accept.
 */

/** A DNS-1123 label: a Namespace's name, a label of a host name. */
export const dns1123Label = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** A DNS-1123 subdomain: most object names (Secret, IngressClass, ClusterIssuer), a label key's prefix. */
export const dns1123Subdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** A DNS-1035 label (a letter first): a Service's name. */
export const dns1035Label = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
/** The name part of a label key, and a label value: [A-Za-z0-9-_.] starting and ending with a letter or digit. */
export const labelPart = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/** A DNS-1123 label of at most 63 characters, as the API server takes a namespace's name. */
export function isDnsLabel(name: string): boolean {
    return name.length <= 63 && dns1123Label.test(name);
}

/** The API server's rule for most object names (Secret, IngressClass, ClusterIssuer): a DNS-1123 subdomain. */
export function isDnsSubdomain(name: string): boolean {
    return name.length <= 253 && dns1123Subdomain.test(name);
}

export function isHostname(host: string): boolean {
    return hostProblem(host) === undefined;
}

/**
 * What keeps a text from being a host name an Ingress takes (lower-case DNS labels, at least two), said
 * plainly, or undefined for a valid host. The first reason found, the most telling first.
 */
export function hostProblem(host: string): string | undefined {
    const labels = host.split(".");
    const reasons: [boolean, string][] = [
        [host === "", "is empty"],
        [/[^\x00-\x7f]/.test(host), "has non-ASCII characters; write an internationalised name in its xn-- (punycode) form"],
        [/^[a-z][a-z0-9+.-]*:\/\//i.test(host), "is a URL; give the host alone, without scheme"],
        [host.includes("/"), "has a path; give the host alone"],
        [host.includes(":"), "has a port; Ingresses serve the standard ports, so give the host alone"],
        [host.includes("*"), "is a wildcard; give one host"],
        [/[A-Z]/.test(host), "has upper-case letters; host names here are lower case"],
        [host.includes("_"), "has an underscore, which DNS host names may not"],
        [host.endsWith("."), "ends with a dot; give it without the trailing dot"],
        [labels.length < 2, "is a single label; give a name under a domain, such as argus.example.org"],
        [labels.some((l) => l === ""), "has an empty label (two dots in a row, or a leading dot)"],
        [host.length > 253, `is ${host.length} characters long; at most 253`],
        [labels.some((l) => l.length > 63), "has a label longer than 63 characters"],
        [labels.some((l) => l.startsWith("-") || l.endsWith("-")), "has a label that starts or ends with a hyphen"],
        [labels.some((l) => !dns1123Label.test(l)), "has characters a host name may not (only a-z, 0-9, - and .)"],
    ];
    return reasons.find(([applies]) => applies)?.[1];
}

/** A host a check would accept, made from a refused one where that is easy (case, trailing dot), else undefined. */
export function suggestedHost(host: string): string | undefined {
    const tidied = host.trim().toLowerCase().replace(/\.+$/, "");
    return isHostname(tidied) ? tidied : undefined;
}

// Path components as distribution/reference v0.5.0 reads them (regexp.go): lower-case alphanumerics joined
// by ".", "_", "__" or a run of "-".
const imageRepository = /^[a-z0-9.-]+(:[0-9]+)?(\/[a-z0-9]+(([._]|__|-+)[a-z0-9]+)*)+$/;
const imageTag = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

/** A registry path with a host and no tag, as `registry.example.org/sikt/argus`. */
export function isImageRepository(text: string): boolean {
    return imageRepository.test(text);
}

/**
 * An image reference pinned to a version tag or a full digest (never `latest`, never untagged). A reference
 * with a digest must have a whole one: `app@sha256:abc` is not read as a tag.
 */
export function isPinnedImage(image: string): boolean {
    const lastSegment = image.split("/").pop() ?? "";
    if (lastSegment.includes("@")) {
        return /@sha256:[a-f0-9]{64}$/.test(lastSegment);
    }
    const tag = /:([^:]+)$/.exec(lastSegment)?.[1];
    return tag !== undefined && tag !== "latest" && imageTag.test(tag);
}

const cidr = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** An IPv4 address range: four octets of at most 255 and a prefix of at most 32. */
export function isCidr(text: string): boolean {
    const match = cidr.exec(text);
    return match !== null && match.slice(1, 5).every((octet) => Number(octet) <= 255) && Number(match[5]) <= 32;
}

export function isJsonObject(text: string): boolean {
    try {
        const value = JSON.parse(text);
        return typeof value === "object" && value !== null && !Array.isArray(value);
    } catch {
        return false;
    }
}
