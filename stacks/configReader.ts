import * as pulumi from "@pulumi/pulumi";
import { ConfigProblem } from "./configError";
import { ConfigKeySpec } from "./keySpec";

/** Where raw config values come from: the Pulumi runtime in a real run, a plain map in tests. */
export interface RawConfigSource {
    /** Every `argus:` key that is set, without the namespace. */
    keys(): string[];
    get(key: string): string | undefined;
    isSecret(key: string): boolean;
}

export interface IntegerBounds {
    readonly min: number;
    readonly max: number;
}

/**
 * Reads typed values from raw config, applying the key table's defaults and collecting every problem
 * instead of stopping at the first. Generic over the keys it knows: parseStackConfig gives it the merged
 * table (stacks/schema.ts), and each section's reader takes it as a reader of the keys it reads.
 */
export class ConfigReader<Key extends string> {
    readonly problems: ConfigProblem[] = [];

    constructor(
        private readonly source: RawConfigSource,
        readonly stack: string,
        private readonly schema: Readonly<Record<Key, ConfigKeySpec>>,
    ) {
        this.reportUnknownKeys();
        this.reportPlainKeysMarkedSecret();
        this.reportControlCharacters();
    }

    /**
     * Every problem, with each secret-marked value replaced wherever a message would repeat it as a value
     * (whatever a check says about a value, a secret never reaches a terminal or a log), and every quoted
     * value cut to a readable length.
     */
    redactedProblems(): ConfigProblem[] {
        const secrets = this.source
            .keys()
            .filter((key) => this.source.isSecret(key))
            .map((key) => this.source.get(key) ?? "")
            .filter((value) => value.length > 0)
            // The longest first, so a secret that contains another is replaced whole.
            .sort((a, b) => b.length - a.length);
        // A secret is replaced where it stands as a value or part of one, not bordered by letters or digits.
        // Messages repeat values in double quotes; outside them only a secret of some length is looked for,
        // so a one- to three-letter secret never blanks the message's own words ("a", "is").
        const redact = (text: string, shortest: number) =>
            secrets
                .filter((secret) => secret.length >= shortest)
                .reduce((t, secret) => t.replace(new RegExp(`(?<![A-Za-z0-9])${escapeRegExp(secret)}(?![A-Za-z0-9])`, "g"), "[secret]"), text);
        const tidy = (text: string) =>
            cutQuotedValues(
                text
                    .split(quotedValue)
                    .map((part, i) => (i % 2 === 1 ? `"${redact(part, 1)}"` : redact(part, 4)))
                    .join(""),
            );
        return this.problems.map((p) => ({ key: p.key, problem: tidy(p.problem), fix: tidy(p.fix) }));
    }

    fail(key: string, problem: string, fix: string): void {
        this.problems.push({ key, problem, fix });
    }

    /**
     * The `pulumi config set` command that sets `key` in this stack, to `suggestion` or else the key's
     * example. A suggestion made from the stored value is dropped when that value is stored as a secret:
     * redaction could not recognise it once changed.
     */
    setCommand(key: Key, suggestion?: string): string {
        const { secret, example } = this.schema[key];
        const value = suggestion !== undefined && !this.source.isSecret(key) ? suggestion : example;
        return `pulumi config set${secret ? " --secret" : ""} --stack ${this.stack} ${key} ${shellQuote(value)}`;
    }

    /**
     * Whether the operator chose the key's value. The CLI sets every Pulumi.yaml default on the stack before
     * the program runs (render/engineConfig.ts), so presence says nothing: a value equal to the key's
     * default is taken as the default, one that differs (or any value of a key without default) as chosen.
     */
    isChosen(key: Key): boolean {
        const value = this.source.get(key);
        const fallback = this.schema[key].default;
        return value !== undefined && (fallback === undefined || value !== defaultText(fallback));
    }

    string(key: Key): string {
        return this.raw(key) ?? "";
    }

    integer(key: Key, bounds: IntegerBounds): number {
        const value = this.raw(key);
        if (value === undefined) {
            return bounds.min;
        }
        if (!/^-?\d+$/.test(value.trim())) {
            this.fail(key, `"${value}" is not a whole number.`, this.setCommand(key));
            return bounds.min;
        }
        const n = Number(value);
        if (n < bounds.min || n > bounds.max) {
            this.fail(key, `${n} is outside ${bounds.min}..${bounds.max}.`, this.setCommand(key));
            return bounds.min;
        }
        return n;
    }

    boolean(key: Key): boolean {
        const value = this.raw(key);
        if (value === "true" || value === "false") {
            return value === "true";
        }
        if (value !== undefined) {
            this.fail(key, `"${value}" is not true or false.`, this.setCommand(key));
        }
        return false;
    }

