/**
 * Error types of the gateway clients, and secret redaction.
 *
 * MX and BulkSMS carry credentials in query strings and form bodies, so any text that
 * came near a request (an HTTP client's error message, an echoed URL, a gateway's error
 * page) may contain a password. Every message that leaves this package goes through
 * `redactSecrets`, and errors are rebuilt from scratch instead of wrapping the HTTP
 * client's error, so no `cause`, request config or stack of a foreign error survives.
 */
import type { ProviderName } from './types';

/** A request that was refused before anything was sent. `field` names the offending input. */
export class GatewayValidationError extends Error {
	readonly code = 'VALIDATION';
	readonly field: string;
	/** Position in the recipient list, for recipient errors. */
	readonly index?: number;

	constructor(field: string, message: string, index?: number) {
		super(message);
		this.name = 'GatewayValidationError';
		this.field = field;
		if (index !== undefined) this.index = index;
	}
}

/**
 * sendMany refused request `itemIndex` before anything was sent; `reason` is what
 * validating it threw (a GatewayValidationError or a codec error).
 */
export class SendManyItemError extends Error {
	readonly itemIndex: number;
	readonly reason: unknown;

	constructor(itemIndex: number, reason: unknown) {
		super(`Request ${itemIndex}: ${reason instanceof Error ? reason.message : String(reason)}`);
		this.name = 'SendManyItemError';
		this.itemIndex = itemIndex;
		this.reason = reason;
	}
}

/** A gateway or transport failure surfaced as an exception (credential checks, MMS retrieval). */
export class GatewayError extends Error {
	readonly code: string;
	readonly retryable: boolean;
	readonly provider: ProviderName;
	readonly statusCode?: number;

	constructor(provider: ProviderName, code: string, message: string, retryable: boolean, statusCode?: number) {
		super(message);
		this.name = 'GatewayError';
		this.provider = provider;
		this.code = code;
		this.retryable = retryable;
		if (statusCode !== undefined) this.statusCode = statusCode;
	}
}

const REDACTED = '***';

