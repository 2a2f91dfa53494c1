/**
 * A decoder for content messages over binary SMS, written for the tests from the
 * specifications (3GPP TS 23.040 user data headers, WAP-230 WSP push, WAP-192 WBXML with the
 * WAP-167 SI token tables, OMA MMS ENC M-Notification.ind, vCard 2.1/3.0). It shares no code
 * with the encoders under test, and it is strict: anything malformed throws, so an encoder
 * bug cannot hide behind a lenient reading.
 */

export class DecodeError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'DecodeError';
	}
}

function fail(message: string): never {
	throw new DecodeError(message);
}

export function fromHex(hex: string): Uint8Array {
	if (!/^(?:[0-9A-Fa-f]{2})*$/u.test(hex)) fail(`not hex: ${hex}`);
	const out = new Uint8Array(hex.length / 2);
	for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
	return out;
}

export function toHex(bytes: ArrayLike<number>): string {
	return Array.from(bytes, (b) => b.toString(16).toUpperCase().padStart(2, '0')).join('');
}

/** Reads a byte array front to back; every read checks the bounds. */
class Reader {
	pos: number;

	constructor(
		readonly bytes: Uint8Array,
		start = 0,
		readonly end = bytes.length,
	) {
		this.pos = start;
	}

	get done(): boolean {
		return this.pos >= this.end;
	}

	peek(): number {
		if (this.pos >= this.end) fail(`unexpected end of data at offset ${this.pos}`);
		return this.bytes[this.pos];
	}

	u8(): number {
		const b = this.peek();
		this.pos++;
		return b;
	}

	take(n: number): Uint8Array {
		if (n < 0 || this.pos + n > this.end) fail(`need ${n} octets at offset ${this.pos}, only ${this.end - this.pos} left`);
		const out = this.bytes.subarray(this.pos, this.pos + n);
		this.pos += n;
		return out;
	}

	/** Octets up to (not including) the next NUL, which is consumed. */
	untilNul(): Uint8Array {
		const start = this.pos;
		while (this.peek() !== 0x00) this.pos++;
		const out = this.bytes.subarray(start, this.pos);
		this.pos++;
		return out;
	}

	/** uintvar / mb_u_int32: 7 bits per octet, continuation in bit 7, at most 5 octets. */
	uintvar(): number {
		let value = 0;
		for (let i = 0; i < 5; i++) {
			const b = this.u8();
			value = value * 128 + (b & 0x7f);
			if ((b & 0x80) === 0) {
				if (value > 0xffffffff) fail('uintvar exceeds 32 bits');
				return value;
			}
		}
		return fail('uintvar longer than 5 octets');
	}
}

// ---------------------------------------------------------------------------------------------
// 3GPP TS 23.040: TP-UD with a user data header
// ---------------------------------------------------------------------------------------------

export interface InformationElement {
	iei: number;
	data: Uint8Array;
}

export interface PortAddressing {
	destination: number;
	source: number;
	bits: 8 | 16;
}

export interface Concatenation {
	reference: number;
	total: number;
	sequence: number;
	bits: 8 | 16;
}

export interface DecodedSegment {
	/** UDHL as sent. */
	udhl: number;
	elements: InformationElement[];
	/** The port addressing element (the last one when repeated, as 23.040 says). */
	ports?: PortAddressing;
	/** A valid concatenation element (invalid ones are ignored, as 23.040 says). */
	concatenation?: Concatenation;
	payload: Uint8Array;
	/** UDHL + UDH + payload. */
	userDataOctets: number;
}

