/** Hex helpers for gateways that take binary user data as hex strings. */
import { SmsCodecError, assertString } from './errors';

const HEX_DIGITS = '0123456789ABCDEF';

/** Uppercase hex, two digits per octet. */
export function bytesToHex(bytes: ArrayLike<number>): string {
	let out = '';
	for (let i = 0; i < bytes.length; i++) {
		const b = bytes[i];
		out += HEX_DIGITS[(b >> 4) & 0xf] + HEX_DIGITS[b & 0xf];
	}
	return out;
}

function hexValue(code: number): number {
	if (code >= 0x30 && code <= 0x39) return code - 0x30;
	const lower = code | 0x20;
	if (lower >= 0x61 && lower <= 0x66) return lower - 0x61 + 10;
	return -1;
}

/** Parses hex (either case, no separators). Rejects odd lengths and non-hex characters. */
export function hexToBytes(hex: string): Uint8Array {
	assertString(hex, 'hex');
	if (hex.length % 2 !== 0) {
		throw new SmsCodecError('INVALID_HEX', `Hex string has odd length ${hex.length}; it needs two digits per octet`);
	}
	const out = new Uint8Array(hex.length / 2);
	for (let i = 0; i < hex.length; i += 2) {
		const hi = hexValue(hex.charCodeAt(i));
		const lo = hexValue(hex.charCodeAt(i + 1));
		if (hi < 0 || lo < 0) {
			const bad = hi < 0 ? i : i + 1;
			throw new SmsCodecError('INVALID_HEX', `Invalid hex digit ${JSON.stringify(hex[bad])} at index ${bad}`);
		}
		out[i / 2] = (hi << 4) | lo;
	}
	return out;
}
