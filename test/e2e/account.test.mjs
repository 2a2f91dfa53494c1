// Account operations through a real n8n: our package installed as a community
// package, one credential per provider pointing at the loopback gateway simulator,
// workflows run with `n8n execute`. Covers Account -> Get Balance, Message -> Get
// Status, Broadcast to BulkSMS groups, the "check the balance before a campaign"
// example as shipped, and the tool variant n8n derives for AI agents.

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
const CRED_IDS = { mxTelecom: 'e2eAcctMxTelecom', bulkSms: 'e2eAcctBulkSms00', gatewayApi: 'e2eAcctGatewayApi' };
const EXAMPLE = path.join(h.repoRoot, 'examples', 'check-balance-before-campaign.json');

// Handsets ending in 2 fail at the network; the others are delivered.
const STATUS_TO = ['447700900601', '447700900602', '447700900603'];
const GROUPS = { 31: ['447700900631', '447700900632'], 32: ['447700900632', '447700900633'] };

let sim;
let userFolder;
let env;

function credential(provider) {
	const c = DEFAULT_CREDENTIALS[provider];
	const data = { provider, baseUrl: sim.url, webhookSecret: DEFAULT_CREDENTIALS.webhookSecret };
	if (provider === 'gatewayApi') data.token = c.token;
	else Object.assign(data, { username: c.username, password: c.password });
	return { id: CRED_IDS[provider], name: `Simulator ${provider}`, type: 'smsGatewayApi', data };
}

const credRef = (provider) => ({ smsGatewayApi: { id: CRED_IDS[provider], name: `Simulator ${provider}` } });

/** An SMS Gateway node; `continueOnError` turns its error into an output item, as *On Error: Continue* does. */
function gatewayNode(name, provider, parameters, { continueOnError = false, executeOnce = false } = {}) {
	const n = h.node(name, NODE_TYPE, parameters, { credentials: credRef(provider) });
	if (continueOnError) n.onError = 'continueRegularOutput';
	if (executeOnce) n.executeOnce = true;
	return n;
}

/** Manual -> one node per provider (fan-out), so one `n8n execute` covers all three. */
function fanOut(id, nodeFor) {
	const manual = h.manualTrigger();
	const nodes = [manual, ...PROVIDERS.map(nodeFor)];
	const wf = h.chain(id, [manual]);
	wf.nodes = nodes;
	wf.connections[manual.name] = { main: [nodes.slice(1).map((n) => ({ node: n.name, type: 'main', index: 0 }))] };
	return wf;
}

const balanceWorkflow = () =>
	fanOut('e2eAcctBalance', (provider) =>
		gatewayNode(`Balance ${provider}`, provider, { resource: 'account', operation: 'getBalance' }, { continueOnError: provider === 'mxTelecom' }),
	);

/** Broadcast -> Get Status (once, by the broadcast's message id), per provider. */
function statusWorkflow() {
	const manual = h.manualTrigger();
	const nodes = [manual];
	const connections = { [manual.name]: { main: [[]] } };
	for (const provider of PROVIDERS) {
		const send = gatewayNode(`Broadcast ${provider}`, provider, {
			resource: 'message',
			operation: 'broadcast',
			recipients: STATUS_TO.join(', '),
			message: 'Your parcel arrives today',
			options: { deliveryReport: true },
		});
		const status = gatewayNode(
			`Status ${provider}`,
			provider,
			{ resource: 'message', operation: 'getStatus', messageId: '={{ $json.messageId }}' },
			{ executeOnce: true, continueOnError: provider === 'mxTelecom' },
		);
		nodes.push(send, status);
		connections[manual.name].main[0].push({ node: send.name, type: 'main', index: 0 });
		connections[send.name] = { main: [[{ node: status.name, type: 'main', index: 0 }]] };
	}
	return { ...h.chain('e2eAcctStatus', [manual]), nodes, connections };
}

