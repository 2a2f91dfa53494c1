/**
 * Content messages (WAP Push SI, MMS notification, vCard, caller-made binary parts) as the
 * octets that go out: one 8-bit SMS per part, each a UDH (with its length octet) and a
 * payload. The codec builds the parts; this module checks the caller's fields first (so an
 * error names the field) and every part after (so no gateway ever gets a malformed header or
 * more than 140 octets), whoever made it.
 */
import { bytesToHex, type ContentPart } from '../codec';
import { encodeContent } from './contentEncoders';
import { GatewayValidationError } from './errors';
import type { SendContent, SendContentType } from './types';

/** Octets of user data in one SMS (TP-UD, 3GPP TS 23.040). */
export const SMS_OCTETS = 140;
/** The concatenation element counts parts in one octet. */
export const MAX_CONTENT_PARTS = 255;

export const CONTENT_TYPES: readonly SendContentType[] = ['wapPushSi', 'mmsNotification', 'vcard', 'binary'];

/** One SMS of a binary message, as octets. */
export interface BinarySegment {
	/** The UDH with its length octet; empty when the part has none. */
	udh: Uint8Array;
	payload: Uint8Array;
}

const HEX = /^(?:[0-9a-fA-F]{2})*$/;

/** Hex to octets, or a validation error naming the field and the first bad character. */
export function parseHexField(value: unknown, field: string): Uint8Array {
	if (typeof value !== 'string') throw new GatewayValidationError(field, `${field} must be a hex string`);
	const hex = value.trim();
	if (!HEX.test(hex)) {
		const bad = [...hex].findIndex((c) => !/[0-9a-fA-F]/.test(c));
		const detail = bad >= 0 ? `character ${JSON.stringify(hex[bad])} at index ${bad} is not a hex digit` : `it has an odd number of digits (${hex.length})`;
		throw new GatewayValidationError(field, `${field} is not hex: ${detail}; give two hex digits (0-9, A-F) per octet`);
	}
	const out = new Uint8Array(hex.length / 2);
	for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
	return out;
}

/** The information elements of a UDH (length octet first), or a reason it is malformed. */
export function readUdhElements(udh: Uint8Array): { elements: Array<{ iei: number; data: Uint8Array }> } | { error: string } {
	if (udh.length === 0) return { elements: [] };
	if (udh[0] !== udh.length - 1) {
		return { error: `the UDH must start with its length octet (UDHL): ${udh.length - 1} octets follow the first, but the first octet says ${udh[0]}` };
	}
	const elements: Array<{ iei: number; data: Uint8Array }> = [];
	let i = 1;
	while (i < udh.length) {
		if (i + 1 >= udh.length) return { error: `the information element at octet ${i} has no length octet` };
		const length = udh[i + 1];
		if (i + 2 + length > udh.length) {
			return { error: `the information element 0x${udh[i].toString(16).padStart(2, '0').toUpperCase()} at octet ${i} says ${length} data octets but only ${udh.length - i - 2} remain` };
		}
		elements.push({ iei: udh[i], data: udh.subarray(i + 2, i + 2 + length) });
		i += 2 + length;
	}
	return { elements };
}

interface Concatenation {
	reference: number;
	total: number;
	sequence: number;
}

/** The concatenation element of a part (the last one wins, as 23.040 says for repeats). */
function concatenationOf(elements: Array<{ iei: number; data: Uint8Array }>): Concatenation | undefined {
	let found: Concatenation | undefined;
	for (const { iei, data } of elements) {
		if (iei === 0x00 && data.length === 3) found = { reference: data[0], total: data[1], sequence: data[2] };
		if (iei === 0x08 && data.length === 4) found = { reference: (data[0] << 8) | data[1], total: data[2], sequence: data[3] };
	}
	return found;
}

/**
 * Checks parts as every gateway needs them: hex, a UDH whose length octet and elements add
 * up, at most 140 octets each, and for several parts one concatenation element per part
 * with the same reference, the right total and sequence numbers 1..n in order.
 */
