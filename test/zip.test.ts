/**
 * The zip module: round trips with an independent implementation (the simulator's, on
 * node's zlib), the MMS manifest, and refusal of hostile archives with exact errors.
 */
import { zip as simZip } from '../simulator';
import {
	buildManifest,
	buildMmsZip,
	crc32,
	parseManifest,
	readMmsZip,
	readZip,
	writeZip,
	ZipError,
} from '../nodes/shared/zip';

const utf8 = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array) => new TextDecoder().decode(b);

async function zipError(promise: Promise<unknown>): Promise<ZipError> {
	const error = await promise.then(
		() => undefined,
		(e: unknown) => e,
	);
	expect(error).toBeInstanceOf(ZipError);
	return error as ZipError;
}

async function deflateRaw(data: Uint8Array<ArrayBuffer>): Promise<Uint8Array> {
	const stream = new Blob([data]).stream().pipeThrough(new CompressionStream('deflate-raw'));
	return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** A byte-level zip builder for hostile archives: every header field can be forged. */
interface RawEntry {
	name: string;
	data: Uint8Array;
	method?: number;
	flags?: number;
	size?: number;
	crc?: number;
	localOffset?: number;
}
function forgeZip(entries: RawEntry[], options: { count?: number; cdOffset?: number } = {}): Uint8Array {
	const chunks: number[] = [];
	const central: number[] = [];
	const u16 = (arr: number[], v: number) => arr.push(v & 0xff, (v >>> 8) & 0xff);
	const u32 = (arr: number[], v: number) => arr.push(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff);
	for (const e of entries) {
		const name = utf8(e.name);
		const offset = chunks.length;
		const crc = e.crc ?? crc32(e.data);
		const size = e.size ?? e.data.length;
		u32(chunks, 0x04034b50);
		u16(chunks, 20);
		u16(chunks, e.flags ?? 0);
		u16(chunks, e.method ?? 0);
		u16(chunks, 0);
		u16(chunks, 0x21);
		u32(chunks, crc);
		u32(chunks, e.data.length);
		u32(chunks, size);
		u16(chunks, name.length);
		u16(chunks, 0);
		chunks.push(...name, ...e.data);
		u32(central, 0x02014b50);
		u16(central, 20);
		u16(central, 20);
		u16(central, e.flags ?? 0);
		u16(central, e.method ?? 0);
		u16(central, 0);
		u16(central, 0x21);
		u32(central, crc);
		u32(central, e.data.length);
		u32(central, size);
		u16(central, name.length);
		u16(central, 0);
		u16(central, 0);
		u16(central, 0);
		u16(central, 0);
		u32(central, 0);
		u32(central, e.localOffset ?? offset);
		central.push(...name);
	}
	const cdOffset = chunks.length;
	const end: number[] = [];
	u32(end, 0x06054b50);
	u16(end, 0);
	u16(end, 0);
	u16(end, options.count ?? entries.length);
	u16(end, options.count ?? entries.length);
	u32(end, central.length);
	u32(end, options.cdOffset ?? cdOffset);
	u16(end, 0);
	return Uint8Array.from([...chunks, ...central, ...end]);
}

describe('crc32', () => {
	it('matches the standard check value and the independent implementation', () => {
		expect(crc32(utf8('123456789'))).toBe(0xcbf43926);
		const data = Uint8Array.from({ length: 5000 }, (_, i) => (i * 31) & 0xff);
		expect(crc32(data)).toBe(simZip.crc32(data));
		expect(crc32(data.subarray(2000), crc32(data.subarray(0, 2000)))).toBe(crc32(data));
	});
});

describe('writeZip / readZip', () => {
	const entries = [
		{ name: 'a.txt', data: 'hello' },
		{ name: 'dir/b.bin', data: Uint8Array.from([0, 1, 2, 255]) },
		{ name: 'empty', data: new Uint8Array(0) },
		{ name: 'gr\u00fc\u00dfe.txt', data: 'caf\u00e9 \u20ac' },
	];

	it('round-trips STORE entries, names in UTF-8', async () => {
		const read = await readZip(writeZip(entries));
		expect(read.map((e) => e.name)).toEqual(entries.map((e) => e.name));
		expect(text(read[0].data)).toBe('hello');
		expect([...read[1].data]).toEqual([0, 1, 2, 255]);
		expect(read[2].data.length).toBe(0);
		expect(text(read[3].data)).toBe('caf\u00e9 \u20ac');
	});

	it('writes archives an independent reader accepts (CRCs checked)', () => {
		const read = simZip.readZip(writeZip(entries));
		expect(read.map((e) => [e.name, e.data.toString('utf8')])).toEqual([
			['a.txt', 'hello'],
			['dir/b.bin', Buffer.from([0, 1, 2, 255]).toString('utf8')],
			['empty', ''],
			['gr\u00fc\u00dfe.txt', 'caf\u00e9 \u20ac'],
		]);
	});

	it('reads DEFLATE and STORE entries written by an independent writer', async () => {
		// Varied text (a seeded word salad) compresses like real content, well under the ratio guard.
		let seed = 7;
		const words = ['the', 'quick', 'brown', 'fox', 'jumps', 'over', 'lazy', 'dog', 'MMS', 'part', 'zip', 'data'];
		const big = Array.from({ length: 100_000 }, () => {
			seed = (seed * 1103515245 + 12345) >>> 0;
			return words[seed % words.length] + String(seed % 97);
		}).join(' ');
		const bytes = simZip.writeZip([
			{ name: 'big.txt', data: big },
			{ name: 'raw.bin', data: Buffer.from([9, 8, 7]), method: 'store' },
		]);
		const read = await readZip(bytes);
		expect(text(read[0].data)).toBe(big);
		expect([...read[1].data]).toEqual([9, 8, 7]);
	});

	it('accepts a Buffer view into a larger buffer', async () => {
		const inner = writeZip([{ name: 'x', data: 'y' }]);
		const outer = new Uint8Array(inner.length + 10);
		outer.set(inner, 5);
		const read = await readZip(outer.subarray(5, 5 + inner.length));
		expect(text(read[0].data)).toBe('y');
	});
});

describe('readZip refuses hostile or broken archives', () => {
	const one = (name: string) => forgeZip([{ name, data: utf8('x') }]);

	it.each([
		['../evil', 'a ".." segment'],
		['a/../../evil', 'a ".." segment'],
		['/etc/passwd', 'an absolute path'],
		['C:evil', 'a drive letter'],
		['dir\\evil', 'a backslash'],
		['bad\u0001name', 'control characters'],
		['a//b', 'an empty or "." segment'],
		['./a', 'an empty or "." segment'],
	])('refuses the entry name %j', async (name, why) => {
		const error = await zipError(readZip(one(name)));
		expect(error.code).toBe('ZIP_BAD_NAME');
		expect(error.message).toBe(`Zip entry ${JSON.stringify(name)} is refused: the name contains ${why}`.replace('contains an absolute', 'is an absolute').replace('contains a drive', 'starts with a drive'));
	});

	it('refuses too many entries', async () => {
		const many = forgeZip(Array.from({ length: 101 }, (_, i) => ({ name: `f${i}`, data: utf8('x') })));
		const error = await zipError(readZip(many));
		expect(error).toMatchObject({ code: 'ZIP_TOO_MANY_ENTRIES', message: 'The zip has 101 entries; at most 100 are accepted' });
		await expect(readZip(many, { maxEntries: 200 })).resolves.toHaveLength(101);
	});

	it('refuses more declared bytes than the total limit', async () => {
		const zip = forgeZip([
			{ name: 'a', data: new Uint8Array(600) },
			{ name: 'b', data: new Uint8Array(600) },
		]);
		const error = await zipError(readZip(zip, { maxTotalBytes: 1000 }));
		expect(error).toMatchObject({ code: 'ZIP_TOO_LARGE', message: 'The zip unpacks to more than 1000 bytes' });
	});

	it('refuses a compression bomb by its ratio', async () => {
		const zeros = new Uint8Array(10 * 1024 * 1024);
		const packed = await deflateRaw(zeros);
		const bomb = forgeZip([{ name: 'zeros', data: packed, method: 8, size: zeros.length, crc: crc32(zeros) }]);
		const error = await zipError(readZip(bomb));
		expect(error.code).toBe('ZIP_RATIO');
		expect(error.message).toMatch(/^Zip entry "zeros" expands \d+-fold; at most 100-fold is accepted$/);
	});

	it('stops inflating at the declared size when the header lies', async () => {
		const zeros = new Uint8Array(2 * 1024 * 1024);
		const packed = await deflateRaw(zeros);
		const liar = forgeZip([{ name: 'liar', data: packed, method: 8, size: 1000, crc: 0 }]);
		const error = await zipError(readZip(liar));
		expect(error).toMatchObject({ code: 'ZIP_TOO_LARGE', message: 'Zip entry "liar" inflates past 1000 bytes (more than its header declares or the limit allows)' });
	});

	it('refuses overlapping entries', async () => {
		const zip = forgeZip([
			{ name: 'a', data: utf8('same') },
			{ name: 'b', data: utf8('same'), localOffset: 0 },
		]);
		const error = await zipError(readZip(zip));
		expect(error.code).toBe('ZIP_CORRUPT');
		expect(error.message).toMatch(/overlap/);
	});

	it.each([
		['a duplicate name', forgeZip([{ name: 'a', data: utf8('1') }, { name: 'a', data: utf8('2') }]), 'ZIP_DUPLICATE_NAME', 'The zip holds "a" twice'],
		['an encrypted entry', forgeZip([{ name: 'a', data: utf8('1'), flags: 1 }]), 'ZIP_UNSUPPORTED', 'Zip entry "a" is encrypted'],
		['an unknown method', forgeZip([{ name: 'a', data: utf8('1'), method: 12 }]), 'ZIP_UNSUPPORTED', 'Zip entry "a" uses compression method 12; only STORE (0) and DEFLATE (8) are supported'],
		['a wrong CRC', forgeZip([{ name: 'a', data: utf8('1'), crc: 1234 }]), 'ZIP_CRC', 'Zip entry "a" fails its CRC-32 check'],
		['a ZIP64 marker', forgeZip([{ name: 'a', data: utf8('1') }], { count: 0xffff }), 'ZIP_UNSUPPORTED', 'ZIP64 archives are not supported'],
		['a central directory outside the file', forgeZip([{ name: 'a', data: utf8('1') }], { cdOffset: 5000 }), 'ZIP_CORRUPT', 'The zip central directory lies outside the archive'],
		['no zip at all', utf8('this is not a zip archive, just text that is long enough'), 'ZIP_CORRUPT', 'Not a zip archive: no end-of-central-directory record'],
		['a tiny input', utf8('PK'), 'ZIP_CORRUPT', 'Not a zip archive: only 2 bytes'],
		['damaged DEFLATE data', forgeZip([{ name: 'a', data: Uint8Array.from([0xff, 0xff, 0xff, 0xff]), method: 8, size: 10 }]), 'ZIP_CORRUPT', 'Zip entry "a" holds damaged DEFLATE data'],
	])('refuses %s', async (_label, bytes, code, message) => {
		const error = await zipError(readZip(bytes));
		expect(error).toMatchObject({ code, message });
	});

	it('refuses a truncated archive', async () => {
		const whole = writeZip([{ name: 'a.txt', data: 'hello world' }]);
		const error = await zipError(readZip(whole.subarray(0, whole.length - 30)));
		expect(error.code).toBe('ZIP_CORRUPT');
	});

	it('refuses input that is not bytes', async () => {
		const error = await zipError(readZip('PK' as never));
		expect(error.code).toBe('ZIP_INVALID_INPUT');
	});
});

describe('manifest', () => {
	it('builds one name=type line per part with Java-properties escaping', () => {
		expect(buildManifest([
			{ name: 'demo.gif', mimeType: 'image/gif' },
			{ name: 'a b=c:d', mimeType: 'text/plain; charset=utf-8' },
			{ name: 'caf\u00e9', mimeType: 'text/plain' },
		])).toBe('demo.gif=image/gif\na\\ b\\=c\\:d=text/plain; charset=utf-8\ncaf\\u00E9=text/plain\n');
	});

	it('parses the documented example and Java-properties syntax', () => {
		const example = 'demo.sml=application/smil\ndemo.mid=audio/midi\ndemo.gif=image/gif\ndemo.txt=text/plain\n';
		expect(parseManifest(example).map((e) => e.name)).toEqual(['demo.sml', 'demo.mid', 'demo.gif', 'demo.txt']);
		const tricky = '\uFEFF# comment\r\n! another\r\n  spaced.png : image/png\r\ncolon.txt:text/plain\nws.txt text/plain\nlong.txt = text/\\\n    plain\nesc\\ name\\=x=image/jpeg\nuni\\u00e9=text/plain\nspaced.png=image/webp\n\n';
		expect(parseManifest(tricky)).toEqual([
			{ name: 'spaced.png', mimeType: 'image/webp' },
			{ name: 'colon.txt', mimeType: 'text/plain' },
			{ name: 'ws.txt', mimeType: 'text/plain' },
			{ name: 'long.txt', mimeType: 'text/plain' },
			{ name: 'esc name=x', mimeType: 'image/jpeg' },
			{ name: 'uni\u00e9', mimeType: 'text/plain' },
		]);
	});

	it('round-trips through the independent parser', () => {
		const entries = [
			{ name: 'x.jpg', mimeType: 'image/jpeg' },
			{ name: 'y z.txt', mimeType: 'text/plain' },
		];
		expect(simZip.parseManifest(buildManifest(entries))).toEqual(entries);
		expect(parseManifest(simZip.writeManifest(entries))).toEqual(entries);
	});

	it('refuses an entry without a MIME type', () => {
		expect(() => parseManifest('lonely.txt\n')).toThrow(ZipError);
		expect(() => parseManifest('lonely.txt\n')).toThrow('The manifest gives no MIME type for "lonely.txt"');
	});

	it('decodes Latin-1 bytes when the manifest is not UTF-8', () => {
		expect(parseManifest(Uint8Array.from([...utf8('caf'), 0xe9, ...utf8('=text/plain\n')]))).toEqual([{ name: 'caf\u00e9', mimeType: 'text/plain' }]);
	});
});

describe('MMS zips', () => {
	const parts = [
		{ name: 'hello.txt', mimeType: 'text/plain', data: 'Hi \u20ac' },
		{ name: 'pic.gif', mimeType: 'image/gif', data: Uint8Array.from([0x47, 0x49, 0x46, 0x38]) },
	];

	it('builds manifest first, then the parts, readable by both readers', async () => {
		const bytes = buildMmsZip(parts);
		const ours = await readMmsZip(bytes);
		expect(ours.parts.map((p) => [p.name, p.mimeType])).toEqual([
			['hello.txt', 'text/plain'],
			['pic.gif', 'image/gif'],
		]);
		expect(text(ours.parts[0].data)).toBe('Hi \u20ac');
		expect(ours.unlisted).toEqual([]);
		const theirs = simZip.readMmsZip(bytes);
		expect(theirs.manifest).toEqual([
			{ name: 'hello.txt', mimeType: 'text/plain' },
			{ name: 'pic.gif', mimeType: 'image/gif' },
		]);
		expect(simZip.readZip(bytes)[0].name).toBe('manifest');
	});

	it('reads a DEFLATE MMS zip from the independent writer, in manifest order', async () => {
		const bytes = simZip.buildMmsZip([
			{ name: 'b.txt', mimeType: 'text/plain', data: 'second' },
			{ name: 'a.jpg', mimeType: 'image/jpeg', data: Buffer.from([1, 2, 3]) },
		]);
		const mms = await readMmsZip(bytes);
		expect(mms.parts.map((p) => p.name)).toEqual(['b.txt', 'a.jpg']);
	});

	it('reports unlisted entries and refuses a missing manifest or a missing file', async () => {
		const extra = writeZip([
			{ name: 'manifest', data: 'a.txt=text/plain\n' },
			{ name: 'a.txt', data: 'A' },
			{ name: 'stray.bin', data: 'S' },
		]);
		expect((await readMmsZip(extra)).unlisted).toEqual(['stray.bin']);
		const noManifest = await zipError(readMmsZip(writeZip([{ name: 'a.txt', data: 'A' }])));
		expect(noManifest).toMatchObject({ code: 'MANIFEST_MISSING', message: 'The MMS zip has no "manifest" file' });
		const missing = await zipError(readMmsZip(writeZip([{ name: 'manifest', data: 'a.txt=text/plain\nb.gif=image/gif\n' }, { name: 'a.txt', data: 'A' }])));
		expect(missing).toMatchObject({ code: 'MANIFEST_MISSING_FILE', message: 'The manifest lists "b.gif", which is not in the zip' });
	});

	it('refuses part names that do not belong in a flat MMS zip', () => {
		expect(() => buildMmsZip([{ name: '../x', mimeType: 'text/plain', data: '' }])).toThrow('MMS part "../x": use 1-128 ASCII letters');
		expect(() => buildMmsZip([{ name: 'manifest', mimeType: 'text/plain', data: '' }])).toThrow('"manifest" is reserved');
		expect(() => buildMmsZip([{ name: 'a.txt', mimeType: 'nonsense', data: '' }])).toThrow('give a MIME type');
		expect(() =>
			buildMmsZip([
				{ name: 'a.txt', mimeType: 'text/plain', data: '' },
				{ name: 'a.txt', mimeType: 'text/plain', data: '' },
			]),
		).toThrow('Two MMS parts are named "a.txt"');
	});
});
