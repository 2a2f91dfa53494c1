/**
 * Input checks that run before any request leaves: recipients, originators, schedules,
 * validity, part limits and the client configuration. Each failure is a
 * GatewayValidationError naming the field and saying what is allowed.
 */
import { GatewayValidationError } from './errors';
import { PROVIDERS, type GatewayConfig, type ProviderName } from './types';

/** International MSISDN after normalisation: country code first (never 0), 7-15 digits. */
const MSISDN = /^[1-9][0-9]{6,14}$/;

const MSISDN_RULE = 'use international format: digits only, an optional leading +, 7 to 15 digits, e.g. +447700900123';

/** Trims, strips one leading `+`, and checks the syntax. Throws naming the value. */
export function normaliseMsisdn(raw: string, index?: number): string {
	const checked = checkMsisdn(raw, index);
	if (typeof checked !== 'string') throw checked;
	return checked;
}

/** The normalised MSISDN, or the error that `normaliseMsisdn` would throw. */
export function checkMsisdn(input: string, position?: number): string | GatewayValidationError {
	const value = input.trim();
	const digits = value.startsWith('+') ? value.slice(1) : value;
	if (MSISDN.test(digits)) return digits;
	const where = position === undefined ? '' : ` (recipient ${position + 1})`;
	if (value === '') return new GatewayValidationError('to', `Recipient is empty${where}; ${MSISDN_RULE}`, position);
	const shown = JSON.stringify(value.length > 40 ? value.slice(0, 40) + '...' : value);
	let reason: string;
	if (!/^[0-9]+$/.test(digits)) reason = 'is not a valid MSISDN: only digits are allowed';
	else if (digits.startsWith('00')) reason = 'starts with 00: drop the 00 prefix and write the number as +<country code><number>';
	else if (digits.startsWith('0')) reason = 'starts with 0, which looks like a national number';
	else reason = `is ${digits.length < 7 ? 'too short' : 'too long'} (${digits.length} digits)`;
	return new GatewayValidationError('to', `Recipient ${shown}${where} ${reason}; ${MSISDN_RULE}`, position);
}

export interface RecipientEntry {
	msisdn: string;
	/** Position of the first occurrence among the non-blank inputs. */
	position: number;
	/** Further occurrences collapsed into this one. */
	duplicates: number;
}

export interface RecipientList {
	/** Unique recipients in input order. */
	entries: RecipientEntry[];
	/** Inputs that failed the syntax check (only when invalid ones are skipped). */
	invalid: Array<{ input: string; position: number; message: string }>;
	/** Non-blank inputs seen. */
	total: number;
}

/** Splits, trims, drops blanks, normalises and de-duplicates recipients (first occurrence wins). */
export function parseRecipients(to: unknown, options: { skipInvalid?: boolean } = {}): RecipientList {
	const raw: string[] = [];
	const push = (value: unknown) => {
		if (value === undefined || value === null) return;
		if (typeof value === 'number' && Number.isFinite(value)) {
			raw.push(String(value));
			return;
		}
		if (typeof value !== 'string') {
			throw new GatewayValidationError('to', `Recipients must be strings (or numbers), got ${typeof value}`);
		}
		for (const piece of value.split(/[,;\r\n]+/)) if (piece.trim() !== '') raw.push(piece);
	};
	if (Array.isArray(to)) to.forEach(push);
	else push(to);
	if (raw.length === 0) {
		throw new GatewayValidationError('to', `No recipient given; ${MSISDN_RULE}`);
	}
	const byMsisdn = new Map<string, RecipientEntry>();
	const entries: RecipientEntry[] = [];
	const invalid: RecipientList['invalid'] = [];
	raw.forEach((input, position) => {
		const checked = checkMsisdn(input, position);
		if (typeof checked !== 'string') {
			if (!options.skipInvalid) throw checked;
			invalid.push({ input: input.trim(), position, message: checked.message });
			return;
		}
		const msisdn = checked;
		const seen = byMsisdn.get(msisdn);
		if (seen) {
			seen.duplicates++;
			return;
		}
		const entry = { msisdn, position, duplicates: 0 };
		byMsisdn.set(msisdn, entry);
		entries.push(entry);
	});
	return { entries, invalid, total: raw.length };
}

