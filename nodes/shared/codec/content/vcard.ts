/**
 * vCard business cards as Smart Messaging binary SMS: the vCard text (CR LF line ends) sent
 * as 8-bit data to port 9204.
 */
import { isAscii, utf8 } from './bytes';
import { assertDatagramFits, resolveOptions, segmentDatagram, type ContentEncodeOptions, type ContentMessage } from './datagram';
import { describeValue, fieldError, isPlainObject, requireFields, requireText, type ContentKind, type TextRules } from './fields';
import { VCARD_PORTS } from './ports';

export interface VcardFields {
	/** Formatted name, e.g. "John Doe". */
	fn: string;
	/** Structured name "Family;Given;Additional;Prefix;Suffix", e.g. "Doe;John". Default: fn as the family name. */
	n?: string;
	tel?: string | string[];
	email?: string | string[];
	/** "Organisation;Unit". */
	org?: string;
	title?: string;
	url?: string;
	/** May span several lines. */
	note?: string;
}

/** vCard text (BEGIN:VCARD ... END:VCARD, any line ends) or the fields to build one from. */
export type VcardInput = string | VcardFields;

const KIND: ContentKind = 'vCard';
const FIELDS = ['fn', 'n', 'tel', 'email', 'org', 'title', 'url', 'note'] as const;
const CRLF = '\r\n';
/** RFC 2045: an encoded quoted-printable line holds at most 76 characters. */
const QP_LINE_LIMIT = 76;

function quotedPrintableOctet(octet: number): string {
	return `=${octet.toString(16).toUpperCase().padStart(2, '0')}`;
}

/**
 * Quoted-printable (RFC 2045) of the UTF-8 text, with soft line breaks so that no physical
 * line (the property name included) exceeds 76 characters. The caller's line breaks are kept
 * as they are (=0A, =0D=0A), so the value decodes to exactly the text given.
 */
function quotedPrintable(value: string, firstLineUsed: number): string {
	const octets = utf8(value);
	let out = '';
	let lineLength = firstLineUsed;
	for (let i = 0; i < octets.length; i++) {
		const octet = octets[i];
		const last = i === octets.length - 1;
		const literal = (octet >= 0x21 && octet <= 0x7e && octet !== 0x3d) || ((octet === 0x20 || octet === 0x09) && !last);
		const token = literal ? String.fromCharCode(octet) : quotedPrintableOctet(octet);
		// Leave room for the "=" of a soft line break.
		if (lineLength + token.length > QP_LINE_LIMIT - 1) {
			out += `=${CRLF}`;
			lineLength = 0;
		}
		out += token;
		lineLength += token.length;
	}
	return out;
}

/** One content line; non-ASCII gets a charset, line breaks get quoted-printable. */
function contentLine(name: string, value: string): string {
	const charset = isAscii(value) ? '' : ';CHARSET=UTF-8';
	if (/[\r\n]/u.test(value)) {
		const prefix = `${name}${charset};ENCODING=QUOTED-PRINTABLE:`;
		return prefix + quotedPrintable(value, prefix.length);
	}
	return charset ? `${name}${charset};ENCODING=8BIT:${value}` : `${name}:${value}`;
}

const SINGLE_LINE: TextRules = {};

function textList(field: string, value: unknown): string[] {
	if (value === undefined) return [];
	const values = Array.isArray(value) ? value : [value];
	return values.map((item, i) => requireText(KIND, Array.isArray(value) ? `${field}[${i}]` : field, item, SINGLE_LINE));
}

function optionalLine(field: string, value: unknown, rules: TextRules = SINGLE_LINE): string | undefined {
	return value === undefined ? undefined : requireText(KIND, field, value, rules);
}