/** Decodes a TP-UD that starts with a user data header (TP-UDHI = 1). */
export function decodeUserData(userData: Uint8Array): DecodedSegment {
	if (userData.length === 0) fail('empty user data');
	const udhl = userData[0];
	const end = 1 + udhl;
	if (end > userData.length) fail(`UDHL ${udhl} runs past the user data (${userData.length} octets)`);
	const r = new Reader(userData, 1, end);
	const elements: InformationElement[] = [];
	while (!r.done) {
		if (end - r.pos < 2) fail('octets left over after the last information element');
		const iei = r.u8();
		const length = r.u8();
		if (r.pos + length > end) fail(`IE 0x${iei.toString(16)} runs past UDHL`);
		elements.push({ iei, data: r.take(length) });
	}
	let ports: PortAddressing | undefined;
	let concatenation: Concatenation | undefined;
	for (const { iei, data } of elements) {
		if (iei === 0x04) {
			if (data.length !== 2) fail('8-bit port IE must have 2 octets');
			ports = { destination: data[0], source: data[1], bits: 8 };
		} else if (iei === 0x05) {
			if (data.length !== 4) fail('16-bit port IE must have 4 octets');
			ports = { destination: (data[0] << 8) | data[1], source: (data[2] << 8) | data[3], bits: 16 };
		} else if (iei === 0x00 || iei === 0x08) {
			const bits = iei === 0x00 ? 8 : 16;
			if (data.length !== (bits === 8 ? 3 : 4)) fail(`concatenation IE 0x0${iei} has length ${data.length}`);
			const reference = bits === 8 ? data[0] : (data[0] << 8) | data[1];
			const [total, sequence] = bits === 8 ? [data[1], data[2]] : [data[2], data[3]];
			const valid = total >= 1 && sequence >= 1 && sequence <= total;
			concatenation = valid ? { reference, total, sequence, bits } : undefined;
		}
	}
	return { udhl, elements, ports, concatenation, payload: userData.subarray(end), userDataOctets: userData.length };
}

/** A part as the encoders hand it over: hex UDH (UDHL included) and hex payload. */
export function decodeSegment(part: { udh: string; payload: string }): DecodedSegment {
	const udh = fromHex(part.udh);
	if (udh.length === 0) fail('empty UDH');
	if (udh[0] !== udh.length - 1) fail(`UDHL ${udh[0]} does not match the UDH length ${udh.length - 1}`);
	const payload = fromHex(part.payload);
	const userData = new Uint8Array(udh.length + payload.length);
	userData.set(udh, 0);
	userData.set(payload, udh.length);
	return decodeUserData(userData);
}

export interface Datagram {
	ports: PortAddressing;
	concatenation?: { reference: number; total: number; bits: 8 | 16 };
	data: Uint8Array;
}

/** Puts the segments of one datagram back together in sequence order. */
export function reassemble(segments: DecodedSegment[]): Datagram {
	if (segments.length === 0) fail('no segments');
	const first = segments[0];
	if (!first.ports) fail('segment without a port addressing element');
	if (segments.length === 1 && !first.concatenation) return { ports: first.ports, data: first.payload };
	const ordered: DecodedSegment[] = [];
	for (const segment of segments) {
		const c = segment.concatenation;
		if (!c) fail('a segment of a multi-part datagram has no valid concatenation element');
		const c1 = first.concatenation;
		if (!c1 || c.reference !== c1.reference || c.total !== c1.total || c.bits !== c1.bits) {
			fail('segments disagree on reference, total or reference width');
		}
		if (ordered[c.sequence - 1]) fail(`sequence number ${c.sequence} appears twice`);
		ordered[c.sequence - 1] = segment;
	}
	const total = first.concatenation?.total ?? 0;
	if (segments.length !== total) fail(`${segments.length} segments, but the concatenation element says ${total}`);
	const data = new Uint8Array(ordered.reduce((n, s) => n + s.payload.length, 0));
	let offset = 0;
	for (const segment of ordered) {
		data.set(segment.payload, offset);
		offset += segment.payload.length;
	}
	const c = first.concatenation;
	return { ports: first.ports, concatenation: c && { reference: c.reference, total: c.total, bits: c.bits }, data };
}

// ---------------------------------------------------------------------------------------------
// WAP-230 WSP: connectionless Push PDU
// ---------------------------------------------------------------------------------------------

const WELL_KNOWN_CONTENT_TYPES: Record<number, string> = {
	0x00: '*/*',
	0x03: 'text/plain',
	0x06: 'text/x-vcalendar',
	0x07: 'text/x-vcard',
	0x2e: 'application/vnd.wap.sic',
	0x30: 'application/vnd.wap.slc',
	0x3e: 'application/vnd.wap.mms-message',
};

const WELL_KNOWN_APPLICATION_IDS: Record<number, string> = {
	0x00: 'x-wap-application:*',
	0x01: 'x-wap-application:push.sia',
	0x02: 'x-wap-application:wml.ua',
	0x04: 'x-wap-application:mms.ua',
};

export interface WspContentType {
	media: string;
	/** The well-known number when the type was sent as one. */
	code?: number;
	form: 'short-integer' | 'text' | 'general';
	charset?: number;
}

export interface WspHeader {
	/** Well-known field number, or undefined for an application header. */
	code?: number;
	name?: string;
	value: Uint8Array;
}

