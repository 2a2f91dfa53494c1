import {
	SmsCodecError,
	UnencodableCharacterError,
	bytesToHex,
	findLoneSurrogate,
	fromLatin1,
	fromLatin9,
	fromUcs2Bytes,
	fromUcs2Hex,
	hasLoneSurrogate,
	hexToBytes,
	toLatin1,
	toLatin9,
	toUcs2Bytes,
	toUcs2Hex,
} from '../nodes/shared/codec';

const ALL_OCTETS = Uint8Array.from({ length: 256 }, (_, i) => i);

describe('UCS-2 hex', () => {
	it('is uppercase big-endian UTF-16, four digits per unit', () => {
		expect(toUcs2Hex('A\u20AC\u{1F600}')).toBe('004120ACD83DDE00');
		expect(toUcs2Hex('')).toBe('');
		expect(toUcs2Hex('\u00E9')).toBe('00E9');
	});

	it('encodes lone surrogates as-is', () => {
		expect(toUcs2Hex('a\uD83D')).toBe('0061D83D');
		expect(fromUcs2Hex('0061D83D')).toBe('a\uD83D');
	});

	it('round-trips, accepting lowercase', () => {
		const text = 'Hi \u041F\u0440\u0438\u0432\u0435\u0442 \u4E2D\u6587 \u{1F600}\u{1F44D}';
		expect(fromUcs2Hex(toUcs2Hex(text))).toBe(text);
		expect(fromUcs2Hex(toUcs2Hex(text).toLowerCase())).toBe(text);
		expect(fromUcs2Bytes(toUcs2Bytes(text))).toBe(text);
	});

	it('round-trips a long text', () => {
		const text = '\u4E2D\u{1F600}x'.repeat(5000);
		expect(fromUcs2Hex(toUcs2Hex(text))).toBe(text);
	});

	it('rejects malformed hex', () => {
		expect(() => fromUcs2Hex('004')).toThrow(/four digits/);
		expect(() => fromUcs2Hex('00G1')).toThrow(/Invalid hex digit "G" at index 2/);
		expect(() => fromUcs2Bytes([0])).toThrow(SmsCodecError);
	});
});

describe('lone surrogates', () => {
	it.each([
		['', -1],
		['abc', -1],
		['\u{1F600}', -1],
		['a\u{1F600}\u{1F600}b', -1],
		['\uD83D', 0],
		['a\uDE00', 1],
		['\uDE00\uD83D', 0],
		['\u{1F600}\uD83D', 2],
		['ab\uD83Dc', 2],
	])('findLoneSurrogate(%j) = %i', (text, index) => {
		expect(findLoneSurrogate(text)).toBe(index);
		expect(hasLoneSurrogate(text)).toBe(index !== -1);
	});
});

describe('hex helpers', () => {
	it('bytesToHex is uppercase with two digits per octet', () => {
		expect(bytesToHex([0, 1, 0xab, 0xff])).toBe('0001ABFF');
		expect(bytesToHex(new Uint8Array(0))).toBe('');
	});

	it('hexToBytes accepts either case', () => {
		expect(Array.from(hexToBytes('0aFf'))).toEqual([10, 255]);
		expect(bytesToHex(hexToBytes(bytesToHex(ALL_OCTETS)))).toBe(bytesToHex(ALL_OCTETS));
	});

	it('hexToBytes rejects odd lengths and non-hex characters', () => {
		expect(() => hexToBytes('abc')).toThrow(/odd length 3/);
		expect(() => hexToBytes('0x12')).toThrow(/Invalid hex digit "x" at index 1/);
		expect(() => hexToBytes('12 3')).toThrow(SmsCodecError);
		expect(() => hexToBytes('1g')).toThrow(/index 1/);
	});
});

describe('Latin-1', () => {
	it('round-trips all 256 octets', () => {
		const text = fromLatin1(ALL_OCTETS);
		expect(text).toHaveLength(256);
		for (let i = 0; i < 256; i++) expect(text.charCodeAt(i)).toBe(i);
		expect(Array.from(toLatin1(text))).toEqual(Array.from(ALL_OCTETS));
	});

	it('throws naming the first character above U+00FF', () => {
		let err: unknown;
		try {
			toLatin1('caf\u00E9 \u20AC5');
		} catch (e) {
			err = e;
		}
		expect(err).toBeInstanceOf(UnencodableCharacterError);
		expect((err as UnencodableCharacterError).index).toBe(5);
		expect((err as Error).message).toMatch(/U\+20AC.*index 5.*Latin-1/);
	});
});

describe('Latin-9 (ISO-8859-15)', () => {
	const DIFFERENCES: Array<[number, string]> = [
		[0xa4, '\u20AC'],
		[0xa6, '\u0160'],
		[0xa8, '\u0161'],
		[0xb4, '\u017D'],
		[0xb8, '\u017E'],
		[0xbc, '\u0152'],
		[0xbd, '\u0153'],
		[0xbe, '\u0178'],
	];

	it('puts the euro sign at 0xA4', () => {
		expect(Array.from(toLatin9('\u20AC'))).toEqual([0xa4]);
		expect(fromLatin9([0xa4])).toBe('\u20AC');
	});

	it.each(DIFFERENCES)('0x%s differs from Latin-1', (octet, ch) => {
		expect(fromLatin9([octet])).toBe(ch);
		expect(Array.from(toLatin9(ch))).toEqual([octet]);
		// The Latin-1 character at that position has no place in Latin-9.
		expect(() => toLatin9(String.fromCharCode(octet))).toThrow(UnencodableCharacterError);
	});

	it('round-trips all 256 octets', () => {
		const text = fromLatin9(ALL_OCTETS);
		expect(text).toHaveLength(256);
		expect(Array.from(toLatin9(text))).toEqual(Array.from(ALL_OCTETS));
		for (let i = 0; i < 256; i++) {
			if (!DIFFERENCES.some(([o]) => o === i)) expect(text.charCodeAt(i)).toBe(i);
		}
	});

	it('throws naming the first unmappable character', () => {
		expect(() => toLatin9('ok \u0416')).toThrow(/U\+0416.*index 3.*Latin-9/);
		expect(() => toLatin9('\u00A4')).toThrow(/index 0/);
		expect(() => toLatin9('\u{1F600}')).toThrow(/U\+1F600/);
	});

	it('rejects octets out of range', () => {
		expect(() => fromLatin9([256])).toThrow(SmsCodecError);
		expect(() => fromLatin1([-1])).toThrow(SmsCodecError);
	});
});
