/**
 * Send as a campaign: many input items, each with its own text, inside n8n's real
 * execution engine against the simulator. Items go out together over each gateway's bulk
 * path (docs/batching.md); every output item is paired with its input item, in order.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import type { Simulator } from '../../simulator';
import { SmsGateway } from '../../nodes/SmsGateway/SmsGateway.node';
import type { ProviderName } from '../../nodes/shared/providers';
import { runNode } from '../helpers/n8n';
import { useSimulator } from '../helpers/useSimulator';
import { credentialsFor as simulatorCredentials } from '../trigger/fixtures';

let sim: Simulator;
useSimulator({ port: 0 }, (started) => (sim = started));

const credentialsFor = (provider: ProviderName) => simulatorCredentials(sim, provider);

/** Rows of a sheet: a number and a name each. */
const rows = (count: number): IDataObject[] =>
	Array.from({ length: count }, (_, k) => ({ to: `4477009${String(k).padStart(5, '0')}`, name: `Name${k}`, k }));

const personalised: INodeParameters = {
	resource: 'message',
	operation: 'send',
	to: '={{ $json.to }}',
	message: '={{ "Hi " + $json.name + " " + $json.k + ", your code is " + $json.k }}',
};

const SEND_ENDPOINTS = ['mx.send', 'mx.bulksend', 'bulksms.send_sms', 'bulksms.send_batch', 'gatewayapi.mtsms'];
const sends = () => sim.requests.filter((r) => SEND_ENDPOINTS.includes(r.endpoint as string));

const providers: ProviderName[] = ['mxTelecom', 'bulkSms', 'gatewayApi'];

describe.each(providers)('Send, provider %s: a campaign of personalised rows', (provider) => {
	it('sends 1,000 rows, each (to, text) exactly once, one output item per row, paired and in order', async () => {
		const input = rows(1000);
		const { items, error } = await runNode({ node: new SmsGateway(), credentials: credentialsFor(provider), parameters: personalised, input });
		expect(error).toBeUndefined();
		expect(items).toHaveLength(1000);
		items.forEach((item, k) => {
			expect(item.pairedItem).toEqual({ item: k });
			expect(item.json).toMatchObject({ to: input[k].to, status: 'accepted', provider, error: null });
			expect(item.json.messageId).toEqual(expect.any(String));
		});
		expect(sim.duplicates()).toEqual([]);
		const sent = new Map(sim.accepted.map((a) => [a.to, a.text]));
		expect(sent.size).toBe(1000);
		for (const row of input) expect(sent.get(row.to as string)).toBe(`Hi ${row.name} ${row.k}, your code is ${row.k}`);
		// The bulk paths carry many rows per request; MX has none for distinct texts.
		if (provider === 'gatewayApi') expect(sends().length).toBe(1);
		if (provider === 'bulkSms') expect(sends().map((r) => r.endpoint)).toEqual(['bulksms.send_batch']);
		if (provider === 'mxTelecom') expect(sends().length).toBe(1000);
	});

	it('One Request per Item sends each row on its own, as before', async () => {
		const input = rows(20);
		const { items, error } = await runNode({
			node: new SmsGateway(),
			credentials: credentialsFor(provider),
			parameters: { ...personalised, options: { batching: 'perItem' } },
			input,
		});
		expect(error).toBeUndefined();
		expect(items.map((item) => item.json.status)).toEqual(input.map(() => 'accepted'));
		expect(sends().length).toBe(20);
	});

	it('rows with the same text share requests (MX bulksend, one message object, one batch)', async () => {
		const input = rows(300);
		const { items, error } = await runNode({
			node: new SmsGateway(),
			credentials: credentialsFor(provider),
			parameters: { ...personalised, message: 'Our shop opens at 9 tomorrow' },
			input,
		});
		expect(error).toBeUndefined();
		expect(items.every((item) => item.json.status === 'accepted')).toBe(true);
		expect(sim.accepted).toHaveLength(300);
		expect(sends().length).toBe(1);
	});

	it('an invalid row stops the run before anything is sent, naming the item and the field', async () => {
		const input = rows(50);
		input[17].to = '12ab';
		const { error } = await runNode({ node: new SmsGateway(), credentials: credentialsFor(provider), parameters: personalised, input });
		expect(error?.message).toMatch(/^Item 17, field "To": Recipient "12ab" /);
		expect(sim.requests).toHaveLength(0);
	});

	it('with Continue On Fail an invalid row becomes an error item in its place, the others are sent', async () => {
		const input = rows(50);
		input[17].to = '12ab';
		input[30].to = '';
		const { items, error } = await runNode({
			node: new SmsGateway(),
			credentials: credentialsFor(provider),
			parameters: personalised,
			input,
			continueOnFail: true,
		});
		expect(error).toBeUndefined();
		expect(items).toHaveLength(50);
		items.forEach((item, k) => expect(item.pairedItem).toEqual({ item: k }));
		expect(items[17].json.error).toMatch(/^Item 17, field "To": /);
		expect(items[30].json.error).toMatch(/^Item 30, field "To": /);
		expect(items.filter((item) => item.json.status === 'accepted')).toHaveLength(48);
		expect(sim.accepted).toHaveLength(48);
	});

	it('an item naming several recipients gets one output item per recipient, all paired with it', async () => {
		const input = [{ to: '447700900001, 447700900002', name: 'A', k: 1 }, { to: '447700900003', name: 'B', k: 2 }];
		const { items, error } = await runNode({ node: new SmsGateway(), credentials: credentialsFor(provider), parameters: personalised, input });
		expect(error).toBeUndefined();
		expect(items.map((item) => [item.json.to, item.pairedItem])).toEqual([
			['447700900001', { item: 0 }],
			['447700900002', { item: 0 }],
			['447700900003', { item: 1 }],
		]);
	});
});

