import { createHmac, timingSafeEqual } from 'crypto';

/**
 * Verification of GatewayAPI's `X-Gwapi-Signature`: a JWT signed with HS256 whose key is
 * the webhook secret and whose payload is the webhook data itself (reference
 * gatewayapi-rest section 8). Only HS256 is accepted, so a token announcing `none` or another
 * algorithm cannot pass.
 */

export type JwtVerification =
	| { ok: true; payload: Record<string, unknown> }
	| { ok: false; reason: string };

/** Clock skew tolerated for `exp` / `nbf`, in seconds. */
const LEEWAY_SECONDS = 300;
/** A webhook payload is small; anything longer than this is not a GatewayAPI token. */
const MAX_TOKEN_LENGTH = 64 * 1024;

const BASE64URL = /^[A-Za-z0-9_-]*$/;

function decodeSegment(segment: string): Buffer | undefined {
	if (!BASE64URL.test(segment)) return undefined;
	return Buffer.from(segment, 'base64url');
}

function parseJsonObject(bytes: Buffer): Record<string, unknown> | undefined {
	try {
		const value: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
		return value !== null && typeof value === 'object' && !Array.isArray(value)
			? (value as Record<string, unknown>)
			: undefined;
	} catch {
		// Not JSON (or not UTF-8): the caller refuses the token as malformed.
		return undefined;
	}
}

export function verifyHs256(token: string | undefined, secret: string, nowSeconds: number): JwtVerification {
	if (token === undefined || token.trim() === '') return { ok: false, reason: 'missing X-Gwapi-Signature header' };
	const text = token.trim();
	if (text.length > MAX_TOKEN_LENGTH) return { ok: false, reason: 'signature token too long' };
	const segments = text.split('.');
	if (segments.length !== 3) return { ok: false, reason: 'malformed signature token' };
	const [headerPart, payloadPart, signaturePart] = segments;

	const headerBytes = decodeSegment(headerPart);
	const header = headerBytes && parseJsonObject(headerBytes);
	if (!header) return { ok: false, reason: 'malformed signature token header' };
	if (header.alg !== 'HS256') return { ok: false, reason: `unsupported signature algorithm ${JSON.stringify(header.alg)}` };

	const presented = decodeSegment(signaturePart);
	const expected = createHmac('sha256', secret).update(`${headerPart}.${payloadPart}`, 'ascii').digest();
	// timingSafeEqual needs equal lengths; a wrong length is a wrong signature anyway.
	if (!presented || presented.length !== expected.length || !timingSafeEqual(presented, expected)) {
		return { ok: false, reason: 'bad signature' };
	}

	const payloadBytes = decodeSegment(payloadPart);
	const payload = payloadBytes && parseJsonObject(payloadBytes);
	if (!payload) return { ok: false, reason: 'malformed signature token payload' };
	if (typeof payload.exp === 'number' && payload.exp + LEEWAY_SECONDS < nowSeconds) {
		return { ok: false, reason: 'signature token expired' };
	}
	if (typeof payload.nbf === 'number' && payload.nbf - LEEWAY_SECONDS > nowSeconds) {
		return { ok: false, reason: 'signature token not valid yet' };
	}
	return { ok: true, payload };
}
