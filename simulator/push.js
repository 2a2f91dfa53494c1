'use strict';
/**
 * Pushes the gateways make to a customer's webhook: inbound SMS, delivery reports,
 * unsubscribes (MX) and MMS notifications/posts (MX), in each gateway's wire format.
 * Only loopback URLs are ever contacted.
 */
const http = require('http');
const crypto = require('crypto');
const cs = require('./charsets');
const { buildMultipart } = require('./form');
const zip = require('./zip');
const {
	londonDateTime,
	utcDateTime,
	toDate,
	signJwt,
	assertLoopbackUrl,
	countryOf,
} = require('./util');

const sharedAgent = new http.Agent({ keepAlive: true, maxSockets: 256 });

/**
 * The server may close an idle keep-alive connection (Node's default
 * keepAliveTimeout is 5 s, and n8n keeps it) at the moment a push is written to
 * it: the push then fails with ECONNRESET/EPIPE before any answer, and the
 * server never read it. A gateway sends it again on a new connection, and so
 * does the simulator, once. Failures on a fresh connection, or after an answer
 * began, are the server's and are reported as they are.
 */
function isStaleKeepAlive(req, err, answered) {
	return req.reusedSocket && !answered && (err.code === 'ECONNRESET' || err.code === 'EPIPE');
}

/** One HTTP request to a loopback URL; resolves { status, body, headers } (body as text). */
async function request(url, opts = {}) {
	try {
		return await requestOnce(url, opts);
	} catch (err) {
		if (!err.staleKeepAlive) throw err;
		return requestOnce(url, { ...opts, agent: false });
	}
}

function requestOnce(
	url,
	{ method = 'GET', headers = {}, body, timeoutMs = 30000, agent = sharedAgent, chunked = false } = {},
) {
	return new Promise((resolve, reject) => {
		let u;
		try {
			u = assertLoopbackUrl(url);
		} catch (err) {
			reject(err);
			return;
		}
		const h = { ...headers };
		// chunked: no Content-Length, the body in 64 KiB chunks (Transfer-Encoding: chunked),
		// as a gateway streaming an upload would send it.
		if (body !== undefined && !chunked) h['Content-Length'] = Buffer.byteLength(body);
		let answered = false;
		const req = http.request(u, { method, headers: h, agent }, (res) => {
			answered = true;
			const chunks = [];
			res.on('data', (c) => chunks.push(c));
			res.on('end', () =>
				resolve({
					status: res.statusCode,
					body: Buffer.concat(chunks).toString('utf8'),
					headers: res.headers,
				}),
			);
			res.on('error', reject);
		});
		req.setTimeout(timeoutMs, () =>
			req.destroy(new Error(`push to ${u.pathname} timed out after ${timeoutMs} ms`)),
		);
		req.on('error', (err) => {
			if (isStaleKeepAlive(req, err, answered)) err.staleKeepAlive = true;
			reject(err);
		});
		if (body !== undefined && chunked) {
			const bytes = Buffer.from(body);
			for (let at = 0; at < bytes.length; at += 65536) req.write(bytes.subarray(at, at + 65536));
		} else if (body !== undefined) req.write(body);
		req.end();
	});
}

/** Encodes [name, value, charset] triples into a query string (charset: 'latin9' | 'latin1' | 'utf8'). */
function encodeQuery(pairs) {
	return pairs
		.filter(([, v]) => v !== undefined && v !== null)
		.map(([k, v, charset]) => {
			const s = String(v);
			const bytes =
				charset === 'latin1'
					? cs.encodeLatin1(s)
					: charset === 'utf8'
						? Buffer.from(s, 'utf8')
						: cs.encodeLatin9(s);
			return `${cs.percentEncodeBytes(Buffer.from(k, 'latin1'))}=${cs.percentEncodeBytes(bytes)}`;
		})
		.join('&');
}

function withQuery(url, pairs, opts) {
	const extra =
		opts && opts.extraQuery ? Object.entries(opts.extraQuery).map(([k, v]) => [k, v, 'utf8']) : [];
	const omit = new Set((opts && opts.omit) || []);
	const qs = encodeQuery([...pairs.filter(([k]) => !omit.has(k)), ...extra]);
	if (!qs) return url;
	return url + (url.includes('?') ? (/[?&]$/.test(url) ? '' : '&') : '?') + qs;
}

function getPush(agent, url, pairs, opts = {}) {
	return request(withQuery(url, pairs, opts), {
		method: opts.method || 'GET',
		headers: opts.headers || {},
	});
}

/** POSTs JSON, signed with an HS256 JWT in X-Gwapi-Signature when a secret applies. */
function jsonPush(sim, agent, url, payload, opts = {}) {
	const body = JSON.stringify(payload);
	const headers = { 'Content-Type': 'application/json', ...(opts.headers || {}) };
	const secret = opts.secret === undefined ? sim.credentials.webhookSecret : opts.secret;
	if (secret) headers['X-Gwapi-Signature'] = signJwt(body, secret);
	const target = opts.extraQuery ? withQuery(url, [], opts) : url;
	return request(target, { method: opts.method || 'POST', headers, body, agent });
}

