/**
 * Turns a request's message fields into a content plan: text with its encoding and parts
 * (from the codec), or binary SMS: caller-made octets or a content message (WAP Push SI,
 * MMS notification, vCard) as parts. All message checks live here, so a bad message is
 * refused before any request is built.
 */
import { findFirstNonGsm7, findLoneSurrogate, segmentMessage, type SegmentResult } from '../codec';
import { checkSegments, contentSegments, parseHexField, SMS_OCTETS, type BinarySegment } from './contentMessage';
import { GatewayValidationError } from './errors';
import type { BinaryContent, SendContent, RequestEncoding, SendRequest } from './types';

export { SMS_OCTETS } from './contentMessage';

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
	/** One 8-bit SMS each, in order; several carry a concatenation element each. */
	segments: BinarySegment[];
	parts: number;
	/** The content message the segments encode (absent for `binary`): gateways with native parameters read it. */
	content?: SendContent;
}

export type ContentPlan = TextPlan | BinaryPlan;

/** The one SMS of a binary plan, for gateways sent one part per request (contentParts.ts splits longer ones first). */
export function singleSegment(plan: BinaryPlan): BinarySegment {
	if (plan.segments.length !== 1) {
		throw new GatewayValidationError('content', `Internal: a message of ${plan.segments.length} binary parts reached a single-part path`);
	}
	return plan.segments[0];
}

function planBinary(binary: BinaryContent | undefined): BinaryPlan {
	if (!binary || typeof binary !== 'object' || binary.hex === undefined) {
		throw new GatewayValidationError('binary.hex', 'Binary encoding needs a hex payload (binary.hex)');
	}
	const payload = parseHexField(binary.hex, 'binary.hex');
	const udh = binary.udh === undefined || binary.udh === '' ? new Uint8Array(0) : parseHexField(binary.udh, 'binary.udh');
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
	return { kind: 'binary', encoding: 'binary', segments: checkSegments([{ udh, payload }], 'binary'), parts: 1 };
}

/** A content message as binary parts; `maxParts` bounds them as it bounds a text. */
function planContentMessage(request: SendRequest, maxParts: number | undefined): BinaryPlan {
	const requested = request.encoding ?? 'auto';
	if (requested !== 'auto' && requested !== 'binary') {
		throw new GatewayValidationError('encoding', `A content message is sent as 8-bit binary; leave encoding 'auto' (or 'binary'), not '${requested}'`);
	}
	const hasMessage = request.message !== undefined && request.message !== null && request.message !== '';
	if (hasMessage || request.binary !== undefined) {
		throw new GatewayValidationError('content', `Give one of message, binary or content, not ${hasMessage ? 'message' : 'binary'} and content`);
	}
	const content = request.content as SendContent;
	const segments = contentSegments(content);
	if (maxParts !== undefined && segments.length > maxParts) {
		throw new GatewayValidationError('maxParts', `The ${content.type} message needs ${segments.length} parts but maxParts is ${maxParts}; shorten it or raise maxParts`);
	}
	return { kind: 'binary', encoding: 'binary', segments, parts: segments.length, content };
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
	if (request.content !== undefined && request.content !== null) return planContentMessage(request, options.maxParts);
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
