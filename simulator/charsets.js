'use strict';
/**
 * Character sets the gateways speak: GSM 03.38 (MX smsia5, part counting), ISO-8859-15
 * (MX smsmsg), ISO-8859-1 (BulkSMS) and UTF-16BE hex (MX smsucs2, BulkSMS dca=16bit).
 * Written independently of the package's codec so the simulator can judge the clients
 * rather than agree with them by construction.
 */

// GSM 03.38 default alphabet, index = septet value. 0x1B is the escape to the extension table.
const GSM_BASIC =
	'@\u00A3$\u00A5\u00E8\u00E9\u00F9\u00EC\u00F2\u00C7\n\u00D8\u00F8\r\u00C5\u00E5' +
	'\u0394_\u03A6\u0393\u039B\u03A9\u03A0\u03A8\u03A3\u0398\u039E\u001B\u00C6\u00E6\u00DF\u00C9' +
	' !"#\u00A4%&\'()*+,-./0123456789:;<=>?' +
	'\u00A1ABCDEFGHIJKLMNOPQRSTUVWXYZ\u00C4\u00D6\u00D1\u00DC\u00A7' +
	'\u00BFabcdefghijklmnopqrstuvwxyz\u00E4\u00F6\u00F1\u00FC\u00E0';
if (GSM_BASIC.length !== 128) throw new Error('GSM table must have 128 entries');

const GSM_EXT = {
	0x0a: '\f',
	0x14: '^',
	0x28: '{',
	0x29: '}',
	0x2f: '\\',
	0x3c: '[',
	0x3d: '~',
	0x3e: ']',
	0x40: '|',
	0x65: '\u20AC',
};

const gsmBasicIndex = new Map();
for (let i = 0; i < 128; i++) if (i !== 0x1b) gsmBasicIndex.set(GSM_BASIC[i], i);
const gsmExtIndex = new Map();
for (const [code, ch] of Object.entries(GSM_EXT)) gsmExtIndex.set(ch, Number(code));

/** Septets a character costs in GSM-7: 1, 2 (extension) or 0 when it is not in GSM at all. */
function gsmCost(ch) {
	if (gsmBasicIndex.has(ch)) return 1;
	if (gsmExtIndex.has(ch)) return 2;
	return 0;
}

/** Decodes GSM octets (one septet value per byte, escapes expanded). Throws on bytes > 0x7F. */
function decodeGsmOctets(buf) {
	let out = '';
	for (let i = 0; i < buf.length; i++) {
		const b = buf[i];
		if (b > 0x7f) throw new Error(`octet 0x${b.toString(16)} at ${i} is not a GSM septet`);
		if (b === 0x1b) {
			const next = buf[i + 1];
			if (next !== undefined && GSM_EXT[next] !== undefined) {
				out += GSM_EXT[next];
				i++;
				continue;
			}
			// A lone or unknown escape reads as a space on handsets (3GPP TS 23.038 note).
			out += ' ';
			if (next !== undefined) i++;
			continue;
		}
		out += GSM_BASIC[b];
	}
	return out;
}

/** Encodes text to GSM octets; characters outside GSM become '?'. */
function encodeGsmOctets(text) {
	const out = [];
	for (const ch of text) {
		if (gsmBasicIndex.has(ch)) out.push(gsmBasicIndex.get(ch));
		else if (gsmExtIndex.has(ch)) out.push(0x1b, gsmExtIndex.get(ch));
		else out.push(0x3f);
	}
	return Buffer.from(out);
}

// ISO-8859-15 differs from ISO-8859-1 at eight code points.
const LATIN9_DIFF = {
	0xa4: '\u20AC',
	0xa6: '\u0160',
	0xa8: '\u0161',
	0xb4: '\u017D',
	0xb8: '\u017E',
	0xbc: '\u0152',
	0xbd: '\u0153',
	0xbe: '\u0178',
};
const latin9Reverse = new Map();
for (const [b, ch] of Object.entries(LATIN9_DIFF)) latin9Reverse.set(ch, Number(b));

function decodeLatin9(buf) {
	let out = '';
	for (let i = 0; i < buf.length; i++) {
		const b = buf[i];
		out += LATIN9_DIFF[b] !== undefined ? LATIN9_DIFF[b] : String.fromCharCode(b);
	}
	return out;
}

