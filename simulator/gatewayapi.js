'use strict';
/**
 * GatewayAPI REST endpoints: POST /rest/mtsms, GET /rest/me, GET|DELETE /rest/mtsms/<id>.
 * JSON in and out; errors as { code, incident_uuid, message, variables? } (reference sections 3, 4).
 */
const crypto = require('crypto');
const cs = require('./charsets');
const { parseUrlEncoded } = require('./form');
const { countryOf, isLoopbackHost } = require('./util');
const binary = require('./binary');

const PROVIDER = 'gatewayApi';
const JSON_CT = { 'Content-Type': 'application/json' };

function json(status, obj) {
	return { status, headers: JSON_CT, body: JSON.stringify(obj) };
}

function gwError(status, code, message, variables) {
	const o = { code, incident_uuid: crypto.randomUUID(), message };
	if (variables && variables.length) o.variables = variables.map(String);
	return json(status, o);
}
const invalid = (what, why) => gwError(422, '0x0208', 'Invalid argument %1: %2', [what, why]);

/** Token from `Authorization: Token`, `Basic base64(token:)`, or a `token` query/form value. */
function tokenOf(ctx) {
	const h = String(ctx.headers.authorization || '');
	let m = /^Token\s+(.+)$/i.exec(h);
	if (m) return m[1].trim();
	m = /^Basic\s+(.+)$/i.exec(h);
	if (m) {
		const dec = Buffer.from(m[1].trim(), 'base64').toString('utf8');
		return dec.includes(':') ? dec.slice(0, dec.indexOf(':')) : dec;
	}
	for (const [k, v] of parseUrlEncoded(ctx.query)) if (k === 'token') return v.toString('utf8');
	const ct = String(ctx.headers['content-type'] || '').toLowerCase();
	if (ct.startsWith('application/x-www-form-urlencoded'))
		for (const [k, v] of parseUrlEncoded(ctx.body)) if (k === 'token') return v.toString('utf8');
	return undefined;
}

function authOk(ctx, sim) {
	const t = tokenOf(ctx);
	return t !== undefined && t === sim.credentials.gatewayApi.token;
}

function normMsisdn(v) {
	if (typeof v !== 'number' && typeof v !== 'string') return undefined;
	if (typeof v === 'number' && !Number.isSafeInteger(v)) return undefined;
	const s = String(v).replace(/\s+/g, '').replace(/^\+/, '');
	return /^\d{1,15}$/.test(s) ? s : undefined;
}

const ENCODINGS = new Set(['UTF8', 'UCS2']);
const CLASSES = new Set(['standard', 'premium', 'secret', 'charge']);
const PRIORITIES = new Set(['BULK', 'NORMAL', 'URGENT', 'VERY_URGENT']);
const DESTADDRS = new Set(['DISPLAY', 'MOBILE', 'SIMCARD', 'EXTUNIT']);
const B64_RE = /^[A-Za-z0-9+/]*={0,2}$/;
const isInt = (v) => typeof v === 'number' && Number.isInteger(v);

function partsFor(text, encoding) {
	return cs.countParts(text, encoding === 'UCS2' ? 'ucs2' : 'gsm7').parts;
}