    /**
     * A secret value, wrapped as a Pulumi secret at once. Empty means unset. The value itself never
     * appears in a message.
     */
    secret(key: Key): { value: pulumi.Output<string>; raw: string } | undefined {
        const value = this.raw(key);
        if (!value) {
            return undefined;
        }
        if (!this.source.isSecret(key)) {
            this.fail(
                key,
                "is stored in plain text, so it would sit unencrypted in the stack file and the state.",
                this.setCommand(key),
            );
        }
        return { value: pulumi.secret(value), raw: value };
    }

    /** The raw value, or the schema default; undefined (with a problem recorded) for a missing required key. */
    private raw(key: Key): string | undefined {
        const value = this.source.get(key);
        if (value !== undefined) {
            return value;
        }
        const fallback = this.schema[key].default;
        if (fallback === undefined) {
            this.fail(key, "is required and not set.", this.setCommand(key));
            return undefined;
        }
        return defaultText(fallback);
    }

    /** A plain key set with --secret would still be written in plain text into manifests: refuse it. */
    private reportPlainKeysMarkedSecret(): void {
        for (const key of this.source.keys().filter((k) => this.source.isSecret(k) && this.isKnown(k))) {
            if (!this.schema[key as Key].secret) {
                this.fail(
                    key,
                    "is stored as a secret, but it is not one: the program writes its value in plain text into ConfigMaps and manifests, so --secret would only hide a value that is shown anyway.",
                    `pulumi config set --stack ${this.stack} ${key} <value>   (without --secret; the value is not shown here)`,
                );
            }
        }
    }

    /**
     * Control characters have no place in a setting: a NUL or an escape sequence, or a line break where a
     * Kubernetes name, host or single-line value is expected. Only JSON and kubeconfig values may span lines.
     */
    private reportControlCharacters(): void {
        for (const key of this.source.keys().filter((k) => this.isKnown(k))) {
            const value = this.source.get(key) ?? "";
            const allowed = this.schema[key as Key].multiline ? /[\t\n\r]/g : /$^/g;
            const found = [...value.replace(allowed, "")].find((c) => /[\u0000-\u001f\u007f]/.test(c));
            if (found !== undefined) {
                const code = `U+${found.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`;
                this.fail(key, `contains the control character ${code}${found === "\n" ? " (a line break)" : ""}, which has no place in this setting.`, `${this.setCommand(key as Key)} (on one line, without control characters)`);
            }
        }
    }

    private isKnown(key: string): boolean {
        // Own keys only: a key named like an Object method ("toString") is unknown, as it always was.
        return Object.prototype.hasOwnProperty.call(this.schema, key);
    }

    private reportUnknownKeys(): void {
        for (const key of this.source.keys()) {
            if (this.isKnown(key)) {
                continue;
            }
            const closest = closestName(key, Object.keys(this.schema));
            const hint = closest ? `Did you mean "${closest}"? ` : "";
            this.fail(key, "is not a setting this program knows.", `${hint}pulumi config rm --stack ${this.stack} ${key}`);
        }
    }
}

/** A default as the CLI hands it to the program: Go's `%v` of a scalar, JSON of a map (render/engineConfig.ts). */
export function defaultText(fallback: NonNullable<ConfigKeySpec["default"]>): string {
    return typeof fallback === "object" ? JSON.stringify(fallback) : String(fallback);
}

function escapeRegExp(text: string): string {
    return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Longest value a message repeats whole; a longer one is cut, with its length said. */
export const maxQuotedLength = 80;

/** A double-quoted value in a message, JSON escapes and all; its one group is what the quotes hold. */
const quotedValue = /"((?:[^"\\]|\\.)*)"/g;

/** Cuts every double-quoted value longer than maxQuotedLength in a message. */
export function cutQuotedValues(text: string): string {
    return text.replace(quotedValue, (quoted, inner: string) =>
        inner.length > maxQuotedLength ? `"${inner.slice(0, maxQuotedLength)}…" (${inner.length} characters)` : quoted,
    );
}

function shellQuote(text: string): string {
    return /^[\w.:/@$<>-]+$/.test(text) ? text : `'${text}'`;
}

/** The known key nearest to a misspelt one, when it is near enough to be a likely typo. */
export function closestName<Key extends string>(unknown: string, known: readonly Key[]): Key | undefined {
    let best: { key: Key; distance: number } | undefined;
    for (const key of known) {
        const distance = editDistance(unknown.toLowerCase(), key.toLowerCase());
        if (!best || distance < best.distance) {
            best = { key, distance };
        }
    }
    return best && best.distance <= Math.max(2, Math.floor(unknown.length / 3)) ? best.key : undefined;
}

function editDistance(a: string, b: string): number {
    let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
    for (let i = 1; i <= a.length; i++) {
        const current = [i];
        for (let j = 1; j <= b.length; j++) {
            const substitution = previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
            current.push(Math.min(previous[j] + 1, current[j - 1] + 1, substitution));
        }
        previous = current;
    }
    return previous[b.length];
}
