import {
	GSM7_EXTENSION_CHARS,
	MAX_PARTS,
	SmsCodecError,
	UnencodableCharacterError,
	gsm7Length,
	segmentMessage,
	type SegmentResult,
} from '../nodes/shared/codec';

const CJK = '\u4E2D'; // one UTF-16 unit, not GSM
const EMOJI = '\u{1F600}'; // a surrogate pair: two units

/** Units of a GSM-7 text computed independently of the splitter. */
function septets(text: string): number {
	return gsm7Length(text);
}

/**
 * Everything a greedy split must satisfy: the parts rebuild the text, each part's units
 * are right and within capacity, no surrogate pair is cut, and no part could have taken
 * the next part's first character (so an escape pair that would straddle moved whole).
 * Returns the violations, so loops over many texts can assert once.
 */
function greedyProblems(r: SegmentResult): string[] {
	const problems: string[] = [];
	const fail = (what: string) => problems.push(what);
	if (r.parts.join('') !== r.text) fail('parts do not rebuild the text');
	if (r.partCount !== r.parts.length || r.partUnits.length !== r.parts.length) fail('counts disagree');
	const gsm = r.encoding === 'GSM-7';
	const unitsOf = (s: string) => (gsm ? septets(s) : s.length);
	if (r.partUnits.reduce((a, b) => a + b, 0) !== r.units) fail('partUnits do not sum to units');
	r.parts.forEach((part, i) => {
		if (r.partUnits[i] !== unitsOf(part)) fail(`part ${i} has ${unitsOf(part)} units, reported ${r.partUnits[i]}`);
		if (r.partUnits[i] > r.unitsPerPart) fail(`part ${i} exceeds ${r.unitsPerPart}`);
	});
	for (let i = 0; i + 1 < r.parts.length; i++) {
		const next = r.parts[i + 1];
		const end = r.parts[i].charCodeAt(r.parts[i].length - 1);
		const start = next.charCodeAt(0);
		const lowStart = start >= 0xdc00 && start <= 0xdfff;
		if (end >= 0xd800 && end <= 0xdbff && lowStart) fail(`surrogate pair split after part ${i}`);
		const firstChar = String.fromCodePoint(next.codePointAt(0) as number);
		const firstUnits = gsm ? septets(firstChar) : lowStart ? 1 : firstChar.length;
		if (r.partUnits[i] + firstUnits <= r.unitsPerPart) fail(`part ${i} could have taken one more character`);
	}
	if (r.remaining !== r.unitsPerPart - r.partUnits[r.partUnits.length - 1]) fail('remaining is wrong');
	return problems;
}

function expectGreedy(r: SegmentResult): void {
	expect(greedyProblems(r)).toEqual([]);
}

describe('empty text', () => {
	it('is one empty GSM-7 part', () => {
		expect(segmentMessage('')).toMatchObject({
			encoding: 'GSM-7',
			text: '',
			units: 0,
			parts: [''],
			partUnits: [0],
			partCount: 1,
			unitsPerPart: 160,
			remaining: 160,
			udhOctets: 0,
			tooManyParts: false,
			replacements: [],
		});
	});

	it('is one empty UCS-2 part when UCS-2 is forced', () => {
		expect(segmentMessage('', { encoding: 'UCS-2' })).toMatchObject({ encoding: 'UCS-2', parts: [''], unitsPerPart: 70, remaining: 70 });
	});
});

describe('GSM-7 boundaries, 8-bit reference', () => {
	it.each([
		[1, 1, [1], 160],
		[159, 1, [159], 160],
		[160, 1, [160], 160],
		[161, 2, [153, 8], 153],
		[305, 2, [153, 152], 153],
		[306, 2, [153, 153], 153],
		[307, 3, [153, 153, 1], 153],
		[458, 3, [153, 153, 152], 153],
		[459, 3, [153, 153, 153], 153],
		[460, 4, [153, 153, 153, 1], 153],
	])('%i septets -> %i parts', (len, count, partUnits, cap) => {
		const r = segmentMessage('a'.repeat(len));
		expect(r).toMatchObject({ encoding: 'GSM-7', units: len, partCount: count, partUnits, unitsPerPart: cap });
		expect(r.udhOctets).toBe(count > 1 ? 6 : 0);
		expectGreedy(r);
	});

	it.each([2, 3, 4, 5, 10, 100, 254])('153*%i - 1, 153*k and 153*k + 1 septets', (k) => {
		expect(segmentMessage('x'.repeat(153 * k - 1)).partCount).toBe(k);
		expect(segmentMessage('x'.repeat(153 * k)).partCount).toBe(k);
		expect(segmentMessage('x'.repeat(153 * k)).remaining).toBe(0);
		expect(segmentMessage('x'.repeat(153 * k + 1)).partCount).toBe(k + 1);
		expect(segmentMessage('x'.repeat(153 * k + 1)).remaining).toBe(152);
	});

	it('counts escapes towards the single-part limit', () => {
		expect(segmentMessage('a'.repeat(158) + '\u20AC')).toMatchObject({ units: 160, partCount: 1, remaining: 0 });
		expect(segmentMessage('a'.repeat(159) + '\u20AC')).toMatchObject({ units: 161, partCount: 2 });
		expect(segmentMessage('{}'.repeat(40))).toMatchObject({ units: 160, partCount: 1 });
		expect(segmentMessage('{}'.repeat(40) + 'a')).toMatchObject({ units: 161, partCount: 2, partUnits: [152, 9] });
	});
});

