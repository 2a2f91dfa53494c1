'use strict';
/**
 * A small zip writer and reader for MMS content (MX's mms.zip: media files plus a
 * `manifest` in Java properties syntax). DEFLATE via zlib's raw deflate; no zip64,
 * no encryption, which MMS content never needs.
 */
const zlib = require('zlib');

const CRC_TABLE = (() => {
	const t = new Int32Array(256);
	for (let n = 0; n < 256; n++) {
		let c = n;
		for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
		t[n] = c;
	}
	return t;
})();

function crc32(buf) {
	let c = -1;
	for (let i = 0; i < buf.length; i++) c = CRC_TABLE[(c ^ buf[i]) & 0xff] ^ (c >>> 8);
	return (c ^ -1) >>> 0;
}

// A fixed timestamp keeps archives byte-identical between runs (2024-01-01 00:00:00).
const DOS_TIME = 0;
const DOS_DATE = ((2024 - 1980) << 9) | (1 << 5) | 1;

/**
 * Writes a zip. entries: [{ name, data (Buffer|string, strings as UTF-8), method?: 'deflate'|'store' }].
 * options.method sets the default (deflate).
 */
function writeZip(entries, options = {}) {
	const locals = [];
	const centrals = [];
	let offset = 0;
	for (const e of entries) {
		const data = Buffer.isBuffer(e.data)
			? e.data
			: Buffer.from(e.data == null ? '' : String(e.data), 'utf8');
		const method = (e.method || options.method || 'deflate') === 'store' ? 0 : 8;
		const stored = method === 8 ? zlib.deflateRawSync(data) : data;
		const name = Buffer.from(e.name, 'utf8');
		const crc = crc32(data);
		const flags = /[^\x20-\x7e]/.test(e.name) ? 0x0800 : 0; // bit 11: name is UTF-8
		const lh = Buffer.alloc(30);
		lh.writeUInt32LE(0x04034b50, 0);
		lh.writeUInt16LE(20, 4);
		lh.writeUInt16LE(flags, 6);
		lh.writeUInt16LE(method, 8);
		lh.writeUInt16LE(DOS_TIME, 10);
		lh.writeUInt16LE(DOS_DATE, 12);
		lh.writeUInt32LE(crc, 14);
		lh.writeUInt32LE(stored.length, 18);
		lh.writeUInt32LE(data.length, 22);
		lh.writeUInt16LE(name.length, 26);
		lh.writeUInt16LE(0, 28);
		const ch = Buffer.alloc(46);
		ch.writeUInt32LE(0x02014b50, 0);
		ch.writeUInt16LE(20, 4); // made by: MS-DOS, spec 2.0
		ch.writeUInt16LE(20, 6);
		ch.writeUInt16LE(flags, 8);
		ch.writeUInt16LE(method, 10);
		ch.writeUInt16LE(DOS_TIME, 12);
		ch.writeUInt16LE(DOS_DATE, 14);
		ch.writeUInt32LE(crc, 16);
		ch.writeUInt32LE(stored.length, 20);
		ch.writeUInt32LE(data.length, 24);
		ch.writeUInt16LE(name.length, 28);
		ch.writeUInt16LE(0, 30); // extra
		ch.writeUInt16LE(0, 32); // comment
		ch.writeUInt16LE(0, 34); // disk
		ch.writeUInt16LE(0, 36); // internal attrs
		ch.writeUInt32LE(0, 38); // external attrs
		ch.writeUInt32LE(offset, 42);
		locals.push(lh, name, stored);
		centrals.push(ch, name);
		offset += 30 + name.length + stored.length;
	}
	const central = Buffer.concat(centrals);
	const eocd = Buffer.alloc(22);
	eocd.writeUInt32LE(0x06054b50, 0);
	eocd.writeUInt16LE(0, 4);
	eocd.writeUInt16LE(0, 6);
	eocd.writeUInt16LE(entries.length, 8);
	eocd.writeUInt16LE(entries.length, 10);
	eocd.writeUInt32LE(central.length, 12);
	eocd.writeUInt32LE(offset, 16);
	eocd.writeUInt16LE(0, 20);
	return Buffer.concat([...locals, central, eocd]);
}

