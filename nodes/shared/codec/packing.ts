/**
 * Septet packing (3GPP TS 23.038 6.1.2.1.1): septets are laid end to end, least
 * significant bit first. With a user data header the first septet starts on a septet
 * boundary counted from the start of the user data, so `fillBits` zero bits come first
 * (1 after a 6-octet UDH, 0 after a 7-octet one).
 */
import { SmsCodecError, assertIntegerInRange } from './errors';

/** Fill bits needed after a user data header of `udhOctets` octets (UDHL included). */
export function fillBitsForUdh(udhOctets: number): number {
	assertIntegerInRange(udhOctets, 'udhOctets', 0, 140);
	return (7 - ((udhOctets * 8) % 7)) % 7;
}

/** Packs septets (values 0-127) into octets, after `fillBits` (0-6) leading zero bits. */
export function packSeptets(septets: ArrayLike<number>, fillBits = 0): Uint8Array {
	assertIntegerInRange(fillBits, 'fillBits', 0, 6);
	const n = septets.length;
	const out = new Uint8Array(Math.ceil((fillBits + 7 * n) / 8));
	let bit = fillBits;
	for (let i = 0; i < n; i++, bit += 7) {
		const s = septets[i];
		if (!Number.isInteger(s) || s < 0 || s > 0x7f) {
			throw new SmsCodecError('INVALID_SEPTETS', `Septet at index ${i} is ${String(s)}; septets are 0 to 127`);
		}
		const byte = bit >> 3;
		const shift = bit & 7;
		out[byte] |= (s << shift) & 0xff;
		if (shift > 1) out[byte + 1] |= s >> (8 - shift);
	}
	return out;
}

/** Reads `count` septets from packed octets that start with `fillBits` (0-6) fill bits. */
export function unpackSeptets(bytes: ArrayLike<number>, count: number, fillBits = 0): Uint8Array {
	assertIntegerInRange(fillBits, 'fillBits', 0, 6);
	assertIntegerInRange(count, 'count', 0, Number.MAX_SAFE_INTEGER);
	const needed = Math.ceil((fillBits + 7 * count) / 8);
	if (bytes.length < needed) {
		throw new SmsCodecError(
			'INVALID_SEPTETS',
			`${count} septets after ${fillBits} fill bits need ${needed} octets, got ${bytes.length}`,
		);
	}
	const out = new Uint8Array(count);
	let bit = fillBits;
	for (let i = 0; i < count; i++, bit += 7) {
		const byte = bit >> 3;
		const shift = bit & 7;
		let v = bytes[byte] >> shift;
		if (shift > 1) v |= bytes[byte + 1] << (8 - shift);
		out[i] = v & 0x7f;
	}
	return out;
}
