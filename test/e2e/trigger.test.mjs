// The SMS Gateway Trigger in a real n8n: our package installed as a community package,
// one published workflow per provider (trigger -> n8n's HTTP Request node posting the
// item to a loopback sink), `n8n start` serving the production webhooks, and the gateway
// simulator pushing every event kind each provider has. Asserts what the gateway got
// back (status and body), the items n8n stored for each execution, and what the
// following node posted; then that bad pushes are refused and start nothing, and that
// valid but unwanted pushes (an event not selected, a redelivery) are acknowledged and
// start nothing. n8n runs with its default settings here; the load tests are in
// trigger-load.test.mjs.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

import * as h from '../../scripts/n8n/harness.mjs';
import * as t from './trigger-helpers.mjs';

const require = createRequire(import.meta.url);
const { startSimulator, startReceiver } = require('../../simulator');

// Fixed webhook ids: the production URLs are /webhook/<id>/sms.
const WEBHOOK = {
	mxTelecom: '0d6c1b7e-5e2a-4c1f-9a51-3c7a2b8e0001',
	bulkSms: '0d6c1b7e-5e2a-4c1f-9a51-3c7a2b8e0002',
	gatewayApi: '0d6c1b7e-5e2a-4c1f-9a51-3c7a2b8e0003',
	mxDefaultAllowlist: '0d6c1b7e-5e2a-4c1f-9a51-3c7a2b8e0004',
	mxReportsOnly: '0d6c1b7e-5e2a-4c1f-9a51-3c7a2b8e0005',
};
const WF = {
	mxTelecom: 'e2eTrigMx',
	bulkSms: 'e2eTrigBulk',
	gatewayApi: 'e2eTrigGwapi',
	mxDefaultAllowlist: 'e2eTrigMxDefaultIp',
	mxReportsOnly: 'e2eTrigMxReports',
};

let sim;
let sink;
let userFolder;
let env;
let n8n;
const url = (key) => t.triggerUrl(n8n.url, WEBHOOK[key]);
const sinkPath = (key) => `/sink/${key}`;

function workflows() {
	const wf = (key, provider, triggerOptions) =>
		h.chain(WF[key], [t.triggerNode(provider, WEBHOOK[key], triggerOptions), t.sinkNode(`${sink.url}${sinkPath(key)}`)]);
	return [
		// All four events (the default) for MX; BulkSMS and GatewayAPI push only these two.
		wf('mxTelecom', 'mxTelecom'),
		wf('bulkSms', 'bulkSms', { events: ['inboundSms', 'deliveryReport'] }),
		wf('gatewayApi', 'gatewayApi', { events: ['inboundSms', 'deliveryReport'] }),
		// MX with its default allowlist (MX's own ranges): loopback is refused.
		wf('mxDefaultAllowlist', 'mxTelecom', { options: {} }),
		wf('mxReportsOnly', 'mxTelecom', { events: ['deliveryReport'] }),
	];
}

before(async () => {
	await h.n8nInstall();
	sim = await startSimulator({ port: 0 });
	sink = await startReceiver();
	userFolder = h.makeUserFolder('trigger');
	await h.packAndInstall(userFolder.dir, { build: !process.env.SMS_GATEWAY_E2E_NO_BUILD });
	env = h.n8nEnv(userFolder.dir, { port: await h.freePort(), brokerPort: await h.freePort() });
	await h.importCredentials(
		env,
		t.PROVIDERS.map((p) => t.credential(p, sim)),
	);
	await h.importWorkflows(env, workflows());
	for (const id of Object.values(WF)) await h.publishWorkflow(env, id);
	n8n = await h.start(env, { waitForWebhooks: Object.values(WF) });
});

after(async () => {
	await n8n?.stop();
	h.closeDb();
	await sim?.close();
	await sink?.close();
	userFolder?.cleanup();
});

/**
 * Asserts that `actual` has every property of `expected`, recursively; arrays must have the
 * same length, each element matching the same way.
 */
