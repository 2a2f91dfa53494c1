/**
 * Errors thrown by the codec. They are plain `Error` subclasses (the codec knows
 * nothing about n8n); the nodes wrap them in NodeOperationError with the item index.
 * Each carries a machine-readable `code` so callers can branch without parsing text.
 */
export type SmsCodecErrorCode =
	| 'INVALID_ARGUMENT'
	| 'NOT_GSM7'
	| 'NOT_LATIN'
	| 'INVALID_HEX'
	| 'INVALID_SEPTETS'
	| 'TOO_MANY_PARTS';

export class SmsCodecError extends Error {
	readonly code: SmsCodecErrorCode;

	constructor(code: SmsCodecErrorCode, message: string) {
		super(message);
		this.name = 'SmsCodecError';
		this.code = code;
	}
}

/** Describes one character for an error message: the glyph (if printable) and its code point. */
export function describeChar(text: string, index: number): { char: string; codePoint: number; label: string } {
	const codePoint = text.codePointAt(index) ?? 0;
	const char = String.fromCodePoint(codePoint);
	const hex = codePoint.toString(16).toUpperCase().padStart(4, '0');
	// Control characters and lone surrogates print badly, so show only the code point for them.
	const printable = codePoint >= 0x20 && codePoint !== 0x7f && !(codePoint >= 0x80 && codePoint < 0xa0) && !(codePoint >= 0xd800 && codePoint <= 0xdfff);
	const label = printable ? `"${char}" (U+${hex})` : `U+${hex}`;
	return { char, codePoint, label };
}

/** The first character that an encoding cannot represent, with its UTF-16 index in the input. */
export class UnencodableCharacterError extends SmsCodecError {
	readonly char: string;
	readonly codePoint: number;
	readonly index: number;
	readonly encoding: string;

	constructor(code: 'NOT_GSM7' | 'NOT_LATIN', encoding: string, text: string, index: number, hint = '') {
		const d = describeChar(text, index);
		super(code, `Character ${d.label} at index ${index} cannot be encoded in ${encoding}${hint}`);
		this.name = 'UnencodableCharacterError';
		this.char = d.char;
		this.codePoint = d.codePoint;
		this.index = index;
		this.encoding = encoding;
	}
}

/**
 * A field of a content message (WAP push, MMS notification, vCard) that cannot be encoded.
 * `field` is the input's property name, so callers can point the user at it.
 */
export class ContentFieldError extends SmsCodecError {
	readonly field: string;

	constructor(field: string, message: string, code: SmsCodecErrorCode = 'INVALID_ARGUMENT') {
		super(code, message);
		this.name = 'ContentFieldError';
		this.field = field;
	}
}

export function invalidArgument(message: string): SmsCodecError {
	return new SmsCodecError('INVALID_ARGUMENT', message);
}

export function assertString(value: unknown, name: string): asserts value is string {
	if (typeof value !== 'string') {
		throw invalidArgument(`${name} must be a string, got ${value === null ? 'null' : typeof value}`);
	}
}

export function assertIntegerInRange(value: unknown, name: string, min: number, max: number): asserts value is number {
	if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
		throw invalidArgument(`${name} must be an integer from ${min} to ${max}, got ${String(value)}`);
	}
}
