// Content messages through a real n8n: our package installed as a community package, one
// credential per provider pointing at the loopback gateway simulator, one workflow
// Manual -> Set -> SMS Gateway nodes (every Message Type, every provider) run with
// `n8n execute`. What arrived is reassembled and read back with the test decoder written
// from the specifications (test/helpers/contentDecoding.js).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

import * as h from '../../scripts/n8n/harness.mjs';

const require = createRequire(import.meta.url);
const { startSimulator, DEFAULT_CREDENTIALS } = require('../../simulator');
const { receivedContent, receivedMessages } = require('../helpers/contentDecoding.js');

const PKG = JSON.parse(fs.readFileSync(path.join(h.repoRoot, 'package.json'), 'utf8')).name;
const NODE_TYPE = `${PKG}.smsGateway`;

const PROVIDERS = ['mxTelecom', 'bulkSms', 'gatewayApi'];
const CRED_IDS = { mxTelecom: 'e2eCredMxTelecom', bulkSms: 'e2eCredBulkSms00', gatewayApi: 'e2eCredGatewayApi' };
const WORKFLOW = 'e2eContentAll';

/** A link long enough for several parts; the Set node hands it to the nodes by expression. */
const LONG_HREF = `https://www.example.com/${'offers/'.repeat(30)}`;
const VCARD_TEXT = 'BEGIN:VCARD\nVERSION:2.1\nN:Doe;Jane\nFN:Jane Doe\nTEL;CELL:+447700900123\nEMAIL:jane@example.com\nEND:VCARD';
/** Recipients per provider and node: disjoint, so each check reads only its own messages. */
const number = (provider, k) => `4477009${PROVIDERS.indexOf(provider) + 1}${String(k).padStart(4, '0')}`;
const TO = {
	si: (p) => number(p, 1),
	mms: (p) => number(p, 2),
	legacy: (p) => number(p, 3),
	vcard: (p) => [10, 11, 12].map((k) => number(p, k)),
};

const SI_FIELDS = {
	messageType: 'wapPushSi',
	siUrl: '={{ $json.href }}',
	siText: 'New offers for you',
	siOptions: { siId: 'offers', siAction: 'signal-high', created: '2030-01-31T09:30:00Z' },
};

let sim;
let userFolder;
let env;

function credential(provider) {
	const c = DEFAULT_CREDENTIALS[provider];
	const data = { provider, baseUrl: sim.url };
	if (provider === 'gatewayApi') data.token = c.token;
	else Object.assign(data, { username: c.username, password: c.password });
	return { id: CRED_IDS[provider], name: `Simulator ${provider}`, type: 'smsGatewayApi', data };
}

const credRef = (provider) => ({ smsGatewayApi: { id: CRED_IDS[provider], name: `Simulator ${provider}` } });

const sms = (name, provider, parameters) =>
	h.node(name, NODE_TYPE, { resource: 'message', options: {}, ...parameters }, provider ? { credentials: credRef(provider) } : {});

/** Every node of the run: per provider a WAP Push, an MMS notification, a vCard broadcast and an old-style binary Send; one Analyze. */
function contentNodes() {
	const nodes = [];
	for (const provider of PROVIDERS) {
		nodes.push(
			sms(`SI ${provider}`, provider, { operation: 'send', to: TO.si(provider), ...SI_FIELDS }),
			sms(`MMS ${provider}`, provider, {
				operation: 'send',
				to: TO.mms(provider),
				messageType: 'mmsNotification',
				mmsContentLocation: 'http://mmsc.example.com/m/42',
				mmsSize: 34567,
				mmsExpiry: 86400,
				mmsOptions: { transactionId: 'e2e-tx', subject: 'Photos' },
			}),
			sms(`vCard ${provider}`, provider, {
				operation: 'broadcast',
				recipients: TO.vcard(provider).join(','),
				messageType: 'vcard',
				vcardSource: 'text',
				vcardText: '={{ $json.vcard }}',
			}),
			// A workflow saved before Message Type existed: Encoding Binary with its hex fields.
			sms(`Legacy binary ${provider}`, provider, {
				operation: 'send',
				to: TO.legacy(provider),
				encoding: 'binary',
				hexPayload: '48656C6C6F',
				udh: '06050415811581',
			}),
		);
	}
	nodes.push(sms('Analyze SI', undefined, { operation: 'analyze', ...SI_FIELDS }));
	return nodes;
}

