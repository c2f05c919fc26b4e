/** The 1.x webui: the React frontend's Pods and the settings it reads at run time. */
import { ConfigReader } from "../configReader";
import { ConfigKeySpec } from "../keySpec";

export const webuiKeys = {
    webuiReplicas: {
        type: "integer",
        description: "Number of webui Pods.",
        example: "2",
        default: 1,
    },
    autoRefreshInterval: {
        type: "integer",
        description: "Seconds between the webui's incident list refreshes.",
        example: "30",
        default: 30,
    },
    realtimeMaxRetries: {
        type: "integer",
        description: "How often the webui retries a lost websocket before falling back to polling.",
        example: "5",
        default: 5,
    },
} satisfies Record<string, ConfigKeySpec>;

export type WebuiKey = keyof typeof webuiKeys;

export interface WebuiConfig {
    readonly replicas: number;
    readonly autoRefreshInterval: number;
    readonly realtimeMaxRetries: number;
}

export function readWebui(read: ConfigReader<WebuiKey>): WebuiConfig {
    return {
        replicas: read.integer("webuiReplicas", { min: 1, max: 20 }),
        autoRefreshInterval: read.integer("autoRefreshInterval", { min: 5, max: 3600 }),
        // Argus-frontend reads `config.realtimeServiceMaxRetries || 7` (src/config.tsx at v1.14.1): 0 would mean 7.
        realtimeMaxRetries: read.integer("realtimeMaxRetries", { min: 1, max: 100 }),
    };
}