export interface WspPush {
	transactionId: number;
	pduType: number;
	headersLength: number;
	contentType: WspContentType;
	headers: WspHeader[];
	applicationId?: string;
	body: Uint8Array;
}

/** ISO-8859-1, octet for code point (TextDecoder's "latin1" is windows-1252). */
function latin1(bytes: Uint8Array): string {
	return Array.from(bytes, (b) => String.fromCharCode(b)).join('');
}

function textOf(bytes: Uint8Array, charset = 106): string {
	if (charset === 106 || charset === 3) return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
	if (charset === 4) return latin1(bytes);
	return fail(`unsupported charset ${charset}`);
}

/** Text-string: [Quote] text NUL; the Quote must be there exactly when the text starts at 128+. */
function readTextString(r: Reader, charset = 106): string {
	const first = r.peek();
	if (first >= 0x80) fail(`Text-string cannot start with 0x${first.toString(16)} (a Quote is required)`);
	if (first === 0x7f) {
		r.u8();
		if (r.peek() < 0x80) fail('Quote before a Text-string that does not start with an octet of 128 or more');
	}
	return textOf(r.untilNul(), charset);
}

/** Value-length: 0..30, or 31 followed by a uintvar. */
function readValueLength(r: Reader): number {
	const b = r.u8();
	if (b < 31) return b;
	if (b === 31) return r.uintvar();
	return fail(`0x${b.toString(16)} is not a Value-length`);
}

/** Long-integer: Short-length 1..30 and that many octets, in the fewest octets possible. */
function readLongInteger(r: Reader): number {
	const length = r.u8();
	if (length < 1 || length > 30) fail(`Long-integer length ${length}`);
	const octets = r.take(length);
	if (length > 1 && octets[0] === 0) fail('Long-integer not in the minimum number of octets');
	return octets.reduce((n, b) => n * 256 + b, 0);
}

/** Integer-value: Short-integer or Long-integer. */
function readIntegerValue(r: Reader): number {
	const b = r.peek();
	if (b >= 0x80) return r.u8() & 0x7f;
	return readLongInteger(r);
}

function readContentType(r: Reader): WspContentType {
	const b = r.peek();
	if (b >= 0x80) {
		const code = r.u8() & 0x7f;
		return { media: WELL_KNOWN_CONTENT_TYPES[code] ?? `0x${code.toString(16)}`, code, form: 'short-integer' };
	}
	if (b >= 32) return { media: textOf(r.untilNul()).toLowerCase(), form: 'text' };
	const length = readValueLength(r);
	const end = r.pos + length;
	const inner = new Reader(r.bytes, r.pos, end);
	r.take(length);
	let media: string;
	let code: number | undefined;
	if (inner.peek() >= 0x80) {
		code = inner.u8() & 0x7f;
		media = WELL_KNOWN_CONTENT_TYPES[code] ?? `0x${code.toString(16)}`;
	} else if (inner.peek() >= 32) {
		media = textOf(inner.untilNul()).toLowerCase();
	} else {
		code = readLongInteger(inner);
		media = WELL_KNOWN_CONTENT_TYPES[code] ?? `0x${code.toString(16)}`;
	}
	let charset: number | undefined;
	while (!inner.done) {
		const parameter = inner.u8();
		if (parameter === 0x81) charset = readIntegerValue(inner);
		else fail(`unsupported content-type parameter 0x${parameter.toString(16)}`);
	}
	return { media, code, form: 'general', charset };
}

/** Skips a header value by its first octet, returning its octets. */
function readHeaderValue(r: Reader): Uint8Array {
	const start = r.pos;
	const b = r.peek();
	if (b <= 31) r.take(readValueLength(r));
	else if (b <= 127) r.untilNul();
	else r.u8();
	return r.bytes.subarray(start, r.pos);
}

