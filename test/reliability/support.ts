/**
 * Shared pieces of the reliability suites: recipient lists, reading back what the
 * simulator recorded (recipients and idempotency keys of each request, straight from the
 * raw bodies, so requests the simulator never processed count too), and tallies.
 */
import type { RecordedRequest } from '../../simulator';
import type { ProviderName, RecipientResult } from '../../nodes/shared/providers';

export const PROVIDER_NAMES: readonly ProviderName[] = ['mxTelecom', 'bulkSms', 'gatewayApi'];

/** The endpoint each provider's broadcast goes to. */
export const BROADCAST_ENDPOINT: Record<ProviderName, string> = {
	mxTelecom: 'mx.bulksend',
	bulkSms: 'bulksms.send_sms',
	gatewayApi: 'gatewayapi.mtsms',
};

/** `count` distinct valid MSISDNs (UK-style, 12 digits), starting at `from`. */
export function msisdns(count: number, from = 0, prefix = '4477'): string[] {
	return Array.from({ length: count }, (_, i) => `${prefix}${String(from + i).padStart(8, '0')}`);
}

function percentDecode(text: string): string {
	// Form bodies as the simulator records them (latin1 text): '+' is a space, %XX a byte.
	return text.replace(/\+/g, ' ').replace(/%([0-9A-Fa-f]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** The parameters of a form-encoded body (first value of each name). */
export function formParams(body: string | undefined): Map<string, string> {
	const out = new Map<string, string>();
	for (const pair of (body ?? '').split('&')) {
		if (pair === '') continue;
		const eq = pair.indexOf('=');
		const name = percentDecode(eq < 0 ? pair : pair.slice(0, eq));
		if (!out.has(name)) out.set(name, eq < 0 ? '' : percentDecode(pair.slice(eq + 1)));
	}
	return out;
}

/** Recipients a recorded send request carried, whatever happened to it. */
export function requestRecipients(provider: ProviderName, request: RecordedRequest): string[] {
	if (provider === 'gatewayApi') {
		const body = JSON.parse(request.body ?? '{}') as { recipients?: Array<{ msisdn: number | string }> };
		return (body.recipients ?? []).map((r) => String(r.msisdn));
	}
	const params = formParams(request.body);
	if (provider === 'mxTelecom') return (params.get('smsto') ?? '').split('\n').filter((s) => s !== '');
	return (params.get('msisdn') ?? '').split(',').filter((s) => s !== '');
}

/** The idempotency key of a recorded request (MX `submitid`, BulkSMS `stop_dup_id`). */
export function idempotencyKey(provider: ProviderName, request: RecordedRequest): string | undefined {
	const params = formParams(request.body);
	if (provider === 'mxTelecom') return params.get('submitid');
	if (provider === 'bulkSms') return params.get('stop_dup_id');
	return undefined;
}

export type StatusCounts = Record<RecipientResult['status'], number>;

export function countStatuses(results: ReadonlyArray<{ status: string }>): StatusCounts {
	const counts: StatusCounts = { accepted: 0, scheduled: 0, failed: 0, unknown: 0 };
	for (const r of results) counts[r.status as RecipientResult['status']] += 1;
	return counts;
}

/** Occurrences of each value. */
export function tally<T>(values: Iterable<T>): Map<T, number> {
	const out = new Map<T, number>();
	for (const v of values) out.set(v, (out.get(v) ?? 0) + 1);
	return out;
}

/** `{ a: 1, b: 2 }` as `a=1 b=2`, keys sorted. */
export function formatCounts(counts: Record<string, number>): string {
	return Object.keys(counts)
		.sort()
		.map((k) => `${k}=${counts[k]}`)
		.join(' ');
}