function assertSubset(actual, expected, where = 'item') {
	if (expected === null || typeof expected !== 'object') {
		assert.deepEqual(actual, expected, where);
		return;
	}
	if (Array.isArray(expected)) {
		assert.ok(Array.isArray(actual), `${where}: expected an array, got ${JSON.stringify(actual)}`);
		assert.equal(actual.length, expected.length, `${where}: length of ${JSON.stringify(actual)}`);
		expected.forEach((e, i) => assertSubset(actual[i], e, `${where}[${i}]`));
		return;
	}
	assert.ok(actual && typeof actual === 'object', `${where}: expected an object, got ${JSON.stringify(actual)}`);
	for (const [k, v] of Object.entries(expected)) assertSubset(actual[k], v, `${where}.${k}`);
}

/** Execution rows of a workflow with the trigger's first output item (json and binary). */
async function triggerItems(workflowId) {
	const rows = await h.readFinishedExecutions(userFolder.dir, { workflowId });
	return rows.map((row) => {
		const out = row.data?.resultData?.runData?.[t.TRIGGER_NAME]?.[0]?.data?.main?.[0] ?? [];
		return { row, items: out, item: out[0]?.json, binary: out[0]?.binary, lastNode: row.data?.resultData?.lastNodeExecuted };
	});
}

const sinkBodies = (key) =>
	sink.requests.filter((r) => r.path === sinkPath(key)).map((r) => JSON.parse(r.text));

const gif = Buffer.from('474946383961010001000000002c00000000010001000002024401003b', 'hex');
const MMS_PARTS = [
	{ name: 'pic.gif', mimeType: 'image/gif', data: gif },
	{ name: 'note.txt', mimeType: 'text/plain', data: 'H\u00ebllo \u20ac' },
];

/**
 * Every event kind each provider pushes, with the item docs/events.md promises.
 * `key` finds the item again among the executions (its messageId, or msisdn for unsubscribes).
 */
