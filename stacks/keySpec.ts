/**
 * The shape of one row of the key table. Each section (stacks/sections/) keeps its keys' rows beside their
 * reader; stacks/schema.ts merges them. Kept apart from both so that the reader and the sections need no
 * import of the merged table.
 */

/** An object is a map the CLI keeps as JSON text (`pulumi config set --path key.NAME value`); the program reads that text. */
export type ConfigType = "string" | "integer" | "boolean" | "object";

export interface ConfigKeySpec {
    readonly type: ConfigType;
    readonly description: string;
    /** A valid value, shown in the fix of an error message. */
    readonly example: string;
    /** Omitted for keys every stack must set. An empty string means "derive it" or "off". */
    readonly default?: string | number | boolean | Readonly<Record<string, string>>;
    /** Must be set with `pulumi config set --secret`. */
    readonly secret?: boolean;
    /** The masked CI variable the pipeline sets this key from; offline renders use the example in its place. */
    readonly ciVariable?: string;
    /** The value may span lines (JSON, a kubeconfig); every other value is one line. */
    readonly multiline?: boolean;
}
