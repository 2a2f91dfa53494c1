/**
 * BulkSMS EAPI answers: `status_code|status_description|batch_id` (bulksms-eapi.md section 6.2).
 * Only the numeric code is trusted; the description may change.
 */

export interface SubmissionAnswer {
	code: number;
	description: string;
	/** Present only on success/scheduled, a positive integer kept as a string. */
	batchId?: string;
	/** The answer had all three fields. */
	complete: boolean;
}

/** Parses the first line; undefined when it does not start with a numeric code and a pipe. */
export function parseSubmission(text: string): SubmissionAnswer | undefined {
	const line = text.replace(/^\uFEFF/, '').split(/\r?\n/).find((l) => l.trim() !== '');
	if (line === undefined) return undefined;
	const match = /^\s*(\d{1,4})\|([^|]*)(?:\|(.*))?$/.exec(line.trimEnd());
	if (!match) return undefined;
	const answer: SubmissionAnswer = { code: Number(match[1]), description: match[2].trim(), complete: match[3] !== undefined };
	const batch = match[3]?.trim();
	if (batch !== undefined && /^[1-9][0-9]{0,19}$/.test(batch)) answer.batchId = batch;
	return answer;
}

/** `get_credits` v1.1: `0|<credits>` (section 9). */
export function parseCredits(text: string): { code: number; credits?: number; description: string } | undefined {
	const line = text.split(/\r?\n/).find((l) => l.trim() !== '');
	const match = line === undefined ? null : /^\s*(\d{1,4})\|(.*)$/.exec(line.trim());
	if (!match) return undefined;
	const code = Number(match[1]);
	const rest = match[2].trim();
	const credits = code === 0 && /^-?\d+(\.\d+)?$/.test(rest) ? Number(rest) : undefined;
	return credits === undefined ? { code, description: rest } : { code, credits, description: rest };
}

/** What each submission code means for the client (section 6.3, A10). */
export const SUBMISSION_CODES: Record<number, { meaning: string; retry?: 'always' | 'upstream' }> = {
	0: { meaning: 'in progress' },
	1: { meaning: 'scheduled' },
	22: { meaning: 'internal fatal error' },
	23: { meaning: 'authentication failure' },
	24: { meaning: 'data validation failed' },
	25: { meaning: 'insufficient credits' },
	26: { meaning: 'upstream credits not available', retry: 'upstream' },
	27: { meaning: 'daily quota exceeded' },
	28: { meaning: 'upstream quota exceeded', retry: 'upstream' },
	40: { meaning: 'temporarily unavailable', retry: 'always' },
	201: { meaning: 'maximum batch size exceeded' },
};

export interface ReportEntry {
	msisdn: string;
	code: number;
}

export interface ReportAnswer {
	/** The request's status code: 0 = the lines follow. */
	code: number;
	description: string;
	entries: ReportEntry[];
}

/**
 * `get_report` 2.0: `0|Returns to follow` (older hosts: "Results"), a blank line, then one
 * `msisdn|status_code[|optional fields]` line per recipient. Only the leading code of the
 * first line is trusted (A3). Undefined when the first line has no numeric code.
 */
export function parseReportEntries(text: string): ReportAnswer | undefined {
	const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
	const first = lines.findIndex((l) => l.trim() !== '');
	const head = first < 0 ? null : /^\s*(\d{1,4})\|(.*)$/.exec(lines[first].trim());
	if (!head) return undefined;
	const entries: ReportEntry[] = [];
	for (const line of lines.slice(first + 1)) {
		const match = /^\s*\+?(\d{1,20})\|(\d{1,4})(?:\|.*)?$/.exec(line.trim());
		if (match) entries.push({ msisdn: match[1], code: Number(match[2]) });
	}
	return { code: Number(head[1]), description: head[2].replace(/\|+$/, '').trim(), entries };
}
