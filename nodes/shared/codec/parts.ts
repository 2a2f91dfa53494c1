/**
 * Complete binary parts for gateways that take user data (UDH + payload) rather than text.
 */
import { randomInt } from 'crypto';

import { SmsCodecError, assertIntegerInRange } from './errors';
import { encodeGsm7 } from './gsm7';
import { fillBitsForUdh, packSeptets } from './packing';
import { segmentMessage, type SegmentOptions, type SegmentResult, type SmsEncoding } from './segment';
import { MAX_PARTS } from './tables';
import { concatenationUdh, type ConcatRef } from './udh';
import { toUcs2Bytes } from './ucs2';

export interface BuildPartsOptions extends SegmentOptions {
	/**
	 * Concatenation reference shared by all parts (0-255, or 0-65535 with concatRef 16).
	 * Default: random, so two long messages to one handset do not get mixed up.
	 */
	reference?: number;
}

export interface BinaryPart {
	/** 1-based position of this part. */
	index: number;
	/** The text carried by this part. */
	text: string;
	encoding: SmsEncoding;
	/** TP-DCS for this part: 0x00 (GSM-7) or 0x08 (UCS-2). */
	dataCoding: number;
	/** Concatenation header with its UDHL octet; empty when the message is a single part. */
	udh: Uint8Array;
	/** GSM-7: septets packed after `fillBits` fill bits; UCS-2: big-endian UTF-16 bytes. */
	payload: Uint8Array;
	/** `udh` followed by `payload`: the complete TP-UD. */
	userData: Uint8Array;
	/** Fill bits at the start of a GSM-7 payload (1 after a 6-octet UDH, 0 after 7 or none). */
	fillBits: number;
	/** Unpacked GSM-7 septets (ESC pairs expanded), for gateways that want them; undefined for UCS-2. */
	septets?: Uint8Array;
	/** Units of text in this part (septets or UTF-16 units). */
	units: number;
	/** TP-UDL: in septets for GSM-7 (header and fill bits included), in octets for UCS-2. */
	userDataLength: number;
}

export interface BuiltMessage {
	segmentation: SegmentResult;
	reference: number;
	parts: BinaryPart[];
}

/**
 * Segments `text` and builds every part's UDH and payload. Throws when more than 255
 * parts would be needed, since such a message has no valid concatenation header.
 */
export function buildConcatenatedParts(text: string, options?: BuildPartsOptions): BuiltMessage {
	const segmentation = segmentMessage(text, options);
	if (segmentation.tooManyParts) {
		throw new SmsCodecError('TOO_MANY_PARTS', segmentation.error ?? `More than ${MAX_PARTS} parts`);
	}
	const concatRef: ConcatRef = segmentation.concatRef;
	const maxRef = concatRef === 16 ? 0xffff : 0xff;
	const reference = options?.reference ?? randomInt(0, maxRef + 1);
	assertIntegerInRange(reference, 'reference', 0, maxRef);

	const total = segmentation.partCount;
	const gsm = segmentation.encoding === 'GSM-7';
	const lenient = { lenientCCedilla: options?.lenientCCedilla === true };
	const parts: BinaryPart[] = segmentation.parts.map((partText, i) => {
		const udh = total > 1 ? concatenationUdh(reference, total, i + 1, concatRef) : new Uint8Array(0);
		const fillBits = gsm ? fillBitsForUdh(udh.length) : 0;
		const septets = gsm ? encodeGsm7(partText, lenient) : undefined;
		const payload = septets ? packSeptets(septets, fillBits) : toUcs2Bytes(partText);
		const userData = new Uint8Array(udh.length + payload.length);
		userData.set(udh, 0);
		userData.set(payload, udh.length);
		return {
			index: i + 1,
			text: partText,
			encoding: segmentation.encoding,
			dataCoding: gsm ? 0x00 : 0x08,
			udh,
			payload,
			userData,
			fillBits,
			septets,
			units: segmentation.partUnits[i],
			userDataLength: septets ? (udh.length * 8 + fillBits) / 7 + septets.length : userData.length,
		};
	});
	return { segmentation, reference, parts };
}
