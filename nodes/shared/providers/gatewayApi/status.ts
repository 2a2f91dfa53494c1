/**
 * GatewayAPI account reads (gatewayapi-rest.md section 4): `GET /rest/me` for the credit
 * and its currency, `GET /rest/mtsms/{id}` for each recipient's `dsnstatus`, mapped with the
 * same table as the trigger's delivery status webhooks (section 6.3).
 */
import { gatewayApiStatus } from '../deliveryStatus';
import { snippet, type Runtime } from '../driver';
import { GatewayValidationError, cut } from '../errors';
import { readFromGateway, type ReadVerdict } from '../reads';
import { bodyText, type HttpAnswer } from '../transport';
import type { AccountBalance, MessageStatus } from '../types';
import { joinUrl, requireCredentials } from '../validation';
import { parseError, parseMe } from './response';

const PROVIDER = 'gatewayApi';

/** One recipient of a stored message; fields beyond these are ignored (the answer may grow, section 3.5). */
export interface StoredRecipient {
	msisdn: string;
	dsnstatus?: string;
	dsnerror?: string;
	dsnerrorcode?: string;
	dsntime?: string;
}

/** A JSON string or number as text; anything else as undefined. */
function textOf(value: unknown): string | undefined {
	if (typeof value === 'string') return value;
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	return undefined;
}

function recipientOf(value: unknown): StoredRecipient | undefined {
	if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
	const record = value as Record<string, unknown>;
	const msisdn = textOf(record.msisdn);
	if (msisdn === undefined) return undefined;
	const out: StoredRecipient = { msisdn };
	for (const key of ['dsnstatus', 'dsnerror', 'dsnerrorcode', 'dsntime'] as const) {
		const field = textOf(record[key]);
		if (field !== undefined) out[key] = field;
	}
	return out;
}

/**
 * The recipients of a `GET /rest/mtsms/{id}` answer: documented as an array holding the
 * message, a bare message object read the same way. Undefined when no message with a
 * `recipients` list is there, or a recipient has no readable msisdn.
 */
export function parseStoredMessage(body: string): StoredRecipient[] | undefined {
	let json: unknown;
	try {
		json = JSON.parse(body) as unknown;
	} catch {
		return undefined;
	}
	const messages = Array.isArray(json) ? json : [json];
	const out: StoredRecipient[] = [];
	for (const message of messages) {
		const list = message && typeof message === 'object' ? (message as Record<string, unknown>).recipients : undefined;
		if (!Array.isArray(list)) return undefined;
		for (const entry of list) {
			const recipient = recipientOf(entry);
			if (!recipient) return undefined;
			out.push(recipient);
		}
	}
	return messages.length > 0 ? out : undefined;
}

/**
 * `dsntime` as ISO 8601. Its type is not documented: the webhook's `time` is Unix seconds,
 * so digits are read as seconds (milliseconds when too large for seconds), anything else
 * as a date string; unreadable values give null.
 */
export function dsnTimeToIso(value: string | undefined): string | null {
	if (value === undefined || value.trim() === '') return null;
	const trimmed = value.trim();
	let ms: number;
	if (/^\d+(\.\d+)?$/.test(trimmed)) {
		const n = Number(trimmed);
		ms = n > 1e11 ? n : n * 1000;
	} else {
		ms = Date.parse(trimmed);
	}
	return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
}

function msisdnOf(value: string): string {
	return value.trim().replace(/^\+/, '');
}

/** An error answer as a read verdict: 401/403 are the token, other 4xx the request. */
function refusal<T>(answer: HttpAnswer, body: string, what: string): ReadVerdict<T> {
	const parsed = parseError(body);
	const detail = [parsed.code, parsed.message ?? snippet(body), parsed.incidentUuid ? `incident ${parsed.incidentUuid}` : undefined]
		.filter(Boolean)
		.join(', ');
	const auth = answer.statusCode === 401 || answer.statusCode === 403;
	return {
		kind: 'error',
		code: auth ? 'AUTH' : (parsed.code ?? `HTTP_${answer.statusCode}`),
		message: `GatewayAPI ${auth ? 'rejected the token' : `refused the ${what}`} (HTTP ${answer.statusCode}): ${detail}`,
		retryable: false,
		statusCode: answer.statusCode,
	};
}

