// Sends through a real n8n: our package installed as a community package, one
// credential per provider pointing at the loopback gateway simulator, workflows
// Manual -> Set -> SMS Gateway run with `n8n execute`. Asserts both what n8n's
// execution says and what the simulator received.

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
const CRED_IDS = { mxTelecom: 'e2eCredMxTelecom', bulkSms: 'e2eCredBulkSms00', gatewayApi: 'e2eCredGatewayApi' };

// 9 Greek letters and a space, 11 times, then an emoji outside the BMP:
// 110 UTF-16 units, so UCS-2 in two concatenated parts (67 units each).
const LONG_UNICODE = '\u03ba\u03b1\u03bb\u03b7\u03bc\u03ad\u03c1\u03b1 '.repeat(11) + '\ud83d\ude00';
const SEND_TO = { mxTelecom: '447700900101', bulkSms: '447700900102', gatewayApi: '4520123401' };
const BROADCAST_SIZE = 1000;
// Only characters every gateway's 7-bit form carries (BulkSMS's 7-bit list has no GSM extension characters).
const BROADCAST_TEXT = 'Sale ends at 18:00 today - reply STOP to opt out';
const recipientsFor = (p) =>
	Array.from({ length: BROADCAST_SIZE }, (_, i) => `44770${PROVIDERS.indexOf(p) + 1}${String(i).padStart(6, '0')}`);

let sim;
let userFolder;
let env;

function credential(provider) {
	const c = DEFAULT_CREDENTIALS[provider];
	const data = { provider, baseUrl: sim.url, webhookSecret: DEFAULT_CREDENTIALS.webhookSecret };
	if (provider === 'gatewayApi') data.token = c.token;
	else Object.assign(data, { username: c.username, password: c.password });
	if (provider === 'mxTelecom') {
		Object.assign(data, { mmsBaseUrl: sim.url, mmsUsername: c.mmsUsername, mmsPassword: c.mmsPassword });
	}
	return { id: CRED_IDS[provider], name: `Simulator ${provider}`, type: 'smsGatewayApi', data };
}

const credRef = (provider) => ({ smsGatewayApi: { id: CRED_IDS[provider], name: `Simulator ${provider}` } });

/** Manual -> Set -> one SMS Gateway node per provider (fan-out), so one `n8n execute` covers all three. */
function fanOut(id, input, nodeFor) {
	const nodes = [h.manualTrigger(), h.setJson('Input', input)];
	const targets = [];
	for (const provider of PROVIDERS) {
		const n = nodeFor(provider);
		nodes.push(n);
		targets.push({ node: n.name, type: 'main', index: 0 });
	}
	const wf = h.chain(id, nodes.slice(0, 2));
	wf.nodes = nodes;
	wf.connections.Input = { main: [targets] };
	return wf;
}

const sendWorkflow = () =>
	fanOut('e2eSendAll', { text: LONG_UNICODE, to: SEND_TO }, (provider) =>
		h.node(
			`Send ${provider}`,
			NODE_TYPE,
			{
				resource: 'message',
				operation: 'send',
				to: `={{ $json.to.${provider} }}`,
				message: '={{ $json.text }}',
				encoding: 'auto',
				options: { clientReference: `e2e-${provider}` },
			},
			{ credentials: credRef(provider) },
		),
	);

const broadcastWorkflow = () =>
	fanOut(
		'e2eBroadcastAll',
		Object.fromEntries(PROVIDERS.map((p) => [p, recipientsFor(p)])),
		(provider) =>
			h.node(
				`Broadcast ${provider}`,
				NODE_TYPE,
				{
					resource: 'message',
					operation: 'broadcast',
					recipients: `={{ $json.${provider} }}`,
					message: BROADCAST_TEXT,
					encoding: 'auto',
					options: {},
				},
				{ credentials: credRef(provider) },
			),
	);

const INBOUND_MMS_ID = 'e2e-inbound-mms-1';
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001', 'hex');

/** Manual -> Send MMS (a text part) -> Retrieve MMS (a message the simulator holds), MX only. */
const mmsWorkflow = () => {
	const send = h.node(
		'Send MMS',
		NODE_TYPE,
		{
			resource: 'mms',
			operation: 'send',
			to: '447700900103',
			from: '58870',
			subject: 'Hello from n8n',
			binaryProperties: '',
			text: 'Caf\u00e9 at 6? \u2615',
			options: { deliveryReport: true },
		},
		{ credentials: credRef('mxTelecom') },
	);
	const retrieve = h.node(
		'Retrieve MMS',
		NODE_TYPE,
		{ resource: 'mms', operation: 'retrieve', messageId: INBOUND_MMS_ID, binaryPropertyName: 'data', unpack: true },
		{ credentials: credRef('mxTelecom') },
	);
	return h.chain('e2eMmsMx', [h.manualTrigger(), send, retrieve]);
};

before(async () => {
	await h.n8nInstall();
	sim = await startSimulator({ port: 0, record: 'full' });
	userFolder = h.makeUserFolder('send');
	await h.packAndInstall(userFolder.dir, { build: !process.env.SMS_GATEWAY_E2E_NO_BUILD });
	env = h.n8nEnv(userFolder.dir, { port: await h.freePort(), brokerPort: await h.freePort() });
	await h.importCredentials(env, PROVIDERS.map(credential));
	sim.addInboundMms({
		id: INBOUND_MMS_ID,
		from: '447700900999',
		to: '58870',
		subject: 'Look',
		parts: [
			{ name: 'sunset.png', mimeType: 'image/png', data: PNG },
			{ name: 'note.txt', mimeType: 'text/plain', data: Buffer.from('See you there', 'utf8') },
		],
	});
	await h.importWorkflows(env, [sendWorkflow(), broadcastWorkflow(), mmsWorkflow()]);
});

