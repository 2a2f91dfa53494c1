import {
	GSM7_BASIC_CHARS,
	GSM7_EXTENSION_CHARS,
	GSM7_EXTENSION_ENTRIES,
	SmsCodecError,
	UnencodableCharacterError,
	decodeGsm7,
	encodeGsm7,
	findFirstNonGsm7,
	findNonGsm7Characters,
	gsm7Length,
	isGsm7,
	segmentMessage,
} from '../nodes/shared/codec';

// The GSM 03.38 basic table written out independently of the codec's own table, one row
// per 16 septets, so a typo in either shows up as a failing round trip.
const EXPECTED_BASIC: string[] = [
	'@', '\u00A3', '$', '\u00A5', '\u00E8', '\u00E9', '\u00F9', '\u00EC', '\u00F2', '\u00C7', '\n', '\u00D8', '\u00F8', '\r', '\u00C5', '\u00E5',
	'\u0394', '_', '\u03A6', '\u0393', '\u039B', '\u03A9', '\u03A0', '\u03A8', '\u03A3', '\u0398', '\u039E', 'ESC', '\u00C6', '\u00E6', '\u00DF', '\u00C9',
	' ', '!', '"', '#', '\u00A4', '%', '&', "'", '(', ')', '*', '+', ',', '-', '.', '/',
	'0', '1', '2', '3', '4', '5', '6', '7', '8', '9', ':', ';', '<', '=', '>', '?',
	'\u00A1', 'A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J', 'K', 'L', 'M', 'N', 'O',
	'P', 'Q', 'R', 'S', 'T', 'U', 'V', 'W', 'X', 'Y', 'Z', '\u00C4', '\u00D6', '\u00D1', '\u00DC', '\u00A7',
	'\u00BF', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o',
	'p', 'q', 'r', 's', 't', 'u', 'v', 'w', 'x', 'y', 'z', '\u00E4', '\u00F6', '\u00F1', '\u00FC', '\u00E0',
];

const EXPECTED_EXTENSION: Array<[string, number]> = [
	['\f', 0x0a],
	['^', 0x14],
	['{', 0x28],
	['}', 0x29],
	['\\', 0x2f],
	['[', 0x3c],
	['~', 0x3d],
	[']', 0x3e],
	['|', 0x40],
	['\u20AC', 0x65],
];

describe('GSM 03.38 basic table', () => {
	it('has 128 entries with the escape at 0x1B', () => {
		expect(EXPECTED_BASIC).toHaveLength(128);
		expect(GSM7_BASIC_CHARS).toHaveLength(128);
		for (let s = 0; s < 128; s++) {
			if (s === 0x1b) continue;
			expect([s, GSM7_BASIC_CHARS[s]]).toEqual([s, EXPECTED_BASIC[s]]);
		}
	});

	it.each(EXPECTED_BASIC.map((ch, septet) => [septet, ch] as const).filter(([s]) => s !== 0x1b))(
		'septet 0x%s round-trips',
		(septet, ch) => {
			expect(Array.from(encodeGsm7(ch))).toEqual([septet]);
			expect(decodeGsm7([septet])).toBe(ch);
			expect(gsm7Length(ch)).toBe(1);
			expect(segmentMessage(ch)).toMatchObject({ encoding: 'GSM-7', units: 1 });
		},
	);

	it('round-trips all 127 characters in one text', () => {
		const all = EXPECTED_BASIC.filter((_, s) => s !== 0x1b).join('');
		const septets = encodeGsm7(all);
		expect(septets).toHaveLength(127);
		expect(decodeGsm7(septets)).toBe(all);
		expect(segmentMessage(all)).toMatchObject({ encoding: 'GSM-7', units: 127, remaining: 33 });
	});

	it('decodes every septet value 0-127 (0x1B alone is an escape shown as a space)', () => {
		for (let s = 0; s < 128; s++) {
			expect(decodeGsm7([s])).toBe(s === 0x1b ? ' ' : EXPECTED_BASIC[s]);
		}
	});

	it('keeps LF and CR in the basic table (1 septet each)', () => {
		expect(Array.from(encodeGsm7('\n\r'))).toEqual([0x0a, 0x0d]);
		expect(segmentMessage('a\r\nb')).toMatchObject({ encoding: 'GSM-7', units: 4 });
	});

	it('maps 0x09 to capital C-cedilla', () => {
		expect(decodeGsm7([0x09])).toBe('\u00C7');
		expect(Array.from(encodeGsm7('\u00C7'))).toEqual([0x09]);
	});
});