describe('GSM-7 boundaries, 16-bit reference', () => {
	it.each([
		[160, 1, [160], 160],
		[161, 2, [152, 9], 152],
		[303, 2, [152, 151], 152],
		[304, 2, [152, 152], 152],
		[305, 3, [152, 152, 1], 152],
	])('%i septets -> %i parts', (len, count, partUnits, cap) => {
		const r = segmentMessage('a'.repeat(len), { concatRef: 16 });
		expect(r).toMatchObject({ partCount: count, partUnits, unitsPerPart: cap, concatRef: 16 });
		expect(r.udhOctets).toBe(count > 1 ? 7 : 0);
		expectGreedy(r);
	});

	it.each([2, 3, 7, 255])('152*%i +- 1', (k) => {
		const opts = { concatRef: 16 as const };
		expect(segmentMessage('x'.repeat(152 * k - 1), opts).partCount).toBe(k);
		expect(segmentMessage('x'.repeat(152 * k), opts).partCount).toBe(k);
		expect(segmentMessage('x'.repeat(152 * k + 1), opts).partCount).toBe(k + 1);
	});
});

describe('extension characters on every boundary position', () => {
	// Every extension character at every position of a 3-part text, so each one lands on
	// the last septet of a part (where it must move whole to the next part) at least once.
	it.each(GSM7_EXTENSION_CHARS.split('').map((c) => [JSON.stringify(c), c]))('%s', (_label, ext) => {
		const problems: string[] = [];
		let straddled = 0;
		for (const concatRef of [8, 16] as const) {
			const cap = concatRef === 16 ? 152 : 153;
			for (let pos = 0; pos < 3 * cap + 2; pos++) {
				const text = 'a'.repeat(pos) + ext + 'b'.repeat(3 * cap + 5 - pos);
				const r = segmentMessage(text, { concatRef });
				const where = `${ext} at ${pos}, concatRef ${concatRef}`;
				if (r.encoding !== 'GSM-7' || r.units !== 3 * cap + 7) problems.push(`${where}: ${r.encoding} ${r.units}`);
				for (const p of greedyProblems(r)) problems.push(`${where}: ${p}`);
				// Where the escape pair would straddle a part end, that part is one short.
				const straddles = (pos + 1) % cap === 0 && pos < 3 * cap;
				if (straddles) {
					straddled++;
					const partIndex = (pos + 1) / cap - 1;
					if (r.partUnits[partIndex] !== cap - 1 || !r.parts[partIndex + 1].startsWith(ext)) {
						problems.push(`${where}: escape pair not moved whole`);
					}
				}
			}
		}
		expect(problems).toEqual([]);
		expect(straddled).toBe(6);
	});

	it('moves an escape pair at septet 153 to part two', () => {
		const r = segmentMessage('a'.repeat(152) + '\u20AC' + 'b'.repeat(10));
		expect(r.partUnits).toEqual([152, 12]);
		expect(r.parts[1]).toBe('\u20AC' + 'b'.repeat(10));
	});

	it('keeps an escape pair that ends exactly on septet 153', () => {
		const r = segmentMessage('a'.repeat(151) + '\u20AC' + 'b'.repeat(10));
		expect(r.partUnits).toEqual([153, 10]);
	});

	it('handles a run of extension characters across boundaries', () => {
		const r = segmentMessage('a' + '['.repeat(200));
		expect(r.partUnits).toEqual([153, 152, 96]);
		expectGreedy(r);
	});

	it('does not move the pair when the text fits one part', () => {
		expect(segmentMessage('a'.repeat(152) + '\u20AC' + 'b'.repeat(6))).toMatchObject({ partCount: 1, units: 160 });
	});
});