function vcardFromFields(input: unknown): { text: string; fieldOctets: Record<string, number> } {
	const fields = requireFields(KIND, input, FIELDS);
	const fn = requireText(KIND, 'fn', fields.fn, { example: '"John Doe"' });
	const n = optionalLine('n', fields.n);
	const tel = textList('tel', fields.tel);
	const email = textList('email', fields.email);
	const org = optionalLine('org', fields.org);
	const title = optionalLine('title', fields.title);
	const url = optionalLine('url', fields.url);
	const note = optionalLine('note', fields.note, { lineBreaks: true, tab: true });

	// vCard requires N; without one, the formatted name stands as the family name
	// (its semicolons escaped, since N separates its components with them).
	const lines = ['BEGIN:VCARD', 'VERSION:2.1', contentLine('N', n ?? fn.replace(/;/gu, '\\;')), contentLine('FN', fn)];
	for (const number of tel) lines.push(contentLine('TEL', number));
	for (const address of email) lines.push(contentLine('EMAIL', address));
	if (org !== undefined) lines.push(contentLine('ORG', org));
	if (title !== undefined) lines.push(contentLine('TITLE', title));
	if (url !== undefined) lines.push(contentLine('URL', url));
	if (note !== undefined) lines.push(contentLine('NOTE', note));
	lines.push('END:VCARD');

	const octets = (value: string | undefined) => (value === undefined ? 0 : utf8(value).length);
	const fieldOctets: Record<string, number> = {
		fn: octets(fn),
		n: octets(n),
		tel: octets(tel.join('')),
		email: octets(email.join('')),
		org: octets(org),
		title: octets(title),
		url: octets(url),
		note: octets(note),
	};
	return { text: lines.join(CRLF) + CRLF, fieldOctets };
}

/**
 * A caller's vCard text, re-emitted line for line with CR LF line ends. It must be one vCard:
 * BEGIN:VCARD first, END:VCARD last, a VERSION line in between.
 */
function vcardFromText(value: string): string {
	const text = requireText(KIND, 'vcard', value, { lineBreaks: true, tab: true, example: '"BEGIN:VCARD\\r\\nVERSION:2.1\\r\\nFN:John Doe\\r\\nEND:VCARD"' });
	const lines = text.split(/\r\n|\r|\n/u);
	while (lines.length > 0 && lines[0].trim() === '') lines.shift();
	while (lines.length > 0 && lines[lines.length - 1].trim() === '') lines.pop();
	if (lines.length === 0) throw fieldError(KIND, 'vcard', 'is empty; give the vCard text (BEGIN:VCARD ... END:VCARD)');
	if (!/^BEGIN:VCARD\s*$/iu.test(lines[0])) {
		throw fieldError(KIND, 'vcard', `must start with BEGIN:VCARD, got ${describeValue(lines[0])}`);
	}
	if (lines.length < 2 || !/^END:VCARD\s*$/iu.test(lines[lines.length - 1])) {
		throw fieldError(KIND, 'vcard', `must end with END:VCARD, got ${describeValue(lines[lines.length - 1])}`);
	}
	if (!lines.some((line) => /^VERSION:/iu.test(line))) {
		throw fieldError(KIND, 'vcard', 'has no VERSION line (e.g. VERSION:2.1 after BEGIN:VCARD)');
	}
	return lines.join(CRLF) + CRLF;
}

/**
 * Encodes a vCard as binary SMS parts (UDH with ports 9204 <- 0, plus a concatenation element
 * when it needs several parts). Given text, sends that vCard; given fields, builds a vCard 2.1.
 */
export function vcardMessage(input: VcardInput, options?: ContentEncodeOptions): ContentMessage {
	const { concatRef } = resolveOptions(options);
	let text: string;
	let fieldOctets: Record<string, number>;
	if (typeof input === 'string') {
		text = vcardFromText(input);
		fieldOctets = { vcard: utf8(text).length };
	} else if (isPlainObject(input)) {
		({ text, fieldOctets } = vcardFromFields(input));
	} else {
		throw fieldError(KIND, 'input', `must be vCard text or an object with the fields ${FIELDS.join(', ')}; got ${describeValue(input)}`);
	}
	const datagram = utf8(text);
	assertDatagramFits(KIND, datagram, concatRef, fieldOctets);
	return segmentDatagram(datagram, VCARD_PORTS, options);
}
