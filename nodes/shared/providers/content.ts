/**
 * Turns a request's message fields into a content plan: text with its encoding and parts
 * (from the codec), or caller-made binary octets. All message checks live here, so a bad
 * message is refused before any request is built.
 */
import { findFirstNonGsm7, findLoneSurrogate, segmentMessage, type SegmentResult } from '../codec';
import { GatewayValidationError } from './errors';
import type { BinaryContent, RequestEncoding, SendRequest } from './types';

export interface TextPlan {
	kind: 'text';
	encoding: 'gsm7' | 'ucs2';
	/** The text to send (after smart-encoding replacements). */
	text: string;
	parts: number;
	segmentation: SegmentResult;
}

export interface BinaryPlan {
	kind: 'binary';
	encoding: 'binary';
	payload: Uint8Array;
	/** The UDH with its length octet; empty when none was given. */
	udh: Uint8Array;
	parts: 1;
}

export type ContentPlan = TextPlan | BinaryPlan;

/** Octets of user data in one SMS (TP-UD). */
export const SMS_OCTETS = 140;

const HEX = /^(?:[0-9a-fA-F]{2})*$/;

function parseHex(value: unknown, field: string): Uint8Array {
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

function planBinary(binary: BinaryContent | undefined): BinaryPlan {
	if (!binary || typeof binary !== 'object' || binary.hex === undefined) {
		throw new GatewayValidationError('binary.hex', 'Binary encoding needs a hex payload (binary.hex)');
	}
	const payload = parseHex(binary.hex, 'binary.hex');
	const udh = binary.udh === undefined || binary.udh === '' ? new Uint8Array(0) : parseHex(binary.udh, 'binary.udh');
	if (udh.length > 0 && udh[0] !== udh.length - 1) {
		throw new GatewayValidationError(
			'binary.udh',
			`binary.udh must start with its length octet (UDHL): the header has ${udh.length - 1} octets after the first, but the first octet says ${udh[0]}`,
		);
	}
	if (payload.length === 0 && udh.length === 0) {
		throw new GatewayValidationError('binary.hex', 'The binary payload is empty');
	}
	if (udh.length >= SMS_OCTETS) {
		throw new GatewayValidationError('binary.udh', `The UDH has ${udh.length} octets; with the payload it must fit one SMS of ${SMS_OCTETS} octets`);
	}
	if (udh.length + payload.length > SMS_OCTETS) {
		throw new GatewayValidationError(
			'binary.hex',
			`UDH (${udh.length} octets) plus payload (${payload.length} octets) is ${udh.length + payload.length} octets; a binary SMS holds at most ${SMS_OCTETS}`,
		);
	}
	return { kind: 'binary', encoding: 'binary', payload, udh, parts: 1 };
}

function checkParts(parts: number, maxParts: number | undefined, segmentation: SegmentResult): void {
	if (segmentation.tooManyParts) {
		throw new GatewayValidationError('message', segmentation.error ?? `The message needs ${parts} parts; at most 255 are possible`);
	}
	if (maxParts !== undefined && parts > maxParts) {
		throw new GatewayValidationError(
			'maxParts',
			`The message needs ${parts} parts (${segmentation.units} ${segmentation.encoding === 'GSM-7' ? 'GSM-7 septets' : 'UCS-2 units'}) but maxParts is ${maxParts}; shorten it or raise maxParts`,
		);
	}
}

export interface PlanOptions {
	maxParts?: number;
	/** Provider hook: characters this gateway cannot take as 7-bit text force UCS-2 (or fail when GSM-7 was forced). */
	sevenBitCheck?: (text: string) => number;
	sevenBitName?: string;
}

/** Builds the content plan of a request, or throws a GatewayValidationError. */
export function planContent(request: SendRequest, options: PlanOptions = {}): ContentPlan {
	const requested: RequestEncoding = request.encoding ?? 'auto';
	if (!['auto', 'gsm7', 'ucs2', 'binary'].includes(requested)) {
		throw new GatewayValidationError('encoding', `Unknown encoding ${JSON.stringify(requested)}; use 'auto', 'gsm7', 'ucs2' or 'binary'`);
	}
	const hasMessage = request.message !== undefined && request.message !== null && request.message !== '';
	if (requested === 'binary' || (request.binary !== undefined && !hasMessage)) {
		if (requested !== 'binary' && requested !== 'auto') {
			throw new GatewayValidationError('encoding', `A binary payload needs encoding 'binary', not '${requested}'`);
		}
		if (hasMessage) {
			throw new GatewayValidationError('message', 'Give either a text message or a binary payload, not both');
		}
		return planBinary(request.binary);
	}
	if (request.binary !== undefined) {
		throw new GatewayValidationError('binary', 'Give either a text message or a binary payload, not both');
	}
	const message = request.message;
	if (typeof message !== 'string') {
		throw new GatewayValidationError('message', message === undefined || message === null || message === '' ? 'The message is empty' : 'The message must be text');
	}
	if (message.trim() === '') {
		throw new GatewayValidationError('message', 'The message is empty or only whitespace');
	}
	const lone = findLoneSurrogate(message);
	if (lone >= 0) {
		throw new GatewayValidationError(
			'message',
			`The message has a lone UTF-16 surrogate (U+${message.charCodeAt(lone).toString(16).toUpperCase()}) at index ${lone}: it is not valid Unicode and cannot be sent`,
		);
	}
	const smartEncoding = request.smartEncoding === true;
	let segmentation = segmentMessage(message, {
		encoding: requested === 'ucs2' ? 'UCS-2' : 'auto',
		smartEncoding,
	});
	if (requested === 'gsm7' && segmentation.encoding !== 'GSM-7') {
		const index = findFirstNonGsm7(segmentation.text);
		throw new GatewayValidationError('message', `Character ${describe(segmentation.text, index)} at index ${index} is not in the GSM 03.38 alphabet; use encoding 'auto' or 'ucs2'`);
	}
	if (segmentation.encoding === 'GSM-7' && options.sevenBitCheck) {
		const bad = options.sevenBitCheck(segmentation.text);
		if (bad >= 0) {
			if (requested === 'gsm7') {
				throw new GatewayValidationError(
					'message',
					`Character ${describe(segmentation.text, bad)} at index ${bad} cannot be sent as ${options.sevenBitName ?? '7-bit'} text on this gateway; use encoding 'auto' or 'ucs2'`,
				);
			}
			segmentation = segmentMessage(segmentation.text, { encoding: 'UCS-2' });
		}
	}
	const parts = segmentation.partCount;
	checkParts(parts, options.maxParts, segmentation);
	return {
		kind: 'text',
		encoding: segmentation.encoding === 'GSM-7' ? 'gsm7' : 'ucs2',
		text: segmentation.text,
		parts,
		segmentation,
	};
}

function describe(text: string, index: number): string {
	const code = text.codePointAt(index) ?? 0;
	return `"${String.fromCodePoint(code)}" (U+${code.toString(16).toUpperCase().padStart(4, '0')})`;
}
