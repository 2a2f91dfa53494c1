/**
 * "Smart encoding": typographic look-alikes that would force a whole message into UCS-2
 * (tripling its cost) are replaced with the GSM characters they stand for. Only symbols
 * whose meaning survives are listed; letters with accents are NOT transliterated, and
 * lowercase c-cedilla is left to the separate lenientCCedilla option.
 */
import { assertString } from './errors';

/** [replacement, ...code units it replaces]. An empty replacement removes the character. */
const SMART_GROUPS: ReadonlyArray<readonly [string, ...number[]]> = [
	// Spaces: no-break, en/em/thin/hair and other fixed-width spaces, narrow no-break,
	// medium mathematical, ideographic. TAB is not GSM either; a space is what it shows as.
	[' ', 0x0009, 0x00a0, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x202f, 0x205f, 0x3000],
	// Invisible characters with no meaning in an SMS: soft hyphen, zero-width space, word
	// joiner, byte order mark. Zero-width (non-)joiners are kept: they shape scripts and emoji.
	['', 0x00ad, 0x200b, 0x2060, 0xfeff],
	// Line and paragraph separators.
	['\n', 0x2028, 0x2029],
	// Single quotes, primes and apostrophes, including the grave accent used as one.
	["'", 0x0060, 0x00b4, 0x02b9, 0x02bc, 0x02c8, 0x2018, 0x2019, 0x201a, 0x201b, 0x2032, 0x2035, 0x2039, 0x203a],
	// Double quotes and guillemets.
	['"', 0x00ab, 0x00bb, 0x02ba, 0x201c, 0x201d, 0x201e, 0x201f, 0x2033, 0x2036],
	// Hyphens, dashes and the minus sign.
	['-', 0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2015, 0x2043, 0x2212],
	['...', 0x2026],
	['.', 0x2024],
	['/', 0x2044, 0x2215],
	['*', 0x2022, 0x2217],
	['^', 0x02c6],
	['~', 0x02dc],
	// Greek capitals that look exactly like Latin ones; TS 23.038 leaves them out of the
	// alphabet for that reason.
	['A', 0x0391],
	['B', 0x0392],
	['E', 0x0395],
	['Z', 0x0396],
	['H', 0x0397],
	['I', 0x0399],
	['K', 0x039a],
	['M', 0x039c],
	['N', 0x039d],
	['O', 0x039f],
	['P', 0x03a1],
	['T', 0x03a4],
	['Y', 0x03a5],
	['X', 0x03a7],
];

/** Replacement for each code unit that has one (undefined elsewhere). */
const SMART_REPLACEMENT: Array<string | undefined> = new Array<string | undefined>(0x10000);
/** 1 where SMART_REPLACEMENT has an entry: a flat byte test keeps the scan cheap. */
const HAS_SMART = new Uint8Array(0x10000);
for (const [to, ...codes] of SMART_GROUPS) {
	for (const code of codes) {
		SMART_REPLACEMENT[code] = to;
		HAS_SMART[code] = 1;
	}
}

/** The look-alike table as a plain object, for documentation and UIs. */
export function smartEncodingTable(): Record<string, string> {
	const table: Record<string, string> = {};
	for (const [to, ...codes] of SMART_GROUPS) {
		for (const code of codes) table[String.fromCharCode(code)] = to;
	}
	return table;
}

export interface Replacement {
	/** UTF-16 index of the replaced character in the ORIGINAL text. */
	index: number;
	from: string;
	/** What it became; '' when it was removed. */
	to: string;
}

export interface SmartEncodingResult {
	text: string;
	replacements: Replacement[];
}

/** Replaces every look-alike in the table and reports each replacement. */
export function applySmartEncoding(text: string): SmartEncodingResult {
	assertString(text, 'text');
	const n = text.length;
	let i = 0;
	while (i < n && HAS_SMART[text.charCodeAt(i)] === 0) i++;
	// Common case: nothing to replace, so no string is built.
	if (i === n) return { text, replacements: [] };
	const replacements: Replacement[] = [];
	let out = '';
	let copyFrom = 0;
	for (; i < n; i++) {
		const code = text.charCodeAt(i);
		if (HAS_SMART[code] === 0) continue;
		const to = SMART_REPLACEMENT[code] as string;
		out += text.slice(copyFrom, i) + to;
		copyFrom = i + 1;
		replacements.push({ index: i, from: text[i], to });
	}
	out += text.slice(copyFrom);
	return { text: out, replacements };
}