function headers(runtime: Runtime): Record<string, string> {
	return { Authorization: `Token ${runtime.config.token}`, Accept: 'application/json' };
}

/** `GET /rest/me`: `{credit, currency, id}`; the credit is money in `currency`. */
export async function gatewayApiBalance(runtime: Runtime): Promise<AccountBalance> {
	requireCredentials(runtime.config, 'token');
	const call = { method: 'GET' as const, url: joinUrl(runtime.config.baseUrl, '/rest/me'), headers: headers(runtime) };
	return await readFromGateway<AccountBalance>(runtime, PROVIDER, 'The GatewayAPI balance query (/rest/me)', call, (answer) => {
		const body = bodyText(answer.body);
		if (answer.statusCode !== 200) return refusal(answer, body, 'balance query');
		const me = parseMe(body);
		if (me.credit === undefined) {
			return { kind: 'error', code: 'UNPARSEABLE_RESPONSE', message: `GatewayAPI's /rest/me answer has no credit: ${snippet(body)}`, retryable: false, statusCode: 200 };
		}
		return { kind: 'value', value: { provider: PROVIDER, balance: me.credit, unit: 'currency', currency: me.currency ?? null } };
	});
}

/** `GET /rest/mtsms/{id}`: one status per recipient of the message (optionally only `to`). */
export async function gatewayApiDeliveryStatus(runtime: Runtime, messageId: string, to: string | undefined): Promise<MessageStatus[]> {
	if (!/^[0-9]{1,20}$/.test(messageId)) {
		throw new GatewayValidationError(
			'messageId',
			`${JSON.stringify(cut(messageId, 40))} is not a GatewayAPI message id: give the messageId a GatewayAPI send returned (a whole number)`,
		);
	}
	requireCredentials(runtime.config, 'token');
	const call = { method: 'GET' as const, url: joinUrl(runtime.config.baseUrl, `/rest/mtsms/${messageId}`), headers: headers(runtime) };
	return await readFromGateway<MessageStatus[]>(runtime, PROVIDER, 'The GatewayAPI status query (GET /rest/mtsms)', call, (answer) => {
		const body = bodyText(answer.body);
		if (answer.statusCode === 404) {
			// Section 4: a message is listed only once it has been sent and moved to long-term storage.
			return {
				kind: 'error',
				code: 'NOT_FOUND',
				message:
					`GatewayAPI does not list message ${messageId} (HTTP 404). It lists a message only once it has been sent and stored, ` +
					'so a message sent moments ago may not be there yet; an id of another account is not there at all. Delivery status webhooks have no such delay.',
				retryable: true,
				statusCode: 404,
			};
		}
		if (answer.statusCode !== 200) return refusal(answer, body, `status query for message ${messageId}`);
		const recipients = parseStoredMessage(body);
		if (!recipients) {
			return { kind: 'error', code: 'UNPARSEABLE_RESPONSE', message: `Unreadable GatewayAPI message status: ${snippet(body)}`, retryable: false, statusCode: 200 };
		}
		return {
			kind: 'value',
			value: recipients
				.filter((r) => to === undefined || msisdnOf(r.msisdn) === to)
				.map((r) => {
					// Section 6.3: UNKNOWN is the state before the first report.
					const providerStatus = (r.dsnstatus ?? 'UNKNOWN').toUpperCase();
					const { status, final } = gatewayApiStatus(providerStatus);
					const reason = [r.dsnerrorcode, r.dsnerror].filter((v) => v !== undefined && v !== '').join(' ');
					return {
						provider: PROVIDER,
						messageId,
						to: msisdnOf(r.msisdn),
						status,
						final,
						providerStatus,
						reason: reason === '' ? null : reason,
						at: dsnTimeToIso(r.dsntime),
					};
				}),
		};
	});
}
