'use strict';
/**
 * BulkSMS EAPI endpoints: send_sms, quote_sms, get_credits, get_report. Answers are always
 * HTTP 200 with a pipe-delimited body; parameters are ISO-8859-1 (reference sections 2, 6, 9, 10).
 */
const cs = require('./charsets');
const { parseUrlEncoded, Params } = require('./form');
const { parseUtcDateTime } = require('./util');

const PROVIDER = 'bulkSms';
const TEXT = { 'Content-Type': 'text/plain' };
const MSISDN_RE = /^\d{7,15}$/;

const line = (s) => ({ status: 200, headers: TEXT, body: s });
const err = (code, desc) => line(`${code}|${desc}|`);

/** Only urlencoded bodies are read; the reference says multipart posts are not supported. */
function readParams(ctx) {
	const ct = String(ctx.headers['content-type'] || '').toLowerCase();
	const body = ctx.body.length && !ct.startsWith('multipart/') ? parseUrlEncoded(ctx.body) : [];
	return new Params(parseUrlEncoded(ctx.query), body, cs.decodeLatin1);
}

function authOk(p, sim) {
	const c = sim.credentials.bulkSms;
	return (
		p.str('username') === c.username && p.str('password') === c.password && c.username !== undefined
	);
}

/** Validates a send_sms / quote_sms request. Returns { error: responseObject } or { d, recipients, cost }. */
function validate(p, sim) {
	if (p.has('dest_group_id') && !p.has('msisdn'))
		return { error: err(24, 'dest_group_id is not supported by the simulator') };
	const raw = p.str('msisdn');
	if (raw === undefined || raw === '') return { error: err(24, 'msisdn is required') };
	const recipients = raw.split(',').map((s) => s.trim());
	for (const r of recipients)
		if (!MSISDN_RE.test(r)) return { error: err(24, `invalid msisdn: ${r.slice(0, 20)}`) };
	if (recipients.length > sim.limits.bulkSmsMaxRecipients)
		return { error: err(201, 'maximum batch size exceeded') };
	if (!p.has('message')) return { error: err(24, 'message is required') };
	const dca = p.str('dca') || '7bit';
	const d = { dca };
	if (dca === '7bit') {
		d.text = p.str('message');
		d.encoding = 'latin1';
		Object.assign(d, cs.countParts(d.text, 'gsm7'));
		const bad = cs.nonGsmChars(d.text);
		if (bad.length) d.substituted = bad.join('');
	} else if (dca === '16bit') {
		try {
			d.text = cs.fromUcs2Hex(p.str('message'));
		} catch {
			return { error: err(24, 'message must be UTF-16BE hex for dca=16bit') };
		}
		d.encoding = 'ucs2';
		Object.assign(d, cs.countParts(d.text, 'ucs2'));
	} else if (dca === '8bit') {
		const hex = p.str('message');
		if (!cs.isHex(hex) || hex.length === 0)
			return { error: err(24, 'message must be hex for dca=8bit') };
		if (hex.length > 280) return { error: err(24, 'message longer than 140 octets') };
		d.hex = hex.toUpperCase();
		d.encoding = 'binary';
		d.parts = 1;
		d.units = hex.length / 2;
	} else return { error: err(24, `invalid dca: ${dca}`) };
	const allow = p.str('allow_concat_text_sms');
	if (allow !== undefined && !/^[01]$/.test(allow))
		return { error: err(24, 'allow_concat_text_sms must be 0 or 1') };
	const maxRaw = p.str('concat_text_sms_max_parts');
	if (maxRaw !== undefined && !/^\d{1,3}$/.test(maxRaw))
		return { error: err(24, 'invalid concat_text_sms_max_parts') };
	const maxParts = maxRaw !== undefined ? Number(maxRaw) : 3;
	if (d.parts > 1 && allow !== '1')
		return { error: err(24, 'message too long (set allow_concat_text_sms=1)') };
	if (d.parts > maxParts)
		return {
			error: err(
				24,
				`message needs ${d.parts} parts, more than concat_text_sms_max_parts=${maxParts}`,
			),
		};
	const sender = p.str('sender');
	if (sender !== undefined) {
		if (/^\d+$/.test(sender) ? sender.length > 16 : sender.length > 11 || sender.length === 0)
			return { error: err(24, 'invalid sender') };
		d.from = sender;
	}
	const msgClass = p.str('msg_class');
	if (msgClass !== undefined && !/^[0-3]$/.test(msgClass))
		return { error: err(24, 'invalid msg_class') };
	const wantReport = p.str('want_report');
	if (wantReport !== undefined && !/^[01]$/.test(wantReport))
		return { error: err(24, 'want_report must be 0 or 1') };
	d.wantReport = wantReport !== '0';
	let sendAt;
	const st = p.str('send_time');
	const stu = p.str('send_time_unixtime');
	if (st !== undefined) {
		sendAt = parseUtcDateTime(st);
		if (Number.isNaN(sendAt)) return { error: err(24, 'invalid send_time (yyyy-MM-dd HH:mm:ss)') };
	} else if (stu !== undefined) {
		if (!/^\d{1,12}$/.test(stu)) return { error: err(24, 'invalid send_time_unixtime') };
		sendAt = Number(stu) * 1000;
	}
	if (sendAt !== undefined && sendAt > Date.now()) d.scheduledAt = new Date(sendAt).toISOString();
	for (const k of [
		'routing_group',
		'source_id',
		'repliable',
		'msg_class',
		'replace_msg_id',
		'protocol_id',
		'strip_dup_recipients',
		'stop_dup_id',
		'scheduling_description',
	]) {
		const v = p.str(k);
		if (v !== undefined) d[k] = v;
	}
	if (allow !== undefined) d.allowConcat = allow === '1';
	if (maxRaw !== undefined) d.maxParts = maxParts;
	return { d, recipients, cost: d.parts * recipients.length };
}