export function decodeWspPush(datagram: Uint8Array): WspPush {
	const r = new Reader(datagram);
	const transactionId = r.u8();
	const pduType = r.u8();
	if (pduType !== 0x06) fail(`PDU type 0x${pduType.toString(16)} is not Push (0x06)`);
	const headersLength = r.uintvar();
	const headersEnd = r.pos + headersLength;
	if (headersEnd > datagram.length) fail('HeadersLen runs past the datagram');
	const hr = new Reader(datagram, r.pos, headersEnd);
	const contentType = readContentType(hr);
	const headers: WspHeader[] = [];
	let applicationId: string | undefined;
	while (!hr.done) {
		const b = hr.peek();
		if (b >= 0x80) {
			const code = hr.u8() & 0x7f;
			const value = readHeaderValue(hr);
			headers.push({ code, value });
			if (code === 0x2f) {
				const vr = new Reader(value);
				if (value[0] >= 0x80) applicationId = WELL_KNOWN_APPLICATION_IDS[vr.u8() & 0x7f];
				else if (value[0] >= 32) applicationId = readTextString(vr);
				else {
					const id = readLongInteger(vr);
					applicationId = WELL_KNOWN_APPLICATION_IDS[id] ?? `0x${id.toString(16)}`;
				}
			}
		} else if (b >= 32) {
			const name = textOf(hr.untilNul());
			const start = hr.pos;
			readTextString(hr);
			headers.push({ name, value: hr.bytes.subarray(start, hr.pos) });
		} else {
			fail(`header code-page shifts (0x${b.toString(16)}) are not expected in a push`);
		}
	}
	return { transactionId, pduType, headersLength, contentType, headers, applicationId, body: datagram.subarray(headersEnd) };
}

// ---------------------------------------------------------------------------------------------
// WAP-192 WBXML with the WAP-167 SI 1.0 tables
// ---------------------------------------------------------------------------------------------

const SI_TAGS: Record<number, string> = { 0x05: 'si', 0x06: 'indication', 0x07: 'info', 0x08: 'item' };
const SI_ATTRIBUTE_STARTS: Record<number, [string, string]> = {
	0x05: ['action', 'signal-none'],
	0x06: ['action', 'signal-low'],
	0x07: ['action', 'signal-medium'],
	0x08: ['action', 'signal-high'],
	0x09: ['action', 'delete'],
	0x0a: ['created', ''],
	0x0b: ['href', ''],
	0x0c: ['href', 'http://'],
	0x0d: ['href', 'http://www.'],
	0x0e: ['href', 'https://'],
	0x0f: ['href', 'https://www.'],
	0x10: ['si-expires', ''],
	0x11: ['si-id', ''],
	0x12: ['class', ''],
};
const SI_ATTRIBUTE_VALUES: Record<number, string> = { 0x85: '.com/', 0x86: '.edu/', 0x87: '.net/', 0x88: '.org/' };

const G_SWITCH_PAGE = 0x00;
const G_END = 0x01;
const G_ENTITY = 0x02;
const G_STR_I = 0x03;
const G_LITERAL = 0x04;
const G_STR_T = 0x83;
const G_OPAQUE = 0xc3;
const G_EXTENSIONS = [0x40, 0x41, 0x42, 0x43, 0x80, 0x81, 0x82, 0xc0, 0xc1, 0xc2];

type ValuePiece = { text: string } | { opaque: Uint8Array };

export interface WbxmlAttribute {
	name: string;
	pieces: ValuePiece[];
}

export interface WbxmlElement {
	name: string;
	attributes: WbxmlAttribute[];
	children: Array<WbxmlElement | ValuePiece>;
}

export interface WbxmlDocument {
	version: { major: number; minor: number };
	publicId: number | string;
	charset: number;
	root: WbxmlElement;
}

class WbxmlParser {
	private readonly r: Reader;
	private charset = 106;
	private stringTable: Uint8Array = new Uint8Array(0);

	constructor(bytes: Uint8Array) {
		this.r = new Reader(bytes);
	}

	private tableString(offset: number): string {
		if (offset >= this.stringTable.length) fail(`string table offset ${offset} out of range`);
		const end = this.stringTable.indexOf(0, offset);
		if (end === -1) fail('unterminated string in the string table');
		return textOf(this.stringTable.subarray(offset, end), this.charset);
	}

	private codePage(r: Reader): void {
		const page = r.u8();
		if (page !== 0) fail(`code page ${page} is not defined for SI`);
	}

	parse(): WbxmlDocument {
		const r = this.r;
		const versionOctet = r.u8();
		const version = { major: (versionOctet >> 4) + 1, minor: versionOctet & 0x0f };
		const publicIdValue = r.uintvar();
		// Public id 0 means "the public id is a string in the string table, at this index".
		const publicIdIndex = publicIdValue === 0 ? r.uintvar() : undefined;
		this.charset = r.uintvar();
		this.stringTable = r.take(r.uintvar());
		const publicId = publicIdIndex === undefined ? publicIdValue : this.tableString(publicIdIndex);
		const token = r.u8();
		const root = this.element(token);
		if (!r.done) fail(`${r.end - r.pos} octets after the root element`);
		return { version, publicId, charset: this.charset, root };
	}

