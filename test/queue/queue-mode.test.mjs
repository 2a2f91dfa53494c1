// The package in n8n's queue mode (issue 12): Redis and PostgreSQL from Debian, n8n main, two
// `n8n webhook` processes and one `n8n worker`, HAProxy in front with the committed
// docs/queue-mode/haproxy.cfg, our package installed the community way in every process
// (scripts/queue/rig.mjs). The gateway simulator pushes; workflows run on the worker.
//
//   1. Every push kind of every provider, sent through the load balancer, starts exactly one
//      execution on the worker and reaches the node after the guard once; MMS parts stored by
//      a webhook process are readable on the worker (binary data in the database).
//   2. Redeliveries through the load balancer reach the process that saw the first copy and
//      start nothing. Redeliveries sent to the other process start a second execution: the
//      downstream guard of docs/queue-mode/dedupe.sql (a PostgreSQL claim) stops every one;
//      n8n's Remove Duplicates node is measured beside it (printed, not asserted exact).
//   3. The same push at both processes at once: the same two guards, and Remove Duplicates'
//      history-size limit.
//   4. 1,000 pushes split across the two webhook processes: exactly 1,000 executions.
//   5. The action node on the worker: a 10,000-recipient Broadcast and a Send MMS in a
//      webhook-started workflow.
//   6. Every process stopped by PID, no temporary folder left.
//
// n8n runs with lazy isolate acquisition (1.x: the legacy engine), as in
// test/e2e/trigger-load.test.mjs, to keep the run short; SMS_GATEWAY_QUEUE_ENGINE=stock runs
// n8n's defaults. SMS_GATEWAY_N8N_VERSION selects the n8n line (CI runs 2.41.1).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

import * as h from '../../scripts/n8n/harness.mjs';
import * as pg from '../../scripts/queue/pg.mjs';
import * as svc from '../../scripts/queue/services.mjs';
import { FAST_ENGINE_ENV, startQueueRig } from '../../scripts/queue/rig.mjs';
import * as t from '../e2e/trigger-helpers.mjs';

const require = createRequire(import.meta.url);
const { startSimulator, startReceiver } = require('../../simulator');

const ENGINE_ENV = process.env.SMS_GATEWAY_QUEUE_ENGINE === 'stock' ? {} : FAST_ENGINE_ENV;
const ACTION_TYPE = t.TRIGGER_TYPE.replace(/\.smsGatewayTrigger$/, '.smsGateway');
const BURST = 1000;
const BROADCAST_SIZE = 10_000;
const RACE_PAIRS = 25;
const SPACED_REDELIVERIES = 20;

const WEBHOOK = {
	mx: '9c1f0e2a-7b3d-4e5f-8a6b-0c1d2e3f0001',
	bulk: '9c1f0e2a-7b3d-4e5f-8a6b-0c1d2e3f0002',
	gwapi: '9c1f0e2a-7b3d-4e5f-8a6b-0c1d2e3f0003',
	mms: '9c1f0e2a-7b3d-4e5f-8a6b-0c1d2e3f0004',
	soft: '9c1f0e2a-7b3d-4e5f-8a6b-0c1d2e3f0005',
	burst: '9c1f0e2a-7b3d-4e5f-8a6b-0c1d2e3f0006',
	send: '9c1f0e2a-7b3d-4e5f-8a6b-0c1d2e3f0007',
	history: '9c1f0e2a-7b3d-4e5f-8a6b-0c1d2e3f0008',
};
const WF = {
	mx: 'qMx',
	bulk: 'qBulk',
	gwapi: 'qGwapi',
	mms: 'qMms',
	soft: 'qSoft',
	burst: 'qBurst',
	send: 'qSend',
	history: 'qHistory',
};
const SINK = { mx: '/sink/mx', bulk: '/sink/bulk', gwapi: '/sink/gwapi', mms: '/sink/mms', soft: '/sink/soft' };
const EVENTS_DB = 'sms_events';
const PG_CRED = { id: 'qPgEvents', name: 'Events database' };
const DEDUPE_SQL = path.join(h.repoRoot, 'docs', 'queue-mode', 'dedupe.sql');

