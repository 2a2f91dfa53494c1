'use strict';
/**
 * BulkSMS EAPI endpoints: send_sms (to numbers or phone-book groups), send_batch, quote_sms,
 * get_credits, get_report. Answers are
 * always HTTP 200 with a pipe-delimited body; parameters are ISO-8859-1 (reference sections 2,
 * 6, 7, 9, 10).
 */
const cs = require('./charsets');
const { parseUrlEncoded, Params } = require('./form');
const { parseUtcDateTime } = require('./util');
const binary = require('./binary');

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

const DCAS = ['7bit', '16bit', '8bit'];

function validSender(s) {
	return /^\d+$/.test(s) ? s.length <= 16 : s.length > 0 && s.length <= 11;
}

/**
 * Decodes one message the way dca says: 7bit = ISO-8859-1 text (GSM part count), 16bit =
 * UTF-16BE hex, 8bit = hex. Returns { error: detail } or { d } (the 8bit length is not checked).
 */
function decodeMessage(dca, message) {
	const d = { dca };
	if (dca === '7bit') {
		d.text = message;
		d.encoding = 'latin1';
		Object.assign(d, cs.countParts(d.text, 'gsm7'));
		const bad = cs.nonGsmChars(d.text);
		if (bad.length) d.substituted = bad.join('');
	} else if (dca === '16bit') {
		try {
			d.text = cs.fromUcs2Hex(message);
		} catch {
			return { error: 'message must be UTF-16BE hex for dca=16bit' };
		}
		d.encoding = 'ucs2';
		Object.assign(d, cs.countParts(d.text, 'ucs2'));
	} else if (dca === '8bit') {
		if (!cs.isHex(message) || message.length === 0)
			return { error: 'message must be hex for dca=8bit' };
		d.hex = message.toUpperCase();
		d.encoding = 'binary';
		d.parts = 1;
		d.units = message.length / 2;
		// Over 140 octets is refused (send_sms) or truncated (send_batch) by the callers.
		if (d.units <= 140) {
			const part = binary.fromTpUserData(Buffer.from(message, 'hex'));
			if (part.error) return { error: `dca=8bit always sets the UDH indicator: ${part.error}` };
			d.binary = part;
		}
	} else return { error: `invalid dca: ${dca}` };
	return { d };
}

/** allow_concat_text_sms and concat_text_sms_max_parts. Returns { error } or { allow, maxRaw, maxParts }. */
function concatOptions(p) {
	const allow = p.str('allow_concat_text_sms');
	if (allow !== undefined && !/^[01]$/.test(allow))
		return { error: err(24, 'allow_concat_text_sms must be 0 or 1') };
	const maxRaw = p.str('concat_text_sms_max_parts');
	if (maxRaw !== undefined && !/^\d{1,3}$/.test(maxRaw))
		return { error: err(24, 'invalid concat_text_sms_max_parts') };
	return { allow, maxRaw, maxParts: maxRaw !== undefined ? Number(maxRaw) : 3 };
}

/** Why a decoded message does not fit the concatenation options, or undefined. */
function partsProblem(d, c) {
	if (d.parts > 1 && c.allow !== '1') return 'message too long (set allow_concat_text_sms=1)';
	if (d.parts > c.maxParts)
		return `message needs ${d.parts} parts, more than concat_text_sms_max_parts=${c.maxParts}`;
	return undefined;
}

/**
 * The request-wide options of send_sms, quote_sms and send_batch: sender, msg_class,
 * want_report, send_time / send_time_unixtime and the recorded-only ones. Fills d; returns
 * an error response or undefined.
 */