/** BulkSMS: broadcast to two phone-book groups -> Get Status of the batch; GatewayAPI refuses groups. */
function groupsWorkflow() {
	const manual = h.manualTrigger();
	const groups = gatewayNode('Broadcast groups', 'bulkSms', {
		resource: 'message',
		operation: 'broadcast',
		sendTo: 'groups',
		groupIds: '31, 32',
		message: 'Members night on Friday',
		options: {},
	});
	const status = gatewayNode('Group status', 'bulkSms', { resource: 'message', operation: 'getStatus', messageId: '={{ $json.messageId }}' });
	const refused = gatewayNode(
		'Groups on GatewayAPI',
		'gatewayApi',
		{ resource: 'message', operation: 'broadcast', sendTo: 'groups', groupIds: '31', message: 'x', options: {} },
		{ continueOnError: true },
	);
	const wf = h.chain('e2eAcctGroups', [manual, groups, status]);
	wf.nodes.push(refused);
	wf.connections[manual.name].main[0].push({ node: refused.name, type: 'main', index: 0 });
	return wf;
}

/** The shipped example, its credential references pointed at this run's GatewayAPI credential. */
function exampleWorkflow() {
	const wf = JSON.parse(fs.readFileSync(EXAMPLE, 'utf8'));
	for (const node of wf.nodes) {
		if (node.credentials?.smsGatewayApi) node.credentials = credRef('gatewayApi');
	}
	return wf;
}

before(async () => {
	await h.n8nInstall();
	sim = await startSimulator({
		port: 0,
		record: 'full',
		groups: GROUPS,
		reportStatus: (r) => {
			const failed = r.to.endsWith('2');
			if (r.provider === 'bulkSms') return failed ? 51 : 11;
			return failed ? 'UNDELIVERABLE' : 'DELIVERED';
		},
	});
	userFolder = h.makeUserFolder('account');
	await h.packAndInstall(userFolder.dir, { build: !process.env.SMS_GATEWAY_E2E_NO_BUILD });
	env = h.n8nEnv(userFolder.dir, { port: await h.freePort(), brokerPort: await h.freePort() });
	await h.importCredentials(env, PROVIDERS.map(credential));
	await h.importWorkflows(env, [balanceWorkflow(), statusWorkflow(), groupsWorkflow(), exampleWorkflow()]);
});

after(async () => {
	await sim?.close();
	userFolder?.cleanup();
});

async function run(id) {
	const r = await h.execute(env, id);
	assert.equal(r.code, 0, `n8n execute ${id} failed:\n${r.stdout.slice(-4000)}\n${r.stderr}`);
	assert.equal(r.result.status, 'success');
	process.stderr.write(`[account] n8n execute ${id}: ${r.ms} ms\n`);
	return r.result;
}

test('Account -> Get Balance reads each gateway\'s balance; MX Telecom says it has none', async () => {
	sim.bulkCredits = 2500;
	const result = await run('e2eAcctBalance');
	assert.deepEqual(h.nodeOutput(result, 'Balance bulkSms'), [{ provider: 'bulkSms', balance: 2500, unit: 'credits', currency: null }]);
	assert.deepEqual(h.nodeOutput(result, 'Balance gatewayApi'), [{ provider: 'gatewayApi', balance: 1000, unit: 'currency', currency: 'DKK' }]);
	const [mx] = h.nodeOutput(result, 'Balance mxTelecom');
	assert.match(mx.error, /MX Telecom \/ OpenMarket has no balance query/);
	assert.equal(sim.requests.filter((r) => r.provider === 'mxTelecom').length, 0, 'nothing was sent to MX');
});

test('Message -> Get Status lists each recipient with the trigger\'s status names', async () => {
	const result = await run('e2eAcctStatus');
	for (const provider of ['bulkSms', 'gatewayApi']) {
		const sent = h.nodeOutput(result, `Broadcast ${provider}`);
		assert.equal(sent.length, STATUS_TO.length, `${provider}: one broadcast item per recipient`);
		const statuses = h.nodeOutput(result, `Status ${provider}`);
		assert.deepEqual(
			statuses.map((s) => [s.messageId, s.to, s.status, s.final, s.provider]),
			STATUS_TO.map((to) => [sent[0].messageId, to, to.endsWith('2') ? 'failed' : 'delivered', true, provider]),
			`${provider}: ${JSON.stringify(statuses)}`,
		);
	}
	const [mx] = h.nodeOutput(result, 'Status mxTelecom');
	assert.match(mx.error, /no status query.*SMS Gateway Trigger/);
});