const GIF = Buffer.from('474946383961010001000000002c00000000010001000002024401003b', 'hex');
const NOTE = 'H\u00ebllo \u20ac';
const MMS_PARTS = [
	{ name: 'pic.gif', mimeType: 'image/gif', data: GIF },
	{ name: 'note.txt', mimeType: 'text/plain', data: NOTE },
];

let sim;
let sink;
let rig;

// ---------------------------------------------------------------------------
// Workflows

const removeDuplicates = (options = {}, dedupeValue = '={{ $json.dedupeKey }}') =>
	h.node(
		'Remove Duplicates',
		'n8n-nodes-base.removeDuplicates',
		{ operation: 'removeItemsSeenInPreviousExecutions', dedupeValue, options },
		{ typeVersion: 2 },
	);

/** n8n's HTTP Request node posting `body` (an expression) to the sink. */
const post = (sinkPath, body = '={{ $json }}') =>
	h.node(
		t.SINK_NAME,
		'n8n-nodes-base.httpRequest',
		{ method: 'POST', url: `${sink.url}${sinkPath}`, sendBody: true, specifyBody: 'json', jsonBody: body, options: {} },
		{ typeVersion: 4.2 },
	);

const extract = (name, operation, binaryPropertyName, destinationKey) =>
	h.node(
		name,
		'n8n-nodes-base.extractFromFile',
		{ operation, binaryPropertyName, destinationKey, options: { keepSource: 'both' } },
		{ typeVersion: 1.1 },
	);

const webhookNode = (webhookPath, webhookId) =>
	h.node(
		'Webhook',
		'n8n-nodes-base.webhook',
		{ httpMethod: 'GET', path: webhookPath, responseMode: 'onReceived', options: {} },
		{ typeVersion: 2, webhookId },
	);

function workflows() {
	const trigger = (provider, key, events) => t.triggerNode(provider, WEBHOOK[key], events ? { events } : {});
	const send = (() => {
		const hook = webhookNode('queue-send', WEBHOOK.send);
		const broadcast = h.node(
			'Broadcast',
			ACTION_TYPE,
			{
				resource: 'message',
				operation: 'broadcast',
				recipients: `={{ Array.from({ length: ${BROADCAST_SIZE} }, (_, i) => '4477' + String(i).padStart(8, '0')) }}`,
				message: 'Queue mode: sent by an n8n worker',
				encoding: 'auto',
				options: {},
			},
			{ credentials: t.credRef('mxTelecom') },
		);
		const mms = h.node(
			'Send MMS',
			ACTION_TYPE,
			{
				resource: 'mms',
				operation: 'send',
				to: '447700900103',
				from: '58870',
				subject: 'From a worker',
				binaryProperties: '',
				text: 'Sent by an n8n worker in queue mode',
				options: {},
			},
			{ credentials: t.credRef('mxTelecom') },
		);
		const wf = h.chain(WF.send, [hook, broadcast]);
		wf.nodes.push(mms);
		wf.connections.Webhook = { main: [[{ node: 'Broadcast', type: 'main', index: 0 }, { node: 'Send MMS', type: 'main', index: 0 }]] };
		return wf;
	})();
	// The strict guard (docs/queue-mode/dedupe.sql): a Postgres node claiming the key.
	const claim = () =>
		h.node(
			'Claim dedupeKey',
			'n8n-nodes-base.postgres',
			{
				operation: 'executeQuery',
				query: 'SELECT claimed FROM sms_gateway_claim($1) AS claimed',
				options: { queryReplacement: '={{ [$json.dedupeKey] }}' },
			},
			{ typeVersion: 2.5, credentials: { postgres: PG_CRED } },
		);
	const claimed = (sinkPath, from = t.TRIGGER_NAME) => post(sinkPath, `={{ $('${from}').item.json }}`);
	return [
		h.chain(WF.mx, [trigger('mxTelecom', 'mx', ['inboundSms', 'deliveryReport', 'unsubscribe']), claim(), claimed(SINK.mx)]),
		h.chain(WF.bulk, [trigger('bulkSms', 'bulk', ['inboundSms', 'deliveryReport']), claim(), claimed(SINK.bulk)]),
		h.chain(WF.gwapi, [trigger('gatewayApi', 'gwapi', ['inboundSms', 'deliveryReport']), claim(), claimed(SINK.gwapi)]),
		// The claim goes before the first node with side effects; the parts are read first
		// (a Postgres node's output carries no binary data).
		h.chain(WF.mms, [
			trigger('mxTelecom', 'mms', ['inboundMms']),
			extract('Read picture', 'binaryToPropery', 'data0', 'part0'),
			extract('Read text', 'text', 'data1', 'part1'),
			claim(),
			claimed(SINK.mms, 'Read text'),
		]),
		// n8n's Remove Duplicates node as the guard, for comparison.
		h.chain(WF.soft, [trigger('mxTelecom', 'soft', ['inboundSms']), removeDuplicates(), post(SINK.soft)]),
		h.chain(WF.burst, [trigger('mxTelecom', 'burst', ['inboundSms'])]),
		send,
		h.chain(WF.history, [webhookNode('queue-history', WEBHOOK.history), removeDuplicates({ historySize: 3 }, '={{ $json.query.key }}')]),
	];
}

