'use strict';
/**
 * MX Telecom / OpenMarket endpoints: SMS send (v1 and legacy SMSSend), bulksend, SendMMS and
 * MMS retrieve. Decisions where the reference says NOT FOUND are documented in docs/simulator.md.
 */
const http = require('http');
const cs = require('./charsets');
const { parseUrlEncoded, Params, parseMultipart } = require('./form');
const zip = require('./zip');
const binary = require('./binary');
const { assertLoopbackUrl } = require('./util');

const PROVIDER = 'mxTelecom';
const TEXT = { 'Content-Type': 'text/plain; charset=US-ASCII' };
const MSISDN_RE = /^\d{7,15}$/;

function text(status, body) {
	return { status, headers: TEXT, body: body + '\n' };
}
const failure = (status, reason) => text(status, `FAILURE ${reason}`);

/** Query + body parameters (urlencoded or multipart), every value read as ISO-8859-15. */
function readParams(ctx) {
	try {
		return readParamsUnsafe(ctx);
	} catch (err) {
		return { error: `request body: ${err.message}` };
	}
}

function readParamsUnsafe(ctx) {
	const query = parseUrlEncoded(ctx.query);
	let body = [];
	const files = [];
	const ct = String(ctx.headers['content-type'] || '').toLowerCase();
	if (ctx.body.length) {
		if (ct.startsWith('multipart/')) {
			for (const part of parseMultipart(ctx.body, ctx.headers['content-type'])) {
				if (part.filename !== undefined || part.name === 'mms.zip') files.push(part);
				else body.push([part.name, part.data]);
			}
		} else body = parseUrlEncoded(ctx.body);
	}
	return { p: new Params(query, body, cs.decodeLatin9), files };
}

function validFrom(from) {
	if (/^\d+$/.test(from)) return from.length <= 16;
	return from.length > 0 && from.length <= 11;
}

/**
 * Reads the message body parameters the way the gateway would.
 * Returns { error } or { decoded: { encoding, text?, hex?, udh?, parts, units } }.
 */
function decodeBody(p) {
	const bodies = ['smsmsg', 'smsia5', 'smsucs2', 'vcard_data', 'mms_messagelocation'].filter((n) =>
		p.has(n),
	);
	if (bodies.length === 0 && MMS_PARAMS.some((n) => p.has(n)))
		return { error: 'mms_messagelocation: required for an MMS notification' };
	if (bodies.length === 0) return { error: 'smsmsg: one of smsmsg, smsia5, smsucs2 is required' };
	if (bodies.length > 1)
		return {
			error: `${bodies.join('+')}: send exactly one of smsmsg, smsia5, smsucs2, vcard_data, mms_messagelocation`,
		};
	const which = bodies[0];
	if (which === 'vcard_data' || which === 'mms_messagelocation') {
		if (p.has('smsudh')) return { error: `smsudh: not allowed with ${which}` };
		return which === 'vcard_data' ? decodeVcard(p) : decodeMmsNotification(p);
	}
	const udh = p.has('smsudh') ? p.str('smsudh') : undefined;
	if (udh !== undefined && (!cs.isHex(udh) || udh.length === 0))
		return { error: 'smsudh: must be hex octets' };
	const udhOctets = udh ? udh.length / 2 : 0;
	if (udh && parseInt(udh.slice(0, 2), 16) !== udhOctets - 1)
		return { error: 'smsudh: first octet must be the UDH length' };
	if (which === 'smsmsg' && udh !== undefined) {
		const hex = p.str('smsmsg');
		if (!cs.isHex(hex)) return { error: 'smsmsg: binary payload (with smsudh) must be hex' };
		if (udhOctets + hex.length / 2 > 140)
			return { error: 'smsmsg: UDH + payload exceed 140 octets' };
		const part = binary.binaryPart(Buffer.from(udh, 'hex'), Buffer.from(hex, 'hex'));
		if (part.error) return { error: `smsudh: ${part.error}` };
		return {
			decoded: {
				encoding: 'binary',
				hex: hex.toUpperCase(),
				udh: udh.toUpperCase(),
				binary: part,
				parts: 1,
				units: hex.length / 2,
			},
		};
	}
	if (which === 'smsmsg') {
		const t = cs.decodeLatin9(p.bytes('smsmsg'));
		const c = cs.countParts(t, 'gsm7');
		return { decoded: { encoding: 'latin9', text: t, parts: c.parts, units: c.units } };
	}
	if (which === 'smsia5') {
		let t;
		try {
			t = cs.decodeGsmOctets(p.bytes('smsia5'));
		} catch (err) {
			return { error: `smsia5: ${err.message}` };
		}
		const c = cs.countParts(t, 'gsm7');
		if (udh !== undefined) {
			if (c.units > Math.floor(((140 - udhOctets) * 8) / 7))
				return { error: 'smsia5: too long for one part with this UDH' };
			return {
				decoded: { encoding: 'gsm7', text: t, udh: udh.toUpperCase(), parts: 1, units: c.units },
			};
		}
		return { decoded: { encoding: 'gsm7', text: t, parts: c.parts, units: c.units } };
	}
	let t;
	try {
		t = cs.fromUcs2Hex(p.str('smsucs2'));
	} catch (err) {
		return { error: `smsucs2: ${err.message}` };
	}
	const c = cs.countParts(t, 'ucs2');
	if (udh !== undefined) {
		if (c.units * 2 > 140 - udhOctets)
			return { error: 'smsucs2: too long for one part with this UDH' };
		return {
			decoded: { encoding: 'ucs2', text: t, udh: udh.toUpperCase(), parts: 1, units: c.units },
		};
	}
	return { decoded: { encoding: 'ucs2', text: t, parts: c.parts, units: c.units } };
}

