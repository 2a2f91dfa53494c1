/**
 * A defensive zip reader for archives received from the network. It trusts the central
 * directory only after checking it, reads STORE and DEFLATE entries (DEFLATE through the
 * platform's `DecompressionStream('deflate-raw')`), verifies CRC-32s, and refuses hostile
 * archives: too many entries, too many bytes, suspicious compression ratios, entries that
 * overlap (a known bomb technique), encrypted or ZIP64 archives, and names that could
 * escape a directory (`../`, absolute paths, drive letters, backslashes, control characters).
 */
import { crc32 } from './crc32';
import { ZipError, showName } from './errors';

export interface ZipLimits {
	/** Most entries accepted (default 100). */
	maxEntries?: number;
	/** Most uncompressed bytes over all entries (default 20 MiB). */
	maxTotalBytes?: number;
	/** Most uncompressed bytes of one entry (default: maxTotalBytes). */
	maxEntryBytes?: number;
	/** Highest uncompressed/compressed ratio for entries above 64 KiB (default 100). */
	maxRatio?: number;
}

export interface ZipEntry {
	name: string;
	data: Uint8Array;
}

const DEFAULTS = { maxEntries: 100, maxTotalBytes: 20 * 1024 * 1024, maxRatio: 100 };
const RATIO_FLOOR = 64 * 1024;

interface CentralEntry {
	name: string;
	flags: number;
	method: number;
	crc: number;
	compressedSize: number;
	size: number;
	localOffset: number;
}

function checkName(name: string): void {
	const bad = (why: string) => new ZipError('ZIP_BAD_NAME', `Zip entry ${showName(name)} is refused: ${why}`);
	if (name === '') throw bad('the name is empty');
	if (name.length > 255) throw bad('the name is longer than 255 characters');
	// Control characters (C0, DEL, C1) never belong in a file name.
	for (let i = 0; i < name.length; i++) {
		const code = name.charCodeAt(i);
		if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) throw bad('the name contains control characters');
	}
	if (name.includes('\\')) throw bad('the name contains a backslash');
	if (name.startsWith('/')) throw bad('the name is an absolute path');
	if (/^[A-Za-z]:/.test(name)) throw bad('the name starts with a drive letter');
	const segments = name.replace(/\/$/, '').split('/');
	if (segments.some((s) => s === '..')) throw bad('the name contains a ".." segment');
	if (segments.some((s) => s === '' || s === '.')) throw bad('the name contains an empty or "." segment');
}

function decodeName(bytes: Uint8Array, utf8: boolean): string {
	if (utf8 || bytes.every((b) => b < 0x80)) {
		return new TextDecoder('utf-8', { fatal: false }).decode(bytes);
	}
	// Without the UTF-8 flag the name is CP437; beyond ASCII we only need a faithful, printable form.
	let out = '';
	for (const b of bytes) out += String.fromCharCode(b);
	return out;
}

function findEnd(view: DataView): number {
	const min = Math.max(0, view.byteLength - 22 - 0xffff);
	for (let i = view.byteLength - 22; i >= min; i--) {
		if (view.getUint32(i, true) === 0x06054b50 && i + 22 + view.getUint16(i + 20, true) === view.byteLength) return i;
	}
	throw new ZipError('ZIP_CORRUPT', 'Not a zip archive: no end-of-central-directory record');
}