function credentials(r) {
	const pgCred = {
		...PG_CRED,
		type: 'postgres',
		data: { host: '127.0.0.1', port: r.pgPort, database: EVENTS_DB, user: 'postgres', password: 'unused', ssl: 'disable' },
	};
	return [...t.PROVIDERS.map((p) => t.credential(p, sim)), pgCred];
}

// ---------------------------------------------------------------------------

before(async () => {
	await h.n8nInstall();
	sim = await startSimulator({ port: 0 });
	sink = await startReceiver();
	rig = await startQueueRig({
		label: 'queue-test',
		credentials,
		workflows,
		publish: Object.values(WF),
		env: ENGINE_ENV,
		async beforeMain(r) {
			// The strict guard's claim table, exactly as docs/queue-mode/dedupe.sql has it.
			const admin = await pg.connect(r.pgPort);
			await admin.query(`create database ${EVENTS_DB}`);
			await admin.end();
			const events = await pg.connect(r.pgPort, EVENTS_DB);
			await events.query(fs.readFileSync(DEDUPE_SQL, 'utf8'));
			await events.end();
		},
	});
	process.stderr.write(`[queue] n8n ${h.N8N_VERSION}, engine ${JSON.stringify(ENGINE_ENV)}, rig up in ${(rig.startMs / 1000).toFixed(1)} s\n`);
});

after(async () => {
	await rig?.stop();
	await sim?.close();
	await sink?.close();
});

// ---------------------------------------------------------------------------
// Helpers

const url = (base, key) => t.triggerUrl(base, WEBHOOK[key]);
const bulkUrl = (base) => `${url(base, 'bulk')}?secret=${t.WEBHOOK_SECRET}`;
const sinkBodies = (key, from = 0) =>
	sink.requests
		.slice(from)
		.filter((r) => r.path === SINK[key])
		.map((r) => JSON.parse(r.text));
/** What identifies an event among the items: unsubscribes have no message id. */
const itemKey = (item) => (item?.event === 'unsubscribe' ? `unsubscribe:${item.msisdn}` : `${item?.event}:${item?.messageId}`);
const triggerItem = (execution) => pg.nodeItems(execution, t.TRIGGER_NAME)[0];
const settle = (key, count, afterId = 0) => rig.executions.waitForSettled(count, { workflowId: WF[key], afterId });
const count = (key, afterId = 0) => rig.executions.counts({ workflowId: WF[key], afterId });

