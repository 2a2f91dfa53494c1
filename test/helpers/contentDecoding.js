'use strict';
/**
 * A reader of content messages written from the specifications (as summarised in the
 * content-messages fact sheet), independent of the encoders under test: WSP connectionless
 * Push (WAP-230), WBXML Service Indication (WAP-192, WAP-167), M-Notification.ind
 * (OMA-MMS-ENC) and vCard text (property values as written: no quoted-printable decoding);
 * and the reassembly of the binary SMS the simulator accepted,
 * as a handset joins them (3GPP TS 23.040 9.2.3.24.1). Strict where a handset would be: every
 * length must add up. Plain JS so the real-n8n e2e tests can use it too (types: .d.ts).
 */

class Reader {
	constructor(bytes, what) {
		this.bytes = bytes;
		this.what = what;
		this.at = 0;
	}

	get done() {
		return this.at >= this.bytes.length;
	}

	peek() {
		if (this.done) throw new Error(`${this.what}: ends early at octet ${this.at}`);
		return this.bytes[this.at];
	}

	octet() {
		const value = this.peek();
		this.at++;
		return value;
	}

	take(length) {
		if (this.at + length > this.bytes.length) {
			throw new Error(`${this.what}: ${length} octets wanted at ${this.at}, ${this.bytes.length - this.at} left`);
		}
		const out = this.bytes.subarray(this.at, this.at + length);
		this.at += length;
		return out;
	}

	rest() {
		return this.take(this.bytes.length - this.at);
	}

	/** uintvar / mb_u_int32: 7 bits per octet, most significant first, bit 7 = more follow (at most 5 octets). */
	uintvar() {
		let value = 0;
		for (let k = 0; k < 5; k++) {
			const octet = this.octet();
			value = value * 128 + (octet & 0x7f);
			if ((octet & 0x80) === 0) return value;
		}
		throw new Error(`${this.what}: uintvar longer than 5 octets`);
	}

	/** Octets up to (not including) a NUL, which is consumed. */
	cString() {
		const start = this.at;
		while (this.peek() !== 0) this.at++;
		const out = this.bytes.subarray(start, this.at);
		this.at++;
		return out;
	}
}

const utf8 = (bytes) => new TextDecoder('utf-8', { fatal: true }).decode(bytes);

// ---- WSP (WAP-230) ----

/** Text-string: an optional Quote (0x7F, required before a first octet >= 128), then text, NUL. */
function textString(r) {
	const quoted = r.peek() === 0x7f;
	if (quoted) r.octet();
	const raw = r.cString();
	if (quoted && raw.length > 0 && raw[0] < 0x80) throw new Error('Text-string: Quote before a first octet below 128');
	if (!quoted && raw.length > 0 && raw[0] >= 0x80) throw new Error('Text-string: first octet >= 128 without its Quote');
	return utf8(raw);
}

/** Value-length: 0-30 octets follow, or 31 then a uintvar length. */
function valueLength(r) {
	const first = r.octet();
	if (first <= 30) return first;
	if (first === 31) return r.uintvar();
	throw new Error(`Value-length expected, got 0x${first.toString(16)}`);
}

/** Long-integer: Short-length (1-30) then that many octets, big-endian, in the fewest octets. */
function longInteger(r) {
	const length = r.octet();
	if (length < 1 || length > 30) throw new Error(`Long-integer: bad length ${length}`);
	const octets = r.take(length);
	if (length > 1 && octets[0] === 0) throw new Error('Long-integer: not in the minimum number of octets');
	return octets.reduce((n, b) => n * 256 + b, 0);
}

function shortInteger(r) {
	const octet = r.octet();
	if (octet < 0x80) throw new Error(`Short-integer expected, got 0x${octet.toString(16)}`);
	return octet & 0x7f;
}

/** Integer-value: Short-integer or Long-integer. */
function integerValue(r) {
	return r.peek() >= 0x80 ? shortInteger(r) : longInteger(r);
}