function eventCases() {
	return [
		{
			provider: 'mxTelecom',
			label: 'MX inbound SMS (Latin-9 text, London time)',
			key: '9007199254741993',
			push: () =>
				sim.push.inboundSms('mxTelecom', url('mxTelecom'), {
					from: '447700900123',
					to: '447700900001',
					text: 'Caf\u00e9 \u20ac5 & more',
					id: '9007199254741993',
					date: '2024-07-01 12:34:56',
				}),
			item: {
				event: 'inboundSms',
				provider: 'mxTelecom',
				dedupeKey: 'mxTelecom:inboundSms:9007199254741993',
				messageId: '9007199254741993',
				from: '447700900123',
				to: '447700900001',
				text: 'Caf\u00e9 \u20ac5 & more',
				encoding: 'gsm7',
				receivedAt: '2024-07-01T12:34:56+01:00',
				network: 'UNKNOWN',
				udh: null,
				payload: null,
				concat: null,
				raw: { smsid: '9007199254741993', bits: '7', smsmsg: 'Caf\u00e9 \u20ac5 & more' },
			},
		},
		{
			provider: 'mxTelecom',
			label: 'MX inbound SMS (UCS-2, winter time)',
			key: '9007199254741994',
			push: () =>
				sim.push.inboundSms('mxTelecom', url('mxTelecom'), {
					from: '306900000001',
					to: '58870',
					text: '\u0393\u03b5\u03b9\u03ac \ud83d\ude00',
					id: '9007199254741994',
					date: '2024-01-15 08:30:00',
				}),
			item: {
				event: 'inboundSms',
				messageId: '9007199254741994',
				text: '\u0393\u03b5\u03b9\u03ac \ud83d\ude00',
				encoding: 'ucs2',
				receivedAt: '2024-01-15T08:30:00+00:00',
			},
		},
		{
			provider: 'mxTelecom',
			label: 'MX delivery report (the id inside REPORT, not the push smsid)',
			key: '9007199254741017',
			push: () =>
				sim.push.deliveryReport('mxTelecom', url('mxTelecom'), {
					messageId: '9007199254741017',
					to: '447700900123',
					status: 'DELIVERED',
					note: 'order-42',
					id: '17221293',
					date: '2024-07-01 12:35:10',
				}),
			item: {
				event: 'deliveryReport',
				provider: 'mxTelecom',
				messageId: '9007199254741017',
				status: 'delivered',
				final: true,
				providerStatus: 'DELIVERED',
				reason: '0x51030200',
				to: '447700900123',
				reference: 'order-42',
				at: '2024-07-01T12:35:10+01:00',
				channel: 'sms',
				kind: 'delivery',
				dedupeKey: 'mxTelecom:deliveryReport:17221293:9007199254741017:DELIVERED:2024-07-01 12:35:10',
			},
		},
		{
			provider: 'mxTelecom',
			label: 'MX unsubscribe',
			key: '447884436692',
			push: () =>
				sim.push.unsubscribe('mxTelecom', url('mxTelecom'), {
					msisdn: '447884436692',
					shortcodes: ['81111', '82222'],
					source: 'STOP',
					date: '2024-07-01 12:40:00',
				}),
			item: {
				event: 'unsubscribe',
				provider: 'mxTelecom',
				msisdn: '447884436692',
				shortcodes: ['81111', '82222'],
				source: 'STOP',
				at: '2024-07-01T12:40:00+01:00',
			},
		},
		{
			provider: 'mxTelecom',
			label: 'MX inbound MMS notification (content retrieved from the gateway)',
			key: '9007199254742001',
			binary: { data: 'application/zip', data0: 'image/gif', data1: 'text/plain' },
			push: () =>
				sim.push.mmsNotification(url('mxTelecom'), {
					id: '9007199254742001',
					from: '447700900123',
					to: ['58870', '447700900999'],
					cc: ['447700900555'],
					subject: 'Holiday \u2600',
					network: 'O2UK',
					date: '2024-07-01 12:45:00 +0100',
					parts: MMS_PARTS,
				}),
			item: {
				event: 'inboundMms',
				provider: 'mxTelecom',
				messageId: '9007199254742001',
				from: '447700900123',
				to: ['58870', '447700900999'],
				cc: ['447700900555'],
				subject: 'Holiday \u2600',
				network: 'O2UK',
				receivedAt: '2024-07-01T12:45:00+01:00',
				delivery: 'notification',
				retrieved: true,
				zipProperty: 'data',
				error: null,
				parts: [
					{ name: 'pic.gif', mimeType: 'image/gif', size: gif.length, binaryProperty: 'data0' },
					{ name: 'note.txt', mimeType: 'text/plain', binaryProperty: 'data1' },
				],
			},
		},
		{
			provider: 'mxTelecom',
			label: 'MX inbound MMS multipart POST (mms.zip in the push)',
			key: '9007199254742002',
			binary: { data: 'application/zip', data0: 'image/gif', data1: 'text/plain' },
			push: () =>
				sim.push.mmsPost(url('mxTelecom'), {
					id: '9007199254742002',
					from: '447700900124',
					to: '58870',
					subject: 'Hi',
					parts: MMS_PARTS,
				}),
			item: {
				event: 'inboundMms',
				messageId: '9007199254742002',
				from: '447700900124',
				to: ['58870'],
				subject: 'Hi',
				delivery: 'multipart',
				retrieved: true,
				zipProperty: 'data',
				parts: [
					{ name: 'pic.gif', mimeType: 'image/gif', binaryProperty: 'data0' },
					{ name: 'note.txt', mimeType: 'text/plain', binaryProperty: 'data1' },
				],
			},
		},
		{
			provider: 'mxTelecom',
			label: 'MX MMS delivery report',
			key: '777',
			push: () =>
				sim.push.mmsReport(url('mxTelecom'), {
					requestId: '777',
					to: '58870',
					from: '447700900123',
					type: 1,
					status: 3,
					date: '2024-07-01 10:00:00 +0100',
				}),
			item: {
				event: 'deliveryReport',
				messageId: '777',
				status: 'delivered',
				providerStatus: 'DELIVERED',
				to: '447700900123',
				at: '2024-07-01T10:00:00+01:00',
				channel: 'mms',
				kind: 'delivery',
			},
		},
		{
			provider: 'bulkSms',
			label: 'BulkSMS inbound SMS (ISO-8859-1)',
			key: '4711',
			push: () =>
				sim.push.inboundSms('bulkSms', `${url('bulkSms')}?secret=${t.WEBHOOK_SECRET}`, {
					from: '447700900123',
					to: '447700900001',
					text: 'Gr\u00fc\u00dfe aus K\u00f6ln',
					id: '4711',
				}),
			item: {
				event: 'inboundSms',
				provider: 'bulkSms',
				dedupeKey: 'bulkSms:inboundSms:4711',
				messageId: '4711',
				from: '447700900123',
				to: '447700900001',
				text: 'Gr\u00fc\u00dfe aus K\u00f6ln',
				encoding: 'gsm7',
				network: null,
				raw: { msg_id: '4711', dca: '7bit' },
			},
		},
		{
			provider: 'bulkSms',
			label: 'BulkSMS inbound SMS (16bit)',
			key: '4712',
			push: () =>
				sim.push.inboundSms('bulkSms', `${url('bulkSms')}?secret=${t.WEBHOOK_SECRET}`, {
					from: '447700900123',
					to: '447700900001',
					text: 'Hello \u20ac5',
					id: '4712',
				}),
			item: { event: 'inboundSms', messageId: '4712', text: 'Hello \u20ac5', encoding: 'ucs2', raw: { dca: '16bit' } },
		},
		{
			provider: 'bulkSms',
			label: 'BulkSMS delivery report',
			key: '123456789',
			push: () =>
				sim.push.deliveryReport('bulkSms', `${url('bulkSms')}?secret=${t.WEBHOOK_SECRET}`, {
					batchId: '123456789',
					to: '447700900123',
					status: 11,
					completedTime: new Date('2024-07-01T11:35:10Z'),
					sourceId: 'order-42',
				}),
			item: {
				event: 'deliveryReport',
				provider: 'bulkSms',
				dedupeKey: 'bulkSms:deliveryReport:123456789:447700900123:11:24-07-01 11:35:10',
				messageId: '123456789',
				status: 'delivered',
				final: true,
				providerStatus: '11',
				to: '447700900123',
				reference: 'order-42',
				at: '2024-07-01T11:35:10+00:00',
				channel: 'sms',
				kind: 'delivery',
			},
		},
		{
			provider: 'gatewayApi',
			label: 'GatewayAPI inbound SMS (signed JSON)',
			key: '5711',
			push: () =>
				sim.push.inboundSms('gatewayApi', url('gatewayApi'), {
					from: '447700900123',
					to: '451204',
					text: 'Hello \u20ac5',
					id: 5711,
					senttime: 1719833696,
				}),
			item: {
				event: 'inboundSms',
				provider: 'gatewayApi',
				dedupeKey: 'gatewayApi:inboundSms:5711',
				messageId: '5711',
				from: '447700900123',
				to: '451204',
				text: 'Hello \u20ac5',
				encoding: 'gsm7',
				receivedAt: '2024-07-01T11:34:56+00:00',
				raw: { id: 5711, webhook_label: 'sim' },
			},
		},
		{
			provider: 'gatewayApi',
			label: 'GatewayAPI delivery report',
			key: '421332671',
			push: () =>
				sim.push.deliveryReport('gatewayApi', url('gatewayApi'), {
					messageId: '421332671',
					to: '447700900123',
					status: 'DELIVERED',
					time: 1719833710,
					userref: 'order-42',
				}),
			item: {
				event: 'deliveryReport',
				provider: 'gatewayApi',
				dedupeKey: 'gatewayApi:deliveryReport:421332671:447700900123:DELIVERED:1719833710',
				messageId: '421332671',
				status: 'delivered',
				final: true,
				providerStatus: 'DELIVERED',
				reason: null,
				to: '447700900123',
				reference: 'order-42',
				at: '2024-07-01T11:35:10+00:00',
				channel: 'sms',
				kind: 'delivery',
			},
		},
	];
}

