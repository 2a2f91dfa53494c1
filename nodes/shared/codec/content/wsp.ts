/**
 * WSP (WAP-230) encodings used by connectionless push: the Push PDU and the integer,
 * length and string forms its headers (and the MMS headers) are built from.
 */
import { concatBytes, uintvar } from './bytes';

/** PDU type of an unconfirmed push. */
export const PDU_TYPE_PUSH = 0x06;
/** Well-known content types (WSP content type assignments). */
export const CONTENT_TYPE_WAP_SIC = 0x2e;
export const CONTENT_TYPE_MMS_MESSAGE = 0x3e;
/** Well-known header field X-Wap-Application-Id and the MMS user agent's application id. */
export const HEADER_X_WAP_APPLICATION_ID = 0x2f;
export const APPLICATION_ID_MMS_UA = 0x04;
/** IANA MIBenum of UTF-8. */
export const CHARSET_UTF8 = 106;
/** Quote octet put before a Text-string whose first octet is 128 or more. */
export const TEXT_QUOTE = 0x7f;
/** Length-quote: the Value-length that is followed by a uintvar. */
const LENGTH_QUOTE = 31;

/** Short-integer: one octet, bit 7 set, 0..127. */
export function shortInteger(value: number): number[] {
	if (!Number.isInteger(value) || value < 0 || value > 0x7f) {
		throw new RangeError(`Short-integer holds 0 to 127, got ${value}`);
	}
	return [0x80 | value];
}

/** Long-integer: Short-length, then the value big-endian in the fewest octets (at least one). */
export function longInteger(value: number): number[] {
	if (!Number.isSafeInteger(value) || value < 0) {
		throw new RangeError(`Long-integer holds a non-negative safe integer, got ${value}`);
	}
	const octets = [value % 0x100];
	let rest = Math.floor(value / 0x100);
	while (rest > 0) {
		octets.unshift(rest % 0x100);
		rest = Math.floor(rest / 0x100);
	}
	return [octets.length, ...octets];
}

/** Integer-value: a Short-integer when it fits, else a Long-integer. */
export function integerValue(value: number): number[] {
	return value <= 0x7f ? shortInteger(value) : longInteger(value);
}

/** Value-length: one octet for 0..30, else Length-quote and a uintvar. */
export function valueLength(length: number): number[] {
	return length < LENGTH_QUOTE ? [length] : [LENGTH_QUOTE, ...uintvar(length)];
}

/** Value-length followed by the value. */
export function withValueLength(value: ArrayLike<number>): Uint8Array {
	return concatBytes([valueLength(value.length), value]);
}

/**
 * Text-string: the octets and a terminating NUL, with the Quote in front when (and only when)
 * the first octet is 128 or more, so it cannot be read as a Short-integer.
 */
export function textString(octets: Uint8Array): Uint8Array {
	const quote = octets.length > 0 && octets[0] >= 0x80 ? [TEXT_QUOTE] : [];
	return concatBytes([quote, octets, [0x00]]);
}

export interface PushPdu {
	transactionId: number;
	/** The encoded Content-Type value (e.g. one well-known Short-integer). */
	contentType: ArrayLike<number>;
	/** Encoded headers after the Content-Type. */
	headers?: ArrayLike<number>;
	body: Uint8Array;
}

/** TID, PDU type, HeadersLen (uintvar over Content-Type + headers), Content-Type, headers, body. */
export function pushPdu(pdu: PushPdu): Uint8Array {
	const headers = concatBytes([pdu.contentType, pdu.headers ?? []]);
	return concatBytes([[pdu.transactionId & 0xff, PDU_TYPE_PUSH], uintvar(headers.length), headers, pdu.body]);
}
