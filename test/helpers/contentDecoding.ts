/**
 * A reader of content messages written from the specifications (as summarised in the
 * content-messages fact sheet), independent of the encoders under test: WSP connectionless
 * Push (WAP-230), WBXML Service Indication (WAP-192, WAP-167), M-Notification.ind
 * (OMA-MMS-ENC) and vCard text. Strict where a handset would be: every length must add up.
 */

class Reader {
	private at = 0;

	constructor(
		private readonly bytes: Uint8Array,
		private readonly what: string,
	) {}

	get done(): boolean {
		return this.at >= this.bytes.length;
	}

	get position(): number {
		return this.at;
	}

	peek(): number {
		if (this.done) throw new Error(`${this.what}: ends early at octet ${this.at}`);
		return this.bytes[this.at];
	}

	octet(): number {
		const value = this.peek();
		this.at++;
		return value;
	}

	take(length: number): Uint8Array {
		if (this.at + length > this.bytes.length) throw new Error(`${this.what}: ${length} octets wanted at ${this.at}, ${this.bytes.length - this.at} left`);
		const out = this.bytes.subarray(this.at, this.at + length);
		this.at += length;
		return out;
	}

	rest(): Uint8Array {
		return this.take(this.bytes.length - this.at);
	}

	/** uintvar / mb_u_int32: 7 bits per octet, most significant first, bit 7 = more follow (at most 5 octets). */
	uintvar(): number {
		let value = 0;
		for (let k = 0; k < 5; k++) {
			const octet = this.octet();
			value = value * 128 + (octet & 0x7f);
			if ((octet & 0x80) === 0) return value;
		}
		throw new Error(`${this.what}: uintvar longer than 5 octets`);
	}

	/** Octets up to (not including) a NUL, which is consumed. */
	cString(): Uint8Array {
		const start = this.at;
		while (this.peek() !== 0) this.at++;
		const out = this.bytes.subarray(start, this.at);
		this.at++;
		return out;
	}
}

const utf8 = (bytes: Uint8Array): string => new TextDecoder('utf-8', { fatal: true }).decode(bytes);

// ---- WSP (WAP-230) ----

/** Text-string: an optional Quote (0x7F, required before a first octet >= 128), then text, NUL. */
function textString(r: Reader): string {
	const quoted = r.peek() === 0x7f;
	if (quoted) r.octet();
	const raw = r.cString();
	if (quoted && raw.length > 0 && raw[0] < 0x80) throw new Error('Text-string: Quote before a first octet below 128');
	if (!quoted && raw.length > 0 && raw[0] >= 0x80) throw new Error('Text-string: first octet >= 128 without its Quote');
	return utf8(raw);
}

/** Value-length: 0-30 octets follow, or 31 then a uintvar length. */
function valueLength(r: Reader): number {
	const first = r.octet();
	if (first <= 30) return first;
	if (first === 31) return r.uintvar();
	throw new Error(`Value-length expected, got 0x${first.toString(16)}`);
}

/** Long-integer: Short-length (1-30) then that many octets, big-endian, in the fewest octets. */
function longInteger(r: Reader): number {
	const length = r.octet();
	if (length < 1 || length > 30) throw new Error(`Long-integer: bad length ${length}`);
	const octets = r.take(length);
	if (length > 1 && octets[0] === 0) throw new Error('Long-integer: not in the minimum number of octets');
	return octets.reduce((n, b) => n * 256 + b, 0);
}

function shortInteger(r: Reader): number {
	const octet = r.octet();
	if (octet < 0x80) throw new Error(`Short-integer expected, got 0x${octet.toString(16)}`);
	return octet & 0x7f;
}

/** Integer-value: Short-integer or Long-integer. */
function integerValue(r: Reader): number {
	return r.peek() >= 0x80 ? shortInteger(r) : longInteger(r);
}

export interface WspPush {
	tid: number;
	/** Well-known number (0x2E = sic, 0x3E = mms-message) or media type text. */
	contentType: number | string;
	/** Content-type parameters by well-known number (0x01 charset). */
	contentTypeParameters: Record<number, number>;
	/** X-Wap-Application-Id: well-known code (0x04 = mms.ua) or URI. */
	applicationId?: number | string;
	body: Uint8Array;
}

