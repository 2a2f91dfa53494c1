/**
 * Account → Get Balance, Message → Get Status and Broadcast to BulkSMS groups, run in
 * n8n-core's WorkflowExecute against the simulator on loopback.
 */
import type { ICredentialDataDecryptedObject, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { DEFAULT_CREDENTIALS, startSimulator, type Simulator } from '../../simulator';
import { SmsGateway } from '../../nodes/SmsGateway/SmsGateway.node';
import { runNode } from '../helpers/n8n';

type Provider = 'mxTelecom' | 'bulkSms' | 'gatewayApi';

let sim: Simulator;

beforeAll(async () => {
	sim = await startSimulator({
		port: 0,
		// Numbers ending in 2 failed at the handset; the others were delivered.
		reportStatus: (record) => {
			const failed = record.to.endsWith('2');
			if (record.provider === 'bulkSms') return failed ? 51 : 11;
			return failed ? 'UNDELIVERABLE' : 'DELIVERED';
		},
	});
});

afterAll(async () => {
	await sim.close();
});

beforeEach(() => sim.reset());

const credentialsFor = (provider: Provider): ICredentialDataDecryptedObject => {
	const c = DEFAULT_CREDENTIALS;
	return {
		mxTelecom: { provider, baseUrl: sim.url, username: c.mxTelecom.username, password: c.mxTelecom.password },
		bulkSms: { provider, baseUrl: sim.url, username: c.bulkSms.username, password: c.bulkSms.password },
		gatewayApi: { provider, baseUrl: sim.url, token: c.gatewayApi.token },
	}[provider];
};

async function sendTo(provider: Provider, recipients: string[]): Promise<string> {
	const { items, error } = await runNode({
		node: new SmsGateway(),
		credentials: credentialsFor(provider),
		parameters: { resource: 'message', operation: 'broadcast', recipients: recipients.join(','), message: 'Doors open at 7' },
	});
	expect(error).toBeUndefined();
	return items[0].json.messageId as string;
}

describe('Account → Get Balance', () => {
	it.each([
		['bulkSms', { provider: 'bulkSms', balance: 1000000, unit: 'credits', currency: null }],
		['gatewayApi', { provider: 'gatewayApi', balance: 1000, unit: 'currency', currency: 'DKK' }],
	] as const)('reads the %s balance as one item per input item', async (provider, expected) => {
		const { items, error } = await runNode({
			node: new SmsGateway(),
			credentials: credentialsFor(provider),
			input: [{ campaign: 'a' }, { campaign: 'b' }],
			parameters: { resource: 'account', operation: 'getBalance' },
		});
		expect(error).toBeUndefined();
		expect(items.map((item) => item.json)).toEqual([expected, expected]);
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	});

	it('says MX Telecom has no balance query, before any request leaves', async () => {
		const { error } = await runNode({
			node: new SmsGateway(),
			credentials: credentialsFor('mxTelecom'),
			parameters: { resource: 'account', operation: 'getBalance' },
		});
		expect(error?.message).toMatch(/^Item 0, field "Credential: Provider": MX Telecom \/ OpenMarket has no balance query/);
		expect(sim.requests).toHaveLength(0);
	});

	it('never shows the password when the gateway refuses the credentials', async () => {
		const { error } = await runNode({
			node: new SmsGateway(),
			credentials: { ...credentialsFor('bulkSms'), password: 'wrong-Pa55word' },
			parameters: { resource: 'account', operation: 'getBalance' },
		});
		expect(error?.message).toMatch(/^Item 0: BulkSMS rejected the username or password/);
		expect(JSON.stringify(error)).not.toContain('wrong-Pa55word');
	});
});

describe('Message → Get Status', () => {
	it.each(['bulkSms', 'gatewayApi'] as const)('lists each %s recipient with the trigger status names', async (provider) => {
		const messageId = await sendTo(provider, ['447700900401', '447700900402']);
		const { items, error } = await runNode({
			node: new SmsGateway(),
			credentials: credentialsFor(provider),
			input: [{ id: messageId }],
			parameters: { resource: 'message', operation: 'getStatus', messageId: '={{ $json.id }}' },
		});
		expect(error).toBeUndefined();
		// BulkSMS describes its codes but gives no time; GatewayAPI gives a time, and an error only on failure.
		const detail = provider === 'bulkSms' ? { reason: expect.any(String), at: null } : { reason: null, at: expect.any(String) };
		expect(items.map((item) => item.json)).toEqual([
			{ messageId, to: '447700900401', status: 'delivered', final: true, providerStatus: provider === 'bulkSms' ? '11' : 'DELIVERED', provider, ...detail },
			{ messageId, to: '447700900402', status: 'failed', final: true, providerStatus: provider === 'bulkSms' ? '51' : 'UNDELIVERABLE', provider, ...detail },
		]);
	});

	it('keeps only the Recipient asked for', async () => {
		const messageId = await sendTo('gatewayApi', ['447700900401', '447700900402']);
		const { items } = await runNode({
			node: new SmsGateway(),
			credentials: credentialsFor('gatewayApi'),
			parameters: { resource: 'message', operation: 'getStatus', messageId, recipient: '+447700900402' },
		});
		expect(items.map((item) => [item.json.to, item.json.status])).toEqual([['447700900402', 'failed']]);
	});

	it('names the field at fault before any request leaves', async () => {
		for (const [parameters, message] of [
			[{ messageId: '  ' }, /^Item 0, field "Message ID": The message id is empty/],
			[{ messageId: 'abc' }, /^Item 0, field "Message ID": "abc" is not a BulkSMS batch id/],
			[{ messageId: '12', recipient: '0123' }, /^Item 0, field "Recipient": Recipient "0123" starts with 0/],
		] as const) {
			const { error } = await runNode({
				node: new SmsGateway(),
				credentials: credentialsFor('bulkSms'),
				parameters: { resource: 'message', operation: 'getStatus', ...parameters },
			});
			expect(error?.message).toMatch(message);
		}
		expect(sim.requests).toHaveLength(0);
	});

	it('points MX Telecom users to the trigger\'s delivery reports', async () => {
		const { error } = await runNode({
			node: new SmsGateway(),
			credentials: credentialsFor('mxTelecom'),
			parameters: { resource: 'message', operation: 'getStatus', messageId: '9007199254741993' },
		});
		expect(error?.message).toMatch(/no status query.*SMS Gateway Trigger, event "Delivery Report"/);
		expect(sim.requests).toHaveLength(0);
	});

	it('with Continue On Fail, turns an unknown message into an item with the error', async () => {
		const { items, error } = await runNode({
			node: new SmsGateway(),
			credentials: credentialsFor('gatewayApi'),
			continueOnFail: true,
			parameters: { resource: 'message', operation: 'getStatus', messageId: '123' },
		});
		expect(error).toBeUndefined();
		expect(items).toHaveLength(1);
		expect(items[0].json.error).toMatch(/^Item 0: GatewayAPI does not list message 123 \(HTTP 404\)/);
	});
});

describe('Message → Broadcast to BulkSMS groups', () => {
	const groupBroadcast = (groupIds: string, extra = {}) => ({
		resource: 'message',
		operation: 'broadcast',
		sendTo: 'groups',
		groupIds,
		message: 'Members night on Friday',
		...extra,
	});

	it('sends one request to the groups and returns one item for it', async () => {
		const { items, error } = await runNode({
			node: new SmsGateway(),
			credentials: credentialsFor('bulkSms'),
			parameters: groupBroadcast('1, 2', { from: 'Club' }),
		});
		expect(error).toBeUndefined();
		expect(items.map((item) => item.json)).toEqual([
			{
				addressedAs: 'group',
				groupIds: ['1', '2'],
				status: 'accepted',
				messageId: expect.stringMatching(/^\d+$/),
				parts: 1,
				encoding: 'gsm7',
				provider: 'bulkSms',
				error: null,
			},
		]);
		const sends = sim.requests.filter((r) => r.endpoint === 'bulksms.send_sms');
		expect(sends).toHaveLength(1);
		expect(sends[0].params).toMatchObject({ dest_group_id: '1,2', sender: 'Club' });
		// The simulator's default phone book: groups 1 and 2 share one number, sent once.
		expect(sim.accepted.map((a) => a.to)).toEqual(['447700900301', '447700900302', '447700900303', '447700900304']);
	});

	it('takes the group IDs from an expression returning a list', async () => {
		const { items } = await runNode({
			node: new SmsGateway(),
			credentials: credentialsFor('bulkSms'),
			input: [{ groups: [2] }],
			parameters: groupBroadcast('={{ $json.groups }}'),
		});
		expect(items[0].json).toMatchObject({ groupIds: ['2'], status: 'accepted' });
	});

	it.each(['gatewayApi', 'mxTelecom'] as const)('refuses groups on %s before any request leaves', async (provider) => {
		const { error } = await runNode({
			node: new SmsGateway(),
			credentials: credentialsFor(provider),
			parameters: groupBroadcast('1'),
		});
		expect(error?.message).toMatch(new RegExp(`^Item 0, field "Group IDs": Phone-book groups exist only on BulkSMS; this account's provider is ${provider}`));
		expect(sim.requests).toHaveLength(0);
	});

	it('refuses a group ID that is not a number', async () => {
		const { error } = await runNode({
			node: new SmsGateway(),
			credentials: credentialsFor('bulkSms'),
			parameters: groupBroadcast('1, members'),
		});
		expect(error?.message).toMatch(/^Item 0, field "Group IDs": "members" is not a BulkSMS phone-book group id/);
		expect(sim.requests).toHaveLength(0);
	});
});

describe('the node as an AI tool', () => {
	const { description } = new SmsGateway();
	const options = (name: string, resource?: string) =>
		(description.properties.find(
			(p: INodeProperties) => p.name === name && (resource === undefined || p.displayOptions?.show?.resource?.includes(resource)),
		)?.options ?? []) as INodePropertyOptions[];

	it('offers Account → Get Balance next to Message → Send, each with an action an agent can read', () => {
		expect(description.usableAsTool).toBe(true);
		expect(options('resource').map((o) => o.value)).toEqual(['account', 'message', 'mms']);
		expect(options('operation', 'account').map((o) => [o.value, o.action])).toEqual([['getBalance', 'Get the account balance']]);
		expect(options('operation', 'message').map((o) => o.value)).toEqual(['analyze', 'broadcast', 'getStatus', 'send']);
		for (const resource of ['account', 'message', 'mms']) {
			for (const option of options('operation', resource)) expect(option.action).toEqual(expect.any(String));
		}
	});
});