test('Broadcast to BulkSMS groups: one item for the request, Get Status lists the members', async () => {
	const before = sim.accepted.length;
	const result = await run('e2eAcctGroups');
	const [sent] = h.nodeOutput(result, 'Broadcast groups');
	assert.equal(sent.addressedAs, 'group');
	assert.deepEqual(sent.groupIds, ['31', '32']);
	assert.equal(sent.status, 'accepted', JSON.stringify(sent));
	const request = sim.requests.filter((r) => r.endpoint === 'bulksms.send_sms').at(-1);
	assert.equal(request.params.dest_group_id, '31,32');
	assert.deepEqual(
		sim.accepted.slice(before).map((a) => a.to),
		['447700900631', '447700900632', '447700900633'],
	);
	const statuses = h.nodeOutput(result, 'Group status');
	assert.deepEqual(
		statuses.map((s) => [s.to, s.status]),
		[
			['447700900631', 'delivered'],
			['447700900632', 'failed'],
			['447700900633', 'delivered'],
		],
	);
	const [refused] = h.nodeOutput(result, 'Groups on GatewayAPI');
	assert.match(refused.error, /field "Group IDs": Phone-book groups exist only on BulkSMS/);
});

test('the example checks the balance before a campaign: it sends with enough, and holds back without', async () => {
	const wf = exampleWorkflow();
	const campaign = wf.nodes.find((n) => n.name === 'Campaign').parameters.assignments.assignments;
	const recipients = campaign.find((a) => a.name === 'recipients').value.match(/\d{7,15}/g);

	sim.gwCredit = 1000;
	const rich = await run(wf.id);
	const [estimate] = h.nodeOutput(rich, 'Estimate cost');
	assert.equal(estimate.balance, 1000);
	assert.equal(estimate.unit, 'DKK');
	assert.equal(estimate.recipients, recipients.length);
	const sent = h.nodeOutput(rich, 'Broadcast');
	assert.deepEqual(sent.map((s) => [s.to, s.status]), recipients.map((to) => [to, 'accepted']));
	assert.equal(h.nodeOutput(rich, 'Balance too low: not sent'), undefined);

	sim.gwCredit = estimate.reserve;
	const requests = sim.requests.filter((r) => r.endpoint === 'gatewayapi.mtsms').length;
	const poor = await run(wf.id);
	assert.equal(h.nodeOutput(poor, 'Broadcast'), undefined, 'no broadcast below the reserve');
	assert.equal(h.nodeOutput(poor, 'Balance too low: not sent').length, 1);
	assert.equal(sim.requests.filter((r) => r.endpoint === 'gatewayapi.mtsms').length, requests, 'nothing was sent');
});

test('n8n derives an AI tool from the node, with Get Balance and Send among its actions', async () => {
	const file = path.join(env.N8N_USER_FOLDER, `nodes-${process.pid}.json`);
	await h.cli(['export:nodes', `--output=${file}`], env);
	const types = JSON.parse(fs.readFileSync(file, 'utf8'));
	fs.rmSync(file, { force: true });
	const tool = types.find((t) => t.name === `${NODE_TYPE}Tool`);
	assert.ok(tool, `${NODE_TYPE}Tool is not among the exported node types`);
	const actions = tool.properties
		.filter((p) => p.name === 'operation')
		.flatMap((p) => p.options.map((o) => `${p.displayOptions.show.resource[0]}.${o.value}: ${o.action}`));
	for (const wanted of ['account.getBalance: Get the account balance', 'message.send: Send a message', 'message.getStatus: Get the delivery status of a message']) {
		assert.ok(actions.includes(wanted), `${wanted} missing from ${JSON.stringify(actions)}`);
	}
	assert.ok(tool.credentials?.some((c) => c.name === 'smsGatewayApi'), 'the tool takes the SMS Gateway credential');
});