const MMS_PARAMS = [
	'mms_messagelocation',
	'mms_transaction_id',
	'mms_from',
	'mms_subject',
	'mms_expire',
];
/** [decision] Octets left for the four counted MMS parameters once MX's fixed headers are in one SMS. */
const MMS_TEXT_OCTETS = 100;
/** vCard octets per SMS with a ports-only UDH (content-messages.md section 1.4). */
const VCARD_OCTETS_PER_SMS = 133;

/** `vcard_data`: the card text, CR LF line ends (section 1.3); MX builds the SMS. */
function decodeVcard(p) {
	const bytes = p.bytes('vcard_data');
	const text = p.str('vcard_data');
	if (!/^BEGIN:VCARD\r\n/i.test(text) || !/\r\nEND:VCARD(\r\n)?$/i.test(text))
		return { error: 'vcard_data: must run from BEGIN:VCARD to END:VCARD' };
	if (/(^|[^\r])\n/.test(text)) return { error: 'vcard_data: every line must end with CR LF' };
	return {
		decoded: {
			encoding: 'vcard',
			vcard: text,
			parts: Math.ceil(bytes.length / VCARD_OCTETS_PER_SMS),
			units: bytes.length,
		},
	};
}

/** The `mms_*` parameters (section 1.3): MX builds one binary SMS from them. */
function decodeMmsNotification(p) {
	const mms = {
		messageLocation: p.str('mms_messagelocation'),
		transactionId: p.str('mms_transaction_id'),
		from: p.str('mms_from'),
		subject: p.str('mms_subject'),
	};
	if (!mms.messageLocation) return { error: 'mms_messagelocation: required' };
	const counted = ['mms_messagelocation', 'mms_transaction_id', 'mms_from', 'mms_subject']
		.filter((n) => p.has(n))
		.reduce((n, name) => n + p.bytes(name).length, 0);
	if (counted > MMS_TEXT_OCTETS)
		return {
			error: `mms_messagelocation: the location, transaction id, from and subject are ${counted} octets; with the notification's headers they exceed one binary SMS (140 octets)`,
		};
	const expire = p.str('mms_expire');
	if (expire !== undefined) {
		if (!/^\d{1,10}$/.test(expire)) return { error: 'mms_expire: must be a number of seconds' };
		mms.expire = Number(expire);
	}
	return { decoded: { encoding: 'mmsNotification', mms, parts: 1, units: counted } };
}