/** Every push kind of every provider; `push(base)` sends it to the given n8n base URL. */
function pushKinds() {
	const from = '447700900123';
	return [
		{
			wf: 'mx',
			label: 'MX inbound SMS',
			key: 'inboundSms:9100000000000001',
			push: (b) => sim.push.inboundSms('mxTelecom', url(b, 'mx'), { from, to: '58870', text: 'Queue \u20ac5', id: '9100000000000001', date: '2024-07-01 12:34:56' }),
		},
		{
			wf: 'mx',
			label: 'MX delivery report',
			key: 'deliveryReport:9100000000000003',
			push: (b) =>
				sim.push.deliveryReport('mxTelecom', url(b, 'mx'), {
					messageId: '9100000000000003',
					to: from,
					status: 'DELIVERED',
					id: '9100000000000002',
					date: '2024-07-01 12:35:10',
				}),
		},
		{
			wf: 'mx',
			label: 'MX unsubscribe',
			key: 'unsubscribe:447700900201',
			push: (b) =>
				sim.push.unsubscribe('mxTelecom', url(b, 'mx'), { msisdn: '447700900201', shortcodes: ['58870'], source: 'STOP', date: '2024-07-01 12:40:00' }),
		},
		{
			wf: 'mx',
			label: 'MX MMS delivery report',
			key: 'deliveryReport:9100000000000005',
			push: (b) =>
				sim.push.mmsReport(url(b, 'mx'), {
					id: '9100000000000004',
					requestId: '9100000000000005',
					to: '58870',
					from,
					type: 1,
					status: 3,
					date: '2024-07-01 10:00:00 +0100',
				}),
		},
		{
			wf: 'mms',
			label: 'MX inbound MMS notification (retrieved by the webhook process)',
			key: 'inboundMms:9100000000000006',
			push: (b) =>
				sim.push.mmsNotification(url(b, 'mms'), { id: '9100000000000006', from, to: ['58870'], subject: 'Notified', date: '2024-07-01 12:45:00 +0100', parts: MMS_PARTS }),
		},
		{
			wf: 'mms',
			label: 'MX inbound multipart MMS (mms.zip POST)',
			key: 'inboundMms:9100000000000007',
			push: (b) => sim.push.mmsPost(url(b, 'mms'), { id: '9100000000000007', from, to: '58870', subject: 'Posted', parts: MMS_PARTS }),
		},
		{
			wf: 'bulk',
			label: 'BulkSMS inbound SMS',
			key: 'inboundSms:4100001',
			push: (b) => sim.push.inboundSms('bulkSms', bulkUrl(b), { from, to: '447700900001', text: 'Gr\u00fc\u00dfe', id: '4100001' }),
		},
		{
			wf: 'bulk',
			label: 'BulkSMS delivery report',
			key: 'deliveryReport:4100002',
			push: (b) => sim.push.deliveryReport('bulkSms', bulkUrl(b), { batchId: '4100002', to: from, status: 11, completedTime: new Date('2024-07-01T11:35:10Z') }),
		},
		{
			wf: 'gwapi',
			label: 'GatewayAPI inbound SMS',
			key: 'inboundSms:5100001',
			push: (b) => sim.push.inboundSms('gatewayApi', url(b, 'gwapi'), { from, to: '451204', text: 'Hello', id: 5100001, senttime: 1719833696 }),
		},
		{
			wf: 'gwapi',
			label: 'GatewayAPI delivery report',
			key: 'deliveryReport:5100002',
			push: (b) => sim.push.deliveryReport('gatewayApi', url(b, 'gwapi'), { messageId: '5100002', to: from, status: 'DELIVERED', time: 1719833710 }),
		},
	];
}

const perWorkflow = (kinds) => {
	const n = {};
	for (const k of kinds) n[k.wf] = (n[k.wf] ?? 0) + 1;
	return n;
};