function contentWorkflow() {
	const input = h.setJson('Input', { href: LONG_HREF, vcard: VCARD_TEXT });
	const targets = contentNodes();
	const wf = h.chain(WORKFLOW, [h.manualTrigger(), input]);
	wf.nodes = [...wf.nodes, ...targets];
	wf.connections.Input = { main: [targets.map((n) => ({ node: n.name, type: 'main', index: 0 }))] };
	return wf;
}

/** An example workflow as a user imports it, on one provider's credential. */
function example(file, provider) {
	const wf = JSON.parse(fs.readFileSync(path.join(h.repoRoot, 'examples', file), 'utf8'));
	for (const n of wf.nodes) if (n.credentials) n.credentials = credRef(provider);
	return wf;
}
const EXAMPLES = [
	{ file: 'send-wap-push-link.json', provider: 'bulkSms' },
	{ file: 'send-vcard-contact.json', provider: 'gatewayApi' },
];

let result;

before(async () => {
	await h.n8nInstall();
	sim = await startSimulator({ port: 0, record: 'full' });
	userFolder = h.makeUserFolder('content');
	await h.packAndInstall(userFolder.dir, { build: !process.env.SMS_GATEWAY_E2E_NO_BUILD });
	env = h.n8nEnv(userFolder.dir, { port: await h.freePort(), brokerPort: await h.freePort() });
	await h.importCredentials(env, PROVIDERS.map(credential));
	await h.importWorkflows(env, [contentWorkflow(), ...EXAMPLES.map((e) => example(e.file, e.provider))]);
	const r = await h.execute(env, WORKFLOW);
	assert.equal(r.code, 0, `n8n execute failed:\n${r.stdout.slice(-4000)}\n${r.stderr}`);
	assert.equal(r.result.status, 'success');
	process.stderr.write(`[content] n8n ${h.N8N_VERSION} execute (13 nodes): ${r.ms} ms, ${sim.requests.length} gateway requests\n`);
	result = r.result;
});

after(async () => {
	await sim?.close();
	userFolder?.cleanup();
});

const only = (nodeName) => {
	const out = h.nodeOutput(result, nodeName);
	assert.ok(out, `${nodeName}: no output (error: ${JSON.stringify(h.nodeError(result, nodeName))})`);
	return out;
};

test('a WAP Push SI in several parts arrives whole on every provider', () => {
	for (const provider of PROVIDERS) {
		const [item] = only(`SI ${provider}`);
		assert.equal(item.status, 'accepted', `${provider}: ${JSON.stringify(item)}`);
		assert.equal(item.encoding, 'binary');
		assert.ok(item.parts > 1, `${provider}: several parts`);
		assert.equal(item.partMessageIds.length, item.parts);
		const [message] = receivedMessages(sim.accepted, TO.si(provider));
		assert.equal(message.parts.length, item.parts);
		assert.ok(message.parts.every((part) => part.octets <= 140 && part.ports.destination === 2948));
		const [decoded] = receivedContent(sim.accepted, TO.si(provider));
		assert.equal(decoded.kind, 'wapPushSi');
		assert.deepEqual(
			{ href: decoded.si.href, text: decoded.si.text, siId: decoded.si.siId, action: decoded.si.action, created: decoded.si.created },
			{ href: LONG_HREF, text: 'New offers for you', siId: 'offers', action: 'signal-high', created: '2030-01-31T09:30:00Z' },
			provider,
		);
	}
});

test('an MMS notification arrives as M-Notification.ind for mms.ua on every provider', () => {
	for (const provider of PROVIDERS) {
		const [item] = only(`MMS ${provider}`);
		assert.equal(item.status, 'accepted', `${provider}: ${JSON.stringify(item)}`);
		const [decoded] = receivedContent(sim.accepted, TO.mms(provider));
		assert.equal(decoded.kind, 'mmsNotification');
		assert.equal(decoded.push.applicationId, 0x04);
		assert.deepEqual(
			{
				transactionId: decoded.mms.transactionId,
				subject: decoded.mms.subject,
				size: decoded.mms.size,
				expiry: decoded.mms.expiry,
				contentLocation: decoded.mms.contentLocation,
			},
			{ transactionId: 'e2e-tx', subject: 'Photos', size: 34567, expiry: { relative: true, seconds: 86400 }, contentLocation: 'http://mmsc.example.com/m/42' },
			provider,
		);
	}
});

