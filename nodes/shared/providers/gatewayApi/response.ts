/**
 * Reading GatewayAPI answers (gatewayapi-rest.md section 3.5-3.7). Parsed from the raw text so
 * that ids above Number.MAX_SAFE_INTEGER keep every digit, and tolerant of missing fields.
 */
import { cut } from '../errors';

export interface GatewayApiErrorBody {
	code?: string;
	message?: string;
	incidentUuid?: string;
}

/** The `ids` array of a success body as decimal strings, or undefined when absent/unreadable. */
export function parseIds(text: string): string[] | undefined {
	const match = /"ids"\s*:\s*\[([^\]]*)\]/.exec(text);
	if (!match) return undefined;
	const ids = match[1]
		.split(',')
		.map((s) => s.trim().replace(/^"(.*)"$/, '$1'))
		.filter((s) => s !== '');
	if (!ids.every((id) => /^[0-9]{1,20}$/.test(id))) return undefined;
	return ids;
}

function parseJson(text: string): unknown {
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return undefined;
	}
}

/** `{code, message, incident_uuid, variables}` with `%1`, `%2`... filled in. */
export function parseError(text: string): GatewayApiErrorBody {
	const parsed = parseJson(text);
	if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return {};
	const body = parsed as Record<string, unknown>;
	const out: GatewayApiErrorBody = {};
	if (typeof body.code === 'string' && /^0x[0-9a-f]{1,8}$/i.test(body.code)) out.code = body.code;
	if (typeof body.message === 'string') {
		const variables = Array.isArray(body.variables) ? body.variables.map((v) => String(v)) : [];
		out.message = cut(body.message.replace(/%(\d+)/g, (whole, n: string) => variables[Number(n) - 1] ?? whole), 500);
	}
	if (typeof body.incident_uuid === 'string') out.incidentUuid = body.incident_uuid.slice(0, 64);
	return out;
}

/** `/rest/me`: `{credit, currency, id}`. */
export function parseMe(text: string): { credit?: number; currency?: string } {
	const parsed = parseJson(text);
	if (!parsed || typeof parsed !== 'object') return {};
	const body = parsed as Record<string, unknown>;
	const out: { credit?: number; currency?: string } = {};
	if (typeof body.credit === 'number') out.credit = body.credit;
	if (typeof body.currency === 'string') out.currency = body.currency.slice(0, 8);
	return out;
}