/** Checks everything but smsto; returns { error } or { decoded, report, options }. */
function validateMessage(p, sim) {
	const b = decodeBody(p);
	if (b.error) return b;
	const d = b.decoded;
	const from = p.str('smsfrom');
	if (from !== undefined && !validFrom(from))
		return { error: 'smsfrom: up to 16 digits or 11 alphanumeric characters' };
	const split = p.str('split');
	if (split !== undefined && !/^[0-3]$/.test(split))
		return { error: 'split: must be 0, 1, 2 or 3' };
	if (d.parts > 1 && d.encoding !== 'vcard' && !(split && split !== '0'))
		return { error: 'smsmsg: message too long for one SMS (use split=2)' };
	if (d.parts > sim.limits.mxMaxParts)
		return { error: `smsmsg: message needs ${d.parts} parts, limit ${sim.limits.mxMaxParts}` };
	const report = p.str('report');
	if (report !== undefined && !/^\d{1,3}$/.test(report))
		return { error: 'report: must be an integer' };
	const flash = p.str('flash');
	if (flash !== undefined && !/^[01]$/.test(flash)) return { error: 'flash: must be 0 or 1' };
	const vp = p.str('vp');
	if (vp !== undefined && !/^\d{1,9}$/.test(vp))
		return { error: 'vp: must be a number of seconds' };
	const note = p.str('note');
	if (note !== undefined && note.length > 160) return { error: 'note: at most 160 characters' };
	const sub = p.str('subaccount');
	if (sub !== undefined && sub.length > 10) return { error: 'subaccount: at most 10 characters' };
	d.from = from;
	if (split !== undefined) d.split = Number(split);
	if (report !== undefined) d.report = Number(report);
	if (flash === '1') d.flash = true;
	if (vp !== undefined) d.validity = Number(vp);
	if (note !== undefined) d.note = note;
	if (sub !== undefined) d.subaccount = sub;
	return { decoded: d, report: report !== undefined && Number(report) > 0 };
}

function authOk(p, sim, mms) {
	const c = sim.credentials.mxTelecom;
	const u = p.str('user');
	const pw = p.str('pass');
	if (u === undefined || pw === undefined) return false;
	if (mms === 'only') return u === c.mmsUsername && pw === c.mmsPassword;
	if (mms === 'either' && u === c.mmsUsername && pw === c.mmsPassword) return true;
	return u === c.username && pw === c.password;
}

function acceptedRecord(ctx, d, to, messageId) {
	const record = {
		provider: PROVIDER,
		endpoint: ctx.endpoint,
		to,
		from: d.from,
		messageId,
		text: d.text !== undefined ? d.text : d.hex !== undefined ? d.hex : d.vcard,
		encoding: d.encoding,
		parts: d.parts,
		status: 'accepted',
		note: d.note,
	};
	if (d.binary) record.binary = d.binary;
	if (d.vcard !== undefined) record.vcard = d.vcard;
	if (d.mms) {
		record.mms = d.mms;
		record.text = d.mms.messageLocation;
	}
	return record;
}

function send(ctx, sim) {
	const rp = readParams(ctx);
	if (rp.error) return failure(400, rp.error);
	const { p } = rp;
	if (sim.recordMode === 'full') ctx.params = p.toObject();
	if (!authOk(p, sim)) return failure(403, 'authentication failed');
	const to = p.str('smsto');
	if (to === undefined) return failure(400, 'smsto: required');
	if (!MSISDN_RE.test(to))
		return failure(400, 'smsto: international number, digits only, 7-15 digits');
	const v = validateMessage(p, sim);
	if (v.error) return failure(400, v.error);
	const d = v.decoded;
	d.to = [to];
	ctx.decoded = d;
	const id = sim.nextMxId();
	sim.accept(ctx, [acceptedRecord(ctx, d, to, id)], { report: v.report });
	return text(200, id);
}