describe('GSM 03.38 extension table', () => {
	it('exports exactly the ten extension characters', () => {
		expect(GSM7_EXTENSION_CHARS).toBe(EXPECTED_EXTENSION.map(([c]) => c).join(''));
		expect(GSM7_EXTENSION_ENTRIES.map(([code, ch]) => [ch, code])).toEqual(EXPECTED_EXTENSION);
	});

	it.each(EXPECTED_EXTENSION)('%j is ESC + 0x%s and costs 2 septets', (ch, code) => {
		expect(Array.from(encodeGsm7(ch))).toEqual([0x1b, code]);
		expect(decodeGsm7([0x1b, code])).toBe(ch);
		expect(gsm7Length(ch)).toBe(2);
		expect(segmentMessage(ch)).toMatchObject({ encoding: 'GSM-7', units: 2, remaining: 158 });
	});

	it('round-trips all ten in one text', () => {
		const all = GSM7_EXTENSION_CHARS;
		const septets = encodeGsm7(all);
		expect(septets).toHaveLength(20);
		expect(decodeGsm7(septets)).toBe(all);
		expect(segmentMessage(all).units).toBe(20);
	});

	it('decodes ESC + an undefined code as the basic character, ESC ESC as a space', () => {
		expect(decodeGsm7([0x1b, 0x41])).toBe('A');
		expect(decodeGsm7([0x1b, 0x1b, 0x41])).toBe(' A');
		expect(decodeGsm7([0x41, 0x1b])).toBe('A ');
	});

	it('rejects septet values above 127', () => {
		expect(() => decodeGsm7([0x80])).toThrow(SmsCodecError);
		expect(() => decodeGsm7([0x1b, 0x80])).toThrow(/0 to 127/);
	});
});

describe('characters outside the alphabet', () => {
	const forcing: Array<[string, string]> = [
		['ESC as a character', '\u001B'],
		['no-break space', '\u00A0'],
		['TAB', '\t'],
		['lowercase c-cedilla', '\u00E7'],
		['grave accent', '`'],
		['Greek capital alpha (looks Latin, not in the table)', '\u0391'],
		['Cyrillic', '\u0416'],
		['emoji', '\u{1F600}'],
		['lone surrogate', '\uD800'],
	];

	it.each(forcing)('%s forces UCS-2 in auto mode', (_name, ch) => {
		const text = `abc${ch}def`;
		expect(isGsm7(text)).toBe(false);
		expect(findFirstNonGsm7(text)).toBe(3);
		expect(segmentMessage(text).encoding).toBe('UCS-2');
	});

	it('names the first non-GSM character and its index', () => {
		let error: unknown;
		try {
			encodeGsm7('ab\u0416\u0417');
		} catch (e) {
			error = e;
		}
		expect(error).toBeInstanceOf(UnencodableCharacterError);
		const err = error as UnencodableCharacterError;
		expect(err.index).toBe(2);
		expect(err.char).toBe('\u0416');
		expect(err.codePoint).toBe(0x416);
		expect(err.code).toBe('NOT_GSM7');
		expect(err.message).toContain('U+0416');
		expect(err.message).toContain('index 2');
	});

	it('names a whole surrogate pair, not half of it', () => {
		expect(() => gsm7Length('hi \u{1F600}')).toThrow(/U\+1F600.*index 3/);
	});

	it('names control characters by code point', () => {
		expect(() => encodeGsm7('a\tb')).toThrow(/U\+0009 at index 1/);
	});

	it('lists every non-GSM character', () => {
		expect(findNonGsm7Characters('a\u00E7b\u{1F600}c\t')).toEqual([
			{ index: 1, char: '\u00E7', codePoint: 0xe7 },
			{ index: 3, char: '\u{1F600}', codePoint: 0x1f600 },
			{ index: 6, char: '\t', codePoint: 9 },
		]);
	});
});

describe('lenient c-cedilla', () => {
	it('is off by default and the error says how to turn it on', () => {
		expect(segmentMessage('\u00E7a va').encoding).toBe('UCS-2');
		expect(() => encodeGsm7('\u00E7a')).toThrow(/lenientCCedilla/);
		expect(() => segmentMessage('\u00E7a', { encoding: 'GSM-7' })).toThrow(/lenientCCedilla/);
	});

	it('maps c-cedilla to 0x09 when on', () => {
		expect(Array.from(encodeGsm7('\u00E7', { lenientCCedilla: true }))).toEqual([0x09]);
		expect(decodeGsm7(encodeGsm7('\u00E7a', { lenientCCedilla: true }))).toBe('\u00C7a');
		expect(isGsm7('\u00E7', { lenientCCedilla: true })).toBe(true);
		const r = segmentMessage('\u00E7a va', { lenientCCedilla: true });
		expect(r).toMatchObject({ encoding: 'GSM-7', units: 5, text: '\u00E7a va', parts: ['\u00E7a va'] });
	});

	it('does not make other non-GSM characters encodable', () => {
		expect(segmentMessage('\u00E7\u00E1', { lenientCCedilla: true }).encoding).toBe('UCS-2');
	});
});
