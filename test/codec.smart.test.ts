import { applySmartEncoding, segmentMessage, smartEncodingTable } from '../nodes/shared/codec';

describe('smart encoding', () => {
	it('is off by default: look-alikes force UCS-2', () => {
		const r = segmentMessage('It\u2019s \u201Cdone\u201D');
		expect(r.encoding).toBe('UCS-2');
		expect(r.replacements).toEqual([]);
		expect(r.text).toBe('It\u2019s \u201Cdone\u201D');
	});

	it('replaces curly quotes, dashes, ellipsis and NBSP before choosing the encoding', () => {
		const input = 'It\u2019s \u201Cdone\u201D \u2013 see\u00A0you\u2026';
		const r = segmentMessage(input, { smartEncoding: true });
		expect(r.encoding).toBe('GSM-7');
		expect(r.text).toBe('It\'s "done" - see you...');
		expect(r.parts).toEqual([r.text]);
		expect(r.units).toBe(r.text.length);
		expect(r.replacements).toEqual([
			{ index: 2, from: '\u2019', to: "'" },
			{ index: 5, from: '\u201C', to: '"' },
			{ index: 10, from: '\u201D', to: '"' },
			{ index: 12, from: '\u2013', to: '-' },
			{ index: 17, from: '\u00A0', to: ' ' },
			{ index: 21, from: '\u2026', to: '...' },
		]);
	});

	it('reports indexes in the original text, also after expansions and removals', () => {
		const r = applySmartEncoding('\u2026a\u200Bb\u2014');
		expect(r.text).toBe('...ab-');
		expect(r.replacements).toEqual([
			{ index: 0, from: '\u2026', to: '...' },
			{ index: 2, from: '\u200B', to: '' },
			{ index: 4, from: '\u2014', to: '-' },
		]);
	});

	it('maps TAB, Greek capitals that look Latin, and the grave accent', () => {
		const r = segmentMessage('\u0391\u0392\u0393\tx`', { smartEncoding: true });
		// Gamma (U+0393) is in the GSM table itself and stays.
		expect(r.text).toBe("AB\u0393 x'");
		expect(r.encoding).toBe('GSM-7');
	});

	it('still replaces when other characters keep the message in UCS-2', () => {
		const r = segmentMessage('\u201C\u041F\u0440\u0438\u0432\u0435\u0442\u201D', { smartEncoding: true });
		expect(r.encoding).toBe('UCS-2');
		expect(r.text).toBe('"\u041F\u0440\u0438\u0432\u0435\u0442"');
		expect(r.replacements).toHaveLength(2);
	});

	it('does not transliterate letters or touch c-cedilla', () => {
		const r = segmentMessage('\u00E1\u00E7', { smartEncoding: true });
		expect(r.replacements).toEqual([]);
		expect(r.encoding).toBe('UCS-2');
		expect(segmentMessage('\u00E7\u2019', { smartEncoding: true, lenientCCedilla: true }).encoding).toBe('GSM-7');
	});

	it('keeps zero-width joiners (emoji sequences)', () => {
		const family = '\u{1F468}\u200D\u{1F469}\u200D\u{1F467}';
		expect(segmentMessage(family, { smartEncoding: true }).text).toBe(family);
	});

	it('lets forced GSM-7 succeed where the original would fail', () => {
		expect(() => segmentMessage('a\u2014b', { encoding: 'GSM-7' })).toThrow(/U\+2014/);
		expect(segmentMessage('a\u2014b', { encoding: 'GSM-7', smartEncoding: true }).text).toBe('a-b');
	});

	it('changes the part boundaries to those of the replaced text', () => {
		const r = segmentMessage('\u2026'.repeat(60), { smartEncoding: true });
		expect(r).toMatchObject({ encoding: 'GSM-7', units: 180, partCount: 2, partUnits: [153, 27] });
		expect(r.replacements).toHaveLength(60);
	});

	it('maps only to GSM characters', () => {
		const table = smartEncodingTable();
		expect(Object.keys(table).length).toBeGreaterThan(40);
		for (const [from, to] of Object.entries(table)) {
			expect(segmentMessage(to).encoding).toBe('GSM-7');
			expect(segmentMessage(from).encoding).toBe('UCS-2');
		}
	});
});