function bulksend(ctx, sim) {
	if (ctx.method !== 'POST') return failure(405, 'bulksend requires POST');
	const rp = readParams(ctx);
	if (rp.error) return failure(400, rp.error);
	const { p } = rp;
	ctx.params = sim.recordMode === 'full' ? p.toObject() : undefined;
	if (!authOk(p, sim)) return failure(403, 'authentication failed');
	const submitid = p.str('submitid');
	if (submitid === undefined || submitid.trim() === '') return failure(400, 'submitid: required');
	const key = `${p.str('user')}\n${submitid}`;
	const prior = sim.dedupeGet('mx', key);
	if (prior) {
		ctx.decoded = { duplicateOfSubmitid: submitid, duplicateOfSeq: prior.seq };
		ctx.duplicate = true;
		return text(prior.status, prior.body.replace(/\n$/, ''));
	}
	const raw = p.str('smsto');
	if (raw === undefined) return failure(400, 'smsto: required');
	const lines = raw
		.split(/\r?\n|\r/)
		.map((s) => s.trim())
		.filter((s) => s !== '');
	if (lines.length === 0) return failure(400, 'smsto: no recipients');
	if (lines.length > sim.limits.mxBulkMaxRecipients)
		return failure(400, `smsto: more than ${sim.limits.mxBulkMaxRecipients} recipients`);
	const v = validateMessage(p, sim);
	if (v.error) return failure(400, v.error);
	const d = v.decoded;
	d.submitid = submitid;
	d.recipients = lines.length;
	if (sim.recordMode === 'full') d.to = lines;
	ctx.decoded = d;
	const out = new Array(lines.length);
	const records = [];
	for (let i = 0; i < lines.length; i++) {
		const to = lines[i];
		if (!MSISDN_RE.test(to)) {
			out[i] = `${to} FAILURE invalid msisdn`;
			continue;
		}
		const id = sim.nextMxId();
		out[i] = `${to} ${id}`;
		records.push(acceptedRecord(ctx, d, to, id));
	}
	const body = out.join('\n') + '\n';
	sim.accept(ctx, records, { report: v.report });
	sim.dedupeSet('mx', key, { status: 200, body, seq: ctx.seq });
	return { status: 200, headers: TEXT, body };
}

function fetchLoopback(url, maxBytes) {
	return new Promise((resolve, reject) => {
		let u;
		try {
			u = assertLoopbackUrl(url);
		} catch (err) {
			reject(err);
			return;
		}
		const req = http.get(u, (res) => {
			const chunks = [];
			let n = 0;
			res.on('data', (c) => {
				n += c.length;
				if (n > maxBytes) req.destroy(new Error('url content too large'));
				else chunks.push(c);
			});
			res.on('end', () =>
				res.statusCode === 200
					? resolve(Buffer.concat(chunks))
					: reject(new Error(`url answered HTTP ${res.statusCode}`)),
			);
			res.on('error', reject);
		});
		req.on('error', reject);
	});
}

