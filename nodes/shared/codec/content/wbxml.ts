/**
 * WBXML (WAP-192) pieces: document header, global tokens, inline strings and the OPAQUE
 * date form WAP-167 uses for SI dates.
 */
import { concatBytes, uintvar } from './bytes';

/** Version octet: major - 1 in the high nibble, minor in the low one. 0x02 = WBXML 1.2. */
export const WBXML_VERSION_1_2 = 0x02;

export const WBXML_END = 0x01;
export const WBXML_STR_I = 0x03;
export const WBXML_OPAQUE = 0xc3;
/** Tag flags: content follows / attributes follow. */
export const TAG_HAS_CONTENT = 0x40;
export const TAG_HAS_ATTRIBUTES = 0x80;

/** version, public id, charset, empty string table. */
export function wbxmlHeader(publicId: number, charset: number): number[] {
	return [WBXML_VERSION_1_2, ...uintvar(publicId), ...uintvar(charset), ...uintvar(0)];
}

/** STR_I: the string's octets in the document charset, NUL-terminated. */
export function inlineString(octets: Uint8Array): Uint8Array {
	return concatBytes([[WBXML_STR_I], octets, [0x00]]);
}

export function opaque(octets: ArrayLike<number>): Uint8Array {
	return concatBytes([[WBXML_OPAQUE], uintvar(octets.length), octets]);
}

/**
 * A date-time as OPAQUE: the 14 digits YYYYMMDDhhmmss packed two per octet (BCD, first digit
 * high), trailing 0x00 octets dropped.
 */
export function opaqueDate(digits: string): Uint8Array {
	if (!/^\d{14}$/u.test(digits)) throw new RangeError(`A WBXML date needs 14 digits, got ${digits}`);
	const octets: number[] = [];
	for (let i = 0; i < 14; i += 2) {
		octets.push((Number(digits[i]) << 4) | Number(digits[i + 1]));
	}
	while (octets.length > 0 && octets[octets.length - 1] === 0) octets.pop();
	return opaque(octets);
}