function percentEncodeBytes(bytes: Uint8Array, spaceAsPlus: boolean, lower: boolean): string {
	let out = '';
	for (const b of bytes) {
		const unreserved =
			(b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || b === 0x2d || b === 0x2e || b === 0x5f || b === 0x7e;
		if (unreserved) out += String.fromCharCode(b);
		else if (b === 0x20 && spaceAsPlus) out += '+';
		else {
			const hex = b.toString(16).padStart(2, '0');
			out += '%' + (lower ? hex : hex.toUpperCase());
		}
	}
	return out;
}

function base64(text: string): string {
	const bytes = new TextEncoder().encode(text);
	let binary = '';
	for (const b of bytes) binary += String.fromCharCode(b);
	return btoa(binary);
}

// ISO-8859-15 differs from ISO-8859-1 in eight places (the euro sign at 0xA4 among them).
const LATIN9: Record<number, number> = { 0x20ac: 0xa4, 0x160: 0xa6, 0x161: 0xa8, 0x17d: 0xb4, 0x17e: 0xb8, 0x152: 0xbc, 0x153: 0xbd, 0x178: 0xbe };
const LATIN9_REPLACED = new Set(Object.values(LATIN9));

/** The secret's octets in ISO-8859-1 (or -15), or undefined when a character has none. */
function singleByte(secret: string, latin9: boolean): Uint8Array | undefined {
	const out = new Uint8Array(secret.length);
	for (let i = 0; i < secret.length; i++) {
		const code = secret.charCodeAt(i);
		const byte = latin9 ? (LATIN9[code] ?? (LATIN9_REPLACED.has(code) ? undefined : code)) : code;
		if (byte === undefined || byte > 0xff) return undefined;
		out[i] = byte;
	}
	return out;
}

// Variants are computed once per secret: a large broadcast may redact many messages.
const variantCache = new Map<string, string[]>();

/** Every spelling of a secret that could appear in a URL, a form body, a header or a log line. */
function secretVariants(secret: string): string[] {
	const cached = variantCache.get(secret);
	if (cached) return cached;
	const variants = new Set<string>([secret]);
	const utf8 = new TextEncoder().encode(secret);
	for (const plus of [false, true]) {
		for (const lower of [false, true]) variants.add(percentEncodeBytes(utf8, plus, lower));
	}
	// MX reads parameters as ISO-8859-15 and BulkSMS as ISO-8859-1, so a secret is also sent as those octets.
	for (const bytes of [singleByte(secret, false), singleByte(secret, true)]) {
		if (!bytes) continue;
		for (const plus of [false, true]) {
			for (const lower of [false, true]) variants.add(percentEncodeBytes(bytes, plus, lower));
		}
	}
	// Error snippets collapse white space, so a secret with a run of spaces appears collapsed.
	variants.add(secret.replace(/\s+/g, ' '));
	variants.add(encodeURIComponent(secret));
	variants.add(base64(secret));
	variants.add(base64(`${secret}:`));
	variants.add(JSON.stringify(secret).slice(1, -1));
	// Longest first, so a short variant never splits a longer one that contains it.
	const list = [...variants].filter((v) => v.length > 0).sort((a, b) => b.length - a.length);
	if (variantCache.size > 64) variantCache.clear();
	variantCache.set(secret, list);
	return list;
}

// Parameter names that carry credentials on these gateways; their values are masked even
// when the secret itself is unknown (e.g. a message produced for another account).
const SECRET_PARAMS = /\b(pass|password|mmsPassword|token|pwd)=([^&\s"'<>]*)/gi;
const AUTH_HEADER = /\b(Authorization["']?\s*[:=]\s*["']?)(Token|Basic|Bearer)\s+[^\s"',}]+/gi;

/** Marks text cut short (error snippets); the head of a secret may sit right before it. */
export const TRUNCATED = '...';
/** Shortest head of a secret masked before a cut. */
const MIN_HEAD = 3;

/** Masks the head of a secret variant that a truncation left right before `...`. */
function maskCutHeads(text: string, variants: readonly string[]): string {
	let out = text;
	for (let at = out.indexOf(TRUNCATED); at >= 0; at = out.indexOf(TRUNCATED, at + TRUNCATED.length)) {
		const before = out.slice(0, at);
		let longest = 0;
		for (const variant of variants) {
			for (let k = Math.min(variant.length - 1, before.length); k >= MIN_HEAD && k > longest; k--) {
				if (before.endsWith(variant.slice(0, k))) longest = k;
			}
		}
		if (longest > 0) {
			out = `${before.slice(0, at - longest)}${REDACTED}${out.slice(at)}`;
			at = at - longest + REDACTED.length;
		}
	}
	return out;
}

/** Replaces every occurrence of the given secrets (in any encoding a request may use) with `***`. */
export function redactSecrets(text: string, secrets: ReadonlyArray<string | undefined>): string {
	let out = String(text);
	for (const secret of secrets) {
		if (typeof secret !== 'string' || secret.length === 0) continue;
		const variants = secretVariants(secret);
		for (const variant of variants) out = out.split(variant).join(REDACTED);
		if (out.includes(TRUNCATED)) out = maskCutHeads(out, variants);
	}
	return out.replace(SECRET_PARAMS, `$1=${REDACTED}`).replace(AUTH_HEADER, `$1$2 ${REDACTED}`);
}

/** The secrets of a config, for redaction (with the user:password pairs, as HTTP Basic would spell them). */
export function configSecrets(config: {
	username?: string;
	password?: string;
	token?: string;
	mmsUsername?: string;
	mmsPassword?: string;
}): string[] {
	const secrets = [config.password, config.token, config.mmsPassword].filter(
		(s): s is string => typeof s === 'string' && s.length > 0,
	);
	for (const [user, pass] of [
		[config.username, config.password],
		[config.mmsUsername, config.mmsPassword],
	]) {
		if (user && pass) secrets.push(base64(`${user}:${pass}`));
	}
	return secrets;
}

/** The first `max` characters, marked when cut (so `redactSecrets` can mask a secret's head there). */
export function cut(text: string, max: number): string {
	return text.length > max ? text.slice(0, max) + TRUNCATED : text;
}

/** A short, secret-free description of anything thrown by a transport. */
export function describeThrown(thrown: unknown, secrets: ReadonlyArray<string | undefined>): string {
	const parts: string[] = [];
	let current: unknown = thrown;
	// Walk a few levels of `cause` for the low-level code (ECONNRESET etc.), but keep
	// only short strings: request configs and response objects are never copied.
	for (let depth = 0; depth < 4 && current !== null && current !== undefined; depth++) {
		if (typeof current === 'object') {
			const record = current as Record<string, unknown>;
			if (typeof record.code === 'string' && /^[A-Z0-9_]{2,40}$/.test(record.code)) parts.push(record.code);
			if (typeof record.message === 'string' && depth === 0) parts.push(cut(record.message, 300));
			current = record.cause;
		} else {
			if (depth === 0) parts.push(cut(String(current), 300));
			break;
		}
	}
	const text = [...new Set(parts)].join(': ') || 'unknown transport error';
	return redactSecrets(text, secrets);
}