function commonOptions(p, d, c) {
	const sender = p.str('sender');
	if (sender !== undefined) {
		if (!validSender(sender)) return err(24, 'invalid sender');
		d.from = sender;
	}
	const msgClass = p.str('msg_class');
	if (msgClass !== undefined && !/^[0-3]$/.test(msgClass)) return err(24, 'invalid msg_class');
	const wantReport = p.str('want_report');
	if (wantReport !== undefined && !/^[01]$/.test(wantReport))
		return err(24, 'want_report must be 0 or 1');
	d.wantReport = wantReport !== '0';
	let sendAt;
	const st = p.str('send_time');
	const stu = p.str('send_time_unixtime');
	if (st !== undefined) {
		sendAt = parseUtcDateTime(st);
		if (Number.isNaN(sendAt)) return err(24, 'invalid send_time (yyyy-MM-dd HH:mm:ss)');
	} else if (stu !== undefined) {
		if (!/^\d{1,12}$/.test(stu)) return err(24, 'invalid send_time_unixtime');
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
	if (c.allow !== undefined) d.allowConcat = c.allow === '1';
	if (c.maxRaw !== undefined) d.maxParts = c.maxParts;
	return undefined;
}

/**
 * dest_group_id: comma-separated phone-book group ids, expanded to their members in group
 * order, a number in two groups counted once ([decision]: the reference does not say).
 * Returns { error: detail } or { groups, recipients }.
 */
function groupRecipients(raw, sim) {
	const groups = raw.split(',').map((s) => s.trim());
	const recipients = [];
	const seen = new Set();
	for (const id of groups) {
		if (!/^\d{1,19}$/.test(id)) return { error: `invalid dest_group_id: ${id.slice(0, 20)}` };
		const members = sim.bulkGroups.get(id);
		if (!members) return { error: `unknown dest_group_id: ${id}` };
		for (const m of members) {
			if (seen.has(m)) continue;
			seen.add(m);
			recipients.push(m);
		}
	}
	if (recipients.length === 0) return { error: 'the groups have no members' };
	return { groups, recipients };
}

/** msisdn or dest_group_id (one of the two, reference section 6.1). Returns { error } or { recipients, groups? }. */
function addressees(p, sim) {
	if (p.has('dest_group_id')) {
		if (p.has('msisdn')) return { error: err(24, 'give msisdn or dest_group_id, not both') };
		const g = groupRecipients(p.str('dest_group_id') || '', sim);
		return g.error ? { error: err(24, g.error) } : g;
	}
	const raw = p.str('msisdn');
	if (raw === undefined || raw === '') return { error: err(24, 'msisdn is required') };
	const recipients = raw.split(',').map((s) => s.trim());
	for (const r of recipients)
		if (!MSISDN_RE.test(r)) return { error: err(24, `invalid msisdn: ${r.slice(0, 20)}`) };
	return { recipients };
}

/** Validates a send_sms / quote_sms request. Returns { error: responseObject } or { d, recipients, groups?, cost }. */
function validate(p, sim) {
	const a = addressees(p, sim);
	if (a.error) return a;
	const { recipients, groups } = a;
	if (recipients.length > sim.limits.bulkSmsMaxRecipients)
		return { error: err(201, 'maximum batch size exceeded') };
	if (!p.has('message')) return { error: err(24, 'message is required') };
	const m = decodeMessage(p.str('dca') || '7bit', p.str('message'));
	if (m.error) return { error: err(24, m.error) };
	const { d } = m;
	if (d.encoding === 'binary' && d.units > 140)
		return { error: err(24, 'message longer than 140 octets') };
	const c = concatOptions(p);
	if (c.error) return c;
	const problem = partsProblem(d, c);
	if (problem) return { error: err(24, problem) };
	const e = commonOptions(p, d, c);
	if (e) return { error: e };
	if (groups) d.groups = groups;
	return { d, recipients, cost: d.parts * recipients.length };
}

/**
 * stop_dup_id (send_sms and send_batch share one id space per username). Returns { error },
 * { replay } (the stored first answer) or { key } (undefined when no id was given).
 */
function dupCheck(p, sim, ctx) {
	const dupId = p.str('stop_dup_id');
	if (dupId === undefined) return {};
	if (!/^\d{1,19}$/.test(dupId) || /^0+$/.test(dupId))
		return { error: err(24, 'stop_dup_id must be a positive integer') };
	const key = `${p.str('username')}\n${dupId}`;
	const prior = sim.dedupeGet('bulk', key);
	if (prior) {
		ctx.decoded = { duplicateOfStopDupId: dupId, duplicateOfSeq: prior.seq };
		ctx.duplicate = true;
		return { replay: line(prior.body) };
	}
	return { key };
}

/** One accepted record, the same for send_sms recipients and send_batch rows. */
function makeRecord(ctx, batchId, to, m, status) {
	const record = {
		provider: PROVIDER,
		endpoint: ctx.endpoint,
		to,
		from: m.from,
		messageId: String(batchId),
		text: m.text !== undefined ? m.text : m.hex,
		encoding: m.encoding,
		parts: m.parts,
		status,
		sourceId: m.source_id,
	};
	if (m.binary) record.binary = m.binary;
	return record;
}

/**
 * The start of send_sms and send_batch alike: parameters (recorded in full mode),
 * credentials, and stop_dup_id. Returns { answer } when the request ends here (refused, or
 * a replay of the first answer), else { p, full, key }.
 */
function openSubmission(ctx, sim) {
	const p = readParams(ctx);
	const full = sim.recordMode === 'full';
	ctx.params = full ? p.toObject() : undefined;
	if (!authOk(p, sim)) return { answer: err(23, 'invalid credentials') };
	const dup = dupCheck(p, sim, ctx);
	if (dup.error) return { answer: dup.error };
	if (dup.replay) return { answer: dup.replay };
	return { p, full, key: dup.key };
}

/**
 * The end of send_sms and send_batch alike: test modes, credits, one batch id for every
 * message, the accepted records (one accept call per run of messages with the same
 * want_report, so records stay in order), the stored batch, and stop_dup_id's memory.
 */
function acceptSubmission(ctx, sim, p, { d, key, cost, messages }) {
	if (p.str('test_always_fail') === '1') return err(22, 'test_always_fail');
	const batchId = sim.nextBulkBatchId();
	const scheduled = d.scheduledAt !== undefined;
	const body = `${scheduled ? '1|SCHEDULED' : '0|IN_PROGRESS'}|${batchId}`;
	if (p.str('test_always_succeed') === '1') {
		d.test = 'always_succeed';
		if (key) sim.dedupeSet('bulk', key, { body, seq: ctx.seq });
		return line(body);
	}
	if (cost > sim.bulkCredits) return err(25, 'insufficient credits');
	sim.bulkCredits -= cost;
	const status = scheduled ? 'scheduled' : 'accepted';
	for (let i = 0; i < messages.length; ) {
		let j = i + 1;
		while (j < messages.length && messages[j].m.wantReport === messages[i].m.wantReport) j++;
		const records = messages.slice(i, j).map(({ to, m }) => makeRecord(ctx, batchId, to, m, status));
		sim.accept(ctx, records, { report: messages[i].m.wantReport && !scheduled });
		i = j;
	}
	sim.storeBulkBatch(String(batchId), { recipients: messages.map(({ to }) => to), status });
	if (key) sim.dedupeSet('bulk', key, { body, seq: ctx.seq });
	return line(body);
}

function sendSms(ctx, sim) {
	const open = openSubmission(ctx, sim);
	if (open.answer) return open.answer;
	const { p, full, key } = open;
	const v = validate(p, sim);
	if (v.error) return v.error;
	const { d, recipients } = v;
	d.recipients = recipients.length;
	if (full) d.to = recipients;
	ctx.decoded = d;
	return acceptSubmission(ctx, sim, p, { d, key, cost: v.cost, messages: recipients.map((to) => ({ to, m: d })) });
}

const isBlank = (c) => c === ' ' || c === '\t';

/**
 * Splits send_batch CSV into records: [{ line, fields } | { line, error }], blank lines left
 * out. Quoted values use backslash escapes (\" \\ and a backslash before a line break); a raw
 * line break always ends the record, so an unterminated quote spoils only its own line.
 * line is the 1-based line of batch_data where the record starts. \r\n is read as \n.
 */
function parseBatchCsv(text) {
	const n = text.length;
	const eol = (i) =>
		text[i] === '\n' || (text[i] === '\r' && (text[i + 1] === '\n' || i + 1 === n));
	const records = [];
	let i = 0;
	let lineNo = 1;
	while (i < n) {
		const start = lineNo;
		const fields = [];
		let quoted = false;
		let error;
		for (;;) {
			let j = i;
			while (j < n && isBlank(text[j])) j++;
			if (text[j] === '"') {
				quoted = true;
				i = j + 1;
				let v = '';
				let closed = false;
				while (i < n) {
					const ch = text[i];
					if (ch === '\\') {
						const next = text[i + 1];
						if (next === '"' || next === '\\') {
							v += next;
							i += 2;
						} else if (next === '\n' || (next === '\r' && text[i + 2] === '\n')) {
							v += '\n';
							i += next === '\n' ? 2 : 3;
							lineNo++;
						} else {
							v += ch;
							i++;
						}
						continue;
					}
					if (ch === '"') {
						closed = true;
						i++;
						break;
					}
					if (eol(i)) break;
					v += ch;
					i++;
				}
				if (!closed) {
					error = 'unterminated quote';
					break;
				}
				while (i < n && isBlank(text[i])) i++;
				fields.push(v);
				if (i < n && !eol(i) && text[i] !== ',') {
					error = 'text after a closing quote (escape a quote as \\")';
					break;
				}
			} else {
				let v = '';
				while (i < n && text[i] !== ',' && !eol(i)) v += text[i++];
				fields.push(v);
			}
			if (text[i] !== ',') break;
			i++;
		}
		if (error) while (i < n && text[i] !== '\n') i++;
		if (text[i] === '\r') i++;
		if (text[i] === '\n') {
			i++;
			lineNo++;
		}
		if (error) records.push({ line: start, error });
		else if (quoted || fields.length > 1 || fields[0].trim() !== '')
			records.push({ line: start, fields });
	}
	return records;
}

/** Cuts text to what maxParts parts carry (parts counted as in charsets.countParts). */
function truncateText(text, countAs, maxParts) {
	const single = countAs === 'ucs2' ? 70 : 160;
	const multi = countAs === 'ucs2' ? 67 : 153;
	let out = '';
	let parts = 1;
	let used = 0;
	for (const ch of text) {
		const c = countAs === 'ucs2' ? ch.length : cs.gsmCost(ch) || 1;
		const room = maxParts <= 1 ? single : multi;
		if (used + c > room) {
			if (parts >= maxParts) break;
			parts++;
			used = 0;
		}
		used += c;
		out += ch;
	}
	return out;
}

/** Per-row columns that override the batch-wide parameter of the same name. */
const ROW_COLUMNS = {
	dca: (v) => DCAS.includes(v),
	sender: validSender,
	msg_class: (v) => /^[0-3]$/.test(v),
	want_report: (v) => /^[01]$/.test(v),
	source_id: () => true,
	routing_group: () => true,
};

/**
 * One CSV row of send_batch, leniently: returns { skip: reason } or { m, corrected: [reasons] }
 * with m = the decoded message (as decodeMessage) plus to ([msisdn]), from, wantReport, source_id,
 * routing_group, msg_class.
 */
function batchRow(fields, col, base, c) {
	const to = fields[col.msisdn];
	if (!MSISDN_RE.test(to)) return { skip: `invalid msisdn: ${to.slice(0, 20)}` };
	const corrected = [];
	const o = {
		dca: base.dca,
		sender: base.from,
		msg_class: base.msg_class,
		want_report: base.wantReport ? '1' : '0',
		source_id: base.source_id,
		routing_group: base.routing_group,
	};
	for (const [name, ok] of Object.entries(ROW_COLUMNS)) {
		if (col[name] === undefined) continue;
		const v = fields[col[name]];
		if (v === '') continue;
		if (ok(v)) o[name] = v;
		else corrected.push(`invalid ${name} ignored: ${v.slice(0, 20)}`);
	}
	const message = fields[col.message];
	if (message === '') return { skip: 'message is missing' };
	const r = decodeMessage(o.dca, message);
	if (r.error) return { skip: r.error };
	let m = r.d;
	if (m.encoding === 'binary') {
		if (m.units > 140) {
			m.hex = m.hex.slice(0, 280);
			m.units = 140;
			corrected.push('message truncated to 140 octets');
			const part = binary.fromTpUserData(Buffer.from(m.hex, 'hex'));
			if (part.error) return { skip: `dca=8bit always sets the UDH indicator: ${part.error}` };
			m.binary = part;
		}
	} else {
		const allowed = c.allow === '1' ? c.maxParts : Math.min(1, c.maxParts);
		if (m.parts > allowed) {
			if (allowed < 1) return { skip: partsProblem(m, c) };
			const countAs = m.encoding === 'ucs2' ? 'ucs2' : 'gsm7';
			const text = truncateText(m.text, countAs, allowed);
			corrected.push(
				`message truncated from ${m.parts} to ${allowed} part${allowed > 1 ? 's' : ''} (${
					c.allow === '1'
						? `concat_text_sms_max_parts=${c.maxParts}`
						: 'allow_concat_text_sms is not 1'
				})`,
			);
			m = decodeMessage(o.dca, m.encoding === 'ucs2' ? cs.toUcs2Hex(text) : text).d;
		}
	}
	m.to = [to];
	if (o.sender !== undefined) m.from = o.sender;
	m.wantReport = o.want_report !== '0';
	for (const k of ['source_id', 'routing_group', 'msg_class']) if (o[k] !== undefined) m[k] = o[k];
	return { m, corrected };
}

/**
 * send_batch: the whole submission as CSV in batch_data (header row naming msisdn and message,
 * one message per line), batch-wide defaults as in send_sms, one batch id for all rows.
 * Lenient like the reference says: bad rows are skipped, over-long texts truncated.
 */
function sendBatch(ctx, sim) {
	const open = openSubmission(ctx, sim);
	if (open.answer) return open.answer;
	const { p, full, key } = open;
	const csv = p.str('batch_data');
	if (csv === undefined || csv.trim() === '') return err(24, 'batch_data is required');
	const dca = p.str('dca') || '7bit';
	if (!DCAS.includes(dca)) return err(24, `invalid dca: ${dca}`);
	const c = concatOptions(p);
	if (c.error) return c.error;
	const d = { dca };
	const e = commonOptions(p, d, c);
	if (e) return e;
	ctx.decoded = d;
	const [header, ...data] = parseBatchCsv(csv);
	const columns = header && header.fields ? header.fields.map((h) => h.trim().toLowerCase()) : [];
	const col = {};
	columns.forEach((name, i) => {
		if (col[name] === undefined) col[name] = i;
	});
	if (col.msisdn === undefined || col.message === undefined)
		return err(24, 'batch_data needs a header line naming msisdn and message');
	d.columns = columns;
	d.rows = data.length;
	if (data.length > sim.limits.bulkSmsMaxBatchRows) return err(201, 'maximum batch size exceeded');
	d.accepted = 0;
	d.skipped = [];
	d.corrected = [];
	const rows = [];
	for (const rec of data) {
		const r = rec.error
			? { skip: rec.error }
			: rec.fields.length !== columns.length
				? { skip: `expected ${columns.length} columns, got ${rec.fields.length}` }
				: batchRow(rec.fields, col, d, c);
		if (r.skip) {
			d.skipped.push({ line: rec.line, reason: r.skip });
			continue;
		}
		for (const reason of r.corrected) d.corrected.push({ line: rec.line, reason });
		r.m.line = rec.line;
		rows.push(r.m);
	}
	d.accepted = rows.length;
	d.totalParts = rows.reduce((sum, m) => sum + m.parts, 0);
	if (full) d.messages = rows;
	if (rows.length === 0) return err(24, 'no valid rows in batch_data');
	return acceptSubmission(ctx, sim, p, { d, key, cost: d.totalParts, messages: rows.map((m) => ({ to: m.to[0], m })) });
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
	const code = (to) =>
		b.status === 'scheduled' ? 0 : sim.reportStatusFor({ provider: PROVIDER, messageId: id, to });
	const lines = b.recipients.filter((r) => !only || r === only).map((r) => `${r}|${code(r)}`);
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
			path: '/eapi/submission/send_batch/1/1.0',
			provider: PROVIDER,
			endpoint: 'bulksms.send_batch',
			handler: sendBatch,
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