after(async () => {
	await sim?.close();
	userFolder?.cleanup();
});

test('a long Unicode SMS goes out through every provider from a real n8n', async () => {
	const before = sim.accepted.length;
	const r = await h.execute(env, 'e2eSendAll');
	assert.equal(r.code, 0, `n8n execute failed:\n${r.stdout}\n${r.stderr}`);
	assert.equal(r.result.status, 'success');
	process.stderr.write(`[send] n8n execute (3 sends): ${r.ms} ms\n`);

	for (const provider of PROVIDERS) {
		const out = h.nodeOutput(r.result, `Send ${provider}`);
		assert.equal(out.length, 1, `${provider}: one output item`);
		const [item] = out;
		assert.equal(item.status, 'accepted', `${provider}: ${JSON.stringify(item)}`);
		assert.equal(item.provider, provider);
		assert.equal(item.to, SEND_TO[provider]);
		assert.equal(item.parts, 2, `${provider}: parts`);
		assert.equal(typeof item.messageId, 'string', `${provider}: messageId is a string`);
		assert.ok(item.messageId.length > 0);

		const got = sim.accepted.slice(before).filter((a) => a.provider === provider);
		assert.equal(got.length, 1, `${provider}: the simulator accepted exactly one message`);
		assert.equal(got[0].to, SEND_TO[provider]);
		assert.equal(got[0].text, LONG_UNICODE, `${provider}: text arrived intact`);
		assert.equal(got[0].encoding, 'ucs2', `${provider}: encoding`);
		assert.equal(String(got[0].messageId), item.messageId, `${provider}: the node reports the gateway's id`);
	}
});

test(`a ${BROADCAST_SIZE}-recipient broadcast per provider: one item and one acceptance per recipient`, async () => {
	const before = sim.accepted.length;
	const requestsBefore = sim.requests.length;
	const r = await h.execute(env, 'e2eBroadcastAll');
	assert.equal(r.code, 0, `n8n execute failed:\n${r.stdout.slice(-4000)}\n${r.stderr}`);
	assert.equal(r.result.status, 'success');
	process.stderr.write(
		`[send] n8n execute (3 x ${BROADCAST_SIZE} broadcast): ${r.ms} ms, ${sim.requests.length - requestsBefore} gateway requests\n`,
	);

	for (const provider of PROVIDERS) {
		const want = recipientsFor(provider);
		const out = h.nodeOutput(r.result, `Broadcast ${provider}`);
		assert.equal(out.length, want.length, `${provider}: one output item per recipient`);
		assert.deepEqual(out.map((i) => i.to).sort(), [...want].sort(), `${provider}: every recipient once`);
		const notAccepted = out.filter((i) => i.status !== 'accepted');
		assert.equal(notAccepted.length, 0, `${provider}: ${JSON.stringify(notAccepted.slice(0, 3))}`);

		const got = sim.accepted.slice(before).filter((a) => a.provider === provider);
		assert.equal(got.length, want.length, `${provider}: the simulator accepted each recipient`);
		assert.deepEqual(got.map((a) => a.to).sort(), [...want].sort(), `${provider}: no recipient twice`);
		// GSM-7 text travels as each gateway's 7-bit form (MX: Latin-9 bytes, BulkSMS: ISO-8859-1), never UCS-2
		const wrong = got.filter((a) => a.text !== BROADCAST_TEXT || a.encoding === 'ucs2');
		assert.deepEqual(wrong.slice(0, 3), [], `${provider}: text and encoding`);
	}
	assert.deepEqual(sim.duplicates(), []);
});

test('MMS through a real n8n: Send MMS zips a text part with its manifest, Retrieve MMS unpacks a received one', async () => {
	const r = await h.execute(env, 'e2eMmsMx');
	assert.equal(r.code, 0, `n8n execute failed:\n${r.stdout.slice(-4000)}\n${r.stderr}`);
	assert.equal(r.result.status, 'success');

	const [sent] = h.nodeOutput(r.result, 'Send MMS');
	assert.equal(sent.status, 'accepted', JSON.stringify(sent));
	assert.equal(sent.provider, 'mxTelecom');
	const request = sim.requests.filter((q) => q.endpoint === 'mx.sendmms').at(-1);
	assert.equal(request.decoded.subject, 'Hello from n8n');
	assert.deepEqual(
		request.decoded.parts.map((part) => [part.name, part.mimeType]),
		[['text.txt', 'text/plain']],
	);

	const [retrieved] = h.nodeOutput(r.result, 'Retrieve MMS');
	assert.equal(retrieved.messageId, INBOUND_MMS_ID);
	assert.deepEqual(retrieved.parts, [
		{ name: 'sunset.png', mimeType: 'image/png', size: PNG.length, binaryProperty: 'data0' },
		{ name: 'note.txt', mimeType: 'text/plain', size: 13, binaryProperty: 'data1' },
	]);
});