	private element(token: number): WbxmlElement {
		const r = this.r;
		const id = token & 0x3f;
		let name: string;
		if (id === G_LITERAL) name = this.tableString(r.uintvar());
		else name = SI_TAGS[id] ?? fail(`unknown tag token 0x${token.toString(16)}`);
		const attributes = token & 0x80 ? this.attributes() : [];
		const children: WbxmlElement['children'] = [];
		if (token & 0x40) {
			for (;;) {
				const t = r.u8();
				if (t === G_END) break;
				if (t === G_SWITCH_PAGE) this.codePage(r);
				else if (t === G_STR_I) children.push({ text: textOf(r.untilNul(), this.charset) });
				else if (t === G_STR_T) children.push({ text: this.tableString(r.uintvar()) });
				else if (t === G_ENTITY) children.push({ text: String.fromCodePoint(r.uintvar()) });
				else if (t === G_OPAQUE) children.push({ opaque: r.take(r.uintvar()) });
				else if (G_EXTENSIONS.includes(t)) fail(`extension token 0x${t.toString(16)} in content`);
				else children.push(this.element(t));
			}
		}
		return { name, attributes, children };
	}

	private attributes(): WbxmlAttribute[] {
		const r = this.r;
		const attributes: WbxmlAttribute[] = [];
		let current: WbxmlAttribute | undefined;
		const append = (piece: ValuePiece) => {
			if (!current) fail('attribute value before any attribute start');
			current.pieces.push(piece);
		};
		for (;;) {
			const t = r.u8();
			if (t === G_END) break;
			if (t === G_SWITCH_PAGE) this.codePage(r);
			else if (t === G_STR_I) append({ text: textOf(r.untilNul(), this.charset) });
			else if (t === G_STR_T) append({ text: this.tableString(r.uintvar()) });
			else if (t === G_ENTITY) append({ text: String.fromCodePoint(r.uintvar()) });
			else if (t === G_OPAQUE) append({ opaque: r.take(r.uintvar()) });
			else if (t === G_LITERAL) {
				current = { name: this.tableString(r.uintvar()), pieces: [] };
				attributes.push(current);
			} else if (G_EXTENSIONS.includes(t)) fail(`extension token 0x${t.toString(16)} in attributes`);
			else if (t < 0x80) {
				const start = SI_ATTRIBUTE_STARTS[t] ?? fail(`unknown attribute start 0x${t.toString(16)}`);
				current = { name: start[0], pieces: start[1] ? [{ text: start[1] }] : [] };
				attributes.push(current);
			} else {
				append({ text: SI_ATTRIBUTE_VALUES[t] ?? fail(`unknown attribute value 0x${t.toString(16)}`) });
			}
		}
		return attributes;
	}
}

export function decodeWbxml(bytes: Uint8Array): WbxmlDocument {
	return new WbxmlParser(bytes).parse();
}

/** An SI date: OPAQUE BCD digits (trailing zero octets dropped) or a textual date-time. */
function siDate(pieces: ValuePiece[]): string {
	if (pieces.length === 1 && 'opaque' in pieces[0]) {
		const octets = pieces[0].opaque;
		if (octets.length < 1 || octets.length > 7) fail(`OPAQUE date of ${octets.length} octets`);
		let digits = '';
		for (const octet of octets) {
			const hi = octet >> 4;
			const lo = octet & 0x0f;
			if (hi > 9 || lo > 9) fail(`OPAQUE date octet 0x${octet.toString(16)} is not BCD`);
			digits += `${hi}${lo}`;
		}
		digits = digits.padEnd(14, '0');
		const d = digits;
		return `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}T${d.slice(8, 10)}:${d.slice(10, 12)}:${d.slice(12, 14)}Z`;
	}
	return attributeText(pieces);
}

function attributeText(pieces: ValuePiece[]): string {
	return pieces.map((p) => ('text' in p ? p.text : fail('OPAQUE in a string attribute'))).join('');
}

export interface ServiceIndication {
	wbxmlVersion: { major: number; minor: number };
	publicId: number | string;
	charset: number;
	href?: string;
	text: string;
	siId?: string;
	created?: string;
	expires?: string;
	/** As sent; undefined when the attribute is absent (the DTD default is signal-medium). */
	action?: string;
	/** Attribute names in the order they appeared. */
	attributeOrder: string[];
	infoItems: Array<{ class: string; text: string }>;
}