const DEFAULT_LIMITS = { maxEntries: 256, maxTotalBytes: 32 * 1024 * 1024, maxRatio: 200 };

/**
 * Reads a zip through its central directory. Returns [{ name, data, method, compressedSize }].
 * Throws an Error with a readable message on anything malformed or over the limits.
 */
function readZip(input, limits = {}) {
	const lim = { ...DEFAULT_LIMITS, ...limits };
	const buf = Buffer.isBuffer(input) ? input : Buffer.from(input);
	if (buf.length < 22) throw new Error('not a zip (too short)');
	let eocd = -1;
	for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
		if (buf.readUInt32LE(i) === 0x06054b50) {
			eocd = i;
			break;
		}
	}
	if (eocd < 0) throw new Error('not a zip (no end of central directory)');
	const count = buf.readUInt16LE(eocd + 10);
	const cdSize = buf.readUInt32LE(eocd + 12);
	const cdOffset = buf.readUInt32LE(eocd + 16);
	if (count === 0xffff || cdOffset === 0xffffffff)
		throw new Error('zip64 archives are not supported');
	if (count > lim.maxEntries) throw new Error(`zip has ${count} entries (limit ${lim.maxEntries})`);
	if (cdOffset + cdSize > eocd) throw new Error('zip central directory out of bounds');
	const entries = [];
	const names = new Set();
	let total = 0;
	let p = cdOffset;
	for (let n = 0; n < count; n++) {
		if (p + 46 > buf.length || buf.readUInt32LE(p) !== 0x02014b50)
			throw new Error('corrupt zip central directory');
		const flags = buf.readUInt16LE(p + 8);
		const method = buf.readUInt16LE(p + 10);
		const crc = buf.readUInt32LE(p + 16);
		const csize = buf.readUInt32LE(p + 20);
		const usize = buf.readUInt32LE(p + 24);
		const nameLen = buf.readUInt16LE(p + 28);
		const extraLen = buf.readUInt16LE(p + 30);
		const commentLen = buf.readUInt16LE(p + 32);
		const localOffset = buf.readUInt32LE(p + 42);
		const name = buf
			.subarray(p + 46, p + 46 + nameLen)
			.toString(flags & 0x0800 ? 'utf8' : 'latin1');
		p += 46 + nameLen + extraLen + commentLen;
		if (flags & 0x0001) throw new Error(`zip entry ${JSON.stringify(name)} is encrypted`);
		if (!name || name.includes('\0')) throw new Error('zip entry with an empty or NUL name');
		if (
			name.startsWith('/') ||
			name.startsWith('\\') ||
			/^[A-Za-z]:/.test(name) ||
			name.split(/[\\/]/).includes('..')
		)
			throw new Error(`unsafe zip entry name ${JSON.stringify(name)}`);
		if (names.has(name)) throw new Error(`duplicate zip entry ${JSON.stringify(name)}`);
		names.add(name);
		if (name.endsWith('/')) continue; // directory
		total += usize;
		if (total > lim.maxTotalBytes)
			throw new Error(`zip content exceeds ${lim.maxTotalBytes} bytes`);
		if (usize > 1024 * 1024 && csize > 0 && usize / csize > lim.maxRatio)
			throw new Error(
				`zip entry ${JSON.stringify(name)} has a compression ratio over ${lim.maxRatio}`,
			);
		if (localOffset + 30 > buf.length || buf.readUInt32LE(localOffset) !== 0x04034b50)
			throw new Error(`corrupt local header for ${JSON.stringify(name)}`);
		const lNameLen = buf.readUInt16LE(localOffset + 26);
		const lExtraLen = buf.readUInt16LE(localOffset + 28);
		const start = localOffset + 30 + lNameLen + lExtraLen;
		if (start + csize > buf.length)
			throw new Error(`zip entry ${JSON.stringify(name)} is truncated`);
		const raw = buf.subarray(start, start + csize);
		let data;
		if (method === 0) data = Buffer.from(raw);
		else if (method === 8) {
			try {
				data = zlib.inflateRawSync(raw, { maxOutputLength: Math.max(usize, 1) });
			} catch (err) {
				throw new Error(`zip entry ${JSON.stringify(name)} does not inflate: ${err.message}`);
			}
		} else throw new Error(`zip entry ${JSON.stringify(name)} uses unsupported method ${method}`);
		if (data.length !== usize)
			throw new Error(`zip entry ${JSON.stringify(name)} has the wrong size`);
		if (crc32(data) !== crc) throw new Error(`zip entry ${JSON.stringify(name)} fails its CRC-32`);
		entries.push({ name, data, method: method === 8 ? 'deflate' : 'store', compressedSize: csize });
	}
	return entries;
}

