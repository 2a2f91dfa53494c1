/**
 * A minimal zip writer: STORE (no compression) entries with real CRC-32s, local headers,
 * a central directory and the end record (PKWARE APPNOTE 6.3.x, section 4.3). Enough for MMS
 * content, which is mostly already-compressed media.
 */
import { crc32 } from './crc32';
import { ZipError } from './errors';

export interface ZipInputEntry {
	name: string;
	data: Uint8Array | string;
	/** Modification time (default 1980-01-01 00:00, so output is reproducible). */
	modified?: Date;
}

const UTF8 = new TextEncoder();

function dosTime(date: Date | undefined): { time: number; date: number } {
	if (!date || date.getFullYear() < 1980) return { time: 0, date: (0 << 9) | (1 << 5) | 1 };
	return {
		time: (date.getHours() << 11) | (date.getMinutes() << 5) | Math.floor(date.getSeconds() / 2),
		date: ((date.getFullYear() - 1980) << 9) | ((date.getMonth() + 1) << 5) | date.getDate(),
	};
}

/** Builds a zip archive of STORE entries, in the given order. */
export function writeZip(entries: ZipInputEntry[]): Uint8Array {
	if (entries.length > 0xffff) throw new ZipError('ZIP_TOO_MANY_ENTRIES', 'A zip without ZIP64 holds at most 65,535 entries');
	const prepared = entries.map((entry) => {
		const nameBytes = UTF8.encode(entry.name);
		const data = typeof entry.data === 'string' ? UTF8.encode(entry.data) : entry.data;
		if (nameBytes.length === 0 || nameBytes.length > 0xffff) throw new ZipError('ZIP_BAD_NAME', 'Zip entry names must be 1 to 65,535 bytes long');
		if (data.length >= 0xffffffff) throw new ZipError('ZIP_TOO_LARGE', 'A zip entry without ZIP64 must be smaller than 4 GiB');
		// Bit 11: the name is UTF-8 (APPNOTE appendix D); only needed beyond ASCII.
		const utf8 = nameBytes.some((b) => b > 0x7f);
		return { nameBytes, data, crc: crc32(data), flags: utf8 ? 0x0800 : 0, dos: dosTime(entry.modified) };
	});
	let size = 22;
	for (const e of prepared) size += 30 + e.nameBytes.length + e.data.length + 46 + e.nameBytes.length;
	const out = new Uint8Array(size);
	const view = new DataView(out.buffer);
	let offset = 0;
	const offsets: number[] = [];
	for (const e of prepared) {
		offsets.push(offset);
		view.setUint32(offset, 0x04034b50, true);
		view.setUint16(offset + 4, 10, true); // version needed: 1.0 (stored)
		view.setUint16(offset + 6, e.flags, true);
		view.setUint16(offset + 8, 0, true); // method: STORE
		view.setUint16(offset + 10, e.dos.time, true);
		view.setUint16(offset + 12, e.dos.date, true);
		view.setUint32(offset + 14, e.crc, true);
		view.setUint32(offset + 18, e.data.length, true);
		view.setUint32(offset + 22, e.data.length, true);
		view.setUint16(offset + 26, e.nameBytes.length, true);
		view.setUint16(offset + 28, 0, true);
		out.set(e.nameBytes, offset + 30);
		out.set(e.data, offset + 30 + e.nameBytes.length);
		offset += 30 + e.nameBytes.length + e.data.length;
	}
	const centralStart = offset;
	prepared.forEach((e, i) => {
		view.setUint32(offset, 0x02014b50, true);
		view.setUint16(offset + 4, 20, true); // made by: 2.0, MS-DOS attributes
		view.setUint16(offset + 6, 10, true);
		view.setUint16(offset + 8, e.flags, true);
		view.setUint16(offset + 10, 0, true);
		view.setUint16(offset + 12, e.dos.time, true);
		view.setUint16(offset + 14, e.dos.date, true);
		view.setUint32(offset + 16, e.crc, true);
		view.setUint32(offset + 20, e.data.length, true);
		view.setUint32(offset + 24, e.data.length, true);
		view.setUint16(offset + 28, e.nameBytes.length, true);
		// extra, comment, disk start, internal and external attributes: all zero
		view.setUint32(offset + 42, offsets[i], true);
		out.set(e.nameBytes, offset + 46);
		offset += 46 + e.nameBytes.length;
	});
	const centralSize = offset - centralStart;
	view.setUint32(offset, 0x06054b50, true);
	view.setUint16(offset + 8, prepared.length, true);
	view.setUint16(offset + 10, prepared.length, true);
	view.setUint32(offset + 12, centralSize, true);
	view.setUint32(offset + 16, centralStart, true);
	return out;
}
