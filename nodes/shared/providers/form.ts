/**
 * Request bodies built byte by byte. The gateways read form values in 8-bit charsets
 * (MX `smsmsg`: ISO-8859-15, BulkSMS: ISO-8859-1), which `URLSearchParams` and
 * `encodeURIComponent` cannot produce (they always write UTF-8), so values are
 * percent-encoded from octets here.
 */

/** A form value: text (sent as UTF-8) or octets already in the gateway's charset. */
export type FormValue = string | Uint8Array;

export type FormPairs = Array<[string, FormValue | undefined]>;

const UTF8 = new TextEncoder();

function isUnreserved(b: number): boolean {
	return (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || b === 0x2d || b === 0x2e || b === 0x5f || b === 0x2a;
}

/** application/x-www-form-urlencoded encoding of octets: `+` for space, `%XX` for the rest. */
export function percentEncode(bytes: Uint8Array): string {
	let out = '';
	for (const b of bytes) {
		if (isUnreserved(b)) out += String.fromCharCode(b);
		else if (b === 0x20) out += '+';
		else out += '%' + (b < 16 ? '0' : '') + b.toString(16).toUpperCase();
	}
	return out;
}

/** Encodes name/value pairs; undefined values are left out. */
export function formEncode(pairs: FormPairs): string {
	const out: string[] = [];
	for (const [name, value] of pairs) {
		if (value === undefined) continue;
		const bytes = typeof value === 'string' ? UTF8.encode(value) : value;
		out.push(percentEncode(UTF8.encode(name)) + '=' + percentEncode(bytes));
	}
	return out.join('&');
}

/**
 * Form pairs as plain text, bytes included: two messages with equal keys carry the same
 * parameters (the batching engine coalesces on it).
 */
export function formPairsKey(pairs: FormPairs): string[] {
	return pairs.map(([name, value]) => {
		if (value === undefined) return name;
		return `${name}=${typeof value === 'string' ? 's' + value : 'b' + Array.from(value).join(',')}`;
	});
}

/** ISO-8859-1 octets of a string whose characters are all at most U+00FF (others become `?`). */
export function latin1Bytes(text: string): Uint8Array {
	const out = new Uint8Array(text.length);
	for (let i = 0; i < text.length; i++) {
		const code = text.charCodeAt(i);
		out[i] = code <= 0xff ? code : 0x3f;
	}
	return out;
}

export interface MultipartField {
	field: string;
	content: string | Uint8Array;
	filename?: string;
	contentType?: string;
}

function concat(chunks: Uint8Array[]): Uint8Array {
	let total = 0;
	for (const c of chunks) total += c.byteLength;
	// A fresh buffer of exactly this size: some HTTP clients send a view's whole backing buffer.
	const out = new Uint8Array(total);
	let offset = 0;
	for (const c of chunks) {
		out.set(c, offset);
		offset += c.byteLength;
	}
	return out;
}

function quote(value: string): string {
	return value.replace(/[\r\n"\\]/g, (c) => encodeURIComponent(c));
}

/** A multipart/form-data body with a boundary that does not occur in any part. */
export function multipartBody(fields: MultipartField[], boundarySeed: string): { body: Uint8Array; contentType: string } {
	const encoded = fields.map((f) => ({ ...f, bytes: typeof f.content === 'string' ? UTF8.encode(f.content) : f.content }));
	let boundary = `----smsgateway${boundarySeed}`;
	const contains = (haystack: Uint8Array, needle: Uint8Array) => {
		outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
			for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
			return true;
		}
		return false;
	};
	for (let n = 0; encoded.some((f) => contains(f.bytes, UTF8.encode(boundary))); n++) boundary += n.toString(36);
	const chunks: Uint8Array[] = [];
	for (const field of encoded) {
		let head = `--${boundary}\r\nContent-Disposition: form-data; name="${quote(field.field)}"`;
		if (field.filename !== undefined) head += `; filename="${quote(field.filename)}"`;
		head += '\r\n';
		if (field.contentType) head += `Content-Type: ${field.contentType}\r\n`;
		head += '\r\n';
		chunks.push(UTF8.encode(head), field.bytes, UTF8.encode('\r\n'));
	}
	chunks.push(UTF8.encode(`--${boundary}--\r\n`));
	return { body: concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}
