export interface CapturedLine {
	level: 'error' | 'warn' | 'info' | 'debug' | 'verbose';
	message: string;
	meta?: unknown;
}

export interface CapturedReport {
	error: unknown;
	options?: unknown;
}

export interface N8nCapture {
	/** Every log line (live list). */
	lines: CapturedLine[];
	/** Every error handed to n8n's ErrorReporter (live list). */
	reported: CapturedReport[];
	clear(): void;
}

/** Installs recording logger and error reporter in n8n-core's container and n8n-workflow's LoggerProxy. */
export function captureN8n(): N8nCapture;