describe('UCS-2 boundaries', () => {
	it.each([
		[1, 1, [1], 70],
		[70, 1, [70], 70],
		[71, 2, [67, 4], 67],
		[133, 2, [67, 66], 67],
		[134, 2, [67, 67], 67],
		[135, 3, [67, 67, 1], 67],
	])('%i units (8-bit ref) -> %i parts', (len, count, partUnits, cap) => {
		const r = segmentMessage(CJK.repeat(len));
		expect(r).toMatchObject({ encoding: 'UCS-2', units: len, partCount: count, partUnits, unitsPerPart: cap });
		expectGreedy(r);
	});

	it.each([
		[70, 1, [70], 70],
		[71, 2, [66, 5], 66],
		[131, 2, [66, 65], 66],
		[132, 2, [66, 66], 66],
		[133, 3, [66, 66, 1], 66],
	])('%i units (16-bit ref) -> %i parts', (len, count, partUnits, cap) => {
		const r = segmentMessage(CJK.repeat(len), { concatRef: 16 });
		expect(r).toMatchObject({ encoding: 'UCS-2', units: len, partCount: count, partUnits, unitsPerPart: cap });
		expectGreedy(r);
	});

	it.each([2, 3, 4, 10, 255])('67*%i +- 1 and 66*k +- 1', (k) => {
		expect(segmentMessage(CJK.repeat(67 * k - 1)).partCount).toBe(k);
		expect(segmentMessage(CJK.repeat(67 * k)).partCount).toBe(k);
		expect(segmentMessage(CJK.repeat(67 * k + 1)).partCount).toBe(k + 1);
		const opts = { concatRef: 16 as const };
		expect(segmentMessage(CJK.repeat(66 * k - 1), opts).partCount).toBe(k);
		expect(segmentMessage(CJK.repeat(66 * k), opts).partCount).toBe(k);
		expect(segmentMessage(CJK.repeat(66 * k + 1), opts).partCount).toBe(k + 1);
	});

	it('forces UCS-2 on a GSM text when asked', () => {
		const r = segmentMessage('a'.repeat(100), { encoding: 'UCS-2' });
		expect(r).toMatchObject({ encoding: 'UCS-2', units: 100, partCount: 2, partUnits: [67, 33] });
	});

	it('counts extension characters as one unit in UCS-2', () => {
		expect(segmentMessage('\u20AC[' + CJK).units).toBe(3);
	});
});

describe('surrogate pairs', () => {
	it('cost two units', () => {
		expect(segmentMessage(EMOJI)).toMatchObject({ encoding: 'UCS-2', units: 2, remaining: 68 });
		expect(segmentMessage(EMOJI.repeat(35))).toMatchObject({ units: 70, partCount: 1 });
		expect(segmentMessage(EMOJI.repeat(35) + 'a')).toMatchObject({ units: 71, partCount: 2 });
	});

	it('move whole to the next part when they would straddle the end', () => {
		const r = segmentMessage('a'.repeat(66) + EMOJI + 'b'.repeat(10));
		expect(r.partUnits).toEqual([66, 12]);
		expect(r.parts[1].startsWith(EMOJI)).toBe(true);
	});

	it('stay when they end exactly on the last unit', () => {
		const r = segmentMessage('a'.repeat(65) + EMOJI + 'b'.repeat(10));
		expect(r.partUnits).toEqual([67, 10]);
	});

	it.each([8, 16] as const)('are never split, at any position (concatRef %i)', (concatRef) => {
		const cap = concatRef === 16 ? 66 : 67;
		const problems: string[] = [];
		let straddled = 0;
		for (let pos = 0; pos <= 3 * cap; pos++) {
			const text = CJK.repeat(pos) + EMOJI + CJK.repeat(3 * cap - pos);
			const r = segmentMessage(text, { concatRef });
			if (r.units !== 3 * cap + 2) problems.push(`emoji at ${pos}: ${r.units} units`);
			for (const p of greedyProblems(r)) problems.push(`emoji at ${pos}: ${p}`);
			if ((pos + 1) % cap === 0 && pos < 3 * cap) {
				straddled++;
				const partIndex = (pos + 1) / cap - 1;
				if (r.partUnits[partIndex] !== cap - 1 || !r.parts[partIndex + 1].startsWith(EMOJI)) {
					problems.push(`emoji at ${pos}: pair not moved whole`);
				}
			}
		}
		expect(problems).toEqual([]);
		expect(straddled).toBe(3);
	});

	it('in a text of only emoji fill parts with 66 (or 66/65) units', () => {
		const r = segmentMessage(EMOJI.repeat(100));
		expect(r.partUnits).toEqual([66, 66, 66, 2]);
		expectGreedy(r);
		const r16 = segmentMessage(EMOJI.repeat(100), { concatRef: 16 });
		expect(r16.partUnits).toEqual([66, 66, 66, 2]);
		const odd = segmentMessage('a' + EMOJI.repeat(100), { concatRef: 16 });
		expect(odd.partUnits).toEqual([65, 66, 66, 4]);
		expectGreedy(odd);
	});
});