/** A connectionless WSP Push PDU: TID, type 0x06, HeadersLen, Content-Type + headers, data. */
export function decodeWspPush(datagram: Uint8Array): WspPush {
	const r = new Reader(datagram, 'WSP push');
	const tid = r.octet();
	const type = r.octet();
	if (type !== 0x06) throw new Error(`WSP PDU type 0x${type.toString(16)} is not Push (0x06)`);
	const headersLength = r.uintvar();
	const h = new Reader(r.take(headersLength), 'WSP headers');
	const contentTypeParameters: Record<number, number> = {};
	let contentType: number | string;
	const first = h.peek();
	if (first >= 0x80) contentType = shortInteger(h);
	else if (first >= 32) contentType = utf8(h.cString());
	else {
		const general = new Reader(h.take(valueLength(h)), 'Content-general-form');
		contentType = general.peek() >= 0x80 ? shortInteger(general) : utf8(general.cString());
		while (!general.done) {
			const parameter = shortInteger(general);
			contentTypeParameters[parameter] = integerValue(general);
		}
	}
	let applicationId: number | string | undefined;
	while (!h.done) {
		const field = h.peek();
		if (field < 0x80) throw new Error('application headers are not expected in these pushes');
		h.octet();
		const shape = h.peek();
		if ((field & 0x7f) === 0x2f) {
			applicationId = shape >= 0x80 ? shortInteger(h) : shape < 32 ? integerValue(h) : textString(h);
		} else if (shape <= 30) h.take(h.octet());
		else if (shape === 31) {
			h.octet();
			h.take(h.uintvar());
		} else if (shape < 0x80) textString(h);
		else h.octet();
	}
	return { tid, contentType, contentTypeParameters, ...(applicationId !== undefined ? { applicationId } : {}), body: r.rest() };
}

// ---- WBXML Service Indication (WAP-192, WAP-167) ----

export interface ServiceIndication {
	version: number;
	publicId: number | string;
	charset: number;
	href?: string;
	text: string;
	siId?: string;
	created?: string;
	expires?: string;
	action?: string;
}

