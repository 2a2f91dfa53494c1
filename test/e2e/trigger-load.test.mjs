// The SMS Gateway Trigger under load in a real n8n (issues 5 and 7): published workflows,
// the gateway simulator pushing concurrently, and every push accounted for: the answer the
// gateway got, the executions in n8n's database and the item each one started with.
//
//   - 1,000 MX inbound SMS at 50 concurrent into trigger -> n8n's HTTP Request node posting
//     the item to a loopback sink: exactly 1,000 executions and 1,000 posts, each SMS once.
//   - 2,000 inbound events at 100 concurrent, all three providers, inbound SMS and delivery
//     reports, plus 200 redeliveries of events already answered (the gateway sending them
//     twice), into trigger-only workflows: exactly 2,000 executions, no event lost, none
//     started twice (each execution's item read back from the database).
//
// n8n runs with N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true here (on 1.123: N8N_EXPRESSION_ENGINE=legacy;
// docs/webhook-throughput.md):
// with n8n's defaults every push also pays for V8 isolates in the webhook phase that n8n
// skips only for its own Webhook node, which makes these runs several times slower without
// changing what is counted. SMS_GATEWAY_E2E_TRIGGER_ENGINE=stock runs them with n8n's
// defaults instead.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

import * as h from '../../scripts/n8n/harness.mjs';
import * as t from './trigger-helpers.mjs';

const require = createRequire(import.meta.url);
const { startSimulator, startReceiver } = require('../../simulator');

const ENGINE = process.env.SMS_GATEWAY_E2E_TRIGGER_ENGINE === 'stock' ? 'stock' : 'lazy';
// n8n 1.123 has no lazy acquire: its webhook path always takes an isolate (docs/toolchain.md,
// "n8n 1.123"). The setting that lifts that cost there is the non-isolated engine, which is
// what 1.123.0-1.123.50 ran by default; at 100 concurrent with the vm engine some answers
// took over 30 s on 1.123.81.
const FAST_ENGINE_ENV =
	h.N8N_MAJOR >= 2 ? { N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE: 'true' } : { N8N_EXPRESSION_ENGINE: 'legacy' };
const ENGINE_ENV = ENGINE === 'lazy' ? FAST_ENGINE_ENV : {};

// Trigger-only workflows for the mixed run, one per provider, and MX -> sink for the 1,000.
const WEBHOOK = {
	mxTelecom: '5a7e2c90-3d1f-4b6a-8e2d-9f0a1b2c0001',
	bulkSms: '5a7e2c90-3d1f-4b6a-8e2d-9f0a1b2c0002',
	gatewayApi: '5a7e2c90-3d1f-4b6a-8e2d-9f0a1b2c0003',
	sinkMx: '5a7e2c90-3d1f-4b6a-8e2d-9f0a1b2c0004',
};
const WF = { mxTelecom: 'e2eMixMx', bulkSms: 'e2eMixBulk', gatewayApi: 'e2eMixGwapi', sinkMx: 'e2eLoadMxSink' };
const SINK_PATH = '/sink/mxTelecom';

let sim;
let sink;
let userFolder;
let n8n;
const pushUrl = (key) =>
	key === 'bulkSms' ? `${t.triggerUrl(n8n.url, WEBHOOK.bulkSms)}?secret=${t.WEBHOOK_SECRET}` : t.triggerUrl(n8n.url, WEBHOOK[key]);

before(async () => {
	await h.n8nInstall();
	sim = await startSimulator({ port: 0 });
	sink = await startReceiver();
	userFolder = h.makeUserFolder('trigger-load');
	await h.packAndInstall(userFolder.dir, { build: !process.env.SMS_GATEWAY_E2E_NO_BUILD });
	const env = h.n8nEnv(userFolder.dir, { port: await h.freePort(), brokerPort: await h.freePort(), extra: ENGINE_ENV });
	await h.importCredentials(
		env,
		t.PROVIDERS.map((p) => t.credential(p, sim)),
	);
	await h.importWorkflows(env, [
		...t.PROVIDERS.map((p) => h.chain(WF[p], [t.triggerNode(p, WEBHOOK[p])])),
		h.chain(WF.sinkMx, [t.triggerNode('mxTelecom', WEBHOOK.sinkMx), t.sinkNode(`${sink.url}${SINK_PATH}`)]),
	]);
	for (const id of Object.values(WF)) await h.publishWorkflow(env, id);
	n8n = await h.start(env, { waitForWebhooks: Object.values(WF) });
	process.stderr.write(`[trigger-load] n8n expression engine: ${ENGINE} ${JSON.stringify(ENGINE_ENV)}\n`);
});