const NUMERIC_ORIGINATOR_MAX: Record<ProviderName, number> = { mxTelecom: 16, bulkSms: 15, gatewayApi: 15 };
const ALPHANUMERIC_ORIGINATOR_MAX = 11;
// ASCII letters, digits, space and common punctuation, plus Latin-1 letters (which the
// gateways pass through or transliterate); nothing that needs an escape or UCS-2.
const ORIGINATOR_CHARS = /^[A-Za-z0-9 .\-_&+!?#@'()/:,\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u00FF]+$/;

/** Checks `from`; returns the value to send (numeric without `+`), or undefined for the account default. */
export function validateOriginator(from: unknown, provider: ProviderName): string | undefined {
	if (from === undefined || from === null) return undefined;
	if (typeof from !== 'string' && typeof from !== 'number') {
		throw new GatewayValidationError('from', `The originator must be text, got ${typeof from}`);
	}
	const value = String(from).trim();
	if (value === '') return undefined;
	const numericMax = NUMERIC_ORIGINATOR_MAX[provider];
	if (/^\+?[0-9]+$/.test(value)) {
		const digits = value.replace(/^\+/, '');
		if (digits.length > numericMax) {
			throw new GatewayValidationError(
				'from',
				`The numeric originator "${value}" has ${digits.length} digits; ${provider} allows at most ${numericMax} digits (or at most ${ALPHANUMERIC_ORIGINATOR_MAX} letters and digits)`,
			);
		}
		return digits;
	}
	if ([...value].length > ALPHANUMERIC_ORIGINATOR_MAX) {
		throw new GatewayValidationError(
			'from',
			`The alphanumeric originator "${value}" has ${[...value].length} characters; at most ${ALPHANUMERIC_ORIGINATOR_MAX} are allowed (or up to ${numericMax} digits for a number)`,
		);
	}
	if (!ORIGINATOR_CHARS.test(value)) {
		throw new GatewayValidationError(
			'from',
			`The originator "${value}" contains characters gateways cannot show as a sender; use letters, digits, spaces and . - _ & + ! ? # @ ' ( ) / : ,`,
		);
	}
	return value;
}

const ISO_8601 = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?)$/i;

/** Tolerated clock skew: a schedule this far in the past means "now" and is dropped. */
export const SCHEDULE_GRACE_MS = 60_000;

/** Parses `scheduleAt`; returns undefined for "send now", throws when unparseable or in the past. */
export function parseSchedule(value: unknown, now = Date.now()): Date | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	let date: Date;
	if (value instanceof Date) {
		date = value;
	} else if (typeof value === 'string') {
		const text = value.trim();
		const match = ISO_8601.exec(text);
		if (!match) {
			throw new GatewayValidationError(
				'scheduleAt',
				`The schedule "${text.slice(0, 60)}" is not an ISO 8601 date-time with a time zone; write it like 2030-01-31T09:30:00Z or 2030-01-31T10:30:00+01:00`,
			);
		}
		const [, y, mo, d, h, mi, s] = match;
		const month = Number(mo);
		const day = Number(d);
		const valid =
			month >= 1 && month <= 12 && day >= 1 && day <= new Date(Date.UTC(Number(y), month, 0)).getUTCDate() &&
			Number(h) <= 23 && Number(mi) <= 59 && (s === undefined || Number(s) <= 59);
		date = new Date(text.replace(' ', 'T'));
		if (!valid || Number.isNaN(date.getTime())) {
			throw new GatewayValidationError('scheduleAt', `The schedule "${text}" is not a real date and time`);
		}
	} else {
		throw new GatewayValidationError('scheduleAt', 'The schedule must be an ISO 8601 date-time string or a Date');
	}
	if (Number.isNaN(date.getTime())) {
		throw new GatewayValidationError('scheduleAt', 'The schedule is an invalid Date');
	}
	if (date.getTime() < now - SCHEDULE_GRACE_MS) {
		throw new GatewayValidationError(
			'scheduleAt',
			`The schedule ${date.toISOString()} is in the past; give a future time, or leave it empty to send now`,
		);
	}
	if (date.getTime() <= now) return undefined;
	return date;
}