describe('lone surrogates', () => {
	it('count as one UCS-2 unit each', () => {
		expect(segmentMessage('\uD83D')).toMatchObject({ encoding: 'UCS-2', units: 1, parts: ['\uD83D'] });
		expect(segmentMessage('a\uDE00b')).toMatchObject({ encoding: 'UCS-2', units: 3 });
		// Reversed order is two lone surrogates, not a pair.
		expect(segmentMessage('\uDE00\uD83D')).toMatchObject({ units: 2 });
	});

	it('may end a part: a lone high surrogate is not glued to what follows', () => {
		const r = segmentMessage('a'.repeat(66) + '\uD83D' + 'b'.repeat(10));
		expect(r.partUnits).toEqual([67, 10]);
		expect(r.parts[0].endsWith('\uD83D')).toBe(true);
		expectGreedy(r);
	});

	it('a lone low surrogate may start a part', () => {
		const r = segmentMessage('a'.repeat(67) + '\uDE00' + 'b'.repeat(10));
		expect(r.partUnits).toEqual([67, 11]);
		expect(r.parts[1].startsWith('\uDE00')).toBe(true);
	});

	it('cannot be forced into GSM-7', () => {
		expect(() => segmentMessage('a\uD800', { encoding: 'GSM-7' })).toThrow(/U\+D800 at index 1/);
	});
});

describe('forced GSM-7', () => {
	it('segments GSM text as in auto mode', () => {
		expect(segmentMessage('hello [x]', { encoding: 'GSM-7' })).toMatchObject({ encoding: 'GSM-7', units: 11 });
	});

	it('throws naming the character and its index', () => {
		let err: unknown;
		try {
			segmentMessage('hello w\u00F6rld \u2013 ok', { encoding: 'GSM-7' });
		} catch (e) {
			err = e;
		}
		expect(err).toBeInstanceOf(UnencodableCharacterError);
		expect((err as UnencodableCharacterError).index).toBe(12);
		expect((err as UnencodableCharacterError).char).toBe('\u2013');
		expect((err as Error).message).toMatch(/U\+2013.*index 12/);
	});
});

describe('more than 255 parts', () => {
	it('255 parts is still fine', () => {
		const r = segmentMessage('a'.repeat(153 * MAX_PARTS));
		expect(r).toMatchObject({ partCount: 255, tooManyParts: false });
		expect(r.error).toBeUndefined();
	});

	it.each([
		['GSM-7', 'a'.repeat(153 * 255 + 1), {}],
		['UCS-2', CJK.repeat(67 * 255 + 1), {}],
		['GSM-7 16-bit', 'a'.repeat(152 * 255 + 1), { concatRef: 16 as const }],
		['UCS-2 16-bit', CJK.repeat(66 * 255 + 1), { concatRef: 16 as const }],
	])('%s: reported, not truncated', (_label, text, opts) => {
		const r = segmentMessage(text, opts);
		expect(r.tooManyParts).toBe(true);
		expect(r.partCount).toBe(256);
		expect(r.parts.join('')).toBe(text);
		expect(r.error).toMatch(/256 parts.*at most 255/);
	});
});

describe('options', () => {
	it('rejects an unknown encoding or concatRef', () => {
		expect(() => segmentMessage('a', { encoding: 'latin1' as never })).toThrow(SmsCodecError);
		expect(() => segmentMessage('a', { concatRef: 7 as never })).toThrow(/concatRef must be 8 or 16/);
	});

	it('rejects a non-string text', () => {
		expect(() => segmentMessage(undefined as never)).toThrow(/text must be a string/);
		expect(() => segmentMessage(42 as never)).toThrow(SmsCodecError);
	});
});
