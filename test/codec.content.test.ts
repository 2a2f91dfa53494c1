import {
	ContentFieldError,
	SmsCodecError,
	maxDatagramOctets,
	mmsNotification,
	vcardMessage,
	wapPushSi,
	type ContentEncodeOptions,
	type ContentMessage,
	type MmsNotificationInput,
	type SiAction,
	type WapPushSiInput,
} from '../index';
import {
	DecodeError,
	decodeContentMessage,
	decodeMmsNotification,
	decodeSegment,
	decodeServiceIndication,
	decodeUserData,
	decodeWspPush,
	fromHex,
	parseVcard,
	reassemble,
	toHex,
	vcardValues,
	type DecodedContent,
} from './helpers/contentDecoder';

const SI_ACTION_LIST: SiAction[] = ['signal-none', 'signal-low', 'signal-medium', 'signal-high', 'delete'];

/** Deterministic pseudo-random numbers (mulberry32), so failures reproduce. */
function random(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

const SAMPLE_CHARS = [...'abcXYZ019 -_.~/?=&#%:@!$()*+,;', 'é', 'ß', 'Ω', 'Ж', '中', '文', '😀', '🚀', '€', 'ü', '\u00a0'];

function randomText(next: () => number, length: number, pool = SAMPLE_CHARS): string {
	let out = '';
	for (let i = 0; i < length; i++) out += pool[Math.floor(next() * pool.length)];
	return out;
}

function pick<T>(next: () => number, items: readonly T[]): T {
	return items[Math.floor(next() * items.length)];
}

interface Framing {
	destination: number;
	source: number;
	concatRef?: 8 | 16;
}

/** Checks every part against 23.040 and the project's framing decisions. */
function expectFraming(message: ContentMessage, framing: Framing): void {
	const { parts } = message;
	expect(parts.length).toBeGreaterThanOrEqual(1);
	expect(parts.length).toBeLessThanOrEqual(255);
	const concatRef = framing.concatRef ?? 8;
	const segments = parts.map((part) => {
		expect(part.udh).toMatch(/^(?:[0-9A-F]{2})+$/u);
		expect(part.payload).toMatch(/^(?:[0-9A-F]{2})+$/u);
		const udh = fromHex(part.udh);
		expect(udh[0]).toBe(udh.length - 1);
		expect(udh.length + part.payload.length / 2).toBeLessThanOrEqual(140);
		return decodeSegment(part);
	});
	const portElement = segments[0].elements.find((e) => e.iei === 0x05);
	for (const [i, segment] of segments.entries()) {
		expect(segment.ports).toEqual({ destination: framing.destination, source: framing.source, bits: 16 });
		// The identical 16-bit port element in every part, and the port element first.
		expect(segment.elements[0].iei).toBe(0x05);
		expect(toHex(segment.elements[0].data)).toBe(toHex(portElement?.data ?? []));
		if (parts.length === 1) {
			expect(segment.elements).toHaveLength(1);
			expect(segment.concatenation).toBeUndefined();
		} else {
			expect(segment.elements).toHaveLength(2);
			expect(segment.elements[1].iei).toBe(concatRef === 8 ? 0x00 : 0x08);
			expect(segment.concatenation).toMatchObject({ total: parts.length, sequence: i + 1, bits: concatRef });
			expect(segment.concatenation?.reference).toBe(segments[0].concatenation?.reference);
			// Parts are filled: only the last may be short.
			if (i < parts.length - 1) expect(segment.userDataOctets).toBe(140);
		}
	}
}

function decodeAs<K extends DecodedContent['kind']>(message: ContentMessage, kind: K): Extract<DecodedContent, { kind: K }> {
	const decoded = decodeContentMessage(message);
	expect(decoded.kind).toBe(kind);
	return decoded as Extract<DecodedContent, { kind: K }>;
}

function expectFieldError(run: () => unknown, field: string, code: 'INVALID_ARGUMENT' | 'TOO_MANY_PARTS' = 'INVALID_ARGUMENT'): ContentFieldError {
	let caught: unknown;
	try {
		run();
	} catch (error) {
		caught = error;
	}
	expect(caught).toBeInstanceOf(ContentFieldError);
	expect(caught).toBeInstanceOf(SmsCodecError);
	const error = caught as ContentFieldError;
	expect({ field: error.field, code: error.code }).toEqual({ field, code });
	expect(error.message).toContain(field.replace(/\[\d+\]$/u, ''));
	return error;
}

describe('worked examples of the reference sheet (byte for byte)', () => {
	it('SI in one segment', () => {
		const message = wapPushSi({ href: 'https://www.example.com/a', text: 'Hello', siId: '42', created: '2024-06-01T12:30:00Z' });
		expect(message).toEqual({
			parts: [
				{
					udh: '0605040B8423F0',
					payload: '010601AE02056A0045C60F036578616D706C65008503610011033432000AC306202406011230010348656C6C6F000101',
				},
			],
		});
		expect((message.parts[0].udh.length + message.parts[0].payload.length) / 2).toBe(55);
	});

	it('M-Notification.ind in one segment (From with or without /TYPE=PLMN)', () => {
		const expected = {
			parts: [
				{
					udh: '0605040B8423F0',
					payload:
						'010603BEAF848C82985431008D928917802B343531323334353637382F545950453D504C4D4E00964869008A808E0230398805810301518083687474703A2F2F6D6D73632E6578616D706C652E636F6D2F6D3100',
				},
			],
		};
		const input: MmsNotificationInput = {
			contentLocation: 'http://mmsc.example.com/m1',
			transactionId: 'T1',
			from: '+4512345678/TYPE=PLMN',
			subject: 'Hi',
			size: 12345,
			expiry: 86400,
		};
		expect(mmsNotification(input)).toEqual(expected);
		expect(mmsNotification({ ...input, from: '+4512345678' })).toEqual(expected);
		expect(mmsNotification({ ...input, from: '+4512345678', messageClass: 'personal' })).toEqual(expected);
	});

	it('SI over two segments with reference 0x2A', () => {
		const message = wapPushSi(
			{ href: `http://www.example.org/${'news/'.repeat(24)}`, text: 'Read the whole story', action: 'signal-high' },
			{ reference: 0x2a },
		);
		expect(message.parts).toHaveLength(2);
		expect(message.parts[0].udh).toBe('0B05040B8423F000032A0201');
		expect(message.parts[0].payload).toBe(`010601AE02056A0045C60D036578616D706C650088036E6577732F${'6E6577732F'.repeat(20)}6E`);
		expect(message.parts[0].payload.length / 2).toBe(128);
		expect(message.parts[1].udh).toBe('0B05040B8423F000032A0202');
		expect(message.parts[1].payload).toBe('6577732F6E6577732F6E6577732F0008010352656164207468652077686F6C652073746F7279000101');
	});

	it('vCard on port 9204', () => {
		const message = vcardMessage('BEGIN:VCARD\nVERSION:2.1\nN:Doe;John\nTEL;CELL:+4512345678\nEND:VCARD');
		expect(message).toEqual({
			parts: [
				{
					udh: '06050423F40000',
					payload:
						'424547494E3A56434152440D0A56455253494F4E3A322E310D0A4E3A446F653B4A6F686E0D0A54454C3B43454C4C3A2B343531323334353637380D0A454E443A56434152440D0A',
				},
			],
		});
	});
});

describe('the test decoder reads published third-party dumps', () => {
	it('an SI with a general-form content type, 8-bit concatenation 1/1 and a non-WSP source port', () => {
		const userData = fromHex(
			'0B05040B84C0020003F00101' +
				'0B060403AE81EA02056A0045C60C036D6F62696C65746964696E67732E636F6D2F000AC30620090226162510C3062009030416250103436865636B206F7574204D6F62696C6520546964696E677321000101',
		);
		const segment = decodeUserData(userData);
		expect(segment.ports).toEqual({ destination: 2948, source: 49154, bits: 16 });
		expect(segment.concatenation).toEqual({ reference: 0xf0, total: 1, sequence: 1, bits: 8 });
		const push = decodeWspPush(reassemble([segment]).data);
		expect(push.transactionId).toBe(0x0b);
		expect(push.contentType).toEqual({ media: 'application/vnd.wap.sic', code: 0x2e, form: 'general', charset: 106 });
		expect(decodeServiceIndication(push.body)).toMatchObject({
			href: 'http://mobiletidings.com/',
			created: '2009-02-26T16:25:00Z',
			expires: '2009-03-04T16:25:00Z',
			text: 'Check out Mobile Tidings!',
		});
	});

	it('a one-segment SI sample with TID 0xDC', () => {
		const decoded = decodeContentMessage({
			parts: [{ udh: '0605040B8423F0', payload: 'DC0601AE02056A0045C60C037777772E323463726F2E636F6D2F6D757369632E6769660001034D75736963000101' }],
		});
		expect(decoded.kind).toBe('si');
		if (decoded.kind !== 'si') return;
		expect(decoded.push.transactionId).toBe(0xdc);
		expect(decoded.si).toMatchObject({ href: 'http://www.24cro.com/music.gif', text: 'Music' });
		expect(decoded.si.action).toBeUndefined();
	});

	it('the SI example document of the specification, re-encoded', () => {
		const si = decodeServiceIndication(
			fromHex(
				'02056A0045C60D0378797A008503656D61696C2F3132332F6162632E776D6C000AC3071999062515231510C304209906300103596F7520686176652034206E657720652D6D61696C73000101',
			),
		);
		expect(si).toMatchObject({
			href: 'http://www.xyz.com/email/123/abc.wml',
			created: '1999-06-25T15:23:15Z',
			expires: '2099-06-30T00:00:00Z',
			text: 'You have 4 new e-mails',
			attributeOrder: ['href', 'created', 'si-expires'],
		});
	});

	it('is strict where the specifications are', () => {
		// UDHL larger than the header that follows.
		expect(() => decodeSegment({ udh: '0705040B8423F0', payload: '00' })).toThrow(DecodeError);
		// A concatenation element cut short.
		expect(() => decodeUserData(fromHex('0500020101FF'))).toThrow(DecodeError);
		// Quote before a Text-string that starts below 128.
		expect(() => decodeMmsNotification(fromHex('8C82987F5400'))).toThrow(/Quote/u);
		// Long-integer with a needless leading zero octet.
		expect(() =>
			decodeMmsNotification(fromHex('8C829854008D928A808E0200058805810301518083687474703A2F2F6D00')),
		).toThrow(/minimum/u);
		// Parts of different messages do not reassemble.
		const a = wapPushSi({ href: `http://x.example/${'a'.repeat(300)}`, text: 'a' }, { reference: 1 });
		const b = wapPushSi({ href: `http://x.example/${'a'.repeat(300)}`, text: 'a' }, { reference: 2 });
		expect(() => decodeContentMessage({ parts: [a.parts[0], b.parts[1], a.parts[2]] })).toThrow(DecodeError);
	});

	it('reassembles parts given out of order', () => {
		const href = `https://example.com/${'segment/'.repeat(60)}`;
		const message = wapPushSi({ href, text: 'Shuffled' });
		expect(message.parts.length).toBeGreaterThan(2);
		const shuffled = { parts: [...message.parts].reverse() };
		expect(decodeAs(shuffled, 'si').si.href).toBe(href);
	});
});

describe('wapPushSi', () => {
	const hrefs = [
		'https://www.example.com/a',
		'https://example.com/',
		'http://www.example.org/',
		'http://example.net/x.org/y.edu/z',
		'HTTP://WWW.EXAMPLE.COM/upper',
		'Https://Www.example.com/mixed',
		'ftp://files.example.edu/',
		'tel:+4512345678',
		'https://例え.jp/パス?q=ü',
		'http://',
		'https://www.',
		'http://a.com/.com/.com/.comx/.co/',
		'https://example.com/?q=a&b=c#frag',
	];

	it.each(hrefs)('round-trips href %s', (href) => {
		const message = wapPushSi({ href, text: 'Open' });
		expectFraming(message, { destination: 2948, source: 9200 });
		const { push, si } = decodeAs(message, 'si');
		expect(push.pduType).toBe(0x06);
		expect(push.contentType).toMatchObject({ code: 0x2e, form: 'short-integer' });
		expect(push.headers).toEqual([]);
		expect(si).toMatchObject({ href, text: 'Open', wbxmlVersion: { major: 1, minor: 2 }, publicId: 5, charset: 106 });
		expect(si.siId).toBeUndefined();
		expect(si.created).toBeUndefined();
		expect(si.expires).toBeUndefined();
		expect(si.action).toBeUndefined();
	});

	it('uses the href prefix and value tokens only for exact matches', () => {
		const hex = (href: string) => wapPushSi({ href, text: 't' }).parts[0].payload;
		// https://www. is 0x0F, then ".com/" is the value token 0x85.
		expect(hex('https://www.a.com/')).toContain('C60F036100850103');
		// Capitals are not the token: 0x0B and one inline string.
		expect(hex('HTTPS://WWW.A.COM/')).toContain(`C60B03${toHex(new TextEncoder().encode('HTTPS://WWW.A.COM/'))}00`);
	});

	it.each([
		['Hello'],
		['Grüße 👋 — ünïcödé'],
		['line one\nline two\r\nline three'],
		['\ttabbed'],
		['中文短信'],
		['x'.repeat(500)],
	])('round-trips text %j', (text) => {
		const message = wapPushSi({ href: 'https://example.com/', text });
		expectFraming(message, { destination: 2948, source: 9200 });
		expect(decodeAs(message, 'si').si.text).toBe(text);
	});

	it.each(SI_ACTION_LIST)('round-trips action %s with every optional field', (action) => {
		const input: WapPushSiInput = {
			href: 'https://example.com/news',
			text: 'News',
			siId: 'news-1',
			created: '2024-06-01T12:30:00Z',
			expires: '2024-06-08T00:00:00Z',
			action,
		};
		const { si } = decodeAs(wapPushSi(input), 'si');
		expect(si).toMatchObject({ href: input.href, text: input.text, siId: 'news-1', created: input.created, expires: input.expires, action });
		expect(si.attributeOrder).toEqual(['href', 'si-id', 'created', 'si-expires', 'action']);
	});

	it.each([
		['2024-06-01T12:30:00Z', '0AC306202406011230'],
		['1999-06-25T15:23:15Z', '0AC3071999062515231501'],
		['1999-06-30T00:00:00Z', '0AC30419990630'],
		['2000-01-01T00:00:00Z', '0AC30420000101'],
		['2024-12-31T23:59:59Z', '0AC3072024123123595901'],
		['2024-02-29T10:00:00Z', '0AC30520240229100'],
	])('encodes created %s as OPAQUE BCD without trailing zero octets', (created, fragment) => {
		const message = wapPushSi({ href: 'https://example.com/', text: 'T', created });
		expect(message.parts[0].payload).toContain(fragment);
		expect(decodeAs(message, 'si').si.created).toBe(created);
	});

	it('accepts a zero fraction of a second (Date#toISOString) and drops it', () => {
		const created = new Date(Date.UTC(2024, 5, 1, 12, 30, 0)).toISOString();
		expect(created).toBe('2024-06-01T12:30:00.000Z');
		expect(decodeAs(wapPushSi({ href: 'https://example.com/', text: 'T', created }), 'si').si.created).toBe('2024-06-01T12:30:00Z');
	});

	it('splits long hrefs over as many parts as needed, 128 octets each', () => {
		for (const length of [100, 200, 400, 1000, 5000, 20000]) {
			const href = `https://example.com/${'p'.repeat(length)}`;
			const message = wapPushSi({ href, text: 'Long link', siId: 'long' });
			expectFraming(message, { destination: 2948, source: 9200 });
			expect(decodeAs(message, 'si').si).toMatchObject({ href, text: 'Long link', siId: 'long' });
		}
	});

	it('round-trips 300 random SIs', () => {
		const next = random(0x51);
		for (let i = 0; i < 300; i++) {
			const host = randomText(next, 1 + Math.floor(next() * 12), [...'abcdefghijklmnopqrstuvwxyz0123456789-']);
			const scheme = pick(next, ['http://', 'https://', 'http://www.', 'https://www.', 'HTTP://', 'mailto:', 'ftp://']);
			const tld = pick(next, ['.com/', '.org/', '.net/', '.edu/', '.co/', '.de/', '']);
			const path = randomText(next, Math.floor(next() * (next() < 0.2 ? 600 : 40)), SAMPLE_CHARS.filter((c) => c.trim() !== ''));
			const href = `${scheme}${host}${tld}${path}`;
			const input: WapPushSiInput = { href, text: randomText(next, 1 + Math.floor(next() * 80)) };
			if (next() < 0.5) input.siId = randomText(next, 1 + Math.floor(next() * 10));
			const base = Date.UTC(1990, 0, 1) + Math.floor(next() * 40 * 365 * 86400) * 1000;
			if (next() < 0.5) input.created = new Date(base).toISOString().replace('.000Z', 'Z');
			if (next() < 0.5) input.expires = new Date(base + 1000 + Math.floor(next() * 86400 * 30) * 1000).toISOString().replace('.000Z', 'Z');
			if (next() < 0.5) input.action = pick(next, SI_ACTION_LIST);
			const message = wapPushSi(input);
			expectFraming(message, { destination: 2948, source: 9200 });
			const { si } = decodeAs(message, 'si');
			expect({ href: si.href, text: si.text, siId: si.siId, created: si.created, expires: si.expires, action: si.action }).toEqual({
				href: input.href,
				text: input.text,
				siId: input.siId,
				created: input.created,
				expires: input.expires,
				action: input.action,
			});
		}
	});
});

describe('mmsNotification', () => {
	const base: MmsNotificationInput = { contentLocation: 'http://mmsc.example.com/m/1', size: 1000, expiry: 3600 };

	function decodeNotification(input: MmsNotificationInput, options?: ContentEncodeOptions) {
		const message = mmsNotification(input, options);
		expectFraming(message, { destination: 2948, source: 9200, concatRef: options?.concatRef });
		const decoded = decodeAs(message, 'mms-notification');
		expect(decoded.push.contentType).toMatchObject({ media: 'application/vnd.wap.mms-message', code: 0x3e });
		expect(decoded.push.applicationId).toBe('x-wap-application:mms.ua');
		return decoded.notification;
	}

	it('sends the mandatory fields with the defaults', () => {
		const n = decodeNotification(base);
		expect(n).toMatchObject({
			messageType: 'm-notification-ind',
			version: { major: 1, minor: 2 },
			messageClass: 'personal',
			size: 1000,
			expiry: { relative: true, value: 3600, shortIntegerForm: false },
			contentLocation: base.contentLocation,
		});
		expect(n.order.slice(0, 3)).toEqual([0x0c, 0x18, 0x0d]);
		expect(n.from).toBeUndefined();
		expect(n.subject).toBeUndefined();
		expect(n.transactionId).toMatch(/^[\x21-\x7e]+$/u);
	});

	it('derives the transaction id from the content location (resends are byte-identical)', () => {
		const first = decodeNotification(base).transactionId;
		expect(decodeNotification(base).transactionId).toBe(first);
		expect(mmsNotification(base)).toEqual(mmsNotification({ ...base }));
		expect(decodeNotification({ ...base, contentLocation: 'http://mmsc.example.com/m/2' }).transactionId).not.toBe(first);
		expect(decodeNotification({ ...base, transactionId: 'abc-123' }).transactionId).toBe('abc-123');
	});

	it.each([
		['+4512345678', '+4512345678/TYPE=PLMN'],
		['4512345678', '4512345678/TYPE=PLMN'],
		['+4512345678/TYPE=PLMN', '+4512345678/TYPE=PLMN'],
		['alice@example.com', 'alice@example.com'],
		['192.0.2.1/TYPE=IPv4', '192.0.2.1/TYPE=IPv4'],
		['jürgen@exämple.de', 'jürgen@exämple.de'],
	])('sends From %s as %s', (from, sent) => {
		const n = decodeNotification({ ...base, from });
		expect(n.from).toBe(sent);
		expect(n.from?.replace(/\/TYPE=PLMN$/u, '')).toBe(from.replace(/\/TYPE=PLMN$/u, ''));
		expect(n.fromInsertToken).toBeUndefined();
	});

	it.each([
		['Hi', undefined],
		['Holiday photos from the beach house, all of them', undefined],
		['Ünïcode first', 106],
		['Photos from Århus', 106],
		['🎉 party pictures 🎉 and a long enough subject to need a length quote', 106],
		['中文主题', 106],
	])('round-trips subject %j', (subject, charset) => {
		const n = decodeNotification({ ...base, subject });
		expect(n.subject).toBe(subject);
		expect(n.subjectCharset).toBe(charset);
	});

	it('quotes a UTF-8 subject that starts with a non-ASCII octet, and only then', () => {
		const quoted = mmsNotification({ ...base, subject: 'Ü' }).parts[0].payload;
		expect(quoted).toContain('9605EA7FC39C00');
		const plain = mmsNotification({ ...base, subject: 'aÜ' }).parts[0].payload;
		expect(plain).toContain('9605EA61C39C00');
	});

	it.each([0, 1, 127, 128, 255, 256, 65535, 65536, 16777216, 4294967295])('sends size %d as a minimal Long-integer', (size) => {
		expect(decodeNotification({ ...base, size }).size).toBe(size);
	});

	it.each([1, 30, 127, 128, 86400, 604800, 4294967295])('sends expiry %d as relative Long-integer seconds', (expiry) => {
		expect(decodeNotification({ ...base, expiry }).expiry).toEqual({ relative: true, value: expiry, shortIntegerForm: false });
	});

	it.each(['personal', 'advertisement', 'informational', 'auto'] as const)('sends message class %s', (messageClass) => {
		expect(decodeNotification({ ...base, messageClass }).messageClass).toBe(messageClass);
	});

	it('splits a long content location over several parts', () => {
		for (const length of [150, 400, 3000]) {
			const contentLocation = `https://mmsc.example.com/${'x'.repeat(length)}`;
			const n = decodeNotification({ ...base, contentLocation, subject: 'Long' });
			expect(n.contentLocation).toBe(contentLocation);
		}
	});

	it('round-trips 200 random notifications', () => {
		const next = random(0x3a);
		const classes = ['personal', 'advertisement', 'informational', 'auto'] as const;
		for (let i = 0; i < 200; i++) {
			const input: MmsNotificationInput = {
				contentLocation: `http://mmsc.example.com/${randomText(next, Math.floor(next() * 300), [...'abcdefXYZ0123456789-._~/?=&%'])}`,
				size: Math.floor(next() * 2 ** 32),
				expiry: 1 + Math.floor(next() * (2 ** 32 - 1)),
			};
			if (next() < 0.5) input.transactionId = randomText(next, 1 + Math.floor(next() * 20), [...'abcXYZ0123456789-_.:']);
			if (next() < 0.5) input.from = pick(next, ['+4512345678', 'bob@example.org', '4798765432', '+1555000111/TYPE=PLMN']);
			if (next() < 0.5) input.subject = randomText(next, 1 + Math.floor(next() * 60));
			if (next() < 0.5) input.messageClass = pick(next, classes);
			const n = decodeNotification(input, next() < 0.3 ? { concatRef: 16 } : undefined);
			expect(n.contentLocation).toBe(input.contentLocation);
			expect(n.size).toBe(input.size);
			expect(n.expiry.value).toBe(input.expiry);
			expect(n.subject).toBe(input.subject);
			expect(n.messageClass).toBe(input.messageClass ?? 'personal');
			if (input.transactionId !== undefined) expect(n.transactionId).toBe(input.transactionId);
			expect(n.from?.replace(/\/TYPE=PLMN$/u, '')).toBe(input.from?.replace(/\/TYPE=PLMN$/u, ''));
		}
	});
});

describe('vcardMessage', () => {
	function decodeCard(message: ContentMessage) {
		expectFraming(message, { destination: 9204, source: 0 });
		const { vcard, datagram } = decodeAs(message, 'vcard');
		expect(vcard.crlf).toBe(true);
		return { vcard, text: new TextDecoder().decode(datagram.data) };
	}

	it('re-emits text with CR LF line ends, line for line', () => {
		const lines = ['BEGIN:VCARD', 'VERSION:3.0', 'N:Doe;John;;;', 'FN:John Doe', 'TEL;TYPE=CELL:+4512345678', 'EMAIL:john@example.com', 'END:VCARD'];
		for (const separator of ['\n', '\r\n', '\r']) {
			const { vcard, text } = decodeCard(vcardMessage(`\n\n${lines.join(separator)}${separator}\n`));
			expect(text).toBe(`${lines.join('\r\n')}\r\n`);
			expect(vcard.version).toBe('3.0');
			expect(vcardValues(vcard, 'FN')).toEqual(['John Doe']);
			expect(vcard.properties.find((p) => p.name === 'TEL')?.params.TYPE).toEqual(['CELL']);
		}
	});

	it('passes UTF-8 text through unchanged', () => {
		const input = 'BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=UTF-8;ENCODING=8BIT:Müller;Jürgen\r\nEND:VCARD\r\n';
		const { vcard, text } = decodeCard(vcardMessage(input));
		expect(text).toBe(input);
		expect(vcardValues(vcard, 'N')).toEqual(['Müller;Jürgen']);
	});

	it('builds a vCard 2.1 from fields', () => {
		const { vcard, text } = decodeCard(
			vcardMessage({
				fn: 'John Doe',
				n: 'Doe;John',
				tel: ['+4512345678', '+4587654321'],
				email: 'john@example.com',
				org: 'Example A/S;Sales',
				title: 'Manager',
				url: 'https://example.com/',
				note: 'Met at the fair',
			}),
		);
		expect(text).toBe(
			[
				'BEGIN:VCARD',
				'VERSION:2.1',
				'N:Doe;John',
				'FN:John Doe',
				'TEL:+4512345678',
				'TEL:+4587654321',
				'EMAIL:john@example.com',
				'ORG:Example A/S;Sales',
				'TITLE:Manager',
				'URL:https://example.com/',
				'NOTE:Met at the fair',
				'END:VCARD',
				'',
			].join('\r\n'),
		);
		expect(vcard.version).toBe('2.1');
		expect(vcardValues(vcard, 'TEL')).toEqual(['+4512345678', '+4587654321']);
	});

	it('derives N from FN when n is absent, escaping semicolons', () => {
		expect(vcardValues(decodeCard(vcardMessage({ fn: 'Jane' })).vcard, 'N')).toEqual(['Jane']);
		expect(vcardValues(decodeCard(vcardMessage({ fn: 'A;B' })).vcard, 'N')).toEqual(['A\\;B']);
	});

	it('marks non-ASCII values with CHARSET=UTF-8', () => {
		const { vcard } = decodeCard(vcardMessage({ fn: 'Jürgen Müller', org: '北京公司', tel: '+49301234' }));
		const fn = vcard.properties.find((p) => p.name === 'FN');
		expect(fn?.value).toBe('Jürgen Müller');
		expect(fn?.params.CHARSET).toEqual(['UTF-8']);
		expect(vcardValues(vcard, 'ORG')).toEqual(['北京公司']);
		expect(vcard.properties.find((p) => p.name === 'TEL')?.params.CHARSET).toBeUndefined();
	});

	it('sends a multi-line note as quoted-printable that decodes to the same text', () => {
		const note = `First line\nSecond = line, ünïcode 😀\r\n${'long '.repeat(40)}end `;
		const { vcard, text } = decodeCard(vcardMessage({ fn: 'Note Taker', note }));
		expect(vcardValues(vcard, 'NOTE')).toEqual([note]);
		for (const line of text.split('\r\n')) expect(line.length).toBeLessThanOrEqual(76);
	});

	it('splits a long vCard over several parts', () => {
		const note = 'x'.repeat(2000);
		const message = vcardMessage({ fn: 'Long', note });
		expect(message.parts.length).toBeGreaterThan(10);
		expect(vcardValues(decodeCard(message).vcard, 'NOTE')).toEqual([note]);
	});

	it('round-trips 150 random cards', () => {
		const next = random(0x7c);
		const single = SAMPLE_CHARS.filter((c) => c !== ';');
		for (let i = 0; i < 150; i++) {
			const fn = randomText(next, 1 + Math.floor(next() * 20), single);
			const tel = Array.from({ length: Math.floor(next() * 3) }, () => `+${Math.floor(next() * 1e10)}`);
			const note = next() < 0.5 ? randomText(next, 1 + Math.floor(next() * 200), [...SAMPLE_CHARS, '\n', '\r\n', '=']) : undefined;
			const { vcard } = decodeCard(vcardMessage({ fn, tel, note }));
			expect(vcardValues(vcard, 'FN')).toEqual([fn]);
			expect(vcardValues(vcard, 'TEL')).toEqual(tel);
			expect(vcardValues(vcard, 'NOTE')).toEqual(note === undefined ? [] : [note]);
		}
	});
});

describe('segmentation options', () => {
	const longSi: WapPushSiInput = { href: `https://example.com/${'z'.repeat(700)}`, text: 'Many parts' };

	it('derives the reference from the content by default (reproducible)', () => {
		const a = wapPushSi(longSi);
		expect(wapPushSi(longSi)).toEqual(a);
		const other = wapPushSi({ ...longSi, text: 'Other text' });
		const ref = (m: ContentMessage) => decodeSegment(m.parts[0]).concatenation?.reference;
		expect(ref(a)).toBeGreaterThanOrEqual(0);
		expect(ref(a)).toBeLessThanOrEqual(255);
		expect(ref(other)).not.toBe(ref(a));
	});

	it('takes an explicit 8-bit or 16-bit reference', () => {
		const eight = wapPushSi(longSi, { reference: 7 });
		expectFraming(eight, { destination: 2948, source: 9200 });
		expect(eight.parts.every((p) => p.udh.startsWith('0B05040B8423F0000307'))).toBe(true);

		const sixteen = wapPushSi(longSi, { reference: 0x1234, concatRef: 16 });
		expectFraming(sixteen, { destination: 2948, source: 9200, concatRef: 16 });
		expect(sixteen.parts[0].udh).toBe(`0C05040B8423F008041234${sixteen.parts.length.toString(16).toUpperCase().padStart(2, '0')}01`);
		expect(sixteen.parts[0].payload.length / 2).toBe(127);
		expect(decodeAs(sixteen, 'si').si.href).toBe(longSi.href);
	});

	it.each([
		[{ reference: 256 }],
		[{ reference: -1 }],
		[{ reference: 1.5 }],
		[{ reference: 65536, concatRef: 16 as const }],
		[{ concatRef: 12 as unknown as 8 }],
	])('rejects %j even when one part would do', (options) => {
		expect(() => wapPushSi({ href: 'https://example.com/', text: 'x' }, options)).toThrow(SmsCodecError);
		expect(() => vcardMessage({ fn: 'x' }, options)).toThrow(/reference|concatRef/u);
	});

	it('uses one part up to 133 payload octets and two from 134', () => {
		// A vCard datagram is the text itself, so its size is easy to steer.
		const card = (noteLength: number) => vcardMessage({ fn: 'A', note: 'n'.repeat(noteLength) });
		const overhead = fromHex(card(0 + 1).parts[0].payload).length - 1;
		const fits = card(133 - overhead);
		expect(fits.parts).toHaveLength(1);
		expect(fits.parts[0].payload.length / 2).toBe(133);
		const spills = card(134 - overhead);
		expect(spills.parts).toHaveLength(2);
		expect(spills.parts.map((p) => p.payload.length / 2)).toEqual([128, 6]);
	});
});

describe('the 255-part limit', () => {
	it('is 255 × 128 octets, or 255 × 127 with 16-bit references', () => {
		expect(maxDatagramOctets()).toBe(32640);
		expect(maxDatagramOctets(16)).toBe(32385);
	});

	it('fills exactly 255 parts and refuses one octet more, naming the field', () => {
		const si = (n: number) => wapPushSi({ href: `x:${'a'.repeat(n)}`, text: 'T' });
		const overhead = si(1).parts.reduce((total, p) => total + p.payload.length / 2, 0) - 1;
		const most = 32640 - overhead;
		const full = si(most);
		expect(full.parts).toHaveLength(255);
		expectFraming(full, { destination: 2948, source: 9200 });
		expect(decodeAs(full, 'si').si.href).toBe(`x:${'a'.repeat(most)}`);
		const error = expectFieldError(() => si(most + 1), 'href', 'TOO_MANY_PARTS');
		expect(error.message).toMatch(/255/u);
	});

	it('names contentLocation, note or the vCard text when they are too long', () => {
		expectFieldError(() => mmsNotification({ contentLocation: `http://m.example/${'l'.repeat(33000)}`, size: 1, expiry: 1 }), 'contentLocation', 'TOO_MANY_PARTS');
		expectFieldError(() => vcardMessage({ fn: 'A', note: 'n'.repeat(33000) }), 'note', 'TOO_MANY_PARTS');
		expectFieldError(() => vcardMessage(`BEGIN:VCARD\nVERSION:2.1\nNOTE:${'n'.repeat(33000)}\nEND:VCARD`), 'vcard', 'TOO_MANY_PARTS');
		expectFieldError(() => wapPushSi({ href: 'https://example.com/', text: 't'.repeat(40000) }), 'text', 'TOO_MANY_PARTS');
	});
});

describe('hostile input', () => {
	const si: WapPushSiInput = { href: 'https://example.com/', text: 'Hello' };
	const mms: MmsNotificationInput = { contentLocation: 'http://mmsc.example.com/1', size: 10, expiry: 60 };
	const siWith = (patch: Record<string, unknown>) => () => wapPushSi({ ...si, ...patch } as unknown as WapPushSiInput);
	const mmsWith = (patch: Record<string, unknown>) => () => mmsNotification({ ...mms, ...patch } as unknown as MmsNotificationInput);
	const card = (input: unknown) => () => vcardMessage(input as string);

	it.each([
		['not an object', () => wapPushSi(null as unknown as WapPushSiInput), 'input'],
		['a string', () => wapPushSi('https://example.com/' as unknown as WapPushSiInput), 'input'],
		['an array', () => wapPushSi([] as unknown as WapPushSiInput), 'input'],
		['no href', siWith({ href: undefined }), 'href'],
		['empty href', siWith({ href: '' }), 'href'],
		['numeric href', siWith({ href: 42 }), 'href'],
		['href without a scheme', siWith({ href: 'www.example.com' }), 'href'],
		['href with a space', siWith({ href: 'https://example.com/a b' }), 'href'],
		['href with NUL', siWith({ href: 'https://example.com/\u0000' }), 'href'],
		['href with a lone surrogate', siWith({ href: 'https://example.com/\ud800' }), 'href'],
		['no text', siWith({ text: undefined }), 'text'],
		['empty text', siWith({ text: '' }), 'text'],
		['text with NUL', siWith({ text: 'a\u0000b' }), 'text'],
		['text with a lone surrogate', siWith({ text: 'a\udc00' }), 'text'],
		['empty siId', siWith({ siId: '' }), 'siId'],
		['numeric siId', siWith({ siId: 42 }), 'siId'],
		['null siId', siWith({ siId: null }), 'siId'],
		['siId with NUL', siWith({ siId: 'a\u0000' }), 'siId'],
		['siId with a line break', siWith({ siId: 'a\nb' }), 'siId'],
		['created in words', siWith({ created: 'yesterday' }), 'created'],
		['created 30 February', siWith({ created: '2024-02-30T00:00:00Z' }), 'created'],
		['created month 13', siWith({ created: '2024-13-01T00:00:00Z' }), 'created'],
		['created hour 24', siWith({ created: '2024-06-01T24:00:00Z' }), 'created'],
		['created leap second', siWith({ created: '2024-06-30T23:59:60Z' }), 'created'],
		['created with an offset', siWith({ created: '2024-06-01T12:30:00+02:00' }), 'created'],
		['created without seconds', siWith({ created: '2024-06-01T12:30Z' }), 'created'],
		['created date only', siWith({ created: '2024-06-01' }), 'created'],
		['created with milliseconds', siWith({ created: '2024-06-01T12:30:00.500Z' }), 'created'],
		['created as a number', siWith({ created: 1717245000 }), 'created'],
		['created as a Date', siWith({ created: new Date() }), 'created'],
		['expires invalid', siWith({ expires: '2024-06-31T00:00:00Z' }), 'expires'],
		['expires before created', siWith({ created: '2024-06-02T00:00:00Z', expires: '2024-06-01T00:00:00Z' }), 'expires'],
		['expires equal to created', siWith({ created: '2024-06-02T00:00:00Z', expires: '2024-06-02T00:00:00Z' }), 'expires'],
		['unknown action', siWith({ action: 'loud' }), 'action'],
		['action in capitals', siWith({ action: 'SIGNAL-HIGH' }), 'action'],
		['a misspelt field', siWith({ siID: 'x' }), 'siID'],
	])('SI: %s', (_name, run, field) => {
		expectFieldError(run, field);
	});

	it.each([
		['not an object', () => mmsNotification(undefined as unknown as MmsNotificationInput), 'input'],
		['no contentLocation', mmsWith({ contentLocation: undefined }), 'contentLocation'],
		['relative contentLocation', mmsWith({ contentLocation: '/m/1' }), 'contentLocation'],
		['non-ASCII contentLocation', mmsWith({ contentLocation: 'http://mmsc.example.com/ü' }), 'contentLocation'],
		['contentLocation with a space', mmsWith({ contentLocation: 'http://mmsc.example.com/a b' }), 'contentLocation'],
		['no size', mmsWith({ size: undefined }), 'size'],
		['negative size', mmsWith({ size: -1 }), 'size'],
		['fractional size', mmsWith({ size: 1.5 }), 'size'],
		['NaN size', mmsWith({ size: Number.NaN }), 'size'],
		['size as a string', mmsWith({ size: '100' }), 'size'],
		['size beyond 32 bits', mmsWith({ size: 2 ** 32 }), 'size'],
		['no expiry', mmsWith({ expiry: undefined }), 'expiry'],
		['zero expiry', mmsWith({ expiry: 0 }), 'expiry'],
		['negative expiry', mmsWith({ expiry: -5 }), 'expiry'],
		['infinite expiry', mmsWith({ expiry: Infinity }), 'expiry'],
		['expiry as an ISO date', mmsWith({ expiry: '2024-06-01T00:00:00Z' }), 'expiry'],
		['class in capitals', mmsWith({ messageClass: 'Personal' }), 'messageClass'],
		['unknown class', mmsWith({ messageClass: 'spam' }), 'messageClass'],
		['alphanumeric from', mmsWith({ from: 'ACME' }), 'from'],
		['from with spaces', mmsWith({ from: '+45 1234 5678' }), 'from'],
		['empty from', mmsWith({ from: '' }), 'from'],
		['subject with a line break', mmsWith({ subject: 'a\nb' }), 'subject'],
		['empty subject', mmsWith({ subject: '' }), 'subject'],
		['subject with a lone surrogate', mmsWith({ subject: '\ud83d' }), 'subject'],
		['non-ASCII transactionId', mmsWith({ transactionId: 'Tö' }), 'transactionId'],
		['empty transactionId', mmsWith({ transactionId: '' }), 'transactionId'],
		['a field of another message', mmsWith({ href: 'https://example.com/' }), 'href'],
	])('MMS: %s', (_name, run, field) => {
		expectFieldError(run, field);
	});

	it.each([
		['empty text', card(''), 'vcard'],
		['blank text', card('  \n\r\n '), 'vcard'],
		['no BEGIN', card('FN:John\nEND:VCARD'), 'vcard'],
		['no END', card('BEGIN:VCARD\nVERSION:2.1\nFN:John'), 'vcard'],
		['no VERSION', card('BEGIN:VCARD\nFN:John\nEND:VCARD'), 'vcard'],
		['NUL in text', card('BEGIN:VCARD\nVERSION:2.1\nFN:J\u0000\nEND:VCARD'), 'vcard'],
		['null', card(null), 'input'],
		['a number', card(42), 'input'],
		['an array', card(['BEGIN:VCARD']), 'input'],
		['no fn', card({}), 'fn'],
		['empty fn', card({ fn: '' }), 'fn'],
		['fn over two lines', card({ fn: 'A\nB' }), 'fn'],
		['empty tel in a list', card({ fn: 'A', tel: ['+451', ''] }), 'tel[1]'],
		['numeric tel', card({ fn: 'A', tel: [4512345678] }), 'tel[0]'],
		['numeric email', card({ fn: 'A', email: 7 }), 'email'],
		['org with a lone surrogate', card({ fn: 'A', org: '\udfff' }), 'org'],
		['a field vCard does not take', card({ fn: 'A', adr: 'Street 1' }), 'adr'],
	])('vCard: %s', (_name, run, field) => {
		expectFieldError(run, field);
	});

	it('shows a short excerpt of a long rejected value', () => {
		const error = expectFieldError(siWith({ href: `no-scheme-${'a'.repeat(5000)}` }), 'href');
		expect(error.message.length).toBeLessThan(300);
	});
});

describe('type contract', () => {
	it('returns exactly { parts: [{ udh, payload }] }', () => {
		for (const message of [
			wapPushSi({ href: 'https://example.com/', text: 'x' }),
			mmsNotification({ contentLocation: 'http://m.example/1', size: 1, expiry: 1 }),
			vcardMessage({ fn: 'x' }),
			vcardMessage('BEGIN:VCARD\nVERSION:2.1\nFN:x\nEND:VCARD'),
		]) {
			expect(Object.keys(message)).toEqual(['parts']);
			for (const part of message.parts) expect(Object.keys(part).sort()).toEqual(['payload', 'udh']);
		}
	});

	it('parses a vCard the decoder way', () => {
		// Guards the decoder itself: QP soft breaks and folded lines.
		const card = parseVcard(new TextEncoder().encode('BEGIN:VCARD\r\nVERSION:2.1\r\nNOTE;ENCODING=QUOTED-PRINTABLE:a=\r\nb=0D=0Ac\r\nFN:Jo\r\n hn\r\nEND:VCARD\r\n'));
		expect(vcardValues(card, 'NOTE')).toEqual(['ab\r\nc']);
		expect(vcardValues(card, 'FN')).toEqual(['John']);
	});
});