function assertRanOnWorker(executions, label) {
	const notOnWorker = executions.filter((e) => !rig.workerStarted.has(e.id)).map((e) => e.id);
	assert.deepEqual(notOnWorker.slice(0, 5), [], `${label}: ${notOnWorker.length} executions the worker did not log as started`);
}

// ---------------------------------------------------------------------------

let binaryIdSeen;

test('every push kind of every provider, through the load balancer: one execution on the worker, one post downstream', async () => {
	const kinds = pushKinds();
	for (const k of kinds) {
		const res = await k.push(rig.lbUrl);
		assert.equal(res.status, 200, `${k.label}: status (body ${JSON.stringify(res.body).slice(0, 300)})`);
		assert.equal(res.body, 'OK', `${k.label}: body`);
	}
	for (const [wf, n] of Object.entries(perWorkflow(kinds))) await settle(wf, n);

	for (const wf of Object.keys(perWorkflow(kinds))) {
		const executions = await rig.executions.read({ workflowId: WF[wf] });
		const want = kinds.filter((k) => k.wf === wf);
		assert.equal(executions.length, want.length, `${wf}: one execution per push`);
		assertRanOnWorker(executions, wf);
		for (const k of want) {
			const ex = executions.filter((e) => itemKey(triggerItem(e)?.json) === k.key);
			assert.equal(ex.length, 1, `${k.label}: exactly one execution`);
			assert.equal(ex[0].status, 'success', `${k.label}: ${JSON.stringify(ex[0].data?.resultData?.error?.message)}`);
			assert.equal(ex[0].data.resultData.lastNodeExecuted, t.SINK_NAME, `${k.label}: ran to the last node`);
		}
	}
	await sink.waitFor(kinds.length, 30_000);
	for (const k of kinds) {
		const posted = sinkBodies(k.wf).filter((b) => itemKey(b) === k.key);
		assert.equal(posted.length, 1, `${k.label}: posted once`);
		if (k.wf === 'mms') {
			// The parts were stored by the webhook process and read back on the worker.
			const [execution] = (await rig.executions.read({ workflowId: WF.mms })).filter((e) => itemKey(triggerItem(e).json) === k.key);
			const { binary } = triggerItem(execution);
			assert.deepEqual(Object.keys(binary).sort(), ['data', 'data0', 'data1'], `${k.label}: binary properties`);
			binaryIdSeen = String(binary.data0.id ?? '(inline)').replace(/:.*/, ':...');
			if (rig.binaryDataMode !== 'default') {
				assert.ok(String(binary.data0.id).startsWith(rig.binaryDataMode), `${k.label}: stored as ${binary.data0.id}`);
			}
			assert.equal(posted[0].part0, GIF.toString('base64'), `${k.label}: the picture, read on the worker`);
			assert.equal(posted[0].part1, NOTE, `${k.label}: the text part, read on the worker`);
		}
	}
	process.stderr.write(`[queue] ${kinds.length} push kinds: one execution each on the worker, binary data ${rig.binaryDataChoice} (the picture's id: ${binaryIdSeen})\n`);
});

/** Pushes `ids` as MX inbound SMS to `key`'s trigger at `base`, one after the other. */
async function pushSms(base, key, ids) {
	for (const id of ids) {
		const res = await sim.push.inboundSms('mxTelecom', url(base, key), { from: '447700900123', to: '58870', text: `sms ${id}`, id });
		assert.equal(res.status, 200, `${id}: ${res.body}`);
		assert.equal(res.body, 'OK');
	}
}

/** How many of `ids` reached `key`'s sink once, twice, never (posts after `sinkFrom`). */
function reached(key, ids, sinkFrom) {
	const posts = new Map();
	for (const b of sinkBodies(key, sinkFrom)) posts.set(b.messageId, (posts.get(b.messageId) ?? 0) + 1);
	const n = (times) => ids.filter((id) => (posts.get(id) ?? 0) === times).length;
	return { once: n(1), twice: n(2), never: n(0) };
}