export const MAX_VALIDITY_SECONDS = 365 * 24 * 3600;

export function validateValidity(value: unknown): number | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_VALIDITY_SECONDS) {
		throw new GatewayValidationError('validity', `The validity must be a whole number of seconds from 1 to ${MAX_VALIDITY_SECONDS}, got ${String(value)}`);
	}
	return value;
}

export function validateMaxParts(value: unknown): number | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 255) {
		throw new GatewayValidationError('maxParts', `maxParts must be a whole number from 1 to 255, got ${String(value)}`);
	}
	return value;
}

export const DEFAULT_BASE_URLS: Record<ProviderName, string> = {
	mxTelecom: 'https://sms.openmarket.com',
	bulkSms: 'https://bulksms.vsms.net',
	gatewayApi: 'https://gatewayapi.com',
};

export const DEFAULT_MX_MMS_BASE_URL = 'https://mms.mxtelecom.com';

/** Checks a base URL: http(s), no embedded credentials, no query or fragment. Returns it without a trailing slash. */
export function validateBaseUrl(value: unknown, field = 'baseUrl'): string {
	if (typeof value !== 'string' || value.trim() === '') {
		throw new GatewayValidationError(field, `${field} must be an http:// or https:// URL`);
	}
	const text = value.trim();
	let url: URL;
	if (!URL.canParse(text)) {
		throw new GatewayValidationError(field, `${field} "${text.slice(0, 80)}" is not a URL; give the gateway root, e.g. https://gatewayapi.com`);
	}
	url = new URL(text);
	if (url.protocol !== 'http:' && url.protocol !== 'https:') {
		throw new GatewayValidationError(field, `${field} must use http:// or https://, got ${url.protocol}`);
	}
	if (url.username || url.password) {
		throw new GatewayValidationError(field, `${field} must not contain credentials; put them in the credential fields`);
	}
	if (url.search || url.hash) {
		throw new GatewayValidationError(field, `${field} must not contain a query string or fragment`);
	}
	url = new URL(url.origin + url.pathname.replace(/\/+$/, ''));
	return url.toString().replace(/\/+$/, '');
}

/** Appends an endpoint path, without doubling a prefix the base already ends with (e.g. `/eapi`). */
export function joinUrl(base: string, path: string): string {
	const baseUrl = new URL(base);
	const basePath = baseUrl.pathname.replace(/\/+$/, '');
	const firstSegment = path.split('/').filter(Boolean)[0];
	let rest = path;
	if (firstSegment && basePath.endsWith('/' + firstSegment)) rest = path.slice(firstSegment.length + 1);
	return baseUrl.origin + basePath + rest;
}

export interface ResolvedConfig {
	provider: ProviderName;
	baseUrl: string;
	mmsBaseUrl: string;
	username: string;
	password: string;
	token: string;
	mmsUsername: string;
	mmsPassword: string;
	timeoutMs: number;
	concurrency: number;
	batchSize: number;
	batchRows: number;
	maxPerSecond: number | undefined;
	retry: { maxAttempts: number; baseDelayMs: number; maxDelayMs: number };
}