function readCentral(bytes: Uint8Array, limits: Required<ZipLimits>): CentralEntry[] {
	if (bytes.length < 22) throw new ZipError('ZIP_CORRUPT', `Not a zip archive: only ${bytes.length} bytes`);
	const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	const end = findEnd(view);
	const disk = view.getUint16(end + 4, true);
	const cdDisk = view.getUint16(end + 6, true);
	const onDisk = view.getUint16(end + 8, true);
	const count = view.getUint16(end + 10, true);
	const cdSize = view.getUint32(end + 12, true);
	const cdOffset = view.getUint32(end + 16, true);
	if (disk !== 0 || cdDisk !== 0 || onDisk !== count) throw new ZipError('ZIP_UNSUPPORTED', 'Multi-disk zip archives are not supported');
	if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) throw new ZipError('ZIP_UNSUPPORTED', 'ZIP64 archives are not supported');
	if (count > limits.maxEntries) {
		throw new ZipError('ZIP_TOO_MANY_ENTRIES', `The zip has ${count} entries; at most ${limits.maxEntries} are accepted`);
	}
	if (cdOffset + cdSize > end) throw new ZipError('ZIP_CORRUPT', 'The zip central directory lies outside the archive');
	const entries: CentralEntry[] = [];
	let p = cdOffset;
	for (let i = 0; i < count; i++) {
		if (p + 46 > cdOffset + cdSize || view.getUint32(p, true) !== 0x02014b50) {
			throw new ZipError('ZIP_CORRUPT', `Zip central directory entry ${i + 1} is damaged`);
		}
		const flags = view.getUint16(p + 8, true);
		const nameLength = view.getUint16(p + 28, true);
		const extraLength = view.getUint16(p + 30, true);
		const commentLength = view.getUint16(p + 32, true);
		if (p + 46 + nameLength + extraLength + commentLength > cdOffset + cdSize) {
			throw new ZipError('ZIP_CORRUPT', `Zip central directory entry ${i + 1} runs past the directory`);
		}
		const name = decodeName(bytes.subarray(p + 46, p + 46 + nameLength), (flags & 0x0800) !== 0);
		const entry: CentralEntry = {
			name,
			flags,
			method: view.getUint16(p + 10, true),
			crc: view.getUint32(p + 16, true),
			compressedSize: view.getUint32(p + 20, true),
			size: view.getUint32(p + 24, true),
			localOffset: view.getUint32(p + 42, true),
		};
		if (entry.compressedSize === 0xffffffff || entry.size === 0xffffffff || entry.localOffset === 0xffffffff) {
			throw new ZipError('ZIP_UNSUPPORTED', 'ZIP64 entries are not supported');
		}
		entries.push(entry);
		p += 46 + nameLength + extraLength + commentLength;
	}
	return entries;
}

async function inflateRaw(data: Uint8Array, limit: number, name: string): Promise<Uint8Array> {
	const stream = new DecompressionStream('deflate-raw');
	const writer = stream.writable.getWriter();
	const reader = stream.readable.getReader();
	const input = new Uint8Array(data.length);
	input.set(data);
	// Write errors resurface on the reading side; this only keeps them from going unhandled.
	const writing = writer.write(input).then(
		async () => await writer.close(),
		() => undefined,
	);
	const chunks: Uint8Array[] = [];
	let total = 0;
	let failure: ZipError | undefined;
	for (;;) {
		const step = await reader.read().then(
			(r) => r,
			() => undefined,
		);
		if (step === undefined) {
			failure = new ZipError('ZIP_CORRUPT', `Zip entry ${showName(name)} holds damaged DEFLATE data`);
			break;
		}
		if (step.done) break;
		total += step.value.byteLength;
		if (total > limit) {
			failure = new ZipError('ZIP_TOO_LARGE', `Zip entry ${showName(name)} inflates past ${limit} bytes (more than its header declares or the limit allows)`);
			await reader.cancel().then(
				() => undefined,
				() => undefined,
			);
			break;
		}
		chunks.push(step.value);
	}
	await writing.then(
		() => undefined,
		() => undefined,
	);
	if (failure) throw failure;
	const out = new Uint8Array(total);
	let offset = 0;
	for (const c of chunks) {
		out.set(c, offset);
		offset += c.byteLength;
	}
	return out;
}