test('a vCard broadcast: one item per recipient, each receives the card on the vCard port with CR LF lines', () => {
	for (const provider of PROVIDERS) {
		const out = only(`vCard ${provider}`);
		assert.deepEqual(
			out.map((item) => [item.to, item.status]),
			TO.vcard(provider).map((to) => [to, 'accepted']),
			provider,
		);
		for (const to of TO.vcard(provider)) {
			assert.equal(receivedMessages(sim.accepted, to)[0].ports.destination, 9204);
			const [decoded] = receivedContent(sim.accepted, to);
			assert.equal(decoded.kind, 'vcard');
			assert.deepEqual(decoded.vcard.properties, [
				['VERSION', '2.1'],
				['N', 'Doe;Jane'],
				['FN', 'Jane Doe'],
				['TEL;CELL', '+447700900123'],
				['EMAIL', 'jane@example.com'],
			]);
		}
	}
	assert.deepEqual(sim.duplicates(), []);
});

test('a workflow made before Message Type (Encoding Binary) still sends its octets', () => {
	for (const provider of PROVIDERS) {
		const [item] = only(`Legacy binary ${provider}`);
		assert.equal(item.status, 'accepted', `${provider}: ${JSON.stringify(item)}`);
		const [message] = receivedMessages(sim.accepted, TO.legacy(provider));
		assert.equal(message.datagram.toString(), 'Hello');
		assert.deepEqual(message.ports, { destination: 0x1581, source: 0x1581 });
	}
});

test('Analyze previews the WAP Push parts without sending', () => {
	const [preview] = only('Analyze SI');
	const [item] = only('SI gatewayApi');
	assert.equal(preview.messageType, 'wapPushSi');
	assert.equal(preview.partCount, item.parts);
	const sent = receivedMessages(sim.accepted, TO.si('gatewayApi'))[0].parts;
	// The preview shows what the gateways got, part for part (the concatenation reference differs per message).
	assert.deepEqual(
		preview.parts.map((part) => [part.payload, part.octets]),
		sent.map((part) => [part.payload, part.octets]),
	);
});

test('the examples run as shipped: a tracking link as WAP Push, a contact card as vCard', async () => {
	sim.reset();
	const link = await h.execute(env, 'exSendWapPushLink');
	assert.equal(link.code, 0, `n8n execute failed:\n${link.stdout.slice(-4000)}\n${link.stderr}`);
	const [pushed] = h.nodeOutput(link.result, 'Send WAP Push');
	assert.equal(pushed.status, 'accepted', JSON.stringify(pushed));
	const [si] = receivedContent(sim.accepted, '447700900123');
	assert.equal(si.kind, 'wapPushSi');
	assert.equal(si.si.href, 'https://www.example.com/orders/48213/track');
	assert.equal(si.si.text, 'Your order 48213 is on its way: tap to track it');
	assert.equal(si.si.siId, 'order-48213');

	sim.reset();
	const card = await h.execute(env, 'exSendVcardContact');
	assert.equal(card.code, 0, `n8n execute failed:\n${card.stdout.slice(-4000)}\n${card.stderr}`);
	const [sent] = h.nodeOutput(card.result, 'Send vCard');
	assert.equal(sent.status, 'accepted', JSON.stringify(sent));
	const [vcard] = receivedContent(sim.accepted, '447700900123');
	assert.equal(vcard.kind, 'vcard');
	const properties = vcard.vcard.properties.map(([name, value]) => `${name.split(';')[0]}:${value}`);
	for (const want of ['FN:Jane Doe', 'N:Doe;Jane', 'TEL:+447700900456', 'EMAIL:jane.doe@example.com', 'ORG:ACME Support']) {
		assert.ok(properties.includes(want), `${want} in ${JSON.stringify(properties)}`);
	}
});
