/**
 * Concatenation user data headers (3GPP TS 23.040 9.2.3.24.1 and 9.2.3.24.8).
 */
import { assertIntegerInRange, invalidArgument } from './errors';
import { MAX_PARTS } from './tables';

export type ConcatRef = 8 | 16;

export function assertConcatRef(value: unknown): asserts value is ConcatRef {
	if (value !== 8 && value !== 16) {
		throw invalidArgument(`concatRef must be 8 or 16, got ${String(value)}`);
	}
}

/** Octets of the concatenation UDH including the UDHL octet: 6 (8-bit ref) or 7 (16-bit ref). */
export function udhLength(concatRef: ConcatRef): number {
	return concatRef === 16 ? 7 : 6;
}

/**
 * The UDH for part `index` (1-based) of `total`, UDHL octet included:
 * 8-bit reference  -> 05 00 03 ref total index
 * 16-bit reference -> 06 08 04 refHi refLo total index
 */
export function concatenationUdh(reference: number, total: number, index: number, concatRef: ConcatRef = 8): Uint8Array {
	assertConcatRef(concatRef);
	assertIntegerInRange(reference, 'reference', 0, concatRef === 16 ? 0xffff : 0xff);
	assertIntegerInRange(total, 'total', 1, MAX_PARTS);
	assertIntegerInRange(index, 'index', 1, total);
	if (concatRef === 16) {
		return Uint8Array.of(0x06, 0x08, 0x04, reference >> 8, reference & 0xff, total, index);
	}
	return Uint8Array.of(0x05, 0x00, 0x03, reference, total, index);
}

export interface ConcatenationInfo {
	reference: number;
	total: number;
	index: number;
	concatRef: ConcatRef;
}

/**
 * Finds the concatenation element in a UDH (UDHL octet included), e.g. to reassemble
 * inbound multipart messages. Returns undefined when there is none or the header is
 * malformed; other information elements are skipped.
 */
export function parseConcatenationUdh(udh: ArrayLike<number>): ConcatenationInfo | undefined {
	if (udh.length < 1) return undefined;
	const end = 1 + udh[0];
	if (end > udh.length) return undefined;
	let i = 1;
	while (i + 1 < end) {
		const iei = udh[i];
		const len = udh[i + 1];
		const data = i + 2;
		if (data + len > end) return undefined;
		if (iei === 0x00 && len === 3) {
			const info = { reference: udh[data], total: udh[data + 1], index: udh[data + 2], concatRef: 8 as const };
			return info.total >= 1 && info.index >= 1 && info.index <= info.total ? info : undefined;
		}
		if (iei === 0x08 && len === 4) {
			const info = {
				reference: (udh[data] << 8) | udh[data + 1],
				total: udh[data + 2],
				index: udh[data + 3],
				concatRef: 16 as const,
			};
			return info.total >= 1 && info.index >= 1 && info.index <= info.total ? info : undefined;
		}
		i = data + len;
	}
	return undefined;
}