describe('Send, From Input Fields: recipient and text from each row, no expression per row', () => {
	const fromFields: INodeParameters = { resource: 'message', operation: 'send', mappingMode: 'autoMapInputData' };

	it.each(providers)('%s: 500 rows with their own texts, each once, in order', async (provider) => {
		const input: IDataObject[] = rows(500).map((row) => ({ ...row, message: `Hi ${String(row.name)}, your code is ${String(row.k)}` }));
		const { items, error } = await runNode({ node: new SmsGateway(), credentials: credentialsFor(provider), parameters: fromFields, input });
		expect(error).toBeUndefined();
		expect(items.map((item) => [item.json.to, item.json.status, item.pairedItem])).toEqual(input.map((row, k) => [row.to, 'accepted', { item: k }]));
		const sent = new Map(sim.accepted.map((a) => [a.to, a.text]));
		for (const row of input) expect(sent.get(row.to as string)).toBe(row.message);
	});

	it('reads other field names, nested ones and numbers', async () => {
		const input = [{ contact: { phone: 447700900001 }, body: 'Nested and numeric' }];
		const { items, error } = await runNode({
			node: new SmsGateway(),
			credentials: credentialsFor('gatewayApi'),
			parameters: { ...fromFields, toField: 'contact.phone', messageField: 'body' },
			input,
		});
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ to: '447700900001', status: 'accepted' });
		expect(sim.accepted.map((a) => a.text)).toEqual(['Nested and numeric']);
	});

	it('a row without the field stops the run before anything is sent, naming the item and the field', async () => {
		const input: IDataObject[] = [{ to: '447700900001', message: 'a' }, { to: '447700900002', text: 'b' }];
		const { error } = await runNode({ node: new SmsGateway(), credentials: credentialsFor('bulkSms'), parameters: fromFields, input });
		expect(error?.message).toBe('Item 1, field "Message Field": the input item has no text or number in its field "message"');
		expect(sim.requests).toHaveLength(0);
	});
});

describe('Send: Max Messages per Second', () => {
	it('paces the whole run: 300 rows at 150/s take about 2 s (GatewayAPI)', async () => {
		const started = Date.now();
		const { items, error } = await runNode({
			node: new SmsGateway(),
			credentials: credentialsFor('gatewayApi'),
			parameters: { ...personalised, options: { maxPerSecond: 150 } },
			input: rows(300),
		});
		const elapsedMs = Date.now() - started;
		expect(error).toBeUndefined();
		expect(items.every((item) => item.json.status === 'accepted')).toBe(true);
		// 15 messages per request (a tenth of a second's worth): 20 requests, the first at once.
		expect(sends().length).toBe(20);
		expect(elapsedMs).toBeGreaterThan(1_800);
	});
});

describe('Send: a refusal without Continue On Fail', () => {
	it('stops the run with the refused item and the gateway code (GatewayAPI, account-wide refusal)', async () => {
		sim.respondWith({
			endpoint: 'gatewayapi.mtsms',
			status: 401,
			body: JSON.stringify({ code: '0x0213', message: 'Insufficient credit' }),
			headers: { 'Content-Type': 'application/json' },
		});
		const { error } = await runNode({ node: new SmsGateway(), credentials: credentialsFor('gatewayApi'), parameters: personalised, input: rows(10) });
		expect(error?.message).toMatch(/^Item 0: the gateway did not accept the message to 447700900000/);
		expect(sim.accepted).toHaveLength(0);
	});

	it('with Continue On Fail the refused rows are failed items and nothing stops (BulkSMS, insufficient credits)', async () => {
		sim.respondWith({ endpoint: 'bulksms.send_batch', body: '25|insufficient credits|' });
		const { items, error } = await runNode({
			node: new SmsGateway(),
			credentials: credentialsFor('bulkSms'),
			parameters: personalised,
			input: rows(10),
			continueOnFail: true,
		});
		expect(error).toBeUndefined();
		expect(items).toHaveLength(10);
		expect(items.every((item) => item.json.status === 'failed' && (item.json.error as IDataObject).code === 'BULKSMS_25')).toBe(true);
	});
});