/** Validates one message object; returns { error } or { m } (normalised). */
function validateMessage(o, i, sim) {
	if (!o || typeof o !== 'object' || Array.isArray(o))
		return { error: invalid('body', `message ${i} is not an object`) };
	const hasMsg = o.message !== undefined && o.message !== null;
	const hasPayload = o.payload !== undefined && o.payload !== null;
	if (!hasMsg && !hasPayload)
		return { error: gwError(400, '0x0222', 'Missing required parameter %1', ['message']) };
	if (hasMsg && hasPayload)
		return { error: invalid('payload', 'message and payload are exclusive') };
	if (hasMsg && typeof o.message !== 'string')
		return { error: invalid('message', 'must be a string') };
	if (hasPayload && (typeof o.payload !== 'string' || !B64_RE.test(o.payload)))
		return { error: invalid('payload', 'must be base64') };
	if (o.udh !== undefined && (typeof o.udh !== 'string' || !B64_RE.test(o.udh)))
		return { error: invalid('udh', 'must be base64') };
	let bin;
	if (hasPayload) {
		const u = binary.gatewayApiUdh(o.udh ? Buffer.from(o.udh, 'base64') : undefined);
		if (u.error) return { error: invalid('udh', u.error) };
		const part = binary.binaryPart(u.udh, Buffer.from(o.payload, 'base64'));
		// Over 140 octets is billed as several parts below, as before; only one SMS is decoded.
		if (!part.error) bin = { ...part, udhForm: u.udhForm };
	}
	if (!Array.isArray(o.recipients) || o.recipients.length === 0)
		return { error: gwError(400, '0x0222', 'Missing required parameter %1', ['recipients']) };
	if (o.recipients.length > sim.limits.gatewayApiMaxRecipients)
		return {
			error: invalid(
				'recipients',
				`more than ${sim.limits.gatewayApiMaxRecipients} recipients in message ${i}`,
			),
		};
	const encoding = o.encoding === undefined ? 'UTF8' : o.encoding;
	if (!ENCODINGS.has(encoding)) return { error: invalid('encoding', String(o.encoding)) };
	if (o.sender !== undefined) {
		if (typeof o.sender !== 'string' || o.sender === '')
			return { error: invalid('sender', 'must be a string') };
		if (/^\d+$/.test(o.sender) ? o.sender.length > 15 : o.sender.length > 11)
			return { error: invalid('sender', o.sender) };
	}
	if (o.class !== undefined && !CLASSES.has(o.class))
		return { error: gwError(422, '0x0218', 'Unknown message class id %1', [String(o.class)]) };
	if (o.priority !== undefined && !PRIORITIES.has(o.priority))
		return { error: invalid('priority', String(o.priority)) };
	if (o.destaddr !== undefined && !DESTADDRS.has(o.destaddr))
		return { error: invalid('destaddr', String(o.destaddr)) };
	for (const k of ['userref', 'label', 'callback_url', 'extra_details'])
		if (o[k] !== undefined && typeof o[k] !== 'string')
			return { error: invalid(k, 'must be a string') };
	if (o.sendtime !== undefined && !(isInt(o.sendtime) && o.sendtime >= 0))
		return { error: invalid('sendtime', String(o.sendtime)) };
	if (o.validity_period !== undefined && !(isInt(o.validity_period) && o.validity_period > 0))
		return { error: invalid('validity_period', String(o.validity_period)) };
	const tags = o.tags;
	if (tags !== undefined && (!Array.isArray(tags) || tags.some((t) => typeof t !== 'string')))
		return { error: invalid('tags', 'must be an array of strings') };
	if (o.max_parts !== undefined) {
		if (!(isInt(o.max_parts) && o.max_parts >= 1 && o.max_parts <= 255))
			return { error: invalid('max_parts', String(o.max_parts)) };
		if ((tags && tags.length) || hasPayload)
			return { error: invalid('max_parts', 'not allowed with tags or payload') };
	}
	const seen = new Set();
	const to = new Array(o.recipients.length);
	for (let r = 0; r < o.recipients.length; r++) {
		const rec = o.recipients[r];
		const msisdn = rec && typeof rec === 'object' ? normMsisdn(rec.msisdn) : undefined;
		if (!msisdn)
			return {
				error: invalid('msisdn', String(rec && typeof rec === 'object' ? rec.msisdn : rec)),
			};
		if (seen.has(msisdn))
			return {
				error: gwError(422, '0x0310', 'Same recipient more than once in a message (MSISDN %1)', [
					msisdn,
				]),
			};
		seen.add(msisdn);
		if (tags && tags.length) {
			const tv = rec.tagvalues;
			if (!Array.isArray(tv) || tv.length !== tags.length)
				return { error: invalid('tagvalues', `recipient ${msisdn}`) };
		}
		to[r] = msisdn;
	}
	return { m: { o, to, encoding, hasPayload, bin } };
}