function elementText(element: WbxmlElement): string {
	return element.children.map((c) => ('text' in c ? c.text : fail(`unexpected ${'name' in c ? `<${c.name}>` : 'OPAQUE'} in text`))).join('');
}

export function decodeServiceIndication(body: Uint8Array): ServiceIndication {
	const doc = decodeWbxml(body);
	if (doc.publicId !== 0x05 && doc.publicId !== '-//WAPFORUM//DTD SI 1.0//EN') fail(`public id ${String(doc.publicId)} is not SI 1.0`);
	const si = doc.root;
	if (si.name !== 'si' || si.attributes.length > 0) fail('root is not a bare <si>');
	const elements = si.children.map((c) => ('name' in c ? c : fail('text directly inside <si>')));
	const [indication, info, ...rest] = elements;
	if (!indication || indication.name !== 'indication') fail('<si> does not start with <indication>');
	if (rest.length > 0 || (info && info.name !== 'info')) fail('<si> holds more than <indication> and <info>');
	const seen = new Set<string>();
	const result: ServiceIndication = {
		wbxmlVersion: doc.version,
		publicId: doc.publicId,
		charset: doc.charset,
		text: elementText(indication),
		attributeOrder: [],
		infoItems: [],
	};
	for (const attribute of indication.attributes) {
		if (seen.has(attribute.name)) fail(`attribute ${attribute.name} appears twice`);
		seen.add(attribute.name);
		result.attributeOrder.push(attribute.name);
		if (attribute.name === 'href') result.href = attributeText(attribute.pieces);
		else if (attribute.name === 'si-id') result.siId = attributeText(attribute.pieces);
		else if (attribute.name === 'created') result.created = siDate(attribute.pieces);
		else if (attribute.name === 'si-expires') result.expires = siDate(attribute.pieces);
		else if (attribute.name === 'action') result.action = attributeText(attribute.pieces);
		else fail(`attribute ${attribute.name} is not allowed on <indication>`);
	}
	for (const item of info?.children ?? []) {
		if (!('name' in item) || item.name !== 'item') fail('<info> holds something other than <item>');
		const cls = item.attributes.find((a) => a.name === 'class');
		result.infoItems.push({ class: cls ? attributeText(cls.pieces) : fail('<item> without class'), text: elementText(item) });
	}
	return result;
}

// ---------------------------------------------------------------------------------------------
// OMA MMS ENC: M-Notification.ind
// ---------------------------------------------------------------------------------------------

const MMS_MESSAGE_TYPES: Record<number, string> = {
	0x00: 'm-send-req',
	0x01: 'm-send-conf',
	0x02: 'm-notification-ind',
	0x03: 'm-notifyresp-ind',
	0x04: 'm-retrieve-conf',
	0x05: 'm-acknowledge-ind',
	0x06: 'm-delivery-ind',
};
const MMS_CLASSES: Record<number, string> = { 0x00: 'personal', 0x01: 'advertisement', 0x02: 'informational', 0x03: 'auto' };

export interface MmsNotificationDecoded {
	/** Header field codes (without bit 7) in the order they appeared. */
	order: number[];
	messageType: string;
	transactionId: string;
	version: { major: number; minor: number };
	from?: string;
	/** True when From used the Insert-address-token (not allowed in a notification). */
	fromInsertToken?: boolean;
	subject?: string;
	subjectCharset?: number;
	messageClass: string;
	size: number;
	expiry: { relative: boolean; value: number; shortIntegerForm: boolean };
	contentLocation: string;
}

/** Encoded-string-value: Text-string, or Value-length Char-set Text-string. */
function readEncodedString(r: Reader): { text: string; charset?: number } {
	const b = r.peek();
	if (b > 31) return { text: readTextString(r) };
	const length = readValueLength(r);
	const inner = new Reader(r.bytes, r.pos, r.pos + length);
	r.take(length);
	const charset = readIntegerValue(inner);
	const text = readTextString(inner, charset);
	if (!inner.done) fail('Encoded-string-value longer than its text');
	return { text, charset };
}

