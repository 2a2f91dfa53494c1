'use strict';
/**
 * The simulator core: one loopback HTTP server routing to the three providers' handlers,
 * with recording, seeded fault injection, one-shot response overrides and automatic
 * delivery reports. Provider specifics live in mx.js, bulksms.js and gatewayapi.js.
 */
const http = require('http');
const { performance } = require('perf_hooks');
const mx = require('./mx');
const bulksms = require('./bulksms');
const gatewayapi = require('./gatewayapi');
const zip = require('./zip');
const { makePush, request } = require('./push');
const { prng, assertLoopbackUrl } = require('./util');

const PROVIDERS = { mxTelecom: mx, bulkSms: bulksms, gatewayApi: gatewayapi };

const DEFAULT_CREDENTIALS = Object.freeze({
	mxTelecom: Object.freeze({
		username: 'mx-user',
		password: 'mx-secret-pass',
		mmsUsername: 'mx-mms-user',
		mmsPassword: 'mx-mms-secret',
	}),
	bulkSms: Object.freeze({ username: 'bulk-user', password: 'bulk-secret-pass' }),
	gatewayApi: Object.freeze({ token: 'gwapi-secret-token' }),
	webhookSecret: 'sim-webhook-secret',
});

const DEFAULT_LIMITS = {
	mxBulkMaxRecipients: 10000,
	mxMaxParts: 255,
	bulkSmsMaxRecipients: 30000,
	bulkSmsMaxBatchRows: 30000,
	gatewayApiMaxRecipients: 10000,
	maxBodyBytes: 8 * 1024 * 1024,
};

const SEND_ENDPOINTS = [
	'mx.send',
	'mx.bulksend',
	'mx.sendmms',
	'bulksms.send_sms',
	'bulksms.send_batch',
	'gatewayapi.mtsms',
];
const BEFORE_KINDS = new Set(['500', '503', 'reset', 'hang', 'bulksms40']);
const AFTER_KINDS = new Set(['reset-after', '500-after', 'hang-after']);
const ALL_KINDS = [...BEFORE_KINDS, ...AFTER_KINDS];

const DEFAULT_REPORT_STATUS = { mxTelecom: 'DELIVERED', bulkSms: 11, gatewayApi: 'DELIVERED' };
/** BulkSMS phone-book groups (dest_group_id) when the `groups` option is not given. */
const DEFAULT_GROUPS = Object.freeze({
	1: Object.freeze(['447700900301', '447700900302', '447700900303']),
	2: Object.freeze(['447700900303', '447700900304']),
});

/** Validated copy of a phone book: { groupId: [msisdn, ...] } -> Map. */
function phoneBook(groups) {
	const book = new Map();
	for (const [id, members] of Object.entries(groups || {})) {
		if (!/^\d{1,19}$/.test(id)) throw new Error(`group id ${id} is not numeric`);
		if (!Array.isArray(members)) throw new Error(`group ${id} must be a list of numbers`);
		const list = members.map((m) => String(m).replace(/^\+/, ''));
		for (const m of list)
			if (!/^\d{7,15}$/.test(m)) throw new Error(`group ${id}: ${m} is not an MSISDN`);
		book.set(id, list);
	}
	return book;
}
const DEDUPE_WINDOW_MS = 24 * 3600 * 1000;
const TIMER_SLACK_MS = 0.5;

function mergeCredentials(c = {}) {
	return {
		mxTelecom: { ...DEFAULT_CREDENTIALS.mxTelecom, ...(c.mxTelecom || {}) },
		bulkSms: { ...DEFAULT_CREDENTIALS.bulkSms, ...(c.bulkSms || {}) },
		gatewayApi: { ...DEFAULT_CREDENTIALS.gatewayApi, ...(c.gatewayApi || {}) },
		webhookSecret:
			c.webhookSecret === undefined ? DEFAULT_CREDENTIALS.webhookSecret : c.webhookSecret,
	};
}