/** A connectionless WSP Push PDU: TID, type 0x06, HeadersLen, Content-Type + headers, data. */
function decodeWspPush(datagram) {
	const r = new Reader(datagram, 'WSP push');
	const tid = r.octet();
	const type = r.octet();
	if (type !== 0x06) throw new Error(`WSP PDU type 0x${type.toString(16)} is not Push (0x06)`);
	const h = new Reader(r.take(r.uintvar()), 'WSP headers');
	const contentTypeParameters = {};
	let contentType;
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
	let applicationId;
	while (!h.done) {
		const field = h.octet();
		if (field < 0x80) throw new Error('application headers are not expected in these pushes');
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
	const out = { tid, contentType, contentTypeParameters, body: r.rest() };
	if (applicationId !== undefined) out.applicationId = applicationId;
	return out;
}

// ---- WBXML Service Indication (WAP-192, WAP-167) ----

const SI_ATTRIBUTES = {
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
const SI_VALUES = { 0x85: '.com/', 0x86: '.edu/', 0x87: '.net/', 0x88: '.org/' };
const SI_TAGS = { 0x05: 'si', 0x06: 'indication', 0x07: 'info', 0x08: 'item' };

/** An OPAQUE date: BCD digits YYYYMMDDhhmmss with trailing zero octets dropped. */
function opaqueDate(octets) {
	if (octets.length < 4 || octets.length > 7) throw new Error(`SI date: ${octets.length} octets`);
	const full = [...octets, ...new Array(7 - octets.length).fill(0)];
	const d = full
		.map((b) => {
			if (b >> 4 > 9 || (b & 0xf) > 9) throw new Error('SI date: not BCD');
			return `${b >> 4}${b & 0xf}`;
		})
		.join('');
	return `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}T${d.slice(8, 10)}:${d.slice(10, 12)}:${d.slice(12, 14)}Z`;
}

/** A WBXML SI document (SI 1.0, UTF-8) to its indication's fields. */
function decodeServiceIndication(wbxml) {
	const r = new Reader(wbxml, 'WBXML');
	const version = r.octet();
	let publicId = r.uintvar();
	const publicIdIndex = publicId === 0 ? r.uintvar() : undefined;
	const charset = r.uintvar();
	const table = r.take(r.uintvar());
	const fromTable = (offset) => {
		const end = table.indexOf(0, offset);
		if (offset >= table.length || end < 0) throw new Error(`string table offset ${offset} out of range`);
		return utf8(table.subarray(offset, end));
	};
	if (publicIdIndex !== undefined) publicId = fromTable(publicIdIndex);
	if (charset !== 106) throw new Error(`charset ${charset} is not UTF-8 (106)`);

	/** One string piece (STR_I, STR_T, ENTITY), or undefined when the token is not one. */
	const stringPiece = (token) => {
		if (token === 0x03) return utf8(r.cString());
		if (token === 0x83) return fromTable(r.uintvar());
		if (token === 0x02) return String.fromCodePoint(r.uintvar());
		return undefined;
	};

	const element = (token) => {
		const tag = SI_TAGS[token & 0x3f];
		if (!tag) throw new Error(`unknown SI tag 0x${token.toString(16)}`);
		const attributes = {};
		if (token & 0x80) {
			let current;
			for (let t = r.octet(); t !== 0x01; t = r.octet()) {
				if (t === 0xc3) {
					if (!current) throw new Error('OPAQUE outside an attribute');
					attributes[current] = opaqueDate(r.take(r.uintvar()));
					continue;
				}
				const piece = stringPiece(t);
				if (piece !== undefined || SI_VALUES[t] !== undefined) {
					if (!current) throw new Error('attribute value before an attribute start');
					attributes[current] += piece !== undefined ? piece : SI_VALUES[t];
					continue;
				}
				const start = SI_ATTRIBUTES[t];
				if (!start) throw new Error(`unknown SI attribute token 0x${t.toString(16)}`);
				current = start[0];
				attributes[current] = start[1];
			}
		}
		const children = [];
		if (token & 0x40) {
			for (let t = r.octet(); t !== 0x01; t = r.octet()) {
				const piece = stringPiece(t);
				children.push(piece !== undefined ? piece : element(t));
			}
		}
		return { tag, attributes, children };
	};

	const root = element(r.octet());
	if (!r.done) throw new Error('octets after the SI document');
	if (root.tag !== 'si') throw new Error(`root element is ${root.tag}, not si`);
	const indication = root.children.find((c) => typeof c !== 'string' && c.tag === 'indication');
	if (!indication) throw new Error('no indication element');
	const a = indication.attributes;
	const out = { version, publicId, charset, text: indication.children.filter((c) => typeof c === 'string').join('') };
	if (a.href !== undefined) out.href = a.href;
	if (a['si-id'] !== undefined) out.siId = a['si-id'];
	if (a.created !== undefined) out.created = a.created;
	if (a['si-expires'] !== undefined) out.expires = a['si-expires'];
	if (a.action !== undefined) out.action = a.action;
	return out;
}

// ---- MMS M-Notification.ind (OMA-MMS-ENC) ----

/** Encoded-string-value: a Text-string, or Value-length Char-set Text-string. */
function encodedString(r) {
	if (r.peek() > 31) return textString(r);
	const inner = new Reader(r.take(valueLength(r)), 'Encoded-string-value');
	const charset = integerValue(inner);
	if (charset !== 106) throw new Error(`Encoded-string-value charset ${charset} is not UTF-8`);
	const text = textString(inner);
	if (!inner.done) throw new Error('Encoded-string-value: octets after the text');
	return text;
}

function decodeMmsNotificationPdu(pdu) {
	const r = new Reader(pdu, 'M-Notification.ind');
	const out = { order: [] };
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
				if (inner.octet() !== 0x80) throw new Error('From without the Address-present token');
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
	for (const key of ['messageType', 'transactionId', 'version', 'messageClass', 'size', 'expiry', 'contentLocation']) {
		if (out[key] === undefined) throw new Error(`M-Notification.ind without ${key}`);
	}
	return out;
}

// ---- vCard ----

/** vCard text with CR LF line ends, BEGIN:VCARD ... END:VCARD. */
function decodeVcardText(bytes) {
	const text = utf8(bytes);
	if (/(^|[^\r])\n/.test(text) || /\r(?!\n)/.test(text)) throw new Error('vCard: a line does not end with CR LF');
	if (!text.endsWith('\r\n')) throw new Error('vCard: the last line does not end with CR LF');
	const lines = text.slice(0, -2).split('\r\n');
	if (lines[0].toUpperCase() !== 'BEGIN:VCARD' || lines[lines.length - 1].toUpperCase() !== 'END:VCARD') {
		throw new Error('vCard: not BEGIN:VCARD ... END:VCARD');
	}
	const properties = lines.slice(1, -1).map((line) => {
		const colon = line.indexOf(':');
		if (colon <= 0) throw new Error(`vCard: line without a property name: ${line}`);
		return [line.slice(0, colon), line.slice(colon + 1)];
	});
	return { text, properties };
}

/** A datagram by its destination port: 2948 = WAP Push (SI or MMS by content type), 9204 = vCard. */
function decodeContentDatagram(destinationPort, datagram) {
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

// ---- What a handset makes of the binary SMS the simulator accepted ----

/**
 * The binary messages `to` received, in arrival order of their first part: parts joined by
 * their concatenation element (same reference, sequence 1..n), payloads in sequence order.
 * Throws when a message is incomplete, has a part twice, or its parts disagree on ports or total.
 */
function receivedMessages(accepted, to) {
	const parts = accepted.filter((a) => a.to === to && a.binary !== undefined).map((a) => a.binary);
	const messages = new Map();
	parts.forEach((part, k) => {
		const key = part.concat && part.concat.total > 1 ? `ref ${part.concat.reference}` : `single ${k}`;
		messages.set(key, [...(messages.get(key) || []), part]);
	});
	return [...messages.values()].map((group) => {
		const total = group[0].concat && group[0].concat.total > 1 ? group[0].concat.total : 1;
		const sequenceOf = (p) => (p.concat ? p.concat.sequence : 1);
		const ordered = [...group].sort((a, b) => sequenceOf(a) - sequenceOf(b));
		const sequences = ordered.map(sequenceOf);
		if (ordered.length !== total || sequences.some((s, i) => s !== i + 1)) {
			throw new Error(`${to}: message of ${total} parts arrived as sequences ${sequences.join(',')}`);
		}
		if (new Set(ordered.map((p) => JSON.stringify(p.ports || null))).size !== 1) throw new Error(`${to}: parts disagree on ports`);
		if (ordered.some((p) => (p.concat ? p.concat.total : 1) !== total)) throw new Error(`${to}: parts disagree on the total`);
		const message = { to, parts: ordered, datagram: Buffer.concat(ordered.map((p) => Buffer.from(p.payload, 'hex'))) };
		if (ordered[0].ports) message.ports = ordered[0].ports;
		return message;
	});
}

/** What `to` received, each message read as a handset would (by its destination port). */
function receivedContent(accepted, to) {
	return receivedMessages(accepted, to).map((m) => decodeContentDatagram(m.ports && m.ports.destination, m.datagram));
}

module.exports = {
	decodeWspPush,
	decodeServiceIndication,
	decodeMmsNotificationPdu,
	decodeVcardText,
	decodeContentDatagram,
	receivedMessages,
	receivedContent,
};