export function checkSegments(parts: ReadonlyArray<{ udh: Uint8Array; payload: Uint8Array }>, field: string): BinarySegment[] {
	if (parts.length === 0) throw new GatewayValidationError(field, `${field} has no parts; give at least one`);
	if (parts.length > MAX_CONTENT_PARTS) {
		throw new GatewayValidationError(field, `${field} has ${parts.length} parts; a concatenated SMS has at most ${MAX_CONTENT_PARTS}`);
	}
	let first: Concatenation | undefined;
	return parts.map(({ udh, payload }, k) => {
		const where = parts.length > 1 ? `${field}[${k}]` : field;
		const read = readUdhElements(udh);
		if ('error' in read) throw new GatewayValidationError(`${where}.udh`, `${where}.udh is malformed: ${read.error}`);
		if (payload.length === 0 && udh.length === 0) throw new GatewayValidationError(`${where}.payload`, `${where} is empty`);
		if (udh.length + payload.length > SMS_OCTETS) {
			throw new GatewayValidationError(
				`${where}.payload`,
				`${where}: UDH (${udh.length} octets) plus payload (${payload.length} octets) is ${udh.length + payload.length} octets; one SMS holds at most ${SMS_OCTETS}`,
			);
		}
		if (parts.length > 1) {
			const concat = concatenationOf(read.elements);
			if (!concat) {
				throw new GatewayValidationError(`${where}.udh`, `${where}.udh has no concatenation element (IEI 00 or 08), which every part of a message of ${parts.length} parts needs`);
			}
			first ??= concat;
			if (concat.reference !== first.reference || concat.total !== parts.length || concat.sequence !== k + 1) {
				throw new GatewayValidationError(
					`${where}.udh`,
					`${where}.udh says part ${concat.sequence} of ${concat.total} (reference ${concat.reference}); expected part ${k + 1} of ${parts.length} with reference ${first.reference}`,
				);
			}
		}
		return { udh, payload };
	});
}

/** Caller-made parts (hex strings) as checked segments. */
export function parseContentParts(parts: unknown, field: string): BinarySegment[] {
	if (!Array.isArray(parts)) throw new GatewayValidationError(field, `${field} must be a list of parts, each { udh, payload } in hex`);
	const bytes = parts.map((part: unknown, k) => {
		const where = parts.length > 1 ? `${field}[${k}]` : field;
		if (part === null || typeof part !== 'object') throw new GatewayValidationError(where, `${where} must be an object { udh, payload } in hex`);
		const { udh, payload } = part as Partial<ContentPart>;
		return {
			udh: udh === undefined || udh === '' ? new Uint8Array(0) : parseHexField(udh, `${where}.udh`),
			payload: parseHexField(payload ?? '', `${where}.payload`),
		};
	});
	return checkSegments(bytes, field);
}

/** The parts of a content message as checked segments. Throws GatewayValidationError. */
export function contentSegments(content: SendContent): BinarySegment[] {
	if (content === null || typeof content !== 'object') {
		throw new GatewayValidationError('content', `content must be an object with a type (${CONTENT_TYPES.join(', ')})`);
	}
	if (!CONTENT_TYPES.includes(content.type)) {
		throw new GatewayValidationError('content.type', `Unknown content type ${JSON.stringify((content as { type?: unknown }).type)}; use one of ${CONTENT_TYPES.join(', ')}`);
	}
	if (content.type === 'binary') return parseContentParts(content.parts, 'content.parts');
	return parseContentParts(encodeContent(content), 'content');
}

/** Segments back to the hex parts callers see (Analyze, tests). */
export function segmentsToParts(segments: BinarySegment[]): ContentPart[] {
	return segments.map((s) => ({ udh: bytesToHex(s.udh), payload: bytesToHex(s.payload) }));
}

/** The checked parts of a content message as hex, without sending (the node's Analyze). */
export function contentMessageParts(content: SendContent): ContentPart[] {
	return segmentsToParts(contentSegments(content));
}