const unix = (d) => Math.floor(toDate(d).getTime() / 1000);

/** The push API bound to one simulator; its keep-alive sockets close with `close()`. */
function makePush(sim) {
	const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
	function inboundSms(provider, url, f = {}, opts = {}) {
		if (provider === 'mxTelecom') {
			const pairs = [
				['smsfrom', f.from],
				['smsto', f.to],
				['smsid', f.id !== undefined ? f.id : sim.nextMxId()],
				[
					'smsdate',
					typeof f.date === 'string' && !/T/.test(f.date) ? f.date : londonDateTime(f.date),
				],
				['network', f.network === undefined ? 'UNKNOWN' : f.network],
			];
			if (f.hex !== undefined) pairs.push(['bits', f.bits || 8], ['smsmsg', f.hex]);
			else {
				const text = String(f.text === undefined ? '' : f.text);
				const bits = f.bits || (cs.canLatin9(text) ? 7 : 16);
				pairs.push(['bits', bits], ['smsmsg', text, 'latin9']);
				if (bits === 16) pairs.push(['smsucs2', cs.toUcs2Hex(text)]);
			}
			if (f.udh !== undefined) pairs.push(['smsudh', f.udh]);
			return getPush(agent, url, pairs, opts);
		}
		if (provider === 'bulkSms') {
			const pairs = [
				['msisdn', f.to],
				['sender', f.from],
			];
			if (f.hex !== undefined) pairs.push(['message', f.hex], ['dca', '8bit']);
			else {
				const text = String(f.text === undefined ? '' : f.text);
				if (cs.canLatin1(text)) pairs.push(['message', text, 'latin1'], ['dca', '7bit']);
				else pairs.push(['message', cs.toUcs2Hex(text)], ['dca', '16bit']);
			}
			pairs.push(['msg_id', f.id !== undefined ? f.id : sim.nextBulkMoId()]);
			if (f.sourceId !== undefined) pairs.push(['source_id', f.sourceId, 'latin1']);
			if (f.referringBatchId !== undefined) pairs.push(['referring_batch_id', f.referringBatchId]);
			return getPush(agent, url, pairs, opts);
		}
		if (provider === 'gatewayApi') {
			const c = countryOf(f.from);
			const text = String(f.text === undefined ? '' : f.text);
			const payload = {
				id: f.id !== undefined ? f.id : sim.nextGwMoId(),
				msisdn: Number(f.from),
				receiver: Number(f.to),
				message: text,
				senttime: f.senttime !== undefined ? f.senttime : unix(f.date),
				webhook_label: f.webhookLabel || 'sim',
				encoding: f.encoding || (cs.nonGsmChars(text).length ? 'UCS2' : 'UTF8'),
				country_code: c.code,
				country_prefix: c.prefix,
			};
			if (f.sender !== undefined) payload.sender = f.sender;
			if (f.mcc !== undefined) payload.mcc = f.mcc;
			if (f.mnc !== undefined) payload.mnc = f.mnc;
			return jsonPush(sim, agent, url, payload, opts);
		}
		return Promise.reject(new Error(`unknown provider ${provider}`));
	}

	function deliveryReport(provider, url, f = {}, opts = {}) {
		if (provider === 'mxTelecom') {
			const status = f.status || 'DELIVERED';
			const reason =
				f.reason !== undefined ? f.reason : status === 'DELIVERED' ? 1359151616 : 1610612736;
			const short = f.from !== undefined ? f.from : '58870';
			const pairs = [
				['smsfrom', f.to],
				['smsmsg', `REPORT ${f.messageId} ${status}`],
				['smsto', short],
				['shortcode', short],
				['smsid', f.id !== undefined ? f.id : sim.nextMxId()],
				[
					'smsdate',
					typeof f.date === 'string' && !/T/.test(f.date) ? f.date : londonDateTime(f.date),
				],
				['reason', reason],
			];
			if (f.note !== undefined) pairs.push(['note', f.note, 'latin9']);
			return getPush(agent, url, pairs, opts);
		}
		if (provider === 'bulkSms') {
			const d = utcDateTime(f.completedTime).slice(2);
			const pairs = [
				['msisdn', f.to],
				['batch_id', f.batchId !== undefined ? f.batchId : f.messageId],
				['status', f.status !== undefined ? f.status : 11],
				['completed_time', f.completedTime === null ? undefined : d],
			];
			if (f.sourceId !== undefined) pairs.push(['source_id', f.sourceId, 'latin1']);
			return getPush(agent, url, pairs, opts);
		}
		if (provider === 'gatewayApi') {
			const c = countryOf(f.to);
			const payload = {
				id: Number(f.messageId),
				msisdn: Number(f.to),
				time: f.time !== undefined ? f.time : unix(f.date),
				status: f.status || 'DELIVERED',
			};
			if (f.userref !== undefined) payload.userref = f.userref;
			if (f.error !== undefined) payload.error = f.error;
			if (f.code !== undefined) payload.code = f.code;
			if (f.chargeStatus !== undefined) payload.charge_status = f.chargeStatus;
			payload.country_code = c.code;
			payload.country_prefix = c.prefix;
			return jsonPush(sim, agent, url, payload, opts);
		}
		return Promise.reject(new Error(`unknown provider ${provider}`));
	}

	function unsubscribe(provider, url, f = {}, opts = {}) {
		if (provider !== 'mxTelecom')
			return Promise.reject(
				new Error(`unsubscribe pushes exist only for mxTelecom (got ${provider})`),
			);
		const codes = f.shortcodes || (f.shortcode !== undefined ? [f.shortcode] : ['58870']);
		const pairs = [['msisdn', f.msisdn]];
		for (const c of codes) pairs.push(['shortcode', c]);
		pairs.push([
			'date',
			typeof f.date === 'string' && !/T/.test(f.date) ? f.date : londonDateTime(f.date),
		]);
		pairs.push(['source', f.source || 'STOP']);
		return getPush(agent, url, pairs, opts);
	}

	const mmsDate = (d) => `${utcDateTime(d)} +0000`;

	function mmsPairs(f, id) {
		const date = toDate(f.date);
		const pairs = [
			['id', id],
			['from', f.from],
		];
		for (const t of [].concat(f.to || [])) pairs.push(['to', t]);
		for (const c of [].concat(f.cc || [])) pairs.push(['cc', c]);
		pairs.push(['date', typeof f.date === 'string' && !/T/.test(f.date) ? f.date : mmsDate(date)]);
		pairs.push(['type', f.type !== undefined ? f.type : 2]);
		if (f.network !== undefined) pairs.push(['network', f.network]);
		if (f.subject !== undefined) pairs.push(['subject', f.subject, 'utf8']);
		pairs.push([
			'expiry',
			f.expiry !== undefined ? f.expiry : mmsDate(new Date(date.getTime() + 24 * 3600 * 1000)),
		]);
		return pairs;
	}

	function mmsId(f) {
		if (f.parts) return sim.addInboundMms({ ...f });
		return f.id !== undefined ? String(f.id) : sim.nextMxId();
	}

	async function mmsNotification(url, f = {}, opts = {}) {
		const id = mmsId(f);
		const res = await getPush(agent, url, mmsPairs(f, id), opts);
		return { ...res, id };
	}

	async function mmsPost(url, f = {}, opts = {}) {
		const id = mmsId(f);
		const zipBytes = f.zip
			? Buffer.from(f.zip)
			: f.parts
				? sim.getMms(id).zip
				: zip.buildMmsZip([]);
		const boundary = `----sim${crypto.randomBytes(12).toString('hex')}`;
		const fields = mmsPairs(f, id)
			.filter(([k]) => !(opts.omit || []).includes(k))
			.map(([name, value]) => ({ name, value }));
		if (!(opts.omit || []).includes('mms.zip'))
			fields.push({
				name: f.zipFieldName || 'mms.zip',
				filename: 'mms.zip',
				contentType: 'application/zip',
				data: zipBytes,
			});
		const whole = buildMultipart(fields, boundary);
		// truncateTo: send only the first n bytes (an upload cut off mid-file, closing
		// boundary missing), with a Content-Length that matches what is sent.
		const body = opts.truncateTo === undefined ? whole : whole.subarray(0, opts.truncateTo);
		const res = await request(opts.extraQuery ? withQuery(url, [], opts) : url, {
			chunked: Boolean(opts.chunked),
			method: opts.method || 'POST',
			headers: {
				'Content-Type': `multipart/form-data; boundary=${boundary}`,
				...(opts.headers || {}),
			},
			body,
			agent,
		});
		return { ...res, id };
	}

	function mmsReport(url, f = {}, opts = {}) {
		const pairs = [
			['id', f.id !== undefined ? f.id : sim.nextMxId()],
			['requestid', f.requestId],
			['to', f.to],
			['from', f.from],
			['date', typeof f.date === 'string' && !/T/.test(f.date) ? f.date : mmsDate(f.date)],
			['type', f.type !== undefined ? f.type : 1],
			['status', f.status !== undefined ? f.status : 3],
		];
		if (f.useragent !== undefined) pairs.push(['useragent', f.useragent, 'utf8']);
		return getPush(agent, url, pairs, opts);
	}

	const close = () => agent.destroy();
	return { inboundSms, deliveryReport, unsubscribe, mmsNotification, mmsPost, mmsReport, close };
}

module.exports = { makePush, request, encodeQuery };