function mtsms(ctx, sim) {
	if (ctx.method !== 'POST')
		return json(405, { message: 'Method not allowed: use POST with a JSON body' });
	if (!authOk(ctx, sim)) return gwError(401, '0x0229', 'Invalid token');
	let body;
	try {
		body = JSON.parse(ctx.body.toString('utf8'));
	} catch {
		return invalid('body', 'not valid JSON');
	}
	if (sim.recordMode === 'full') ctx.params = body;
	const list = Array.isArray(body) ? body : [body];
	if (list.length === 0) return invalid('body', 'no message objects');
	const valid = [];
	for (let i = 0; i < list.length; i++) {
		const v = validateMessage(list[i], i, sim);
		if (v.error) return v.error;
		valid.push(v.m);
	}
	for (const k of ['class', 'label'])
		if (new Set(list.map((o) => o[k])).size > 1)
			return invalid(k, 'must be identical for all messages in a request');
	const full = sim.recordMode === 'full';
	const now = Date.now() / 1000;
	const ids = [];
	const countries = {};
	let segments = 0;
	const decodedMessages = [];
	const detailMessages = [];
	const recordsAll = [];
	for (const { o, to, encoding, hasPayload, bin } of valid) {
		const id = sim.nextGwId();
		ids.push(id);
		const scheduled = o.sendtime !== undefined && o.sendtime > now;
		const tags = o.tags && o.tags.length ? o.tags : undefined;
		let baseParts;
		let text;
		let hex;
		if (hasPayload) {
			const bytes =
				Buffer.from(o.payload, 'base64').length + (o.udh ? Buffer.from(o.udh, 'base64').length : 0);
			baseParts = bytes <= 140 ? 1 : Math.ceil(bytes / 134);
			hex = Buffer.from(o.payload, 'base64').toString('hex').toUpperCase();
		} else {
			text = o.message;
			baseParts = partsFor(text, encoding);
		}
		const enc = hasPayload ? 'binary' : encoding === 'UCS2' ? 'ucs2' : 'gsm7';
		const recipDetails = [];
		for (let r = 0; r < to.length; r++) {
			let t = text;
			let parts = baseParts;
			if (tags && t !== undefined) {
				const tv = o.recipients[r].tagvalues;
				for (let k = 0; k < tags.length; k++) t = t.split(tags[k]).join(String(tv[k]));
				parts = partsFor(t, encoding);
			}
			const billed = o.max_parts !== undefined ? Math.min(parts, o.max_parts) : parts;
			const c = countryOf(to[r]).code;
			countries[c] = (countries[c] || 0) + billed;
			segments += billed;
			if (o.extra_details === 'recipients_usage')
				recipDetails.push({ country: c, msisdn: Number(to[r]), parts: billed });
			recordsAll.push({
				provider: PROVIDER,
				endpoint: ctx.endpoint,
				to: to[r],
				from: o.sender,
				messageId: String(id),
				text: t !== undefined ? t : hex,
				encoding: enc,
				parts: billed,
				status: scheduled ? 'scheduled' : 'accepted',
				userref: o.userref,
				callbackUrl: o.callback_url,
				...(bin ? { binary: bin } : {}),
			});
		}
		if (o.extra_details === 'recipients_usage')
			detailMessages.push({ id, recipients: recipDetails });
		const dm = {
			id: String(id),
			recipients: to.length,
			text,
			hex,
			encoding: enc,
			parts: baseParts,
			sender: o.sender,
			userref: o.userref,
			callbackUrl: o.callback_url,
			label: o.label,
			class: o.class,
			scheduledAt: scheduled ? new Date(o.sendtime * 1000).toISOString() : undefined,
			validity: o.validity_period !== undefined ? Math.max(60, o.validity_period) : undefined,
			maxParts: o.max_parts,
			truncatedToParts:
				o.max_parts !== undefined && baseParts > o.max_parts ? o.max_parts : undefined,
			flash: o.destaddr === 'DISPLAY' ? true : undefined,
			priority: o.priority,
			tags: o.tags,
		};
		if (!hasPayload) {
			const bad = encoding === 'UTF8' ? cs.nonGsmChars(text) : [];
			if (bad.length) dm.substituted = bad.join('');
		} else {
			if (o.udh) dm.udh = Buffer.from(o.udh, 'base64').toString('hex').toUpperCase();
			if (bin) dm.binary = bin;
		}
		if (full) dm.to = to;
		decodedMessages.push(dm);
		sim.storeGwMessage(String(id), {
			id,
			message: text,
			sender: o.sender,
			recipients: to,
			parts: o.max_parts !== undefined ? Math.min(baseParts, o.max_parts) : baseParts,
			scheduled,
			acceptedAt: Math.floor(now),
			deleted: false,
		});
	}
	ctx.decoded = { messages: decodedMessages };
	// Reports go to each message's callback_url (loopback only) or the configured report URL.
	const byUrl = new Map();
	for (const rec of recordsAll) {
		const u = rec.callbackUrl && safeHost(rec.callbackUrl) ? rec.callbackUrl : undefined;
		const k = u || '';
		if (!byUrl.has(k)) byUrl.set(k, []);
		byUrl.get(k).push(rec);
	}
	for (const [u, recs] of byUrl)
		sim.accept(ctx, recs, {
			report: recs.some((r) => r.status === 'accepted'),
			reportUrl: u || undefined,
		});
	const out = {
		ids,
		usage: { countries, currency: 'DKK', total_cost: Math.round(segments * 15) / 100 },
	};
	if (detailMessages.length) out.details = { messages: detailMessages };
	return json(200, out);
}