const ID_BASE = { mx: 9200, soft: 9300 };
const idsFor = (key, round, count) => Array.from({ length: count }, (_, i) => `${ID_BASE[key]}${round}000000${String(i).padStart(5, '0')}`);

/**
 * Each of `count` new SMS first to webhook process 1; once all are executed, each again to
 * process 2 (a redelivery that round robin would send elsewhere).
 */
async function spacedRedeliveries(key, count) {
	const ids = idsFor(key, 1, count);
	const afterId = await rig.executions.lastId();
	const sinkFrom = sink.requests.length;
	await pushSms(rig.webhooks[0].url, key, ids);
	await settle(key, count, afterId);
	await pushSms(rig.webhooks[1].url, key, ids);
	const settled = await settle(key, 2 * count, afterId);
	await new Promise((r) => setTimeout(r, 1000));
	assertRanOnWorker(await rig.executions.read({ workflowId: WF[key], afterId }), `${key} redeliveries`);
	return { ids, executions: settled.total, byStatus: settled.byStatus, ...reached(key, ids, sinkFrom) };
}

/** Each of `count` new SMS sent to both webhook processes at the same moment. */
async function simultaneous(key, count) {
	const ids = idsFor(key, 2, count);
	const afterId = await rig.executions.lastId();
	const sinkFrom = sink.requests.length;
	for (const id of ids) await Promise.all(rig.webhooks.map((w) => pushSms(w.url, key, [id])));
	const settled = await settle(key, 2 * count, afterId);
	await new Promise((r) => setTimeout(r, 1000));
	return { ids, executions: settled.total, byStatus: settled.byStatus, ...reached(key, ids, sinkFrom) };
}

const describeGuard = (label, r) =>
	`${label}: ${r.once} reached the next node once, ${r.twice} twice, ${r.never} never; executions ${JSON.stringify(r.byStatus)}`;

test('redeliveries through the load balancer start nothing; to the other process, the PostgreSQL claim stops them', async () => {
	// 1. The same ten pushes again, through the load balancer.
	const kinds = pushKinds();
	const before = Object.fromEntries(await Promise.all(Object.keys(perWorkflow(kinds)).map(async (wf) => [wf, (await count(wf)).total])));
	const sinkFrom = sink.requests.length;
	for (const k of kinds) {
		const res = await k.push(rig.lbUrl);
		assert.equal(res.status, 200, `${k.label} (redelivered): ${res.body}`);
		assert.equal(res.body, 'OK');
	}
	await new Promise((r) => setTimeout(r, 2000));
	const started = {};
	for (const wf of Object.keys(before)) {
		const c = await count(wf);
		await settle(wf, c.total);
		started[wf] = c.total - before[wf];
	}
	process.stderr.write(`[queue] the ${kinds.length} pushes redelivered through the load balancer started ${JSON.stringify(started)} new executions\n`);
	// Every push with an id in its query string or JSON body is routed to the process that
	// answered the first copy, whose trigger drops it. Only the multipart MMS (no such id) may
	// land on the other process, and the guard stops it there.
	assert.deepEqual({ ...started, mms: 0 }, { mx: 0, bulk: 0, gwapi: 0, mms: 0 }, 'routed redeliveries start nothing');
	assert.ok(started.mms <= 1, `at most the multipart MMS is executed again (${started.mms})`);
	await new Promise((r) => setTimeout(r, 500));
	assert.equal(sink.requests.length - sinkFrom, 0, 'nothing reaches the next node twice');

	// 2. Redeliveries to the other webhook process, after the first copies were executed.
	const soft = await spacedRedeliveries('soft', SPACED_REDELIVERIES);
	const strict = await spacedRedeliveries('mx', SPACED_REDELIVERIES);
	process.stderr.write(
		`[queue] ${SPACED_REDELIVERIES} SMS to webhook process 1, then each again to process 2 once executed:\n` +
			`[queue]   ${describeGuard('Remove Duplicates', soft)}\n[queue]   ${describeGuard('PostgreSQL claim ', strict)}\n`,
	);
	for (const r of [soft, strict]) {
		assert.equal(r.executions, 2 * SPACED_REDELIVERIES, 'the other process does not know the first copies: a second execution each');
		assert.equal(r.never, 0, 'no message lost');
	}
	assert.deepEqual(strict.byStatus, { success: 2 * SPACED_REDELIVERIES });
	assert.equal(strict.once, SPACED_REDELIVERIES, 'the PostgreSQL claim lets exactly one copy of each through');
});