/** Latin-9 byte for a character, or -1 when Latin-9 cannot carry it. */
function latin9Byte(ch) {
	const mapped = latin9Reverse.get(ch);
	if (mapped !== undefined) return mapped;
	const c = ch.charCodeAt(0);
	if (ch.length !== 1 || c > 0xff || LATIN9_DIFF[c] !== undefined) return -1;
	return c;
}

function canLatin9(text) {
	for (const ch of text) if (latin9Byte(ch) < 0) return false;
	return true;
}

/** Encodes to Latin-9 bytes; characters outside it become '?'. */
function encodeLatin9(text) {
	const out = [];
	for (const ch of text) {
		const b = latin9Byte(ch);
		out.push(b < 0 ? 0x3f : b);
	}
	return Buffer.from(out);
}

function decodeLatin1(buf) {
	return buf.toString('latin1');
}

function canLatin1(text) {
	for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0xff) return false;
	return true;
}

function encodeLatin1(text) {
	const out = [];
	for (const ch of text) {
		const c = ch.codePointAt(0);
		out.push(c > 0xff ? 0x3f : c);
	}
	return Buffer.from(out);
}

const HEX_RE = /^[0-9A-Fa-f]*$/;
function isHex(s) {
	return typeof s === 'string' && s.length % 2 === 0 && HEX_RE.test(s);
}

/** UTF-16BE hex (4 digits per code unit, either case) to text. Throws when malformed. */
function fromUcs2Hex(hex) {
	if (!HEX_RE.test(hex) || hex.length % 4 !== 0)
		throw new Error('not UTF-16BE hex (4 hex digits per unit)');
	let out = '';
	for (let i = 0; i < hex.length; i += 4)
		out += String.fromCharCode(parseInt(hex.slice(i, i + 4), 16));
	return out;
}

function toUcs2Hex(text) {
	let out = '';
	for (let i = 0; i < text.length; i++)
		out += text.charCodeAt(i).toString(16).toUpperCase().padStart(4, '0');
	return out;
}

/**
 * Percent-encodes bytes for a query string the way the gateways' own pushes look:
 * unreserved characters stay, space becomes '+', everything else is %XX (upper case).
 */
function percentEncodeBytes(buf) {
	let out = '';
	for (let i = 0; i < buf.length; i++) {
		const b = buf[i];
		if (
			(b >= 0x30 && b <= 0x39) ||
			(b >= 0x41 && b <= 0x5a) ||
			(b >= 0x61 && b <= 0x7a) ||
			b === 0x2d ||
			b === 0x2e ||
			b === 0x5f ||
			b === 0x2a
		)
			out += String.fromCharCode(b);
		else if (b === 0x20) out += '+';
		else out += '%' + (b < 16 ? '0' : '') + b.toString(16).toUpperCase();
	}
	return out;
}

/**
 * Splits text the way a handset counts it and returns the number of parts.
 * encoding: 'gsm7' (septets; characters outside GSM cost 1 because the gateway substitutes
 * them) or 'ucs2' (UTF-16 units). Escape pairs and surrogate pairs are never split.
 */
function countParts(text, encoding) {
	const single = encoding === 'ucs2' ? 70 : 160;
	const multi = encoding === 'ucs2' ? 67 : 153;
	const costs = [];
	let total = 0;
	for (const ch of text) {
		const c = encoding === 'ucs2' ? ch.length : gsmCost(ch) || 1;
		costs.push(c);
		total += c;
	}
	if (total <= single) return { parts: 1, units: total };
	let parts = 1;
	let used = 0;
	for (const c of costs) {
		if (used + c > multi) {
			parts++;
			used = 0;
		}
		used += c;
	}
	return { parts, units: total };
}

/** Characters of text that GSM-7 cannot carry (a gateway would substitute them). */
function nonGsmChars(text) {
	const out = [];
	for (const ch of text) if (gsmCost(ch) === 0) out.push(ch);
	return out;
}

module.exports = {
	GSM_BASIC,
	GSM_EXT,
	gsmCost,
	decodeGsmOctets,
	encodeGsmOctets,
	decodeLatin9,
	encodeLatin9,
	canLatin9,
	decodeLatin1,
	encodeLatin1,
	canLatin1,
	isHex,
	fromUcs2Hex,
	toUcs2Hex,
	percentEncodeBytes,
	countParts,
	nonGsmChars,
};
