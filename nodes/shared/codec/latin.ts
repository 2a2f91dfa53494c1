/**
 * ISO-8859-1 (Latin-1) and ISO-8859-15 (Latin-9), one octet per character, for gateways
 * that take 8-bit text. Octets 0x00-0xFF map to U+0000-U+00FF (controls included), except
 * that Latin-9 replaces eight positions, e.g. 0xA4 is the euro sign instead of U+00A4.
 */
import { SmsCodecError, UnencodableCharacterError, assertString } from './errors';

/** Latin-9 octet -> character where it differs from Latin-1. */
const LATIN9_OVERRIDES: ReadonlyArray<readonly [number, number]> = [
	[0xa4, 0x20ac], // euro sign
	[0xa6, 0x0160], // S caron
	[0xa8, 0x0161], // s caron
	[0xb4, 0x017d], // Z caron
	[0xb8, 0x017e], // z caron
	[0xbc, 0x0152], // OE ligature
	[0xbd, 0x0153], // oe ligature
	[0xbe, 0x0178], // Y diaeresis
];

const LATIN9_DECODE = new Uint16Array(256);
/** Code unit -> Latin-9 octet, or -1 when unmappable. Only U+0000-U+20AC can map. */
const LATIN9_ENCODE = new Int16Array(0x20ad).fill(-1);
for (let b = 0; b < 256; b++) LATIN9_DECODE[b] = b;
for (const [octet, code] of LATIN9_OVERRIDES) LATIN9_DECODE[octet] = code;
for (let b = 0; b < 256; b++) LATIN9_ENCODE[LATIN9_DECODE[b]] = b;

function bytesToString(bytes: ArrayLike<number>, table: Uint16Array | null): string {
	let out = '';
	for (let i = 0; i < bytes.length; i += 4096) {
		const end = Math.min(bytes.length, i + 4096);
		const chunk = new Array<number>(end - i);
		for (let j = i; j < end; j++) {
			const b = bytes[j];
			if (!Number.isInteger(b) || b < 0 || b > 0xff) {
				throw new SmsCodecError('INVALID_ARGUMENT', `Octet at index ${j} is ${String(b)}; octets are 0 to 255`);
			}
			chunk[j - i] = table === null ? b : table[b];
		}
		out += String.fromCharCode.apply(null, chunk);
	}
	return out;
}

/** ISO-8859-1 octets; throws naming the first character above U+00FF. */
export function toLatin1(text: string): Uint8Array {
	assertString(text, 'text');
	const out = new Uint8Array(text.length);
	for (let i = 0; i < text.length; i++) {
		const code = text.charCodeAt(i);
		if (code > 0xff) throw new UnencodableCharacterError('NOT_LATIN', 'ISO-8859-1 (Latin-1)', text, i);
		out[i] = code;
	}
	return out;
}

export function fromLatin1(bytes: ArrayLike<number>): string {
	return bytesToString(bytes, null);
}

/** ISO-8859-15 octets (euro sign = 0xA4); throws naming the first unmappable character. */
export function toLatin9(text: string): Uint8Array {
	assertString(text, 'text');
	const out = new Uint8Array(text.length);
	for (let i = 0; i < text.length; i++) {
		const code = text.charCodeAt(i);
		const octet = code < LATIN9_ENCODE.length ? LATIN9_ENCODE[code] : -1;
		if (octet < 0) throw new UnencodableCharacterError('NOT_LATIN', 'ISO-8859-15 (Latin-9)', text, i);
		out[i] = octet;
	}
	return out;
}

export function fromLatin9(bytes: ArrayLike<number>): string {
	return bytesToString(bytes, LATIN9_DECODE);
}