export function decodeMmsNotification(pdu: Uint8Array): MmsNotificationDecoded {
	const r = new Reader(pdu);
	const order: number[] = [];
	const found: Partial<MmsNotificationDecoded> = {};
	while (!r.done) {
		const b = r.u8();
		if (b < 0x80) fail(`application header at offset ${r.pos - 1} in a notification`);
		const field = b & 0x7f;
		if (order.includes(field)) fail(`header 0x${b.toString(16)} appears twice`);
		order.push(field);
		switch (field) {
			case 0x0c: {
				const v = r.u8();
				found.messageType = MMS_MESSAGE_TYPES[v & 0x7f] ?? fail(`message type 0x${v.toString(16)}`);
				break;
			}
			case 0x18:
				found.transactionId = readTextString(r);
				break;
			case 0x0d: {
				const v = r.u8();
				if (v < 0x80) fail('MMS version is not a Short-integer');
				found.version = { major: (v & 0x70) >> 4, minor: v & 0x0f };
				break;
			}
			case 0x09: {
				const length = readValueLength(r);
				const inner = new Reader(r.bytes, r.pos, r.pos + length);
				r.take(length);
				const token = inner.u8();
				if (token === 0x80) found.from = readEncodedString(inner).text;
				else if (token === 0x81) found.fromInsertToken = true;
				else fail(`From token 0x${token.toString(16)}`);
				if (!inner.done) fail('From longer than its value');
				break;
			}
			case 0x16: {
				const s = readEncodedString(r);
				found.subject = s.text;
				found.subjectCharset = s.charset;
				break;
			}
			case 0x0a: {
				if (r.peek() >= 0x80) {
					const v = r.u8();
					found.messageClass = MMS_CLASSES[v & 0x7f] ?? fail(`message class 0x${v.toString(16)}`);
				} else found.messageClass = textOf(r.untilNul());
				break;
			}
			case 0x0e:
				found.size = readLongInteger(r);
				break;
			case 0x08: {
				const length = readValueLength(r);
				const inner = new Reader(r.bytes, r.pos, r.pos + length);
				r.take(length);
				const token = inner.u8();
				if (token !== 0x80 && token !== 0x81) fail(`expiry token 0x${token.toString(16)}`);
				const shortIntegerForm = inner.peek() >= 0x80;
				const value = token === 0x80 ? readLongInteger(inner) : readIntegerValue(inner);
				if (!inner.done) fail('Expiry longer than its value');
				found.expiry = { relative: token === 0x81, value, shortIntegerForm };
				break;
			}
			case 0x03:
				found.contentLocation = readTextString(r);
				break;
			default:
				readHeaderValue(r);
		}
	}
	const required = ['messageType', 'transactionId', 'version', 'messageClass', 'size', 'expiry', 'contentLocation'] as const;
	for (const name of required) if (found[name] === undefined) fail(`mandatory header ${name} missing`);
	if (order[0] !== 0x0c || order[1] !== 0x18 || order[2] !== 0x0d) fail('Message-Type, Transaction-ID and MMS-Version must come first, in that order');
	return { ...found, order } as MmsNotificationDecoded;
}

// ---------------------------------------------------------------------------------------------
// vCard 2.1 / 3.0
// ---------------------------------------------------------------------------------------------

export interface VcardProperty {
	group?: string;
	/** Upper-cased. */
	name: string;
	/** Upper-cased parameter names; 2.1 bare types (TEL;CELL) are listed under TYPE. */
	params: Record<string, string[]>;
	/** Decoded value (quoted-printable and charset applied). */
	value: string;
}

export interface Vcard {
	version: string;
	/** Every physical line ended with CR LF. */
	crlf: boolean;
	properties: VcardProperty[];
}

function decodeQuotedPrintable(text: string): Uint8Array {
	const out: number[] = [];
	for (let i = 0; i < text.length; i++) {
		const c = text[i];
		if (c === '=') {
			const hex = text.slice(i + 1, i + 3);
			if (!/^[0-9A-Fa-f]{2}$/u.test(hex)) fail(`bad quoted-printable escape =${hex}`);
			out.push(parseInt(hex, 16));
			i += 2;
		} else {
			const code = c.charCodeAt(0);
			if (code > 0xff) fail('non-octet character in a quoted-printable value');
			out.push(code);
		}
	}
	return Uint8Array.from(out);
}

