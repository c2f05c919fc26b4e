/**
 * CronJob schedules as the API server takes them: Kubernetes v1.34.4 validates `spec.schedule` with
 * `cron.ParseStandard` of github.com/robfig/cron/v3 v3.0.1 and refuses any "TZ" in it
 * (pkg/apis/batch/validation/validation.go, validateScheduleFormat). What ParseStandard takes (parser.go,
 * spec.go at v3.0.1): five whitespace-separated fields (minute 0-59, hour 0-23, day of month 1-31, month
 * 1-12 or jan-dec, day of week 0-6 or sun-sat); each a comma-separated list of `*` or `?`, a number or name,
 * or a range `a-b`, each optionally `/step` with a step above 0 (`a/step` runs from a to the maximum); or one
 * of the descriptors @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly, `@every <duration>`.
 */

interface Field {
    readonly name: string;
    readonly min: number;
    readonly max: number;
    readonly names?: readonly string[];
}

const fields: readonly Field[] = [
    { name: "minute", min: 0, max: 59 },
    { name: "hour", min: 0, max: 23 },
    { name: "day of month", min: 1, max: 31 },
    { name: "month", min: 1, max: 12, names: ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"] },
    { name: "day of week", min: 0, max: 6, names: ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] },
];

const descriptors = ["@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"];

/** Go's time.ParseDuration: a sequence of decimal numbers, each with a unit. */
const goDuration = /^([0-9]+(\.[0-9]*)?|\.[0-9]+)(ns|us|µs|μs|ms|s|m|h)(([0-9]+(\.[0-9]*)?|\.[0-9]+)(ns|us|µs|μs|ms|s|m|h))*$/;

/** strconv.Atoi and a name of the field (months and weekdays, any case); undefined if neither. */
function value(text: string, field: Field): number | undefined {
    const named = field.names?.indexOf(text.toLowerCase()) ?? -1;
    if (named >= 0) {
        return field.min + named;
    }
    return /^[+-]?\d+$/.test(text) ? Number(text) : undefined;
}

/** Why one range of a field is refused, or undefined. */
function rangeProblem(expr: string, field: Field): string | undefined {
    const [span, ...steps] = expr.split("/");
    if (steps.length > 1) {
        return `"${expr}" has more than one /`;
    }
    const bounds = span.split("-");
    let start: number | undefined;
    let end: number | undefined;
    if (bounds[0] === "*" || bounds[0] === "?") {
        [start, end] = [field.min, field.max];
    } else {
        if (bounds.length > 2) {
            return `"${expr}" has more than one -`;
        }
        start = value(bounds[0], field);
        end = bounds.length === 2 ? value(bounds[1], field) : start;
        if (start === undefined || end === undefined) {
            return `"${expr}" is not a number${field.names ? ` or a ${field.name} name like ${field.names[0]}` : ""}`;
        }
        if (start < 0 || end < 0) {
            return `"${expr}" is negative`;
        }
    }
    if (steps.length === 1) {
        const step = value(steps[0], { ...field, names: undefined });
        if (step === undefined || step <= 0) {
            return `"${expr}" needs a step above 0`;
        }
        if (bounds.length === 1) {
            end = field.max;
        }
    }
    if (start < field.min) {
        return `${start} in "${expr}" is below ${field.min}`;
    }
    if (end > field.max) {
        return `${end} in "${expr}" is above ${field.max}`;
    }
    if (start > end) {
        return `"${expr}" runs backwards`;
    }
    return undefined;
}

/** Why the API server would refuse a CronJob schedule, or undefined when it takes it. */
export function cronScheduleProblem(schedule: string): string | undefined {
    if (schedule === "") {
        return "is empty";
    }
    if (schedule.includes("TZ")) {
        return "names a time zone, which a CronJob's schedule may not (its times are UTC here)";
    }
    if (schedule.startsWith("@")) {
        if (descriptors.includes(schedule) || (schedule.startsWith("@every ") && goDuration.test(schedule.slice("@every ".length)))) {
            return undefined;
        }
        return `is not one of ${descriptors.join(", ")} or @every <duration>`;
    }
    const parts = schedule.trim().split(/\s+/);
    if (parts.length !== fields.length) {
        return `has ${parts.length} field${parts.length === 1 ? "" : "s"}, not 5 (minute, hour, day of month, month, day of week)`;
    }
    for (const [i, field] of fields.entries()) {
        // robfig/cron splits on commas and skips empty items.
        for (const expr of parts[i].split(",").filter(Boolean)) {
            const problem = rangeProblem(expr, field);
            if (problem) {
                return `${field.name} ${problem} (${field.min}-${field.max})`;
            }
        }
    }
    return undefined;
}