const LIMITS: Record<ProviderName, { concurrency: number; maxConcurrency: number; batch: number; maxBatch: number; timeout: number }> = {
	// MX: "up to 4" persistent connections; bulksend takes 1-10,000 recipients.
	mxTelecom: { concurrency: 4, maxConcurrency: 64, batch: 10_000, maxBatch: 10_000, timeout: 60_000 },
	// BulkSMS asks for one concurrent connection; the msisdn list has no documented cap.
	bulkSms: { concurrency: 1, maxConcurrency: 16, batch: 1_000, maxBatch: 30_000, timeout: 30_000 },
	// GatewayAPI: 40 open connections per client IP at most; 10,000 recipients per message object.
	gatewayApi: { concurrency: 8, maxConcurrency: 40, batch: 10_000, maxBatch: 10_000, timeout: 30_000 },
};

function integerIn(value: unknown, field: string, min: number, max: number, fallback: number): number {
	if (value === undefined || value === null) return fallback;
	if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
		throw new GatewayValidationError(field, `${field} must be a whole number from ${min} to ${max}, got ${String(value)}`);
	}
	return value;
}

function optionalString(value: unknown, field: string): string {
	if (value === undefined || value === null) return '';
	if (typeof value !== 'string') throw new GatewayValidationError(field, `${field} must be a string`);
	return value;
}

/** Validates a client configuration and fills in defaults. */
export function resolveConfig(config: GatewayConfig): ResolvedConfig {
	if (!config || typeof config !== 'object') {
		throw new GatewayValidationError('config', 'The gateway configuration must be an object');
	}
	const provider = config.provider;
	if (!PROVIDERS.includes(provider)) {
		throw new GatewayValidationError(
			'provider',
			`Unknown provider ${JSON.stringify(provider)}; use one of ${PROVIDERS.map((p) => `'${p}'`).join(', ')}`,
		);
	}
	const limits = LIMITS[provider];
	const baseUrl = validateBaseUrl(config.baseUrl ?? DEFAULT_BASE_URLS[provider]);
	const mmsBaseUrl =
		config.mmsBaseUrl !== undefined && config.mmsBaseUrl !== ''
			? validateBaseUrl(config.mmsBaseUrl, 'mmsBaseUrl')
			: config.baseUrl !== undefined
				? baseUrl.replace(/\/SMSSend$/i, '')
				: DEFAULT_MX_MMS_BASE_URL;
	const retry = config.retry ?? {};
	return {
		provider,
		baseUrl,
		mmsBaseUrl,
		username: optionalString(config.username, 'username'),
		password: optionalString(config.password, 'password'),
		token: optionalString(config.token, 'token'),
		mmsUsername: optionalString(config.mmsUsername, 'mmsUsername'),
		mmsPassword: optionalString(config.mmsPassword, 'mmsPassword'),
		timeoutMs: integerIn(config.timeoutMs, 'timeoutMs', 100, 600_000, limits.timeout),
		concurrency: integerIn(config.concurrency, 'concurrency', 1, limits.maxConcurrency, limits.concurrency),
		batchSize: integerIn(config.batchSize, 'batchSize', 1, limits.maxBatch, limits.batch),
		batchRows: integerIn(config.batchRows, 'batchRows', 1, 50_000, 30_000),
		maxPerSecond:
			config.maxPerSecond === undefined || config.maxPerSecond === null
				? undefined
				: integerIn(config.maxPerSecond, 'maxPerSecond', 1, 100_000, 1),
		retry: {
			maxAttempts: integerIn(retry.maxAttempts, 'retry.maxAttempts', 1, 10, 4),
			baseDelayMs: integerIn(retry.baseDelayMs, 'retry.baseDelayMs', 0, 60_000, 500),
			maxDelayMs: integerIn(retry.maxDelayMs, 'retry.maxDelayMs', 0, 300_000, 8_000),
		},
	};
}

/** Throws when the credentials a provider needs are missing (nothing is sent). */
export function requireCredentials(config: ResolvedConfig, ...fields: Array<'username' | 'password' | 'token' | 'mmsUsername' | 'mmsPassword'>): void {
	for (const field of fields) {
		if (config[field] === '') {
			throw new GatewayValidationError(field, `The ${config.provider} credentials have no ${field}`);
		}
	}
}