function describeParts(parts) {
	return parts.map((pt) => {
		const o = { name: pt.name, mimeType: pt.mimeType, size: pt.data.length };
		if (/^text\//i.test(pt.mimeType)) o.text = pt.data.toString('utf8');
		return o;
	});
}

async function sendMms(ctx, sim) {
	const rp = readParams(ctx);
	if (rp.error) return failure(400, rp.error);
	const { p, files } = rp;
	if (sim.recordMode === 'full') ctx.params = p.toObject();
	if (!authOk(p, sim, 'either')) return failure(403, 'authentication failed');
	const tos = p
		.all('to')
		.flatMap((t) => t.split(','))
		.map((t) => t.trim())
		.filter(Boolean);
	if (tos.length === 0) return failure(400, 'to: required');
	for (const t of tos) if (!MSISDN_RE.test(t)) return failure(400, `to: invalid number ${t}`);
	const from = p.str('from');
	if (from !== undefined && !validFrom(from))
		return failure(400, 'from: up to 16 digits or 11 alphanumeric characters');
	for (const flag of ['deliveryreport', 'readreport']) {
		const f = p.str(flag);
		if (f !== undefined && !/^(true|false|1|0)$/i.test(f))
			return failure(400, `${flag}: must be true or false`);
	}
	const note = p.str('note');
	if (note !== undefined && note.length > 160) return failure(400, 'note: at most 160 characters');
	const sub = p.str('subaccount');
	if (sub !== undefined && sub.length > 10)
		return failure(400, 'subaccount: at most 10 characters');
	let zipBytes;
	let source;
	const file =
		files.find((f) => f.name === 'mms.zip') || files.find((f) => f.filename === 'mms.zip');
	if (file) {
		zipBytes = file.data;
		source = file.name === 'mms.zip' ? 'multipart' : 'multipart-filename';
	} else if (p.has('url')) {
		try {
			zipBytes = await fetchLoopback(p.str('url'), sim.limits.maxBodyBytes);
		} catch (err) {
			return failure(400, `url: ${err.message}`);
		}
		source = 'url';
	} else return failure(400, 'mms.zip: missing (send a multipart part named mms.zip, or url)');
	let mms;
	try {
		mms = zip.readMmsZip(zipBytes);
	} catch (err) {
		return failure(400, `mms.zip: ${err.message}`);
	}
	for (const pt of mms.parts)
		if (/^text\//i.test(pt.mimeType) && !isUtf8(pt.data))
			return failure(400, `mms.zip: text part ${pt.name} is not UTF-8`);
	const id = sim.nextMxId();
	const d = {
		to: tos,
		from,
		subject: p.str('subject'),
		deliveryReport: /^(true|1)$/i.test(p.str('deliveryreport') || ''),
		readReport: /^(true|1)$/i.test(p.str('readreport') || ''),
		note,
		subaccount: sub,
		source,
		parts: describeParts(mms.parts),
		extraEntries: mms.extra,
		zipBytes: zipBytes.length,
	};
	ctx.decoded = d;
	sim.storeMms({
		id,
		from,
		to: tos,
		cc: [],
		subject: d.subject,
		parts: mms.parts,
		direction: 'sent',
	});
	sim.accept(
		ctx,
		tos.map((to) => ({
			provider: PROVIDER,
			endpoint: ctx.endpoint,
			to,
			from,
			messageId: id,
			text: d.subject,
			encoding: 'mms',
			parts: mms.parts.length,
			status: 'accepted',
		})),
		{ report: false },
	);
	return text(200, id);
}

function isUtf8(buf) {
	try {
		new TextDecoder('utf-8', { fatal: true }).decode(buf);
		return true;
	} catch {
		return false;
	}
}

function retrieveMms(ctx, sim) {
	const rp = readParams(ctx);
	if (rp.error) return failure(400, rp.error);
	const { p } = rp;
	if (sim.recordMode === 'full') ctx.params = p.toObject();
	if (!authOk(p, sim, 'only')) return failure(403, 'authentication failed');
	const id = p.str('id');
	if (!id) return failure(400, 'id: required');
	const m = sim.getMms(id);
	if (!m) return failure(404, 'unknown message id');
	ctx.decoded = { id, parts: m.parts.length };
	return { status: 200, headers: { 'Content-Type': 'application/zip' }, body: m.zip };
}

function routes() {
	return [
		{ path: '/sms/v1/send', provider: PROVIDER, endpoint: 'mx.send', handler: send },
		{ path: '/SMSSend', provider: PROVIDER, endpoint: 'mx.send', handler: send },
		{ path: '/sms/v1/bulksend', provider: PROVIDER, endpoint: 'mx.bulksend', handler: bulksend },
		{ path: '/SendMMS', provider: PROVIDER, endpoint: 'mx.sendmms', handler: sendMms },
		{ path: '/RetrieveMMS', provider: PROVIDER, endpoint: 'mx.retrievemms', handler: retrieveMms },
		{
			path: '/mms/v1/http/retrieve',
			provider: PROVIDER,
			endpoint: 'mx.retrievemms',
			handler: retrieveMms,
		},
	];
}

function faultResponse(kind) {
	return kind === '503' ? failure(503, 'service unavailable') : failure(500, 'internal error');
}

module.exports = { routes, faultResponse, PROVIDER };
