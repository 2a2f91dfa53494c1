/**
 * Field checks shared by the provider parsers. Every value in a push is untrusted: ids
 * must look like ids, hex like hex, and text fields have a sane length, otherwise the
 * push is refused with a 400 naming the field.
 */
import { bytesToHex, fromUcs2Hex, hexToBytes, parseConcatenationUdh } from '../../shared/codec';
import { HttpRefusal } from '../http/refusal';
import type { Params } from '../http/params';
import type { ConcatInfo } from './types';

/** Longest text field kept (an MMS subject or a 160-character SMS is far below). */
const MAX_FIELD_LENGTH = 4096;

export function required(p: Params, name: string, what: string): string {
	const value = p.text(name);
	if (value === undefined || value.trim() === '') throw new HttpRefusal(400, `${what}: parameter "${name}" is missing`);
	return checkLength(value.trim(), name, what);
}

export function optional(p: Params, name: string, what: string): string | null {
	const value = p.text(name);
	if (value === undefined || value.trim() === '') return null;
	return checkLength(value.trim(), name, what);
}

export function checkLength(value: string, name: string, what: string): string {
	if (value.length > MAX_FIELD_LENGTH) throw new HttpRefusal(400, `${what}: "${name}" is longer than ${MAX_FIELD_LENGTH} characters`);
	return value;
}

/** A decimal id (64-bit ids stay strings: they can exceed Number.MAX_SAFE_INTEGER). */
export function digits(value: string, name: string, what: string): string {
	if (!/^[0-9]{1,20}$/.test(value)) throw new HttpRefusal(400, `${what}: "${name}" must be a decimal id, not ${JSON.stringify(value.slice(0, 40))}`);
	return value;
}

/** An id that may contain letters (MMS ids): letters, digits, `._-`, at most 64. */
export function token(value: string, name: string, what: string): string {
	if (!/^[A-Za-z0-9._-]{1,64}$/.test(value)) throw new HttpRefusal(400, `${what}: "${name}" is not a valid id`);
	return value;
}

function hasControlCharacter(value: string): boolean {
	for (let i = 0; i < value.length; i++) {
		const code = value.charCodeAt(i);
		if (code < 0x20 || code === 0x7f) return true;
	}
	return false;
}

/** An address (MSISDN, short code or alphanumeric originator): printable, at most 64 characters. */
export function address(value: string, name: string, what: string): string {
	if (value.length > 64 || hasControlCharacter(value)) {
		throw new HttpRefusal(400, `${what}: "${name}" is not a valid address`);
	}
	return value;
}

/** Normalised uppercase hex; refuses non-hex or odd-length input. */
export function hex(value: string, name: string, what: string): string {
	const text = value.trim();
	if (!/^(?:[0-9A-Fa-f]{2})*$/.test(text)) throw new HttpRefusal(400, `${what}: "${name}" is not hex`);
	return text.toUpperCase();
}

/** UCS-2 hex (4 digits per UTF-16 unit) decoded to text. */
export function ucs2Text(value: string, name: string, what: string): string {
	const text = value.trim();
	if (!/^(?:[0-9A-Fa-f]{4})*$/.test(text)) throw new HttpRefusal(400, `${what}: "${name}" is not UCS-2 hex`);
	return fromUcs2Hex(text);
}

/** Concatenation info from a hex UDH, or null when it carries none. */
export function concatFromUdh(udhHex: string | null): ConcatInfo | null {
	if (!udhHex) return null;
	const info = parseConcatenationUdh(hexToBytes(udhHex));
	return info ? { reference: info.reference, total: info.total, index: info.index } : null;
}

/** Base64 (as GatewayAPI sends binary fields) to uppercase hex; null when not base64. */
export function base64ToHex(value: string): string | null {
	const text = value.trim();
	if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) return null;
	return bytesToHex(Buffer.from(text, 'base64'));
}