after(async () => {
	await n8n?.stop();
	h.closeDb();
	await sim?.close();
	await sink?.close();
	userFolder?.cleanup();
});

const keyOf = (item) => `${item?.provider}:${item?.event}:${item?.messageId}`;

/** Waits until `expected[workflow key]` executions of each workflow (after `afterId`) are finished. */
async function settle(label, expected, afterId, load) {
	const t0 = performance.now();
	const byWorkflow = {};
	for (const [key, count] of Object.entries(expected)) {
		byWorkflow[key] = await t.waitForSettled(userFolder.dir, WF[key], count, { afterId });
	}
	const drainMs = performance.now() - t0;
	const total = Object.values(expected).reduce((a, b) => a + b, 0);
	process.stderr.write(
		`[trigger-load] ${t.describeLoad(label, load)}\n` +
			`[trigger-load] all executions finished ${(drainMs / 1000).toFixed(1)} s after the last answer; ` +
			`${(total / ((load.ms + drainMs) / 1000)).toFixed(1)} executions/s end to end\n`,
	);
	return byWorkflow;
}

test('1,000 inbound SMS at 50 concurrent: each starts exactly one execution', async () => {
	const COUNT = 1000;
	const afterId = await t.lastExecutionId(userFolder.dir);
	const sinkFrom = sink.requests.length;
	const ids = Array.from({ length: COUNT }, (_, i) => `81${String(i).padStart(14, '0')}`);
	const load = await t.runLoad(COUNT, 50, (i) =>
		sim.push.inboundSms('mxTelecom', pushUrl('sinkMx'), { from: '447700900123', to: '58870', text: `load ${i}`, id: ids[i] }),
	);
	const failed = load.results.filter((r) => r.status !== 200 || r.body !== 'OK');
	assert.deepEqual(failed.slice(0, 3), [], `${failed.length} pushes were not answered 200 OK`);

	const byWorkflow = await settle(`${COUNT} at 50`, { sinkMx: COUNT }, afterId, load);
	assert.deepEqual(byWorkflow.sinkMx.byStatus, { success: COUNT }, 'executions in the database');
	assert.equal(await h.countExecutions(userFolder.dir, { afterId }), COUNT, 'nothing else started');
	await t.waitUntil('the sink to get every item', () => sink.requests.length - sinkFrom >= COUNT);
	const posted = new Map();
	for (const r of sink.requests.slice(sinkFrom)) {
		assert.equal(r.path, SINK_PATH);
		const id = JSON.parse(r.text).messageId;
		posted.set(id, (posted.get(id) ?? 0) + 1);
	}
	assert.equal(sink.requests.length - sinkFrom, COUNT, 'one post per execution');
	const wrong = ids.filter((id) => posted.get(id) !== 1);
	assert.deepEqual(wrong.slice(0, 5), [], `${wrong.length} SMS not posted exactly once`);
});