const SI_ATTRIBUTES: Record<number, [string, string]> = {
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
const SI_VALUES: Record<number, string> = { 0x85: '.com/', 0x86: '.edu/', 0x87: '.net/', 0x88: '.org/' };
const SI_TAGS: Record<number, string> = { 0x05: 'si', 0x06: 'indication', 0x07: 'info', 0x08: 'item' };

/** An OPAQUE date: BCD digits YYYYMMDDhhmmss with trailing zero octets dropped. */
function opaqueDate(octets: Uint8Array): string {
	if (octets.length < 4 || octets.length > 7) throw new Error(`SI date: ${octets.length} octets`);
	const full = [...octets, ...new Array<number>(7 - octets.length).fill(0)];
	const digits = full.map((b) => {
		if ((b >> 4) > 9 || (b & 0xf) > 9) throw new Error('SI date: not BCD');
		return `${b >> 4}${b & 0xf}`;
	});
	const d = digits.join('');
	return `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}T${d.slice(8, 10)}:${d.slice(10, 12)}:${d.slice(12, 14)}Z`;
}

interface WbxmlElement {
	tag: string;
	attributes: Record<string, string>;
	children: Array<WbxmlElement | string>;
}

/** A WBXML SI document (public id SI 1.0, UTF-8) to its indication's fields. */
export function decodeServiceIndication(wbxml: Uint8Array): ServiceIndication {
	const r = new Reader(wbxml, 'WBXML');
	const version = r.octet();
	let publicId: number | string = r.uintvar();
	const publicIdIndex = publicId === 0 ? r.uintvar() : undefined;
	const charset = r.uintvar();
	const table = r.take(r.uintvar());
	const fromTable = (offset: number): string => {
		const end = table.indexOf(0, offset);
		if (offset >= table.length || end < 0) throw new Error(`string table offset ${offset} out of range`);
		return utf8(table.subarray(offset, end));
	};
	if (publicIdIndex !== undefined) publicId = fromTable(publicIdIndex);
	if (charset !== 106) throw new Error(`charset ${charset} is not UTF-8 (106)`);

	/** One string piece (STR_I, STR_T, ENTITY) or undefined when the token is not one. */
	const stringPiece = (token: number): string | undefined => {
		if (token === 0x03) return utf8(r.cString());
		if (token === 0x83) return fromTable(r.uintvar());
		if (token === 0x02) return String.fromCodePoint(r.uintvar());
		return undefined;
	};

	const element = (token: number): WbxmlElement => {
		const tag = SI_TAGS[token & 0x3f];
		if (!tag) throw new Error(`unknown SI tag 0x${token.toString(16)}`);
		const attributes: Record<string, string> = {};
		if (token & 0x80) {
			let current: string | undefined;
			for (let t = r.octet(); t !== 0x01; t = r.octet()) {
				if (t === 0xc3) {
					if (!current) throw new Error('OPAQUE outside an attribute');
					attributes[current] = opaqueDate(r.take(r.uintvar()));
					continue;
				}
				const piece = stringPiece(t);
				if (piece !== undefined || SI_VALUES[t] !== undefined) {
					if (!current) throw new Error('attribute value before an attribute start');
					attributes[current] += piece ?? SI_VALUES[t];
					continue;
				}
				const start = SI_ATTRIBUTES[t];
				if (!start) throw new Error(`unknown SI attribute token 0x${t.toString(16)}`);
				[current] = start;
				attributes[current] = start[1];
			}
		}
		const children: Array<WbxmlElement | string> = [];
		if (token & 0x40) {
			for (let t = r.octet(); t !== 0x01; t = r.octet()) {
				const piece = stringPiece(t);
				children.push(piece ?? element(t));
			}
		}
		return { tag, attributes, children };
	};

	const root = element(r.octet());
	if (!r.done) throw new Error('octets after the SI document');
	if (root.tag !== 'si') throw new Error(`root element is ${root.tag}, not si`);
	const indication = root.children.find((c): c is WbxmlElement => typeof c !== 'string' && c.tag === 'indication');
	if (!indication) throw new Error('no indication element');
	const a = indication.attributes;
	return {
		version,
		publicId,
		charset,
		text: indication.children.filter((c): c is string => typeof c === 'string').join(''),
		...(a.href !== undefined ? { href: a.href } : {}),
		...(a['si-id'] !== undefined ? { siId: a['si-id'] } : {}),
		...(a.created !== undefined ? { created: a.created } : {}),
		...(a['si-expires'] !== undefined ? { expires: a['si-expires'] } : {}),
		...(a.action !== undefined ? { action: a.action } : {}),
	};
}

// ---- MMS M-Notification.ind (OMA-MMS-ENC) ----

export interface MmsNotificationHeaders {
	/** Field codes in order of appearance (0x0C message type first, then 0x18, 0x0D). */
	order: number[];
	messageType: number;
	transactionId: string;
	version: { major: number; minor: number };
	from?: string;
	subject?: string;
	messageClass: number | string;
	size: number;
	expiry: { relative: boolean; seconds: number };
	contentLocation: string;
}

/** Encoded-string-value: a Text-string, or Value-length Char-set Text-string. */
function encodedString(r: Reader): string {
	if (r.peek() > 31) return textString(r);
	const inner = new Reader(r.take(valueLength(r)), 'Encoded-string-value');
	const charset = integerValue(inner);
	if (charset !== 106) throw new Error(`Encoded-string-value charset ${charset} is not UTF-8`);
	const text = textString(inner);
	if (!inner.done) throw new Error('Encoded-string-value: octets after the text');
	return text;
}

export function decodeMmsNotificationPdu(pdu: Uint8Array): MmsNotificationHeaders {
	const r = new Reader(pdu, 'M-Notification.ind');
	const out: Partial<MmsNotificationHeaders> & { order: number[] } = { order: [] };
	while (!r.done) {
		const field = r.octet();
		if (field < 0x80) throw new Error(`header field 0x${field.toString(16)} is not a well-known field`);
		const code = field & 0x7f;
		out.order.push(code);
		switch (code) {
			case 0x0c:
				out.messageType = r.octet();
				break;
			case 0x18:
				out.transactionId = textString(r);
				break;
			case 0x0d: {
				const v = shortInteger(r);
				out.version = { major: v >> 4, minor: v & 0x0f };
				break;
			}
			case 0x09: {
				const inner = new Reader(r.take(valueLength(r)), 'From');
				const token = inner.octet();
				if (token !== 0x80) throw new Error('From without the Address-present token');
				out.from = encodedString(inner);
				break;
			}
			case 0x16:
				out.subject = encodedString(r);
				break;
			case 0x0a:
				out.messageClass = r.peek() >= 0x80 ? r.octet() : textString(r);
				break;
			case 0x0e:
				out.size = longInteger(r);
				break;
			case 0x08: {
				const inner = new Reader(r.take(valueLength(r)), 'Expiry');
				const token = inner.octet();
				if (token !== 0x80 && token !== 0x81) throw new Error('Expiry without an Absolute/Relative token');
				out.expiry = { relative: token === 0x81, seconds: longInteger(inner) };
				break;
			}
			case 0x03:
				out.contentLocation = textString(r);
				break;
			default:
				throw new Error(`unexpected header 0x${field.toString(16)}`);
		}
	}
	if (out.order[0] !== 0x0c || out.order[1] !== 0x18 || out.order[2] !== 0x0d) {
		throw new Error('X-Mms-Message-Type, X-Mms-Transaction-ID and X-Mms-MMS-Version must come first, in that order');
	}
	for (const key of ['messageType', 'transactionId', 'version', 'messageClass', 'size', 'expiry', 'contentLocation'] as const) {
		if (out[key] === undefined) throw new Error(`M-Notification.ind without ${key}`);
	}
	return out as MmsNotificationHeaders;
}

// ---- vCard ----

export interface VcardText {
	text: string;
	/** Property lines as [name with parameters, value]. */
	properties: Array<[string, string]>;
}

/** vCard text with CR LF line ends, BEGIN:VCARD ... END:VCARD. */
export function decodeVcardText(bytes: Uint8Array): VcardText {
	const text = utf8(bytes);
	if (/(^|[^\r])\n/.test(text) || /\r(?!\n)/.test(text)) throw new Error('vCard: a line does not end with CR LF');
	if (!text.endsWith('\r\n')) throw new Error('vCard: the last line does not end with CR LF');
	const lines = text.slice(0, -2).split('\r\n');
	if (lines[0].toUpperCase() !== 'BEGIN:VCARD' || lines[lines.length - 1].toUpperCase() !== 'END:VCARD') throw new Error('vCard: not BEGIN:VCARD ... END:VCARD');
	const properties = lines.slice(1, -1).map((line): [string, string] => {
		const colon = line.indexOf(':');
		if (colon <= 0) throw new Error(`vCard: line without a property name: ${line}`);
		return [line.slice(0, colon), line.slice(colon + 1)];
	});
	return { text, properties };
}

// ---- Everything a handset would do with a reassembled datagram ----

export type DecodedContent =
	| { kind: 'wapPushSi'; push: WspPush; si: ServiceIndication }
	| { kind: 'mmsNotification'; push: WspPush; mms: MmsNotificationHeaders }
	| { kind: 'vcard'; vcard: VcardText };

/** A datagram by its destination port: 2948 = WAP Push (SI or MMS by content type), 9204 = vCard. */
export function decodeContentDatagram(destinationPort: number | undefined, datagram: Uint8Array): DecodedContent {
	if (destinationPort === 9204) return { kind: 'vcard', vcard: decodeVcardText(datagram) };
	if (destinationPort !== 2948) throw new Error(`unexpected destination port ${String(destinationPort)}`);
	const push = decodeWspPush(datagram);
	if (push.contentType === 0x2e || push.contentType === 'application/vnd.wap.sic') {
		return { kind: 'wapPushSi', push, si: decodeServiceIndication(push.body) };
	}
	if (push.contentType === 0x3e || push.contentType === 'application/vnd.wap.mms-message') {
		return { kind: 'mmsNotification', push, mms: decodeMmsNotificationPdu(push.body) };
	}
	throw new Error(`unexpected push content type ${String(push.contentType)}`);
}