test('the same push at both webhook processes at once: what each downstream guard lets through', async () => {
	const soft = await simultaneous('soft', RACE_PAIRS);
	// Lost updates: keys whose hash is missing from Remove Duplicates' stored history.
	const rows = await rig.db.query('select value from processed_data where "workflowId" = $1', [WF.soft]);
	const stored = new Set(rows.flatMap((r) => (typeof r.value === 'string' ? JSON.parse(r.value) : r.value).data ?? []));
	const hash = (id) => crypto.createHash('md5').update(`mxTelecom:inboundSms:${id}`).digest('base64');
	const allSoftIds = [...idsFor('soft', 1, SPACED_REDELIVERIES), ...soft.ids];
	const forgotten = allSoftIds.filter((id) => !stored.has(hash(id))).length;
	const strict = await simultaneous('mx', RACE_PAIRS);
	process.stderr.write(
		`[queue] ${RACE_PAIRS} SMS each sent to both webhook processes at the same moment:\n` +
			`[queue]   ${describeGuard('Remove Duplicates', soft)}; ${forgotten} of its ${allSoftIds.length} keys missing from its history afterwards\n` +
			`[queue]   ${describeGuard('PostgreSQL claim ', strict)}\n`,
	);
	for (const r of [soft, strict]) {
		assert.equal(r.executions, 2 * RACE_PAIRS, 'each process started its copy (the in-memory claims cannot see each other)');
		assert.equal(r.never, 0, 'no message lost');
	}
	assert.deepEqual(strict.byStatus, { success: 2 * RACE_PAIRS });
	assert.equal(strict.once, RACE_PAIRS, 'the PostgreSQL claim lets exactly one copy of each through');

	// Remove Duplicates' history size (10,000 by default) is a hard stop, not a window: once it
	// is full, every execution fails. Shown with a history of 3.
	const historyFrom = await rig.executions.lastId();
	for (const [i, key] of ['k1', 'k2', 'k3', 'k4'].entries()) {
		const res = await fetch(`${rig.lbUrl}/webhook/queue-history?key=${key}`);
		assert.equal(res.status, 200);
		await settle('history', i + 1, historyFrom);
	}
	const history = await rig.executions.read({ workflowId: WF.history, afterId: historyFrom });
	assert.deepEqual(
		history.map((e) => e.status),
		['success', 'success', 'success', 'error'],
	);
	assert.match(history[3].data.resultData.error.message, /maximum history size/);
});

