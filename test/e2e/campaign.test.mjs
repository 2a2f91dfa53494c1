// A campaign through a real n8n: 1,000 rows, each with its own text, into Send per
// provider (Manual -> Set -> Split Out -> SMS Gateway Send, fanned out to the three
// providers), run with `n8n execute`. Asserts that the simulator recorded each (to, text)
// exactly once, that every output item is paired with its input row, in order, and that
// the rows went out over the bulk paths (far fewer requests than rows where the gateway
// has one).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

import * as h from '../../scripts/n8n/harness.mjs';

const require = createRequire(import.meta.url);
const { startSimulator, DEFAULT_CREDENTIALS } = require('../../simulator');

const PKG = JSON.parse(fs.readFileSync(path.join(h.repoRoot, 'package.json'), 'utf8')).name;
const NODE_TYPE = `${PKG}.smsGateway`;

const PROVIDERS = ['mxTelecom', 'bulkSms', 'gatewayApi'];
const CRED_IDS = { mxTelecom: 'e2eCampMxTelecom', bulkSms: 'e2eCampBulkSms00', gatewayApi: 'e2eCampGatewayApi' };
const ROWS = 1000;
const rowsFor = (provider) =>
	Array.from({ length: ROWS }, (_, k) => ({ to: `44780${PROVIDERS.indexOf(provider) + 1}${String(k).padStart(6, '0')}`, name: `Name${k}`, k }));
const textOf = (row) => `Hi ${row.name} ${row.k}, your code is ${row.k}`;
const SEND_ENDPOINTS = {
	mxTelecom: ['mx.send', 'mx.bulksend'],
	bulkSms: ['bulksms.send_sms', 'bulksms.send_batch'],
	gatewayApi: ['gatewayapi.mtsms'],
};

let sim;
let userFolder;
let env;

function credential(provider) {
	const c = DEFAULT_CREDENTIALS[provider];
	const data = { provider, baseUrl: sim.url };
	if (provider === 'gatewayApi') data.token = c.token;
	else Object.assign(data, { username: c.username, password: c.password });
	return { id: CRED_IDS[provider], name: `Campaign ${provider}`, type: 'smsGatewayApi', data };
}

/** Manual -> Set (the three providers' rows) -> one Split Out + Send pair per provider. */
function campaignWorkflow() {
	const nodes = [h.manualTrigger(), h.setJson('Rows', Object.fromEntries(PROVIDERS.map((p) => [p, rowsFor(p)])))];
	const wf = h.chain('e2eCampaignAll', nodes);
	const fanOut = [];
	for (const provider of PROVIDERS) {
		const split = h.node(`Rows ${provider}`, 'n8n-nodes-base.splitOut', { fieldToSplitOut: provider, options: {} });
		const send = h.node(
			`Send ${provider}`,
			NODE_TYPE,
			{
				resource: 'message',
				operation: 'send',
				to: '={{ $json.to }}',
				message: '={{ "Hi " + $json.name + " " + $json.k + ", your code is " + $json.k }}',
				options: {},
			},
			{ credentials: { smsGatewayApi: { id: CRED_IDS[provider], name: `Campaign ${provider}` } } },
		);
		wf.nodes.push(split, send);
		fanOut.push({ node: split.name, type: 'main', index: 0 });
		wf.connections[split.name] = { main: [[{ node: send.name, type: 'main', index: 0 }]] };
	}
	wf.connections.Rows = { main: [fanOut] };
	return wf;
}

before(async () => {
	await h.n8nInstall();
	sim = await startSimulator({ port: 0, record: 'summary' });
	userFolder = h.makeUserFolder('campaign');
	await h.packAndInstall(userFolder.dir, { build: !process.env.SMS_GATEWAY_E2E_NO_BUILD });
	env = h.n8nEnv(userFolder.dir, { port: await h.freePort(), brokerPort: await h.freePort() });
	await h.importCredentials(env, PROVIDERS.map(credential));
	await h.importWorkflows(env, [campaignWorkflow(), exampleWorkflow()]);
});

