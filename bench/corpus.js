'use strict';
// Seeded corpus of mixed SMS texts for bench/codec.js. Same seed, same corpus, on every
// machine: the PRNG is mulberry32 and nothing else feeds the generator.

function mulberry32(seed) {
	let a = seed >>> 0;
	return function next() {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

const WORDS = (
	'the quick brown fox jumps over lazy dog your code is ready please confirm order ' +
	'delivery tomorrow between and call us at meeting moved to room hello world thanks ' +
	'reply STOP to opt out balance account ticket gate boarding flight delayed minutes'
).split(' ');
const PUNCT = ' .,!?:;-()\'"@#%&*+/=<>_$\n\r';
// Basic-table characters beyond ASCII (accents, Greek capitals, currency).
const GSM_ACCENTED =
	'\u00E8\u00E9\u00F9\u00EC\u00F2\u00C7\u00D8\u00F8\u00C5\u00E5\u00C6\u00E6\u00DF\u00C9' +
	'\u00C4\u00D6\u00D1\u00DC\u00E4\u00F6\u00F1\u00FC\u00E0\u00A1\u00BF\u00A3\u00A5\u00A7\u00A4' +
	'\u0394\u03A6\u0393\u039B\u03A9\u03A0\u03A8\u03A3\u0398\u039E';
const GSM_EXTENSION = '^{}\\[~]|\u20AC\f';
// Look-alikes: curly quotes, dashes, ellipsis, no-break space; plus non-GSM Latin letters.
const LOOKALIKES = '\u2018\u2019\u201C\u201D\u2013\u2014\u2026\u00A0';
const NON_GSM_LATIN = '\u00E1\u00ED\u00F3\u00FA\u00E2\u00EA\u00E7\u0161\u017E\u0142';

function pick(rand, s) {
	return s[Math.floor(rand() * s.length)];
}

function codeIn(rand, lo, hi) {
	return String.fromCharCode(lo + Math.floor(rand() * (hi - lo + 1)));
}

function emoji(rand) {
	return String.fromCodePoint(0x1f300 + Math.floor(rand() * 0x150));
}

// Each kind yields one "token" at a time; the message grows until it reaches its length.
const KINDS = [
	{ name: 'latin-gsm', weight: 28, token: (r) => (r() < 0.85 ? pick(r, WORDS) : pick(r, PUNCT)) + ' ' },
	{
		name: 'gsm-extension',
		weight: 14,
		token: (r) => (r() < 0.12 ? pick(r, GSM_EXTENSION) : pick(r, WORDS) + ' '),
	},
	{
		name: 'gsm-accented',
		weight: 10,
		token: (r) => (r() < 0.3 ? pick(r, GSM_ACCENTED) : pick(r, WORDS) + ' '),
	},
	{
		name: 'lookalikes',
		weight: 10,
		token: (r) => (r() < 0.1 ? pick(r, LOOKALIKES) : r() < 0.03 ? pick(r, NON_GSM_LATIN) : pick(r, WORDS) + ' '),
	},
	{ name: 'cyrillic', weight: 10, token: (r) => (r() < 0.15 ? ' ' : codeIn(r, 0x0410, 0x044f)) },
	{ name: 'cjk', weight: 8, token: (r) => (r() < 0.05 ? '\u3002' : codeIn(r, 0x4e00, 0x9fff)) },
	{ name: 'arabic', weight: 8, token: (r) => (r() < 0.15 ? ' ' : codeIn(r, 0x0621, 0x064a)) },
	{ name: 'emoji', weight: 10, token: (r) => (r() < 0.2 ? emoji(r) : pick(r, WORDS) + ' ') },
	// Broken UTF-16 (a lone surrogate), as produced by naive truncation of emoji.
	{
		name: 'lone-surrogate',
		weight: 2,
		token: (r) => (r() < 0.02 ? codeIn(r, 0xd800, 0xdfff) : r() < 0.1 ? emoji(r) : pick(r, WORDS) + ' '),
	},
];
const TOTAL_WEIGHT = KINDS.reduce((s, k) => s + k.weight, 0);

function chooseKind(rand) {
	let x = rand() * TOTAL_WEIGHT;
	for (const k of KINDS) {
		x -= k.weight;
		if (x < 0) return k;
	}
	return KINDS[KINDS.length - 1];
}

/** `count` messages of 1-2000 UTF-16 units, with the kind of each. */
function buildCorpus(count, seed) {
	const rand = mulberry32(seed);
	const messages = [];
	const kinds = [];
	for (let i = 0; i < count; i++) {
		const kind = chooseKind(rand);
		const length = 1 + Math.floor(rand() * 2000);
		let text = '';
		while (text.length < length) text += kind.token(rand);
		text = text.slice(0, length);
		// Cutting at `length` may split an emoji; drop the half so only the lone-surrogate
		// kind carries broken UTF-16.
		const last = text.charCodeAt(text.length - 1);
		if (text.length > 1 && last >= 0xd800 && last <= 0xdbff && kind.name !== 'lone-surrogate') {
			text = text.slice(0, -1);
		}
		messages.push(text);
		kinds.push(kind.name);
	}
	return { messages, kinds };
}

module.exports = { buildCorpus, mulberry32, KINDS };
