/**
 * Input checks shared by the content-message encoders. Every failure is a ContentFieldError
 * whose message starts with the message kind and names the field and what is allowed.
 */
import { ContentFieldError, describeChar, type SmsCodecErrorCode } from '../errors';
import { findLoneSurrogate } from '../ucs2';

export type ContentKind = 'WAP push SI' | 'MMS notification' | 'vCard';

const SHOWN_VALUE_LENGTH = 40;

/** A short, printable rendering of a rejected value for error messages. */
export function describeValue(value: unknown): string {
	if (typeof value === 'string') {
		const shown = value.length > SHOWN_VALUE_LENGTH ? `${value.slice(0, SHOWN_VALUE_LENGTH)}…` : value;
		return JSON.stringify(shown);
	}
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'an array';
	if (typeof value === 'object') return 'an object';
	return `${typeof value} ${String(value)}`;
}

export function fieldError(kind: ContentKind, field: string, problem: string, code?: SmsCodecErrorCode): ContentFieldError {
	return new ContentFieldError(field, `${kind}: ${field} ${problem}`, code);
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The input must be an object holding only the known fields: a misspelt optional field
 * would otherwise vanish without a word.
 */
export function requireFields(kind: ContentKind, input: unknown, allowed: readonly string[]): Record<string, unknown> {
	if (!isPlainObject(input)) {
		throw fieldError(kind, 'input', `must be an object with the fields ${allowed.join(', ')}; got ${describeValue(input)}`);
	}
	for (const key of Object.keys(input)) {
		if (input[key] !== undefined && !allowed.includes(key)) {
			throw fieldError(kind, key, `is not a field of this message; allowed: ${allowed.join(', ')}`);
		}
	}
	return input;
}

export interface TextRules {
	/** LF and CR may appear (they are content, e.g. in an SI text or a vCard note). */
	lineBreaks?: boolean;
	/** TAB may appear. */
	tab?: boolean;
	/** A hint appended to the "must be a string" message, e.g. an example value. */
	example?: string;
}

function isAllowedControl(code: number, rules: TextRules): boolean {
	if (code === 0x09) return rules.tab === true;
	if (code === 0x0a || code === 0x0d) return rules.lineBreaks === true;
	return false;
}

/**
 * A non-empty string without lone surrogates (they have no UTF-8 form) and without control
 * characters other than those the rules allow (NUL would end a WSP or WBXML string early).
 */
export function requireText(kind: ContentKind, field: string, value: unknown, rules: TextRules = {}): string {
	const example = rules.example === undefined ? '' : ` (e.g. ${rules.example})`;
	if (value === undefined) throw fieldError(kind, field, `is required${example}`);
	if (typeof value !== 'string') throw fieldError(kind, field, `must be a string${example}, got ${describeValue(value)}`);
	if (value.length === 0) throw fieldError(kind, field, `must not be empty${example}`);
	const lone = findLoneSurrogate(value);
	if (lone !== -1) {
		throw fieldError(kind, field, `contains a lone surrogate ${describeChar(value, lone).label} at index ${lone}, which has no UTF-8 form`);
	}
	for (let i = 0; i < value.length; i++) {
		const code = value.charCodeAt(i);
		if ((code < 0x20 || code === 0x7f) && !isAllowedControl(code, rules)) {
			throw fieldError(kind, field, `contains the control character ${describeChar(value, i).label} at index ${i}, which is not allowed here`);
		}
	}
	return value;
}

/** Like requireText, but undefined means "absent". Null and empty strings are still errors. */
export function optionalText(kind: ContentKind, field: string, value: unknown, rules: TextRules = {}): string | undefined {
	return value === undefined ? undefined : requireText(kind, field, value, rules);
}

/** The index of the first white-space character, or -1. URIs never contain one. */
export function findWhiteSpace(text: string): number {
	return text.search(/\s/u);
}

const URI_SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:./u;

/** An absolute URI (or IRI when `ascii` is false): a scheme, then no white space. */
export function requireAbsoluteUri(kind: ContentKind, field: string, value: unknown, ascii: boolean): string {
	const example = 'https://example.com/page';
	const uri = requireText(kind, field, value, { example });
	const space = findWhiteSpace(uri);
	if (space !== -1) {
		throw fieldError(kind, field, `must not contain white space (found ${describeChar(uri, space).label} at index ${space}); percent-encode it as %20`);
	}
	if (!URI_SCHEME.test(uri)) {
		throw fieldError(kind, field, `must be an absolute URI with a scheme (e.g. ${example}), got ${describeValue(uri)}`);
	}
	if (ascii) {
		for (let i = 0; i < uri.length; i++) {
			if (uri.charCodeAt(i) > 0x7e) {
				throw fieldError(kind, field, `must be ASCII; percent-encode ${describeChar(uri, i).label} at index ${i} (UTF-8, e.g. %C3%A9 for é)`);
			}
		}
	}
	return uri;
}

/** One of a fixed set of strings. */
export function optionalChoice<T extends string>(kind: ContentKind, field: string, value: unknown, choices: readonly T[]): T | undefined {
	if (value === undefined) return undefined;
	if (typeof value === 'string' && (choices as readonly string[]).includes(value)) return value as T;
	throw fieldError(kind, field, `must be one of ${choices.join(', ')}; got ${describeValue(value)}`);
}

/** A whole number in [min, max]. */
export function requireInteger(kind: ContentKind, field: string, value: unknown, min: number, max: number, unit: string): number {
	if (value === undefined) throw fieldError(kind, field, `is required (a whole number of ${unit} from ${min} to ${max})`);
	if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
		throw fieldError(kind, field, `must be a whole number of ${unit} from ${min} to ${max}, got ${describeValue(value)}`);
	}
	return value;
}
