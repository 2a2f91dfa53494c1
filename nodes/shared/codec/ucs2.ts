/**
 * UCS-2 as SMS uses it in practice: big-endian UTF-16 code units. A character outside
 * the BMP is a surrogate pair and costs two units.
 *
 * Lone surrogates are not valid text, but they are encoded as-is (one unit each) so that
 * counting and encoding agree; a provider that must refuse them calls hasLoneSurrogate()
 * before sending.
 */
import { SmsCodecError, assertString } from './errors';
import { bytesToHex, hexToBytes } from './hex';

export function isHighSurrogate(code: number): boolean {
	return code >= 0xd800 && code <= 0xdbff;
}

export function isLowSurrogate(code: number): boolean {
	return code >= 0xdc00 && code <= 0xdfff;
}

/** UTF-16 index of the first surrogate that is not part of a well-formed pair, or -1. */
export function findLoneSurrogate(text: string): number {
	assertString(text, 'text');
	for (let i = 0, n = text.length; i < n; i++) {
		const code = text.charCodeAt(i);
		if (code < 0xd800 || code > 0xdfff) continue;
		if (isHighSurrogate(code) && i + 1 < n && isLowSurrogate(text.charCodeAt(i + 1))) {
			i++;
			continue;
		}
		return i;
	}
	return -1;
}

export function hasLoneSurrogate(text: string): boolean {
	return findLoneSurrogate(text) !== -1;
}

/** Big-endian UTF-16 bytes, two per code unit. */
export function toUcs2Bytes(text: string): Uint8Array {
	assertString(text, 'text');
	const out = new Uint8Array(text.length * 2);
	for (let i = 0, n = text.length; i < n; i++) {
		const code = text.charCodeAt(i);
		out[2 * i] = code >> 8;
		out[2 * i + 1] = code & 0xff;
	}
	return out;
}

/** Inverse of toUcs2Bytes; rejects an odd number of octets. */
export function fromUcs2Bytes(bytes: ArrayLike<number>): string {
	if (bytes.length % 2 !== 0) {
		throw new SmsCodecError('INVALID_ARGUMENT', `UCS-2 data has odd length ${bytes.length}; it needs two octets per unit`);
	}
	const units = new Array<number>(bytes.length / 2);
	for (let i = 0; i < units.length; i++) units[i] = ((bytes[2 * i] & 0xff) << 8) | (bytes[2 * i + 1] & 0xff);
	return unitsToString(units);
}

/** Uppercase hex, four digits per UTF-16 code unit, big-endian. */
export function toUcs2Hex(text: string): string {
	return bytesToHex(toUcs2Bytes(text));
}

/** Parses UCS-2 hex (either case); the length must be a multiple of four. */
export function fromUcs2Hex(hex: string): string {
	assertString(hex, 'hex');
	if (hex.length % 4 !== 0) {
		throw new SmsCodecError('INVALID_HEX', `UCS-2 hex has length ${hex.length}; it needs four digits per UTF-16 unit`);
	}
	return fromUcs2Bytes(hexToBytes(hex));
}

// fromCharCode takes arguments, so large inputs go through in slices to stay under the
// engine's argument limit.
function unitsToString(units: number[]): string {
	let out = '';
	for (let i = 0; i < units.length; i += 4096) {
		out += String.fromCharCode.apply(null, units.slice(i, i + 4096));
	}
	return out;
}
