/**
 * Cuts a port-addressed datagram (a WSP push, a vCard) into binary SMS parts
 * (3GPP TS 23.040 9.2.3.24): every part carries the same port element; when there is more
 * than one part, a concatenation element follows it.
 */
import { bytesToHex } from '../hex';
import { MAX_PARTS } from '../tables';
import { assertConcatRef, concatenationUdh, type ConcatRef } from '../udh';
import { assertIntegerInRange } from '../errors';
import { concatBytes, fingerprint } from './bytes';
import { fieldError, type ContentKind } from './fields';
import { portAddressingElement, type PortPair } from './ports';

/** One binary SMS: hex of the UDH (its UDHL octet included) and hex of the payload. */
export interface ContentPart {
	udh: string;
	payload: string;
}

export interface ContentMessage {
	parts: ContentPart[];
}

export interface ContentEncodeOptions {
	/**
	 * Concatenation reference shared by the parts of a long message (0-255, or 0-65535 with
	 * concatRef 16). Default: derived from the content, so the same message always gets the
	 * same parts (reproducible, and a resent message reassembles with its earlier parts).
	 */
	reference?: number;
	/** Width of the concatenation reference: 8 (default) or 16 bits. */
	concatRef?: ConcatRef;
}

/** TP-UD limit for 8-bit data: UDHL + UDH + payload. */
export const MAX_USER_DATA_OCTETS = 140;
const PORT_ELEMENT_OCTETS = 6;

/** Payload octets of a single, unconcatenated part (UDH 06 05 04 dd dd ss ss). */
export const SINGLE_PART_PAYLOAD_OCTETS = MAX_USER_DATA_OCTETS - 1 - PORT_ELEMENT_OCTETS;

/** Payload octets per part of a concatenated message: 128 (8-bit reference) or 127 (16-bit). */
export function concatenatedPayloadOctets(concatRef: ConcatRef): number {
	const concatElement = concatRef === 16 ? 6 : 5;
	return MAX_USER_DATA_OCTETS - 1 - PORT_ELEMENT_OCTETS - concatElement;
}

/** The largest datagram that fits in 255 parts. */
export function maxDatagramOctets(concatRef: ConcatRef = 8): number {
	return MAX_PARTS * concatenatedPayloadOctets(concatRef);
}

/** Checks the options even when the message turns out to fit one part, so a bad value is never hidden. */
/**
 * Throws TOO_MANY_PARTS when the datagram needs more than 255 parts, naming the largest of
 * the caller's variable-length fields (octets per field), since that is the one to shorten.
 */
export function assertDatagramFits(kind: ContentKind, datagram: Uint8Array, concatRef: ConcatRef, fieldOctets: Record<string, number>): void {
	const limit = maxDatagramOctets(concatRef);
	if (datagram.length <= limit) return;
	const [largest, octets] = Object.entries(fieldOctets).reduce((a, b) => (b[1] > a[1] ? b : a));
	throw fieldError(
		kind,
		largest,
		`is too long (${octets} octets): the message needs ${datagram.length} octets, but ${MAX_PARTS} SMS parts carry at most ${limit}; shorten ${largest}`,
		'TOO_MANY_PARTS',
	);
}

export function resolveOptions(options: ContentEncodeOptions | undefined): { concatRef: ConcatRef; reference?: number } {
	const concatRef = options?.concatRef ?? 8;
	assertConcatRef(concatRef);
	const reference = options?.reference;
	if (reference !== undefined) assertIntegerInRange(reference, 'reference', 0, concatRef === 16 ? 0xffff : 0xff);
	return { concatRef, reference };
}

function defaultReference(datagram: Uint8Array, concatRef: ConcatRef): number {
	const hash = fingerprint(datagram);
	const folded = (hash ^ (hash >>> 16)) & 0xffff;
	return concatRef === 16 ? folded : (folded ^ (folded >>> 8)) & 0xff;
}

function part(udh: Uint8Array, payload: Uint8Array): ContentPart {
	return { udh: bytesToHex(udh), payload: bytesToHex(payload) };
}

/**
 * Splits `datagram` by octet count (a boundary may fall inside a string or header: the
 * receiver parses only the reassembled datagram). Callers check the size against
 * maxDatagramOctets first, so they can name the field that made it too long.
 */
export function segmentDatagram(datagram: Uint8Array, ports: PortPair, options?: ContentEncodeOptions): ContentMessage {
	const { concatRef, reference: chosenReference } = resolveOptions(options);
	const portElement = portAddressingElement(ports);
	if (datagram.length <= SINGLE_PART_PAYLOAD_OCTETS) {
		return { parts: [part(concatBytes([[portElement.length], portElement]), datagram)] };
	}
	const perPart = concatenatedPayloadOctets(concatRef);
	const total = Math.ceil(datagram.length / perPart);
	if (total > MAX_PARTS) {
		throw new RangeError(`A datagram of ${datagram.length} octets needs ${total} parts; at most ${MAX_PARTS} are possible`);
	}
	const reference = chosenReference ?? defaultReference(datagram, concatRef);
	const parts: ContentPart[] = [];
	for (let index = 1; index <= total; index++) {
		// concatenationUdh gives UDHL + element; keep only the element and put it after the ports.
		const concatElement = concatenationUdh(reference, total, index, concatRef).subarray(1);
		const udhLength = portElement.length + concatElement.length;
		const udh = concatBytes([[udhLength], portElement, concatElement]);
		parts.push(part(udh, datagram.subarray((index - 1) * perPart, index * perPart)));
	}
	return { parts };
}