const itemKey = (item) => (item?.event === 'unsubscribe' ? item.msisdn : item?.messageId);

test('every event kind of every provider becomes one execution with the documented item', async () => {
	const cases = eventCases();
	for (const c of cases) {
		const t0 = performance.now();
		const res = await c.push();
		process.stderr.write(`[trigger] ${c.label}: ${res.status} ${JSON.stringify(res.body)} in ${(performance.now() - t0).toFixed(0)} ms\n`);
		assert.equal(res.status, 200, `${c.label}: status (body ${JSON.stringify(res.body)})`);
		assert.equal(res.body, 'OK', `${c.label}: n8n answers with the trigger's non-empty body`);
	}

	const perProvider = Object.fromEntries(t.PROVIDERS.map((p) => [p, cases.filter((c) => c.provider === p)]));
	const t0 = performance.now();
	await sink.waitFor(cases.length, 60_000);
	for (const provider of t.PROVIDERS) {
		await t.waitForSettled(userFolder.dir, WF[provider], perProvider[provider].length);
	}
	process.stderr.write(`[trigger] executions and sink posts complete ${(performance.now() - t0).toFixed(0)} ms after the last answer\n`);
	for (const provider of t.PROVIDERS) {
		const want = perProvider[provider];
		const executions = await triggerItems(WF[provider]);
		assert.equal(executions.length, want.length, `${provider}: one execution per push`);
		const bodies = sinkBodies(provider);
		assert.equal(bodies.length, want.length, `${provider}: the HTTP Request node posted once per execution`);

		for (const c of want) {
			const ex = executions.filter((e) => itemKey(e.item) === c.key);
			assert.equal(ex.length, 1, `${c.label}: exactly one execution`);
			const [{ row, item, items, binary, lastNode }] = ex;
			assert.equal(row.mode, 'webhook', c.label);
			assert.equal(row.status, 'success', `${c.label}: execution status`);
			assert.equal(lastNode, t.SINK_NAME, `${c.label}: the workflow ran to its last node`);
			assert.equal(items.length, 1, `${c.label}: one item`);
			assertSubset(item, c.item, c.label);
			assert.equal(typeof item.dedupeKey, 'string', `${c.label}: dedupeKey`);
			assert.ok(item.raw && typeof item.raw === 'object', `${c.label}: raw`);
			assert.ok(!JSON.stringify(item).includes(t.WEBHOOK_SECRET), `${c.label}: no secret in the item`);

			// What the next node saw and posted is the same item.
			const posted = bodies.filter((b) => itemKey(b) === c.key);
			assert.equal(posted.length, 1, `${c.label}: posted once`);
			assert.deepEqual(posted[0], item, `${c.label}: the sink got the stored item`);

			if (c.binary) {
				const got = Object.fromEntries(Object.entries(binary ?? {}).map(([k, v]) => [k, v.mimeType]));
				assert.deepEqual(got, c.binary, `${c.label}: binary properties`);
				assert.equal(binary.data0.fileName, 'pic.gif');
				assert.equal(binary.data1.fileName, 'note.txt');
			}
		}
	}
});

