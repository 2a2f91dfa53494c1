/**
 * WAP Push Service Indication (WAP-167 SI 1.0 in WBXML) inside a connectionless WSP push,
 * sent to port 2948 as binary SMS.
 */
import { concatBytes, utf8 } from './bytes';
import { parseUtcDateTime, type UtcDateTime } from './dates';
import { assertDatagramFits, resolveOptions, segmentDatagram, type ContentEncodeOptions, type ContentMessage } from './datagram';
import { fieldError, optionalChoice, optionalText, requireAbsoluteUri, requireFields, requireText, type ContentKind } from './fields';
import { WAP_PUSH_PORTS } from './ports';
import { inlineString, opaqueDate, TAG_HAS_ATTRIBUTES, TAG_HAS_CONTENT, WBXML_END, wbxmlHeader } from './wbxml';
import { CHARSET_UTF8, CONTENT_TYPE_WAP_SIC, pushPdu, shortInteger } from './wsp';

export const SI_ACTIONS = ['signal-none', 'signal-low', 'signal-medium', 'signal-high', 'delete'] as const;
export type SiAction = (typeof SI_ACTIONS)[number];

export interface WapPushSiInput {
	/** The URI the handset offers to open. */
	href: string;
	/** The message shown to the user (non-empty: some handsets drop an SI without text). */
	text: string;
	/** Identifies the SI so a later one (or a `delete`) can replace it. */
	siId?: string;
	/** ISO-8601 UTC, e.g. 2024-06-01T12:30:00Z. */
	created?: string;
	/** ISO-8601 UTC; the handset deletes the SI after it. */
	expires?: string;
	/** Absent: the handset's default, signal-medium. */
	action?: SiAction;
}

const KIND: ContentKind = 'WAP push SI';
const FIELDS = ['href', 'text', 'siId', 'created', 'expires', 'action'] as const;

/** -//WAPFORUM//DTD SI 1.0//EN */
const PUBLIC_ID_SI_1_0 = 0x05;
/** The push's WSP transaction id; any value is valid for an unconfirmed push. */
const PUSH_TRANSACTION_ID = 0x01;

const TAG_SI = 0x05;
const TAG_INDICATION = 0x06;

const ATTR_ACTION: Record<SiAction, number> = {
	'signal-none': 0x05,
	'signal-low': 0x06,
	'signal-medium': 0x07,
	'signal-high': 0x08,
	delete: 0x09,
};
const ATTR_CREATED = 0x0a;
const ATTR_SI_EXPIRES = 0x10;
const ATTR_SI_ID = 0x11;
const ATTR_HREF = 0x0b;
/** href attribute-start tokens that carry a prefix, longest first so the best match wins. */
const HREF_PREFIXES: ReadonlyArray<readonly [string, number]> = [
	['https://www.', 0x0f],
	['https://', 0x0e],
	['http://www.', 0x0d],
	['http://', 0x0c],
];
/** Attribute-value tokens of SI; they may stand anywhere in an attribute value. */
const VALUE_TOKENS: ReadonlyArray<readonly [string, number]> = [
	['.com/', 0x85],
	['.edu/', 0x86],
	['.net/', 0x87],
	['.org/', 0x88],
];

/** Attribute-value octets: value tokens where the text matches one, inline strings elsewhere. */
function attributeValue(value: string): Uint8Array {
	const pieces: Uint8Array[] = [];
	let literalStart = 0;
	let i = 0;
	while (i < value.length) {
		const token = VALUE_TOKENS.find(([text]) => value.startsWith(text, i));
		if (!token) {
			i++;
			continue;
		}
		if (i > literalStart) pieces.push(inlineString(utf8(value.slice(literalStart, i))));
		pieces.push(Uint8Array.of(token[1]));
		i += token[0].length;
		literalStart = i;
	}
	if (value.length > literalStart) pieces.push(inlineString(utf8(value.slice(literalStart))));
	return concatBytes(pieces);
}

function hrefAttribute(href: string): Uint8Array {
	// Prefix tokens are exact, case-sensitive matches: HTTP://WWW. goes out as text.
	const prefix = HREF_PREFIXES.find(([text]) => href.startsWith(text));
	const [start, rest] = prefix ? [prefix[1], href.slice(prefix[0].length)] : [ATTR_HREF, href];
	return concatBytes([[start], attributeValue(rest)]);
}

interface SiDocument {
	href: string;
	text: string;
	siId?: string;
	created?: UtcDateTime;
	expires?: UtcDateTime;
	action?: SiAction;
}

function siDocument(input: unknown): SiDocument {
	const fields = requireFields(KIND, input, FIELDS);
	const href = requireAbsoluteUri(KIND, 'href', fields.href, false);
	const text = requireText(KIND, 'text', fields.text, { lineBreaks: true, tab: true, example: '"New offer"' });
	const siId = optionalText(KIND, 'siId', fields.siId, { example: '"offer-42"' });
	const created = fields.created === undefined ? undefined : parseUtcDateTime(KIND, 'created', fields.created);
	const expires = fields.expires === undefined ? undefined : parseUtcDateTime(KIND, 'expires', fields.expires);
	if (created && expires && expires.epochMs <= created.epochMs) {
		throw fieldError(KIND, 'expires', 'must be later than created');
	}
	const action = optionalChoice(KIND, 'action', fields.action, SI_ACTIONS);
	return { href, text, siId, created, expires, action };
}

/** The SI as WBXML: <si><indication href si-id created si-expires action>text</indication></si>. */
function siWbxml(doc: SiDocument): Uint8Array {
	const attributes: Uint8Array[] = [hrefAttribute(doc.href)];
	if (doc.siId !== undefined) attributes.push(concatBytes([[ATTR_SI_ID], inlineString(utf8(doc.siId))]));
	if (doc.created) attributes.push(concatBytes([[ATTR_CREATED], opaqueDate(doc.created.digits)]));
	if (doc.expires) attributes.push(concatBytes([[ATTR_SI_EXPIRES], opaqueDate(doc.expires.digits)]));
	if (doc.action) attributes.push(Uint8Array.of(ATTR_ACTION[doc.action]));
	return concatBytes([
		wbxmlHeader(PUBLIC_ID_SI_1_0, CHARSET_UTF8),
		[TAG_SI | TAG_HAS_CONTENT, TAG_INDICATION | TAG_HAS_CONTENT | TAG_HAS_ATTRIBUTES],
		...attributes,
		[WBXML_END],
		inlineString(utf8(doc.text)),
		[WBXML_END, WBXML_END],
	]);
}

/**
 * Encodes a WAP Push SI as binary SMS parts (UDH with ports 2948 <- 9200, plus a concatenation
 * element when it needs several parts).
 */
export function wapPushSi(input: WapPushSiInput, options?: ContentEncodeOptions): ContentMessage {
	const doc = siDocument(input);
	const { concatRef } = resolveOptions(options);
	const datagram = pushPdu({
		transactionId: PUSH_TRANSACTION_ID,
		contentType: shortInteger(CONTENT_TYPE_WAP_SIC),
		body: siWbxml(doc),
	});
	assertDatagramFits(KIND, datagram, concatRef, {
		href: utf8(doc.href).length,
		text: utf8(doc.text).length,
		siId: doc.siId === undefined ? 0 : utf8(doc.siId).length,
	});
	return segmentDatagram(datagram, WAP_PUSH_PORTS, options);
}