function safeHost(u) {
	try {
		return isLoopbackHost(new URL(u).hostname);
	} catch {
		return false;
	}
}

function me(ctx, sim) {
	if (!authOk(ctx, sim)) return gwError(401, '0x0229', 'Invalid token');
	return json(200, { credit: sim.gwCredit, currency: 'DKK', id: 4711 });
}

function messageById(ctx, sim) {
	if (!authOk(ctx, sim)) return gwError(401, '0x0229', 'Invalid token');
	const id = ctx.path.slice('/rest/mtsms/'.length);
	const m = sim.getGwMessage(id);
	if (ctx.method === 'DELETE') {
		if (!m) return { status: 404, headers: {}, body: '' };
		if (!m.scheduled || m.deleted) return { status: 410, headers: {}, body: '' };
		m.deleted = true;
		sim.cancelAccepted(PROVIDER, id);
		return { status: 204, headers: {}, body: '' };
	}
	if (ctx.method !== 'GET') return json(405, { message: 'Method not allowed' });
	if (!m) return gwError(404, '0x0201', 'Unknown message %1', [id]);
	return json(200, [
		{
			id: m.id,
			message: m.message,
			sender: m.sender,
			recipients: m.recipients.map((r) => ({
				msisdn: Number(r),
				country: countryOf(r).code,
				csms: m.parts,
				dsnstatus: m.deleted
					? 'DELETED'
					: m.scheduled
						? 'SCHEDULED'
						: sim.reportStatusFor({ provider: PROVIDER, messageId: String(m.id), to: r }),
				// Unix seconds of the status; none while scheduled or cancelled.
				dsntime: m.deleted || m.scheduled ? null : m.acceptedAt,
			})),
		},
	]);
}

function routes() {
	return [
		{
			path: '/rest/mtsms',
			provider: PROVIDER,
			endpoint: 'gatewayapi.mtsms',
			handler: mtsms,
			methods: ['POST', 'GET'],
		},
		{
			path: '/rest/me',
			provider: PROVIDER,
			endpoint: 'gatewayapi.me',
			handler: me,
			methods: ['GET'],
		},
		{
			prefix: '/rest/mtsms/',
			provider: PROVIDER,
			endpoint: 'gatewayapi.message',
			handler: messageById,
			methods: ['GET', 'DELETE'],
		},
	];
}

function faultResponse(kind) {
	const status = kind === '503' ? 503 : 500;
	return gwError(
		status,
		'0x0201',
		status === 503 ? 'Service temporarily unavailable' : 'Internal error',
	);
}

module.exports = { routes, faultResponse, PROVIDER };