/** The i-th event of the mixed run: provider, how to push it, and its (event, messageId) key. */
function mixedEvent(i) {
	const kind = i % 6;
	const n = String(i).padStart(8, '0');
	const date = new Date(Date.UTC(2024, 6, 1, 11, 0, 0) + i * 1000);
	switch (kind) {
		case 0:
			return {
				provider: 'mxTelecom',
				key: `mxTelecom:inboundSms:82${n}`,
				push: (u) => sim.push.inboundSms('mxTelecom', u, { from: '447700900123', to: '58870', text: `mixed ${i}`, id: `82${n}`, date }),
			};
		case 1:
			return {
				provider: 'mxTelecom',
				key: `mxTelecom:deliveryReport:83${n}`,
				push: (u) =>
					sim.push.deliveryReport('mxTelecom', u, { messageId: `83${n}`, to: '447700900123', status: 'DELIVERED', id: `84${n}`, date }),
			};
		case 2:
			return {
				provider: 'bulkSms',
				key: `bulkSms:inboundSms:85${n}`,
				push: (u) => sim.push.inboundSms('bulkSms', u, { from: '447700900123', to: '447700900001', text: `mixed ${i}`, id: `85${n}` }),
			};
		case 3:
			return {
				provider: 'bulkSms',
				key: `bulkSms:deliveryReport:86${n}`,
				push: (u) => sim.push.deliveryReport('bulkSms', u, { batchId: `86${n}`, to: '447700900123', status: 11, completedTime: date }),
			};
		case 4:
			return {
				provider: 'gatewayApi',
				key: `gatewayApi:inboundSms:87${n}`,
				push: (u) => sim.push.inboundSms('gatewayApi', u, { from: '447700900123', to: '451204', text: `mixed ${i}`, id: Number(`87${n}`), date }),
			};
		default:
			return {
				provider: 'gatewayApi',
				key: `gatewayApi:deliveryReport:88${n}`,
				push: (u) =>
					sim.push.deliveryReport('gatewayApi', u, { messageId: `88${n}`, to: '447700900123', status: 'DELIVERED', time: Math.floor(date.getTime() / 1000) }),
			};
	}
}

test('2,000 inbound events at 100 concurrent, 200 of them sent twice: none lost, none started twice', async () => {
	const COUNT = 2000;
	const REDELIVER_EVERY = 10;
	const afterId = await t.lastExecutionId(userFolder.dir);
	const events = Array.from({ length: COUNT }, (_, i) => mixedEvent(i));
	const redeliveries = [];
	const load = await t.runLoad(COUNT, 100, async (i) => {
		const e = events[i];
		const first = await e.push(pushUrl(e.provider));
		// A gateway retry of an event it already delivered (same ids, same times), sent once
		// the first copy was answered.
		if (i % REDELIVER_EVERY === 0) redeliveries.push({ i, ...(await e.push(pushUrl(e.provider))) });
		return first;
	});
	const failed = load.results.filter((r) => r.status !== 200 || r.body !== 'OK');
	assert.deepEqual(failed.slice(0, 3), [], `${failed.length} pushes were not answered 200 OK`);
	assert.equal(redeliveries.length, COUNT / REDELIVER_EVERY);
	const badRedeliveries = redeliveries.filter((r) => r.status !== 200 || r.body !== 'OK');
	assert.deepEqual(badRedeliveries.slice(0, 3), [], 'redeliveries are acknowledged 200 OK');

	const expected = {};
	for (const e of events) expected[e.provider] = (expected[e.provider] ?? 0) + 1;
	const byWorkflow = await settle(`${COUNT} at 100 (+${redeliveries.length} redelivered)`, expected, afterId, load);
	for (const [provider, count] of Object.entries(expected)) {
		assert.deepEqual(byWorkflow[provider].byStatus, { success: count }, `${provider}: executions in the database`);
	}
	// Give a late duplicate execution the chance to show up before counting for good.
	await new Promise((r) => setTimeout(r, 1500));
	const executions = await h.readFinishedExecutions(userFolder.dir, { afterId });
	assert.equal(executions.length, COUNT, 'one execution per event, none for the redeliveries');
	const started = new Map();
	for (const ex of executions) {
		const item = ex.data?.resultData?.runData?.[t.TRIGGER_NAME]?.[0]?.data?.main?.[0]?.[0]?.json;
		assert.equal(ex.workflowId, WF[item?.provider], `${keyOf(item)} ran in its provider's workflow`);
		started.set(keyOf(item), (started.get(keyOf(item)) ?? 0) + 1);
	}
	const wrong = events.filter((e) => started.get(e.key) !== 1).map((e) => `${e.key} x${started.get(e.key) ?? 0}`);
	assert.deepEqual(wrong.slice(0, 5), [], `${wrong.length} events not started exactly once`);
});