test('bad pushes get 400/401/403/413/415 with a short reason and start nothing', async () => {
	const before = await t.lastExecutionId(userFolder.dir);
	const sinkBefore = sink.requests.length;
	const json = (u, body, headers = {}) =>
		fetch(u, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
	const cases = [
		{
			label: 'MX from an address outside the default allowlist (MX ranges)',
			status: 403,
			body: /^Forbidden: .+ is not in this trigger's IP allowlist$/,
			send: () => sim.push.inboundSms('mxTelecom', url('mxDefaultAllowlist'), { from: '447700900123', to: '58870', text: 'hi' }),
		},
		{
			label: 'MX GET that is none of the four events',
			status: 400,
			body: /^Bad Request: /,
			send: () => fetch(`${url('mxTelecom')}?foo=bar&baz=1`),
		},
		{
			label: 'MX multipart MMS without mms.zip',
			status: 400,
			body: /^Bad Request: .*mms\.zip/,
			send: () => sim.push.mmsPost(url('mxTelecom'), { from: '447700900123', to: '58870', parts: MMS_PARTS }, { omit: ['mms.zip'] }),
		},
		{
			label: 'MX multipart MMS with a corrupt zip',
			status: 400,
			body: /^Bad Request: /,
			send: () => sim.push.mmsPost(url('mxTelecom'), { from: '447700900123', to: '58870', zip: Buffer.from('PK\u0003\u0004 not a zip') }),
		},
		{
			label: 'JSON posted to an MX trigger',
			status: 415,
			body: /^Unsupported Media Type: /,
			send: () => json(url('mxTelecom'), { smsfrom: '447700900123' }),
		},
		{
			label: 'BulkSMS push without the secret',
			status: 401,
			body: /^Unauthorized: /,
			send: () => sim.push.inboundSms('bulkSms', url('bulkSms'), { from: '447700900123', to: '447700900001', text: 'hi' }),
		},
		{
			label: 'BulkSMS push with a wrong secret',
			status: 401,
			body: /^Unauthorized: /,
			send: () => sim.push.inboundSms('bulkSms', `${url('bulkSms')}?secret=wrong`, { from: '447700900123', to: '447700900001', text: 'hi' }),
		},
		{
			label: 'GatewayAPI push signed with another key',
			status: 401,
			body: /^Unauthorized: /,
			send: () => sim.push.inboundSms('gatewayApi', url('gatewayApi'), { from: '447700900123', to: '451204', text: 'hi' }, { secret: 'not-the-secret' }),
		},
		{
			label: 'GatewayAPI push without a signature',
			status: 401,
			body: /^Unauthorized: /,
			send: () => sim.push.inboundSms('gatewayApi', url('gatewayApi'), { from: '447700900123', to: '451204', text: 'hi' }, { secret: null }),
		},
		{
			label: 'GatewayAPI JWT with alg none',
			status: 401,
			body: /^Unauthorized: /,
			send: () => {
				const payload = { id: 1, msisdn: 447700900123, receiver: 451204, message: 'hi' };
				const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
				return json(url('gatewayApi'), payload, { 'x-gwapi-signature': `${b64({ alg: 'none', typ: 'JWT' })}.${b64(payload)}.` });
			},
		},
		{
			// Unsigned: a JWT carries the whole payload, and a 6 MiB header is refused by Node
			// itself (431) before n8n sees it. The size check comes before authentication.
			label: 'GatewayAPI body over the 5 MiB limit',
			status: 413,
			body: /^Payload Too Large: /,
			send: () => json(url('gatewayApi'), { id: 2, msisdn: 447700900123, receiver: 451204, message: 'x'.repeat(6 * 1024 * 1024) }),
		},
	];
	for (const c of cases) {
		let res;
		try {
			res = await c.send();
		} catch (error) {
			assert.fail(`${c.label}: the request failed: ${error.cause?.message ?? error.message}`);
		}
		const status = res.status;
		const body = typeof res.text === 'function' ? await res.text() : res.body;
		assert.equal(status, c.status, `${c.label}: status (body ${JSON.stringify(body.slice(0, 200))})`);
		assert.match(body, c.body, `${c.label}: body`);
		assert.ok(!body.includes('\n'), `${c.label}: one line`);
		assert.ok(!body.includes(t.WEBHOOK_SECRET), `${c.label}: no secret in the answer`);
	}
	// Refusals are answered before any execution exists; give n8n a moment to prove it.
	await new Promise((r) => setTimeout(r, 1000));
	assert.equal(await h.countExecutions(userFolder.dir, { afterId: before }), 0, 'no execution started');
	assert.equal(sink.requests.length, sinkBefore, 'nothing reached the sink');
});

test('valid pushes that are not wanted are acknowledged with 200 OK and start nothing', async () => {
	const before = await t.lastExecutionId(userFolder.dir);
	const sms = { from: '447700900123', to: '447700900001', text: 'once only', id: '9007199254749999', date: '2024-07-01 12:00:00' };
	const first = await sim.push.inboundSms('mxTelecom', url('mxTelecom'), sms);
	assert.equal(first.status, 200);
	await h.waitForExecutions(userFolder.dir, 1, { afterId: before });
	// A redelivery of an SMS that was already answered (MX retries reuse the smsid).
	const again = await sim.push.inboundSms('mxTelecom', url('mxTelecom'), sms);
	assert.equal(again.status, 200);
	assert.equal(again.body, 'OK');
	// An event this workflow did not select.
	const notSelected = await sim.push.inboundSms('mxTelecom', url('mxReportsOnly'), { ...sms, id: '9007199254749998' });
	assert.equal(notSelected.status, 200);
	assert.equal(notSelected.body, 'OK');
	// The selected event on the reports-only workflow does start one: the filter is not a blanket refusal.
	const report = await sim.push.deliveryReport('mxTelecom', url('mxReportsOnly'), { messageId: '31337', to: '447700900123' });
	assert.equal(report.status, 200);
	assert.equal(report.body, 'OK');
	const executions = await h.waitForExecutions(userFolder.dir, 2, { afterId: before });
	// Give a late execution of a dropped push the chance to show up before counting for good.
	await new Promise((r) => setTimeout(r, 1000));
	assert.equal(await h.countExecutions(userFolder.dir, { afterId: before }), 2, 'the redelivery and the unselected event started nothing');
	const started = executions.map((e) => [e.workflowId, e.data.resultData.runData[t.TRIGGER_NAME][0].data.main[0][0].json.messageId]);
	assert.deepEqual(started, [
		[WF.mxTelecom, '9007199254749999'],
		[WF.mxReportsOnly, '31337'],
	]);
});

// n8n 1.123 keeps multipart uploads in its temp folder and hands over a body whose parse
// failed; 2.41 deletes them and refuses such a body itself. On both the trigger must answer
// the right status and leave no customer MMS on disk (docs/events.md, "n8n 1.123").
test('multipart uploads: cut-off and oversized ones are refused, and no upload stays in the temp folder', async () => {
	const tmp = path.join(userFolder.dir, 'tmp');
	const uploads = () => new Set(fs.readdirSync(tmp, { recursive: true }).map(String).filter((f) => !/^nodes-\d+-\d+\.json$/.test(f)));
	const before = uploads();
	const mms = (id) => ({ id, from: '447700900125', to: '58870', subject: 'Hi', parts: MMS_PARTS });

	const good = await sim.push.mmsPost(url('mxTelecom'), mms('9007199254743001'));
	assert.equal(good.status, 200, `a whole upload is taken (body ${good.body})`);

	const bigZip = Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(6 * 1024 * 1024, 7)]);
	const whole = await sim.push.mmsPost(url('mxTelecom'), { ...mms('9007199254743002'), zip: bigZip }, { truncateTo: 1 });
	assert.ok(whole.status >= 400, 'sanity: a 1-byte body is refused');
	const cut = await sim.push.mmsPost(url('mxTelecom'), { ...mms('9007199254743003'), zip: bigZip.subarray(0, 64 * 1024) }, { truncateTo: 40 * 1024 });
	assert.equal(cut.status, 400, `an upload cut off inside mms.zip: 400 (body ${JSON.stringify(cut.body.slice(0, 200))})`);
	assert.ok(!cut.body.includes('\n'), 'one line');

	const chunked = await sim.push.mmsPost(url('mxTelecom'), { ...mms('9007199254743004'), zip: bigZip }, { chunked: true });
	assert.equal(chunked.status, 413, `a chunked 6 MiB mms.zip (no Content-Length): 413 (body ${JSON.stringify(chunked.body.slice(0, 200))})`);

	// Formidable unlinks asynchronously; give it a moment before looking.
	await new Promise((r) => setTimeout(r, 1500));
	const left = [...uploads()].filter((f) => !before.has(f));
	assert.deepEqual(left, [], 'no upload left in the temp folder');
});