export function parseVcard(bytes: Uint8Array): Vcard {
	// Octet-preserving view: values are decoded per property (charset, quoted-printable).
	const raw = latin1(bytes);
	const crlf = raw.endsWith('\r\n') && !/\r(?!\n)|(?<!\r)\n/u.test(raw);
	const physical = raw.split(/\r\n|\r|\n/u);
	if (physical[physical.length - 1] === '') physical.pop();
	// Unfold: a line starting with white space continues the previous one; a quoted-printable
	// line ending in "=" continues on the next line.
	const logical: string[] = [];
	for (let i = 0; i < physical.length; i++) {
		let line = physical[i];
		if (/^[ \t]/u.test(line) && logical.length > 0 && line.trim() !== '') {
			logical[logical.length - 1] += line.slice(1);
			continue;
		}
		if (line.trim() === '') continue;
		while (/ENCODING=QUOTED-PRINTABLE/iu.test(line.slice(0, line.indexOf(':'))) && line.endsWith('=') && i + 1 < physical.length) {
			line = line.slice(0, -1) + physical[++i];
		}
		logical.push(line);
	}
	const properties: VcardProperty[] = logical.map((line) => {
		const colon = line.indexOf(':');
		if (colon <= 0) fail(`content line without a name: ${line}`);
		const [nameWithGroup, ...paramTexts] = line.slice(0, colon).split(';');
		const dot = nameWithGroup.indexOf('.');
		const group = dot === -1 ? undefined : nameWithGroup.slice(0, dot);
		const name = (dot === -1 ? nameWithGroup : nameWithGroup.slice(dot + 1)).toUpperCase();
		const params: Record<string, string[]> = {};
		for (const p of paramTexts) {
			const eq = p.indexOf('=');
			const [key, value] = eq === -1 ? ['TYPE', p] : [p.slice(0, eq).toUpperCase(), p.slice(eq + 1)];
			(params[key] ??= []).push(...value.split(','));
		}
		const rawValue = line.slice(colon + 1);
		const encoding = params.ENCODING?.[0]?.toUpperCase();
		const charset = params.CHARSET?.[0]?.toUpperCase() ?? 'UTF-8';
		let octets: Uint8Array;
		if (encoding === 'QUOTED-PRINTABLE') octets = decodeQuotedPrintable(rawValue);
		else if (encoding === undefined || encoding === '8BIT' || encoding === '7BIT') octets = Uint8Array.from(rawValue, (c) => c.charCodeAt(0));
		else return fail(`unsupported ENCODING ${encoding}`);
		if (encoding === '7BIT' && octets.some((b) => b > 0x7f)) fail('8-bit octets in a 7BIT value');
		const value = charset === 'UTF-8' ? textOf(octets, 106) : charset === 'ISO-8859-1' ? textOf(octets, 4) : fail(`charset ${charset}`);
		return { group, name, params, value };
	});
	if (properties[0]?.name !== 'BEGIN' || properties[0].value.toUpperCase() !== 'VCARD') fail('vCard does not start with BEGIN:VCARD');
	const last = properties[properties.length - 1];
	if (last.name !== 'END' || last.value.toUpperCase() !== 'VCARD') fail('vCard does not end with END:VCARD');
	const version = properties.find((p) => p.name === 'VERSION')?.value ?? fail('vCard without VERSION');
	return { version, crlf, properties: properties.slice(1, -1) };
}

/** Values of one property, in order. */
export function vcardValues(card: Vcard, name: string): string[] {
	return card.properties.filter((p) => p.name === name).map((p) => p.value);
}

// ---------------------------------------------------------------------------------------------
// Whole messages
// ---------------------------------------------------------------------------------------------

export type DecodedContent =
	| { kind: 'si'; datagram: Datagram; push: WspPush; si: ServiceIndication }
	| { kind: 'mms-notification'; datagram: Datagram; push: WspPush; notification: MmsNotificationDecoded }
	| { kind: 'vcard'; datagram: Datagram; vcard: Vcard };

/** Decodes the parts of one message (in any order) down to its content. */
export function decodeContentMessage(message: { parts: Array<{ udh: string; payload: string }> }): DecodedContent {
	const datagram = reassemble(message.parts.map(decodeSegment));
	const port = datagram.ports.destination;
	if (port === 2948) {
		const push = decodeWspPush(datagram.data);
		if (push.contentType.media === 'application/vnd.wap.sic') {
			return { kind: 'si', datagram, push, si: decodeServiceIndication(push.body) };
		}
		if (push.contentType.media === 'application/vnd.wap.mms-message') {
			return { kind: 'mms-notification', datagram, push, notification: decodeMmsNotification(push.body) };
		}
		return fail(`push content type ${push.contentType.media}`);
	}
	if (port === 9204) return { kind: 'vcard', datagram, vcard: parseVcard(datagram.data) };
	return fail(`unexpected destination port ${port}`);
}
