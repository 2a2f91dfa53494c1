'use strict';
/** Small helpers shared by the simulator modules: PRNG, dates, JWT, loopback checks. */
const crypto = require('crypto');

/** mulberry32: a tiny seeded PRNG, enough for reproducible fault schedules. */
function prng(seed) {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

function toDate(v) {
	if (v === undefined || v === null) return new Date();
	if (v instanceof Date) return v;
	if (typeof v === 'number') return new Date(v);
	const d = new Date(v);
	if (Number.isNaN(d.getTime())) throw new Error(`not a date: ${v}`);
	return d;
}

const pad = (n, w = 2) => String(n).padStart(w, '0');

const londonFmt = new Intl.DateTimeFormat('en-GB', {
	timeZone: 'Europe/London',
	hourCycle: 'h23',
	year: 'numeric',
	month: '2-digit',
	day: '2-digit',
	hour: '2-digit',
	minute: '2-digit',
	second: '2-digit',
});

/** `yyyy-MM-dd HH:mm:ss` in Europe/London local time (GMT or BST), as MX writes smsdate. */
function londonDateTime(v) {
	const parts = {};
	for (const p of londonFmt.formatToParts(toDate(v))) parts[p.type] = p.value;
	return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`;
}

/** `yyyy-MM-dd HH:mm:ss` in UTC. */
function utcDateTime(v) {
	const d = toDate(v);
	return (
		`${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ` +
		`${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`
	);
}

/** Parses `yyyy-MM-dd HH:mm:ss` (UTC) or ISO 8601; returns ms or NaN. */
function parseUtcDateTime(s) {
	const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/.exec(s);
	if (m) return Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]);
	if (/^\d{4}-\d{2}-\d{2}T/.test(s)) return Date.parse(s);
	return NaN;
}

function b64url(buf) {
	return Buffer.from(buf)
		.toString('base64')
		.replace(/=+$/, '')
		.replace(/\+/g, '-')
		.replace(/\//g, '_');
}

/** HS256 JWT over exactly `payloadJson` (so the header signs the bytes the body carries). */
function signJwt(payloadJson, secret) {
	const head = b64url(JSON.stringify({ typ: 'JWT', alg: 'HS256' }));
	const body = b64url(Buffer.from(payloadJson, 'utf8'));
	const sig = b64url(crypto.createHmac('sha256', secret).update(`${head}.${body}`).digest());
	return `${head}.${body}.${sig}`;
}

function isLoopbackHost(host) {
	const h = String(host)
		.replace(/^\[|\]$/g, '')
		.toLowerCase();
	return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/** Throws unless url is http(s) on a loopback host: the simulator never talks to anyone else. */
function assertLoopbackUrl(url) {
	let u;
	try {
		u = new URL(url);
	} catch {
		throw new Error(`not a URL: ${url}`);
	}
	if (u.protocol !== 'http:')
		throw new Error(`only http:// loopback URLs are allowed, got ${u.protocol}`);
	if (!isLoopbackHost(u.hostname))
		throw new Error(`refusing to contact non-loopback host ${u.hostname}`);
	return u;
}

// Calling codes -> ISO country, longest prefix first; enough for usage reports in tests.
const PREFIXES = [
	['358', 'FI', 358],
	['353', 'IE', 353],
	['354', 'IS', 354],
	['351', 'PT', 351],
	['852', 'HK', 852],
	['971', 'AE', 971],
	['966', 'SA', 966],
	['420', 'CZ', 420],
	['45', 'DK', 45],
	['44', 'GB', 44],
	['46', 'SE', 46],
	['47', 'NO', 47],
	['49', 'DE', 49],
	['33', 'FR', 33],
	['34', 'ES', 34],
	['39', 'IT', 39],
	['31', 'NL', 31],
	['32', 'BE', 32],
	['41', 'CH', 41],
	['43', 'AT', 43],
	['48', 'PL', 48],
	['30', 'GR', 30],
	['36', 'HU', 36],
	['40', 'RO', 40],
	['61', 'AU', 61],
	['64', 'NZ', 64],
	['81', 'JP', 81],
	['82', 'KR', 82],
	['86', 'CN', 86],
	['91', 'IN', 91],
	['27', 'ZA', 27],
	['55', 'BR', 55],
	['52', 'MX', 52],
	['90', 'TR', 90],
	['20', 'EG', 20],
	['62', 'ID', 62],
	['63', 'PH', 63],
	['65', 'SG', 65],
	['66', 'TH', 66],
	['84', 'VN', 84],
	['7', 'RU', 7],
	['1', 'US', 1],
];
function countryOf(msisdn) {
	const s = String(msisdn);
	for (const [p, cc, num] of PREFIXES) if (s.startsWith(p)) return { code: cc, prefix: num };
	return { code: 'XX', prefix: Number(s.slice(0, 2)) || 0 };
}

module.exports = {
	prng,
	toDate,
	londonDateTime,
	utcDateTime,
	parseUtcDateTime,
	signJwt,
	b64url,
	isLoopbackHost,
	assertLoopbackUrl,
	countryOf,
};
