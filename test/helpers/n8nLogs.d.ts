export interface LogLine {
	level: 'error' | 'warn' | 'info' | 'debug';
	message: string;
}

/** Replaces n8n-core's Logger with one that records every line; returns the (live) list. */
export function captureLogs(): LogLine[];