test(`${BURST} pushes split across the two webhook processes: exactly ${BURST} executions`, async () => {
	const afterId = await rig.executions.lastId();
	const ids = Array.from({ length: BURST }, (_, i) => `95000000000${String(i).padStart(5, '0')}`);
	const load = await t.runLoad(BURST, BURST, (i) =>
		sim.push.inboundSms('mxTelecom', url(rig.webhooks[i % 2].url, 'burst'), { from: '447700900123', to: '58870', text: `burst ${i}`, id: ids[i] }),
	);
	const bad = load.results.filter((r) => r.status !== 200 || r.body !== 'OK');
	assert.deepEqual(bad.slice(0, 3), [], `${bad.length} pushes not answered 200 OK`);
	const t0 = performance.now();
	const settled = await settle('burst', BURST, afterId);
	process.stderr.write(
		`[queue] ${t.describeLoad(`burst of ${BURST} (sim client, 256 connections)`, load)}; ` +
			`all executed ${((performance.now() - t0) / 1000).toFixed(1)} s after the last answer\n`,
	);
	await new Promise((r) => setTimeout(r, 1500));
	const c = await count('burst', afterId);
	assert.equal(c.total, BURST, 'exactly one execution per push');
	assert.deepEqual(c.byStatus, { success: BURST });
	const executions = await rig.executions.read({ workflowId: WF.burst, afterId });
	const seen = new Map();
	for (const e of executions) {
		const id = triggerItem(e)?.json?.messageId;
		seen.set(id, (seen.get(id) ?? 0) + 1);
	}
	const wrong = ids.filter((id) => seen.get(id) !== 1);
	assert.deepEqual(wrong.slice(0, 5), [], `${wrong.length} pushes not executed exactly once`);
	assertRanOnWorker(executions, 'burst');
	assert.equal(settled.total, BURST);
});

test(`the action node on the worker: a ${BROADCAST_SIZE.toLocaleString('en')}-recipient Broadcast and a Send MMS`, async () => {
	const afterId = await rig.executions.lastId();
	const acceptedFrom = sim.accepted.length;
	const requestsFrom = sim.requests.length;
	const res = await fetch(`${rig.lbUrl}/webhook/queue-send`);
	assert.equal(res.status, 200);
	const t0 = performance.now();
	await settle('send', 1, afterId);
	const [execution] = await rig.executions.read({ workflowId: WF.send, afterId });
	process.stderr.write(`[queue] broadcast + MMS execution ${execution.id} finished ${((performance.now() - t0) / 1000).toFixed(1)} s after the webhook answered\n`);
	assert.equal(execution.status, 'success', JSON.stringify(execution.data?.resultData?.error?.message));
	assertRanOnWorker([execution], 'broadcast');

	const items = pg.nodeItems(execution, 'Broadcast').map((i) => i.json);
	assert.equal(items.length, BROADCAST_SIZE, 'one item per recipient');
	const notAccepted = items.filter((i) => i.status !== 'accepted');
	assert.deepEqual(notAccepted.slice(0, 3), []);
	assert.equal(new Set(items.map((i) => i.to)).size, BROADCAST_SIZE);
	const accepted = sim.accepted.slice(acceptedFrom).filter((a) => a.endpoint === 'mx.bulksend');
	assert.equal(accepted.length, BROADCAST_SIZE, 'the simulator accepted each recipient once');
	assert.deepEqual(sim.duplicates(), []);

	const [mms] = pg.nodeItems(execution, 'Send MMS').map((i) => i.json);
	assert.equal(mms.status, 'accepted', JSON.stringify(mms));
	const sent = sim.requests.slice(requestsFrom).filter((q) => q.endpoint === 'mx.sendmms');
	assert.equal(sent.length, 1);
	assert.equal(sent[0].decoded.subject, 'From a worker');
});

test('stops every process it started, by PID, and leaves no temporary folder', async () => {
	const pids = rig.processes.map((p) => ({ name: p.name, pid: p.pid }));
	const report = await rig.stop();
	process.stderr.write(`[queue] stopped: ${report.map((p) => `${p.name} ${p.pid} in ${p.ms} ms${p.forced ? " (SIGKILL after SIGTERM)" : ""}`).join(', ')}\n`);
	assert.deepEqual(
		pids.map((p) => p.name).sort(),
		['haproxy', 'main', 'postgres', 'redis', 'webhook1', 'webhook2', 'worker1'],
	);
	assert.deepEqual(pids.filter((p) => svc.pidAlive(p.pid)), [], 'no process left');
	assert.equal(fs.existsSync(rig.workDir), false, 'the n8n folders are gone');
	assert.equal(fs.existsSync(rig.pgDir), false, 'the PostgreSQL folder is gone');
});