function normaliseFaults(f) {
	if (!f) return { rate: 0, kinds: [], hangMs: 30000, endpoints: SEND_ENDPOINTS };
	const kinds = (f.kinds || ['500', '503', 'reset', 'hang', 'bulksms40']).map(String);
	for (const k of kinds)
		if (!ALL_KINDS.includes(k))
			throw new Error(`unknown fault kind ${k} (known: ${ALL_KINDS.join(', ')})`);
	return {
		rate: Number(f.rate || 0),
		kinds,
		hangMs: f.hangMs === undefined ? 30000 : Number(f.hangMs),
		endpoints: f.endpoints === 'all' ? 'all' : f.endpoints || SEND_ENDPOINTS,
	};
}

function faultApplies(kind, provider) {
	return kind !== 'bulksms40' || provider === 'bulkSms';
}

/**
 * Starts the simulator. See docs/simulator.md for every option and wire format.
 */
async function startSimulator(options = {}) {
	const opts = { ...options };
	const recordMode =
		opts.record === undefined ? 'full' : opts.record === false ? false : opts.record;
	if (![false, 'full', 'summary'].includes(recordMode))
		throw new Error(`record must be 'full', 'summary' or false`);
	const seed = opts.seed === undefined ? 1 : Number(opts.seed);
	const timers = new Set();
	const sockets = new Set();
	let closed = false;

	const st = {};
	function resetState() {
		st.requests = [];
		st.accepted = [];
		st.pushes = [];
		st.overrides = [];
		st.dedupe = { mx: new Map(), bulk: new Map() };
		st.mms = new Map();
		st.bulkBatches = new Map();
		st.gwMessages = new Map();
		st.stats = {
			requests: 0,
			byEndpoint: {},
			byStatus: {},
			accepted: 0,
			duplicatesReplayed: 0,
			faults: {},
			overrides: 0,
			peakConnections: st.stats ? st.stats.peakConnections : 0,
			pushes: 0,
			pushFailures: 0,
			responses: 0,
		};
		st.responseMsTotal = 0;
		st.rand = prng(sim.faultSeed);
		st.seq = st.seq || 0;
	}

	const routes = new Map();
	const prefixRoutes = [];
	for (const mod of Object.values(PROVIDERS))
		for (const r of mod.routes()) {
			const route = { methods: ['GET', 'POST'], ...r };
			if (r.prefix) prefixRoutes.push(route);
			else routes.set(r.path, route);
		}

	// 64-bit MX ids start just above Number.MAX_SAFE_INTEGER so lossy clients fail visibly.
	let mxCounter = 9007199254740993n + BigInt((seed >>> 0) % 100000) * 1000n;
	let bulkBatch = 500000000 + ((seed >>> 0) % 1000) * 1000;
	let bulkMo = 7000000;
	let gwId = 421332671 + ((seed >>> 0) % 1000) * 1000;
	let gwMo = 8000000;

	const sim = {
		url: '',
		port: 0,
		credentials: mergeCredentials(opts.credentials),
		limits: { ...DEFAULT_LIMITS, ...(opts.limits || {}) },
		recordMode,
		latencyMs: Number(opts.latencyMs || 0),
		faults: normaliseFaults(opts.faults),
		faultSeed: seed,
		bulkCredits: opts.credits === undefined ? 1000000 : Number(opts.credits),
		gwCredit: opts.credits === undefined ? 1000 : Number(opts.credits),
		reportDelayMs: opts.reportDelayMs === undefined ? 50 : Number(opts.reportDelayMs),
		reportUrl: opts.reportUrl,
		reportStatus: opts.reportStatus,
		bulkGroups: phoneBook(opts.groups === undefined ? DEFAULT_GROUPS : opts.groups),
		setGroups(groups) {
			sim.bulkGroups = phoneBook(groups);
		},
		get requests() {
			return st.requests;
		},
		get accepted() {
			return st.accepted;
		},
		get pushes() {
			return st.pushes;
		},

		nextMxId: () => (mxCounter++).toString(),
		nextBulkBatchId: () => ++bulkBatch,
		nextBulkMoId: () => ++bulkMo,
		nextGwId: () => ++gwId,
		nextGwMoId: () => ++gwMo,

		dedupeGet(ns, key) {
			const e = st.dedupe[ns].get(key);
			if (!e) return undefined;
			if (Date.now() - e.at > DEDUPE_WINDOW_MS) {
				st.dedupe[ns].delete(key);
				return undefined;
			}
			// The reference: each resubmission restarts the 24 h window.
			e.at = Date.now();
			st.stats.duplicatesReplayed++;
			return e;
		},
		dedupeSet(ns, key, value) {
			st.dedupe[ns].set(key, { ...value, at: Date.now() });
		},

		storeMms(m) {
			const parts = m.parts.map((p) => ({
				name: p.name,
				mimeType: p.mimeType,
				data: Buffer.isBuffer(p.data)
					? p.data
					: Buffer.from(p.data == null ? '' : String(p.data), 'utf8'),
			}));
			const entry = { ...m, parts, zip: zip.buildMmsZip(parts) };
			st.mms.set(String(m.id), entry);
			return entry;
		},
		getMms: (id) => st.mms.get(String(id)),
		addInboundMms(f) {
			if (!f || !Array.isArray(f.parts) || f.parts.length === 0)
				throw new Error('addInboundMms needs parts');
			const id = f.id !== undefined ? String(f.id) : sim.nextMxId();
			sim.storeMms({
				id,
				from: f.from,
				to: [].concat(f.to || []),
				cc: [].concat(f.cc || []),
				subject: f.subject,
				parts: f.parts,
				direction: 'inbound',
			});
			return id;
		},

		storeBulkBatch(id, b) {
			if (recordMode) st.bulkBatches.set(id, b);
		},
		getBulkBatch: (id) => st.bulkBatches.get(id),
		storeGwMessage(id, m) {
			if (recordMode) st.gwMessages.set(id, m);
		},
		getGwMessage: (id) => st.gwMessages.get(id),
		cancelAccepted(provider, messageId) {
			for (const a of st.accepted)
				if (a.provider === provider && a.messageId === messageId) a.status = 'cancelled';
		},

		reportStatusFor(rec) {
			const rs = sim.reportStatus;
			if (typeof rs === 'function') return rs(rec);
			if (rs && rs[rec.provider] !== undefined) return rs[rec.provider];
			return DEFAULT_REPORT_STATUS[rec.provider];
		},

		/** Called by handlers once the gateway has taken the request: records and schedules reports. */
		accept(ctx, records, { report, reportUrl } = {}) {
			st.stats.accepted += records.length;
			const at = Date.now();
			for (const r of records) {
				r.requestSeq = ctx.seq;
				r.at = at;
				if (recordMode) st.accepted.push(r);
			}
			ctx.acceptedCount = (ctx.acceptedCount || 0) + records.length;
			if (!report) return;
			const cfg = sim.reportUrl;
			const url = reportUrl || (typeof cfg === 'string' ? cfg : cfg && cfg[ctx.provider]);
			if (!url) return;
			const due = records.filter((r) => r.status === 'accepted');
			const t = setTimeout(() => {
				timers.delete(t);
				autoReports(ctx.provider, url, due);
			}, sim.reportDelayMs);
			timers.add(t);
		},

		setFaults(f) {
			sim.faults = normaliseFaults(f);
			if (f && f.seed !== undefined) {
				sim.faultSeed = Number(f.seed);
				st.rand = prng(sim.faultSeed);
			}
			if (f && f.latencyMs !== undefined) sim.latencyMs = Number(f.latencyMs);
		},

		respondWith(o = {}) {
			st.overrides.push({
				times: 1,
				status: 200,
				body: '',
				...o,
				remaining: o.times === undefined ? 1 : o.times,
			});
		},

		duplicates() {
			const counts = new Map();
			for (const a of st.accepted) {
				if (a.status === 'cancelled') continue;
				// A binary part is its UDH and payload: two parts of one message may share a payload.
				const k = `${a.provider}\n${a.to}\n${a.binary ? a.binary.udh + ':' : ''}${a.text}`;
				const e = counts.get(k);
				if (e) e.count++;
				else counts.set(k, { provider: a.provider, to: a.to, text: a.text, count: 1 });
			}
			return [...counts.values()].filter((e) => e.count > 1);
		},

		stats() {
			const meanResponseMs = st.stats.responses ? st.responseMsTotal / st.stats.responses : 0;
			return { ...st.stats, openConnections: sockets.size, meanResponseMs };
		},

		reset() {
			for (const t of timers) clearTimeout(t);
			timers.clear();
			resetState();
		},

		close() {
			if (closed) return Promise.resolve();
			closed = true;
			for (const t of timers) clearTimeout(t);
			timers.clear();
			sim.push.close();
			return new Promise((resolve) => {
				server.close(() => resolve());
				for (const s of sockets) s.destroy();
			});
		},
	};
	sim.push = makePush(sim);
	resetState();

	async function autoReports(provider, url, records) {
		const queue = records.slice();
		const worker = async () => {
			while (queue.length && !closed) {
				const r = queue.shift();
				const status = sim.reportStatusFor(r);
				const f =
					provider === 'bulkSms'
						? { batchId: r.messageId, to: r.to, status, sourceId: r.sourceId }
						: provider === 'gatewayApi'
							? { messageId: r.messageId, to: r.to, status, userref: r.userref }
							: { messageId: r.messageId, to: r.to, from: r.from, status, note: r.note };
				const rec = { kind: 'deliveryReport', provider, url, to: r.to, messageId: r.messageId };
				try {
					const res = await sim.push.deliveryReport(provider, url, f);
					rec.status = res.status;
				} catch (err) {
					rec.error = err.message;
					st.stats.pushFailures++;
				}
				st.stats.pushes++;
				if (recordMode) st.pushes.push(rec);
			}
		};
		await Promise.all(Array.from({ length: Math.min(8, queue.length) }, worker));
	}

	function delay(ms) {
		return new Promise((resolve) => {
			const t = setTimeout(() => {
				timers.delete(t);
				resolve();
			}, ms);
			timers.add(t);
		});
	}

	function drawFault(route) {
		const f = sim.faults;
		if (!f.rate || f.kinds.length === 0) return null;
		if (f.endpoints !== 'all' && !f.endpoints.includes(route.endpoint)) return null;
		// Two draws per eligible request, always, so the schedule depends only on seed and order.
		const r1 = st.rand();
		const r2 = st.rand();
		if (r1 >= f.rate) return null;
		const kinds = f.kinds.filter((k) => faultApplies(k, route.provider));
		if (kinds.length === 0) return null;
		return kinds[Math.floor(r2 * kinds.length)];
	}

	function takeOverride(route, path) {
		for (let i = 0; i < st.overrides.length; i++) {
			const o = st.overrides[i];
			if (o.path !== undefined && o.path !== path) continue;
			if (o.endpoint !== undefined && (!route || o.endpoint !== route.endpoint)) continue;
			if (o.provider !== undefined && (!route || o.provider !== route.provider)) continue;
			// `after`: let that many matching requests through first (say, part 1 of a message).
			if (o.after > 0) {
				o.after--;
				continue;
			}
			o.remaining--;
			if (o.remaining <= 0) st.overrides.splice(i, 1);
			return o;
		}
		return null;
	}

	function hang(res) {
		const t = setTimeout(() => {
			timers.delete(t);
			res.socket && res.socket.destroy();
		}, sim.faults.hangMs);
		timers.add(t);
	}

	function reset(res) {
		const s = res.socket;
		if (!s) return;
		if (typeof s.resetAndDestroy === 'function') s.resetAndDestroy();
		else s.destroy();
	}

	function send(res, r) {
		const body = Buffer.isBuffer(r.body)
			? r.body
			: Buffer.from(r.body == null ? '' : String(r.body), 'utf8');
		res.writeHead(r.status, { ...(r.headers || {}), 'Content-Length': body.length });
		res.end(body);
	}

	function sendOverride(res, o) {
		const body = Buffer.isBuffer(o.body)
			? o.body
			: Buffer.from(o.body == null ? '' : String(o.body), 'utf8');
		const headers = { 'Content-Type': 'text/plain', ...(o.headers || {}) };
		if (o.reset) return reset(res);
		if (o.hang) return hang(res);
		if (o.truncate) {
			res.writeHead(o.status, {
				...headers,
				'Content-Length': body.length + (o.truncateMissing || 64),
			});
			res.write(body, () => res.socket && res.socket.destroy());
			return;
		}
		if (o.dripMs) {
			res.writeHead(o.status, { ...headers, 'Content-Length': body.length });
			const step = Math.max(1, o.dripBytes || 1);
			let i = 0;
			const tick = () => {
				if (res.destroyed || (res.socket && res.socket.destroyed)) return;
				if (i >= body.length) {
					res.end();
					return;
				}
				res.write(body.subarray(i, i + step));
				i += step;
				const t = setTimeout(() => {
					timers.delete(t);
					tick();
				}, o.dripMs);
				timers.add(t);
			};
			tick();
			return;
		}
		res.writeHead(o.status, { ...headers, 'Content-Length': body.length });
		res.end(body);
	}

	function readBody(req, limit) {
		return new Promise((resolve, reject) => {
			const chunks = [];
			let n = 0;
			let over = false;
			req.on('data', (c) => {
				n += c.length;
				if (n > limit) over = true;
				else chunks.push(c);
			});
			req.on('end', () => resolve(over ? null : Buffer.concat(chunks)));
			req.on('error', reject);
		});
	}

	function record(ctx, status, extra) {
		st.stats.requests++;
		if (status !== null && ctx.arrival !== undefined) {
			st.stats.responses++;
			st.responseMsTotal += performance.now() - ctx.arrival;
		}
		st.stats.byEndpoint[ctx.endpoint] = (st.stats.byEndpoint[ctx.endpoint] || 0) + 1;
		const sk = status === null ? 'none' : String(status);
		st.stats.byStatus[sk] = (st.stats.byStatus[sk] || 0) + 1;
		if (extra.fault) st.stats.faults[extra.fault] = (st.stats.faults[extra.fault] || 0) + 1;
		if (extra.override) st.stats.overrides++;
		if (!recordMode) return;
		const base = {
			seq: ctx.seq,
			provider: ctx.provider,
			endpoint: ctx.endpoint,
			method: ctx.method,
			path: ctx.path,
			status,
			fault: extra.fault || undefined,
			override: extra.override || undefined,
			accepted: ctx.acceptedCount || 0,
			duplicate: ctx.duplicate || undefined,
		};
		if (recordMode === 'summary') {
			st.requests.push(base);
			return;
		}
		const ct = String(ctx.headers['content-type'] || '');
		st.requests.push({
			...base,
			query: ctx.query,
			headers: ctx.headers,
			body: /^multipart\//i.test(ct)
				? `<multipart ${ctx.body.length} bytes>`
				: ctx.body.toString('latin1'),
			params: ctx.params,
			decoded: ctx.decoded,
			response: extra.response,
		});
	}

	async function handle(req, res) {
		const arrival = performance.now();
		const seq = ++st.seq;
		const q = req.url.indexOf('?');
		const path = q < 0 ? req.url : req.url.slice(0, q);
		const query = q < 0 ? '' : req.url.slice(q + 1);
		const route =
			routes.get(path) ||
			prefixRoutes.find((r) => path.startsWith(r.prefix) && path.length > r.prefix.length);
		const body = await readBody(req, sim.limits.maxBodyBytes);
		const ctx = {
			seq,
			method: req.method,
			path,
			query,
			headers: req.headers,
			body: body || Buffer.alloc(0),
			provider: route ? route.provider : undefined,
			endpoint: route ? route.endpoint : 'unknown',
		};
		if (sim.latencyMs > 0) {
			// Latency counts from arrival. Timers fire about 0.5 ms late on average, so aim that
			// much early: the mean answer time then matches latencyMs instead of exceeding it.
			const wait = arrival + sim.latencyMs - performance.now();
			await delay(Math.max(0, Math.round(wait - TIMER_SLACK_MS)));
		}
		ctx.arrival = arrival;
		if (closed) return;
		if (body === null) {
			send(res, {
				status: 413,
				headers: { 'Content-Type': 'text/plain' },
				body: 'Payload Too Large',
			});
			record(ctx, 413, {});
			return;
		}
		const ov = takeOverride(route, path);
		if (!route && !ov) {
			send(res, { status: 404, headers: { 'Content-Type': 'text/plain' }, body: 'Not Found' });
			record(ctx, 404, {});
			return;
		}
		if (ov && !ov.accept) {
			sendOverride(res, ov);
			record(ctx, ov.reset || ov.hang ? null : ov.status, { override: true });
			return;
		}
		if (!route.methods.includes(req.method)) {
			const r =
				route.provider === 'gatewayApi'
					? {
							status: 405,
							headers: { 'Content-Type': 'application/json' },
							body: '{"message":"Method not allowed"}',
						}
					: {
							status: 405,
							headers: { 'Content-Type': 'text/plain' },
							body: 'FAILURE method not allowed\n',
						};
			send(res, r);
			record(ctx, 405, {});
			return;
		}
		const fault = ov ? null : drawFault(route);
		if (fault && BEFORE_KINDS.has(fault)) {
			let status = null;
			if (fault === 'reset') reset(res);
			else if (fault === 'hang') hang(res);
			else {
				const r = PROVIDERS[route.provider].faultResponse(fault);
				send(res, r);
				status = r.status;
			}
			record(ctx, status, { fault });
			return;
		}
		const result = await route.handler(ctx, sim);
		if (closed) return;
		if (ov) {
			sendOverride(res, ov);
			record(ctx, ov.reset || ov.hang ? null : ov.status, {
				override: true,
				response: result.status,
			});
			return;
		}
		if (fault === 'reset-after') reset(res);
		else if (fault === 'hang-after') hang(res);
		else if (fault === '500-after') send(res, PROVIDERS[route.provider].faultResponse('500'));
		else send(res, result);
		const status =
			fault === 'reset-after' || fault === 'hang-after'
				? null
				: fault === '500-after'
					? 500
					: result.status;
		const text = Buffer.isBuffer(result.body) ? `<${result.body.length} bytes>` : result.body;
		record(ctx, status, {
			fault,
			response: recordMode === 'full' ? { status: result.status, body: text } : undefined,
		});
	}

	const server = http.createServer(
		{ keepAliveTimeout: 60000, requestTimeout: 0, headersTimeout: 65000 },
		(req, res) => {
			handle(req, res).catch((err) => {
				try {
					if (!res.headersSent) {
						res.writeHead(500, { 'Content-Type': 'text/plain' });
						res.end(`simulator error: ${err.message}`);
					} else res.destroy();
				} catch {
					// The socket is already gone; nothing left to answer.
				}
				st.stats.internalErrors = (st.stats.internalErrors || 0) + 1;
				st.lastError = err;
			});
		},
	);
	server.keepAliveTimeout = 60000;
	server.on('connection', (s) => {
		sockets.add(s);
		if (sockets.size > st.stats.peakConnections) st.stats.peakConnections = sockets.size;
		s.on('close', () => sockets.delete(s));
	});
	if (opts.maxConnections) server.maxConnections = Number(opts.maxConnections);
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(opts.port === undefined ? 0 : Number(opts.port), '127.0.0.1', () => {
			server.off('error', reject);
			resolve();
		});
	});
	sim.port = server.address().port;
	sim.url = `http://127.0.0.1:${sim.port}`;
	sim.lastError = () => st.lastError;
	return sim;
}

module.exports = {
	DEFAULT_GROUPS,
	startSimulator,
	DEFAULT_CREDENTIALS,
	DEFAULT_LIMITS,
	SEND_ENDPOINTS,
	request,
	assertLoopbackUrl,
};