/** examples/campaign-from-a-sheet.json as a user imports it, on the GatewayAPI credential. */
function exampleWorkflow() {
	const wf = JSON.parse(fs.readFileSync(path.join(h.repoRoot, 'examples', 'campaign-from-a-sheet.json'), 'utf8'));
	for (const n of wf.nodes) if (n.credentials) n.credentials = { smsGatewayApi: { id: CRED_IDS.gatewayApi, name: 'Campaign gatewayApi' } };
	return wf;
}

after(async () => {
	await sim?.close();
	userFolder?.cleanup();
});

test(`a campaign of ${ROWS} personalised rows per provider: each (to, text) once, items paired in order`, async () => {
	const r = await h.execute(env, 'e2eCampaignAll', { timeoutMs: 300_000 });
	assert.equal(r.code, 0, `n8n execute failed:\n${r.stdout.slice(-4000)}\n${r.stderr}`);
	assert.equal(r.result.status, 'success');
	const perEndpoint = {};
	for (const q of sim.requests) perEndpoint[q.endpoint] = (perEndpoint[q.endpoint] ?? 0) + 1;
	process.stderr.write(`[campaign] n8n execute (3 x ${ROWS} rows): ${r.ms} ms, gateway requests ${JSON.stringify(perEndpoint)}\n`);

	for (const provider of PROVIDERS) {
		const rows = rowsFor(provider);
		const out = h.nodeOutput(r.result, `Send ${provider}`);
		assert.equal(out.length, ROWS, `${provider}: one output item per row`);
		assert.deepEqual(out.map((item) => item.to), rows.map((row) => row.to), `${provider}: in input order`);
		const notAccepted = out.filter((item) => item.status !== 'accepted');
		assert.deepEqual(notAccepted.slice(0, 3), [], `${provider}: every row accepted`);

		const got = sim.accepted.filter((a) => a.provider === provider);
		assert.equal(got.length, ROWS, `${provider}: the simulator accepted each row once`);
		const texts = new Map(got.map((a) => [a.to, a.text]));
		const wrong = rows.filter((row) => texts.get(row.to) !== textOf(row));
		assert.deepEqual(wrong.slice(0, 3), [], `${provider}: each row's own text`);

		const sends = sim.requests.filter((q) => SEND_ENDPOINTS[provider].includes(q.endpoint)).length;
		if (provider !== 'mxTelecom') assert.ok(sends <= 2, `${provider}: ${sends} requests for ${ROWS} rows`);
	}
	assert.deepEqual(sim.duplicates(), []);

	// Every output item is paired with its own input row (n8n's pairedItem, kept in the run data).
	const runData = r.result.data?.resultData?.runData;
	if (runData) {
		for (const provider of PROVIDERS) {
			const items = runData[`Send ${provider}`]?.[0]?.data?.main?.[0] ?? [];
			const unpaired = items.filter((item, k) => (item.pairedItem?.item ?? item.pairedItem) !== k);
			assert.equal(unpaired.length, 0, `${provider}: ${unpaired.length} items not paired with their row`);
		}
	}
});

test('the example "campaign from a sheet" runs as shipped: 500 rows, each its own text, one item per row', async () => {
	const before = sim.accepted.length;
	const r = await h.execute(env, 'exCampaignFromSheet', { timeoutMs: 300_000 });
	assert.equal(r.code, 0, `n8n execute failed:\n${r.stdout.slice(-4000)}\n${r.stderr}`);
	const out = h.nodeOutput(r.result, 'Send campaign');
	assert.equal(out.length, 500);
	assert.ok(out.every((item) => item.status === 'accepted'), JSON.stringify(out.find((item) => item.status !== 'accepted')));
	const got = sim.accepted.slice(before);
	assert.equal(got.length, 500);
	assert.equal(got[0].text, 'Hi Customer 1, a reminder of your appointment tomorrow at 9:00. Reply STOP to opt out.');
	assert.deepEqual(h.nodeOutput(r.result, 'Results summary'), [{ status: 'accepted', count_to: 500 }]);
});
