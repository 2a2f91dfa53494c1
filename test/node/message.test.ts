import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { startSimulator, type Simulator } from '../../simulator';
import { SmsGateway } from '../../nodes/SmsGateway/SmsGateway.node';
import { runNode } from '../helpers/n8n';

type Provider = 'mxTelecom' | 'bulkSms' | 'gatewayApi';

let sim: Simulator;

beforeAll(async () => {
	sim = await startSimulator({ port: 0 });
});

afterAll(async () => {
	await sim.close();
});

beforeEach(() => sim.reset());

const credentialsFor = (provider: Provider): ICredentialDataDecryptedObject => ({
	mxTelecom: { provider, baseUrl: sim.url, mmsBaseUrl: sim.url, username: 'mx-user', password: 'mx-secret-pass' },
	bulkSms: { provider, baseUrl: sim.url, username: 'bulk-user', password: 'bulk-secret-pass' },
	gatewayApi: { provider, baseUrl: sim.url, token: 'gwapi-secret-token' },
})[provider];

const providers: Provider[] = ['mxTelecom', 'bulkSms', 'gatewayApi'];

describe.each(providers)('SMS Gateway node in n8n, provider %s', (provider) => {
	it('sends a long Unicode SMS and reports one accepted item with the gateway id', async () => {
		const message = '\u041f\u0440\u0438\u0432\u0435\u0442 \ud83d\udc4b '.repeat(12);
		const { items, error } = await runNode({
			node: new SmsGateway(),
			credentials: credentialsFor(provider),
			parameters: { resource: 'message', operation: 'send', to: '+447700900123', from: 'ACME', message },
		});
		expect(error).toBeUndefined();
		expect(items).toHaveLength(1);
		expect(items[0].json).toMatchObject({ to: '447700900123', status: 'accepted', encoding: 'ucs2', provider });
		expect(items[0].json.messageId).toEqual(expect.any(String));
		expect(items[0].pairedItem).toEqual({ item: 0 });
		const texts = sim.accepted.filter((record) => record.to === '447700900123').map((record) => record.text);
		expect(texts.join('')).toBe(message);
	});

	it('broadcasts to every recipient exactly once, one output item each, invalid ones as failed', async () => {
		const recipients = Array.from({ length: 1000 }, (_, n) => `4477009${String(n).padStart(5, '0')}`);
		const { items, error } = await runNode({
			node: new SmsGateway(),
			credentials: credentialsFor(provider),
			parameters: {
				resource: 'message',
				operation: 'broadcast',
				recipients: [...recipients.slice(0, 500), 'not-a-number', ...recipients.slice(500)].join('\n'),
				message: 'Sale ends at 6pm: 20% off [members]',
			},
		});
		expect(error).toBeUndefined();
		expect(items).toHaveLength(1001);
		const accepted = items.filter((item) => item.json.status === 'accepted');
		const failed = items.filter((item) => item.json.status === 'failed');
		expect(accepted).toHaveLength(1000);
		expect(failed.map((item) => item.json.to)).toEqual(['not-a-number']);
		expect(new Set(accepted.map((item) => item.json.to)).size).toBe(1000);
		expect(items.every((item) => (item.pairedItem as { item: number }).item === 0)).toBe(true);
		const sent = sim.accepted.map((record) => record.to).sort();
		expect(sent).toEqual([...recipients].sort());
	});

	it('refuses an invalid recipient before any request leaves, naming the item and the field', async () => {
		const { error } = await runNode({
			node: new SmsGateway(),
			credentials: credentialsFor(provider),
			parameters: { resource: 'message', operation: 'send', to: '12ab', message: 'hi' },
		});
		expect(error?.message).toMatch(/^Item 0, field "To": Recipient "12ab" .*digits/);
		expect(sim.requests).toHaveLength(0);
	});
});

describe('SMS Gateway node errors', () => {
	it('with Continue On Fail, turns a refused item into an output item with the error', async () => {
		const { items, error } = await runNode({
			node: new SmsGateway(),
			credentials: credentialsFor('gatewayApi'),
			continueOnFail: true,
			input: [{ to: '447700900001' }, { to: 'x' }],
			parameters: { resource: 'message', operation: 'send', to: '={{ $json.to }}', message: 'hello' },
		});
		expect(error).toBeUndefined();
		expect(items).toHaveLength(2);
		expect(items[0].json.status).toBe('accepted');
		expect(items[1].json.error).toMatch(/^Item 1, field "To": /);
		expect(items[1].pairedItem).toEqual({ item: 1 });
	});

	it('never shows the password in an error when the gateway refuses the credentials', async () => {
		const { error } = await runNode({
			node: new SmsGateway(),
			credentials: { ...credentialsFor('mxTelecom'), password: 'wrong-Pa55word' },
			parameters: { resource: 'message', operation: 'send', to: '447700900123', message: 'hi' },
		});
		expect(error).toBeDefined();
		expect(JSON.stringify(error)).not.toContain('wrong-Pa55word');
		expect(String(error?.description ?? '')).not.toContain('wrong-Pa55word');
	});

	it('bounds a stalled gateway by the Timeout option and reports the message unknown, never resent', async () => {
		sim.respondWith({ endpoint: 'gatewayapi.mtsms', hang: true, accept: true, times: 5 });
		const started = Date.now();
		const { items, error } = await runNode({
			node: new SmsGateway(),
			credentials: credentialsFor('gatewayApi'),
			parameters: { resource: 'message', operation: 'send', to: '447700900123', message: 'hi', options: { timeout: 1 } },
		});
		expect(error).toBeUndefined();
		expect(Date.now() - started).toBeLessThan(5000);
		expect(items[0].json).toMatchObject({ status: 'unknown', error: { retryable: false } });
		expect(sim.requests.filter((r) => r.endpoint === 'gatewayapi.mtsms')).toHaveLength(1);
	});
});
