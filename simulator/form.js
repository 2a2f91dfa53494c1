'use strict';
/**
 * Request parameter parsing at the byte level. The gateways read percent-encoded bytes in
 * their own charset (Latin-9, Latin-1), so decoding to UTF-8 first would destroy exactly
 * what the tests need to see.
 */

function hexVal(c) {
	if (c >= 0x30 && c <= 0x39) return c - 0x30;
	if (c >= 0x41 && c <= 0x46) return c - 0x37;
	if (c >= 0x61 && c <= 0x66) return c - 0x57;
	return -1;
}

/** Percent-decodes one component ('+' = space) into bytes; a malformed '%' stays literal. */
function percentDecode(buf, start, end) {
	const out = Buffer.allocUnsafe(end - start);
	let n = 0;
	for (let i = start; i < end; i++) {
		const b = buf[i];
		if (b === 0x2b) out[n++] = 0x20;
		else if (b === 0x25 && i + 2 < end) {
			const h = hexVal(buf[i + 1]);
			const l = hexVal(buf[i + 2]);
			if (h >= 0 && l >= 0) {
				out[n++] = (h << 4) | l;
				i += 2;
			} else out[n++] = b;
		} else out[n++] = b;
	}
	return out.subarray(0, n);
}

/** Parses application/x-www-form-urlencoded bytes into [name, valueBytes] pairs, in order. */
function parseUrlEncoded(input) {
	const buf = Buffer.isBuffer(input) ? input : Buffer.from(input || '', 'latin1');
	const pairs = [];
	let start = 0;
	for (let i = 0; i <= buf.length; i++) {
		if (i === buf.length || buf[i] === 0x26) {
			if (i > start) {
				let eq = -1;
				for (let j = start; j < i; j++)
					if (buf[j] === 0x3d) {
						eq = j;
						break;
					}
				const nameEnd = eq < 0 ? i : eq;
				const name = percentDecode(buf, start, nameEnd).toString('latin1');
				const value = eq < 0 ? Buffer.alloc(0) : percentDecode(buf, eq + 1, i);
				pairs.push([name, value]);
			}
			start = i + 1;
		}
	}
	return pairs;
}

/**
 * Parameters of one request: query pairs overlaid by body pairs (the body wins per name),
 * values kept as bytes and decoded on demand with the provider's charset.
 */
class Params {
	constructor(queryPairs, bodyPairs, decode) {
		this.map = new Map();
		this.decode = decode;
		const add = (pairs, fromBody) => {
			const seen = new Set();
			for (const [k, v] of pairs) {
				if (fromBody && !seen.has(k)) {
					this.map.delete(k);
					seen.add(k);
				}
				const list = this.map.get(k);
				if (list) list.push(v);
				else this.map.set(k, [v]);
			}
		};
		add(queryPairs, false);
		add(bodyPairs, true);
	}
	has(name) {
		return this.map.has(name);
	}
	bytes(name) {
		const l = this.map.get(name);
		return l ? l[l.length - 1] : undefined;
	}
	/** Last value of name decoded with the provider charset, or undefined. */
	str(name) {
		const b = this.bytes(name);
		return b === undefined ? undefined : this.decode(b);
	}
	all(name) {
		const l = this.map.get(name);
		return l ? l.map((b) => this.decode(b)) : [];
	}
	/** Plain object for the request record: single values as strings, repeats as arrays. */
	toObject() {
		const o = {};
		for (const [k, l] of this.map)
			o[k] = l.length === 1 ? this.decode(l[0]) : l.map((b) => this.decode(b));
		return o;
	}
}

/** Reads a header parameter such as boundary="x" from a Content-Type value. */
function headerParam(value, name) {
	const re = new RegExp(`(?:^|;)\\s*${name}\\s*=\\s*(?:"([^"]*)"|([^;\\s]*))`, 'i');
	const m = re.exec(value || '');
	return m ? (m[1] !== undefined ? m[1] : m[2]) : undefined;
}

/** Parses a multipart/form-data body into [{ name, filename, contentType, data }]. */
function parseMultipart(body, contentType) {
	const boundary = headerParam(contentType, 'boundary');
	if (!boundary) throw new Error('multipart body without boundary');
	const delim = Buffer.from(`--${boundary}`);
	const parts = [];
	let pos = body.indexOf(delim);
	if (pos < 0) throw new Error('multipart boundary not found');
	for (;;) {
		pos += delim.length;
		if (body[pos] === 0x2d && body[pos + 1] === 0x2d) break; // closing delimiter
		if (body[pos] === 0x0d && body[pos + 1] === 0x0a) pos += 2;
		else if (body[pos] === 0x0a) pos += 1;
		const next = body.indexOf(delim, pos);
		if (next < 0) throw new Error('multipart body is truncated');
		let headerEnd = body.indexOf('\r\n\r\n', pos);
		let sepLen = 4;
		if (headerEnd < 0 || headerEnd > next) {
			headerEnd = body.indexOf('\n\n', pos);
			sepLen = 2;
		}
		if (headerEnd < 0 || headerEnd > next) throw new Error('multipart part without headers');
		const headerText = body.subarray(pos, headerEnd).toString('latin1');
		let dataEnd = next;
		if (body[dataEnd - 1] === 0x0a) dataEnd--;
		if (body[dataEnd - 1] === 0x0d) dataEnd--;
		const headers = {};
		for (const line of headerText.split(/\r?\n/)) {
			const i = line.indexOf(':');
			if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
		}
		const disp = headers['content-disposition'] || '';
		parts.push({
			name: headerParam(disp, 'name'),
			filename: headerParam(disp, 'filename'),
			contentType: headers['content-type'],
			data: body.subarray(headerEnd + sepLen, Math.max(dataEnd, headerEnd + sepLen)),
		});
		pos = next;
	}
	return parts;
}

/** Builds a multipart/form-data body from [{ name, value | data, filename?, contentType? }]. */
function buildMultipart(fields, boundary) {
	const chunks = [];
	for (const f of fields) {
		let head = `--${boundary}\r\nContent-Disposition: form-data; name="${f.name}"`;
		if (f.filename !== undefined) head += `; filename="${f.filename}"`;
		head += '\r\n';
		if (f.contentType) head += `Content-Type: ${f.contentType}\r\n`;
		head += '\r\n';
		chunks.push(Buffer.from(head, 'latin1'));
		chunks.push(Buffer.isBuffer(f.data) ? f.data : Buffer.from(String(f.value), 'utf8'));
		chunks.push(Buffer.from('\r\n'));
	}
	chunks.push(Buffer.from(`--${boundary}--\r\n`));
	return Buffer.concat(chunks);
}

module.exports = {
	parseUrlEncoded,
	percentDecode,
	Params,
	parseMultipart,
	buildMultipart,
	headerParam,
};