/** Reads every file entry of a zip (directories are skipped). Throws ZipError on anything suspicious. */
export async function readZip(input: Uint8Array, options: ZipLimits = {}): Promise<ZipEntry[]> {
	if (!(input instanceof Uint8Array)) throw new ZipError('ZIP_INVALID_INPUT', 'The zip must be given as bytes (Uint8Array or Buffer)');
	const maxTotalBytes = options.maxTotalBytes ?? DEFAULTS.maxTotalBytes;
	const limits: Required<ZipLimits> = {
		maxEntries: options.maxEntries ?? DEFAULTS.maxEntries,
		maxTotalBytes,
		maxEntryBytes: options.maxEntryBytes ?? maxTotalBytes,
		maxRatio: options.maxRatio ?? DEFAULTS.maxRatio,
	};
	const bytes = input;
	const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	const central = readCentral(bytes, limits);
	const names = new Set<string>();
	let declaredTotal = 0;
	const spans: Array<{ start: number; end: number; name: string }> = [];
	const located: Array<{ entry: CentralEntry; dataStart: number }> = [];
	for (const entry of central) {
		checkName(entry.name);
		if (names.has(entry.name)) throw new ZipError('ZIP_DUPLICATE_NAME', `The zip holds ${showName(entry.name)} twice`);
		names.add(entry.name);
		if (entry.flags & 0x0001) throw new ZipError('ZIP_UNSUPPORTED', `Zip entry ${showName(entry.name)} is encrypted`);
		if (entry.method !== 0 && entry.method !== 8) {
			throw new ZipError('ZIP_UNSUPPORTED', `Zip entry ${showName(entry.name)} uses compression method ${entry.method}; only STORE (0) and DEFLATE (8) are supported`);
		}
		if (entry.size > limits.maxEntryBytes) {
			throw new ZipError('ZIP_TOO_LARGE', `Zip entry ${showName(entry.name)} is ${entry.size} bytes; at most ${limits.maxEntryBytes} are accepted`);
		}
		declaredTotal += entry.size;
		if (declaredTotal > limits.maxTotalBytes) {
			throw new ZipError('ZIP_TOO_LARGE', `The zip unpacks to more than ${limits.maxTotalBytes} bytes`);
		}
		if (entry.size > RATIO_FLOOR && entry.size > entry.compressedSize * limits.maxRatio) {
			throw new ZipError(
				'ZIP_RATIO',
				`Zip entry ${showName(entry.name)} expands ${entry.compressedSize === 0 ? 'from nothing' : `${Math.round(entry.size / entry.compressedSize)}-fold`}; at most ${limits.maxRatio}-fold is accepted`,
			);
		}
		if (entry.method === 0 && entry.size !== entry.compressedSize) {
			throw new ZipError('ZIP_CORRUPT', `Stored zip entry ${showName(entry.name)} has different compressed and uncompressed sizes`);
		}
		const at = entry.localOffset;
		if (at + 30 > bytes.length || view.getUint32(at, true) !== 0x04034b50) {
			throw new ZipError('ZIP_CORRUPT', `The local header of zip entry ${showName(entry.name)} is missing`);
		}
		const dataStart = at + 30 + view.getUint16(at + 26, true) + view.getUint16(at + 28, true);
		const dataEnd = dataStart + entry.compressedSize;
		if (dataEnd > bytes.length) throw new ZipError('ZIP_CORRUPT', `Zip entry ${showName(entry.name)} runs past the end of the archive`);
		spans.push({ start: at, end: dataEnd, name: entry.name });
		located.push({ entry, dataStart });
	}
	// Entries that share bytes let a small archive unpack to a huge one: refuse overlaps.
	spans.sort((a, b) => a.start - b.start);
	for (let i = 1; i < spans.length; i++) {
		if (spans[i].start < spans[i - 1].end) {
			throw new ZipError('ZIP_CORRUPT', `Zip entries ${showName(spans[i - 1].name)} and ${showName(spans[i].name)} overlap`);
		}
	}
	const out: ZipEntry[] = [];
	for (const { entry, dataStart } of located) {
		if (entry.name.endsWith('/')) continue;
		const raw = bytes.subarray(dataStart, dataStart + entry.compressedSize);
		const data = entry.method === 0 ? raw.slice() : await inflateRaw(raw, entry.size, entry.name);
		if (data.length !== entry.size) {
			throw new ZipError('ZIP_CORRUPT', `Zip entry ${showName(entry.name)} unpacks to ${data.length} bytes, not the ${entry.size} its header declares`);
		}
		if (crc32(data) !== entry.crc) throw new ZipError('ZIP_CRC', `Zip entry ${showName(entry.name)} fails its CRC-32 check`);
		out.push({ name: entry.name, data });
	}
	return out;
}