function unescapeProp(s) {
	return s.replace(/\\(u[0-9A-Fa-f]{4}|.)/g, (m, e) => {
		if (e[0] === 'u' && e.length === 5) return String.fromCharCode(parseInt(e.slice(1), 16));
		if (e === 'n') return '\n';
		if (e === 't') return '\t';
		if (e === 'r') return '\r';
		return e;
	});
}

/** Parses a Java-properties manifest into [{ name, mimeType }] in file order. */
function parseManifest(text) {
	const out = [];
	const lines = String(text).replace(/\r\n?/g, '\n').split('\n');
	for (let i = 0; i < lines.length; i++) {
		let line = lines[i].replace(/^[ \t\f]+/, '');
		if (!line || line[0] === '#' || line[0] === '!') continue;
		// A line ending in an odd number of backslashes continues on the next line.
		while (/(^|[^\\])(\\\\)*\\$/.test(line) && i + 1 < lines.length)
			line = line.slice(0, -1) + lines[++i].replace(/^[ \t\f]+/, '');
		let k = 0;
		while (k < line.length && !'=: \t\f'.includes(line[k])) k += line[k] === '\\' ? 2 : 1;
		const key = unescapeProp(line.slice(0, k));
		let rest = line.slice(k).replace(/^[ \t\f]*/, '');
		if (rest[0] === '=' || rest[0] === ':') rest = rest.slice(1).replace(/^[ \t\f]*/, '');
		out.push({ name: key, mimeType: unescapeProp(rest).trim() });
	}
	return out;
}

function escapePropKey(s) {
	return s.replace(/[\\=: #!\t\f]/g, (c) => '\\' + c);
}

/** Writes a manifest (one `name=mime/type` line per part, keys escaped per Java properties). */
function writeManifest(parts) {
	return parts.map((p) => `${escapePropKey(p.name)}=${p.mimeType}`).join('\n') + '\n';
}

/**
 * Builds an MMS zip: `manifest` first, then the parts in order. parts: [{ name, mimeType, data }]
 * (string data is UTF-8, the encoding MX requires for text parts).
 */
function buildMmsZip(parts, options = {}) {
	const entries = [{ name: 'manifest', data: writeManifest(parts), method: options.method }];
	for (const p of parts) entries.push({ name: p.name, data: p.data, method: options.method });
	return writeZip(entries, options);
}

/**
 * Reads an MMS zip: requires `manifest`, and every manifest entry to exist.
 * Returns { manifest: [{name, mimeType}], parts: [{ name, mimeType, data }], extra: [names not in manifest] }.
 */
function readMmsZip(buf, limits) {
	const entries = readZip(buf, limits);
	const byName = new Map(entries.map((e) => [e.name, e]));
	const m = byName.get('manifest');
	if (!m) throw new Error('zip has no manifest');
	const manifest = parseManifest(m.data.toString('utf8'));
	if (manifest.length === 0) throw new Error('manifest lists no parts');
	const parts = manifest.map((item) => {
		const e = byName.get(item.name);
		if (!e) throw new Error(`manifest names ${JSON.stringify(item.name)}, which is not in the zip`);
		return { name: item.name, mimeType: item.mimeType, data: e.data };
	});
	const listed = new Set(manifest.map((x) => x.name));
	const extra = entries
		.filter((e) => e.name !== 'manifest' && !listed.has(e.name))
		.map((e) => e.name);
	return { manifest, parts, extra };
}

module.exports = {
	crc32,
	writeZip,
	readZip,
	parseManifest,
	writeManifest,
	buildMmsZip,
	readMmsZip,
};