function sendSms(ctx, sim) {
	const p = readParams(ctx);
	const full = sim.recordMode === 'full';
	ctx.params = full ? p.toObject() : undefined;
	if (!authOk(p, sim)) return err(23, 'invalid credentials');
	const dupId = p.str('stop_dup_id');
	let key;
	if (dupId !== undefined) {
		if (!/^\d{1,19}$/.test(dupId) || /^0+$/.test(dupId))
			return err(24, 'stop_dup_id must be a positive integer');
		key = `${p.str('username')}\n${dupId}`;
		const prior = sim.dedupeGet('bulk', key);
		if (prior) {
			ctx.decoded = { duplicateOfStopDupId: dupId, duplicateOfSeq: prior.seq };
			ctx.duplicate = true;
			return line(prior.body);
		}
	}
	const v = validate(p, sim);
	if (v.error) return v.error;
	const { d, recipients } = v;
	d.recipients = recipients.length;
	if (full) d.to = recipients;
	ctx.decoded = d;
	if (p.str('test_always_fail') === '1') return err(22, 'test_always_fail');
	const batchId = sim.nextBulkBatchId();
	const scheduled = d.scheduledAt !== undefined;
	const body = `${scheduled ? '1|SCHEDULED' : '0|IN_PROGRESS'}|${batchId}`;
	if (p.str('test_always_succeed') === '1') {
		d.test = 'always_succeed';
		if (key) sim.dedupeSet('bulk', key, { body, seq: ctx.seq });
		return line(body);
	}
	if (v.cost > sim.bulkCredits) return err(25, 'insufficient credits');
	sim.bulkCredits -= v.cost;
	const status = scheduled ? 'scheduled' : 'accepted';
	const records = recipients.map((to) => ({
		provider: PROVIDER,
		endpoint: ctx.endpoint,
		to,
		from: d.from,
		messageId: String(batchId),
		text: d.text !== undefined ? d.text : d.hex,
		encoding: d.encoding,
		parts: d.parts,
		status,
		sourceId: d.source_id,
	}));
	sim.accept(ctx, records, { report: d.wantReport && !scheduled });
	sim.storeBulkBatch(String(batchId), { recipients, status });
	if (key) sim.dedupeSet('bulk', key, { body, seq: ctx.seq });
	return line(body);
}

function quoteSms(ctx, sim) {
	const p = readParams(ctx);
	if (sim.recordMode === 'full') ctx.params = p.toObject();
	if (!authOk(p, sim)) return err(23, 'invalid credentials');
	const v = validate(p, sim);
	if (v.error) return v.error;
	ctx.decoded = v.d;
	return line(`0|Quotation issued|${v.cost.toFixed(2)}`);
}

function getCredits(ctx, sim) {
	const p = readParams(ctx);
	if (sim.recordMode === 'full') ctx.params = p.toObject();
	if (!authOk(p, sim)) return line('23|invalid credentials');
	return line(`0|${sim.bulkCredits.toFixed(2)}`);
}

function getReport(ctx, sim) {
	const p = readParams(ctx);
	if (sim.recordMode === 'full') ctx.params = p.toObject();
	if (!authOk(p, sim)) return line('23|invalid credentials');
	const id = p.str('batch_id');
	const b = id && sim.getBulkBatch(id);
	if (!b) return err(24, 'unknown batch_id');
	const only = p.str('msisdn');
	const code =
		b.status === 'scheduled' ? 0 : sim.reportStatusFor({ provider: PROVIDER, messageId: id });
	const lines = b.recipients.filter((r) => !only || r === only).map((r) => `${r}|${code}`);
	return line(`0|Returns to follow\n\n${lines.join('\n')}${lines.length ? '\n' : ''}`);
}

function routes() {
	return [
		{
			path: '/eapi/submission/send_sms/2/2.0',
			provider: PROVIDER,
			endpoint: 'bulksms.send_sms',
			handler: sendSms,
		},
		{
			path: '/eapi/submission/quote_sms/2/2.0',
			provider: PROVIDER,
			endpoint: 'bulksms.quote_sms',
			handler: quoteSms,
		},
		{
			path: '/eapi/user/get_credits/1/1.1',
			provider: PROVIDER,
			endpoint: 'bulksms.get_credits',
			handler: getCredits,
		},
		{
			path: '/eapi/status_reports/get_report/2/2.0',
			provider: PROVIDER,
			endpoint: 'bulksms.get_report',
			handler: getReport,
		},
	];
}

function faultResponse(kind) {
	if (kind === 'bulksms40') return err(40, 'temporarily unavailable');
	const status = kind === '503' ? 503 : 500;
	return {
		status,
		headers: TEXT,
		body: status === 503 ? 'Service Unavailable' : 'Internal Server Error',
	};
}

module.exports = { routes, faultResponse, PROVIDER };
