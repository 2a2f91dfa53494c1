/**
 * How often a push makes n8n decrypt the trigger's credential (each getCredentials() in
 * webhook() costs n8n an expression isolate): the harness counts the decryptions its
 * credentials helper serves. Refusals that need no credential read none, a push reads it
 * at most once, and pushes within the TTL reuse the kept copy. Time is moved by shifting
 * Date.now, which is all the kept copy's expiry looks at.
 */
import type { ICredentialDataDecryptedObject, INodeParameters } from 'n8n-workflow';

import { request, startSimulator, type PushResult, type Simulator } from '../../simulator';
import {
	CREDENTIAL_TTL_MS,
	CredentialCache,
	RECHECK_AFTER_MS,
} from '../../nodes/SmsGatewayTrigger/credential';
import { startTrigger, type TriggerHarness, type TriggerOptions } from '../helpers/triggerHarness';
import { credentialsFor, type Provider } from './fixtures';

let sim: Simulator;
const open: TriggerHarness[] = [];
const realNow = Date.now.bind(Date);
let offsetMs = 0;

beforeAll(async () => {
	sim = await startSimulator({ port: 0 });
});
afterAll(async () => {
	await sim.close();
});
beforeEach(() => {
	offsetMs = 0;
	jest.spyOn(Date, 'now').mockImplementation(() => realNow() + offsetMs);
});
afterEach(async () => {
	jest.restoreAllMocks();
	for (const t of open.splice(0)) await t.close();
});

let workflows = 0;
async function start(
	provider: Provider,
	options: INodeParameters = { ipAllowlist: '*' },
	extra: ICredentialDataDecryptedObject = {},
	more: Partial<TriggerOptions> = {},
): Promise<TriggerHarness> {
	workflows += 1;
	const t = await startTrigger({
		credentials: credentialsFor(sim, provider, extra),
		parameters: { options },
		workflowId: `wf-credential-${workflows}`,
		...more,
	});
	open.push(t);
	return t;
}

/** Runs a push and returns its answer with the decryptions it caused. */
async function counted(t: TriggerHarness, push: () => Promise<PushResult>): Promise<{ status: number; body: string; reads: number }> {
	const before = t.credentialReads;
	const res = await push();
	return { status: res.status, body: res.body, reads: t.credentialReads - before };
}

const sms = (id: string) => ({ from: '447700900123', to: '58870', text: 'hi', id });
const mmsParts = [{ name: 'a.txt', mimeType: 'text/plain', data: 'hello' }];

describe('reads per push', () => {
	test('MX: the first push reads the credential once; every event kind after it reads none', async () => {
		const t = await start('mxTelecom');
		expect(await counted(t, () => sim.push.inboundSms('mxTelecom', t.pushUrl, sms('1')))).toEqual({ status: 200, body: 'OK', reads: 1 });
		const later = [
			await counted(t, () => sim.push.inboundSms('mxTelecom', t.pushUrl, sms('2'))),
			await counted(t, () => sim.push.deliveryReport('mxTelecom', t.pushUrl, { messageId: '5', to: '447700900123' })),
			await counted(t, () => sim.push.unsubscribe('mxTelecom', t.pushUrl, { msisdn: '447700900123', shortcodes: ['58870'] })),
			await counted(t, () => sim.push.mmsReport(t.pushUrl, { requestId: '9', to: '58870', from: '447700900123' })),
			await counted(t, () => sim.push.mmsPost(t.pushUrl, { from: '447700900123', to: '58870', parts: mmsParts })),
		];
		expect(later).toEqual(Array.from({ length: 5 }, () => ({ status: 200, body: 'OK', reads: 0 })));
		expect(t.executions).toHaveLength(6);
	});

	test('BulkSMS and GatewayAPI with a webhook secret: one read, then none', async () => {
		const bulk = await start('bulkSms', { ipAllowlist: '*' }, { webhookSecret: 'bulk-secret' });
		const url = `${bulk.pushUrl}?secret=bulk-secret`;
		expect((await counted(bulk, () => sim.push.inboundSms('bulkSms', url, { from: '447700900123', to: '447700900001', id: '1' }))).reads).toBe(1);
		expect((await counted(bulk, () => sim.push.deliveryReport('bulkSms', url, { batchId: '7', to: '447700900123' }))).reads).toBe(0);
		expect(bulk.executions).toHaveLength(2);

		const gw = await start('gatewayApi', { ipAllowlist: '*' }, { webhookSecret: sim.credentials.webhookSecret as string });
		expect((await counted(gw, () => sim.push.inboundSms('gatewayApi', gw.pushUrl, { from: '4512345678', to: '451204', id: 1 }))).reads).toBe(1);
		expect((await counted(gw, () => sim.push.deliveryReport('gatewayApi', gw.pushUrl, { messageId: 2, to: '4512345678' }))).reads).toBe(0);
		expect(gw.executions).toHaveLength(2);
	});

	test('pushes arriving together before anything is kept share one read', async () => {
		const t = await start('mxTelecom');
		const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => sim.push.inboundSms('mxTelecom', t.pushUrl, sms(String(100 + i)))));
		expect(answers.every((a) => a.status === 200)).toBe(true);
		expect(t.credentialReads).toBe(1);
		expect(t.executions).toHaveLength(10);
	});

	test('an MMS notification reads the credential once: the retrieval reuses it', async () => {
		const t = await start('mxTelecom');
		const retrievals = () => sim.requests.filter((r) => r.endpoint === 'mx.retrievemms').length;
		const before = retrievals();
		const first = await counted(t, () => sim.push.mmsNotification(t.pushUrl, { from: '447700900123', to: '58870', parts: mmsParts }));
		expect(first).toEqual({ status: 200, body: 'OK', reads: 1 });
		const second = await counted(t, () => sim.push.mmsNotification(t.pushUrl, { from: '447700900123', to: '58870', parts: mmsParts }));
		expect(second).toEqual({ status: 200, body: 'OK', reads: 0 });
		expect(retrievals() - before).toBe(2);
		expect(t.executions.map((e) => e[0].json)).toMatchObject([
			{ event: 'inboundMms', retrieved: true, error: null },
			{ event: 'inboundMms', retrieved: true, error: null },
		]);
	});
});

describe('refusals that need no credential read none', () => {
	test('a caller outside a fixed IP allowlist: 403', async () => {
		for (const provider of ['mxTelecom', 'bulkSms', 'gatewayApi'] as const) {
			const t = await start(provider, { ipAllowlist: '10.0.0.0/8' });
			const res = await counted(t, () => sim.push.inboundSms(provider, t.pushUrl, { from: '447700900123', to: '58870', id: '1' }));
			expect(res).toEqual({ status: 403, body: "Forbidden: 127.0.0.1 is not in this trigger's IP allowlist", reads: 0 });
		}
	});

	test('too large, malformed or of the wrong charset: 413, 400, 415', async () => {
		const t = await start('gatewayApi', { ipAllowlist: '*', maxBodySize: 1 }, { webhookSecret: 'gw-secret' });
		const json = (body: string, type = 'application/json') => () => request(t.pushUrl, { method: 'POST', headers: { 'Content-Type': type }, body });
		expect(await counted(t, json(JSON.stringify({ pad: 'x'.repeat(2048) })))).toMatchObject({ status: 413, reads: 0 });
		expect(await counted(t, () => request(`${t.pushUrl}?a=%zz`))).toMatchObject({ status: 400, reads: 0 });
		expect(await counted(t, json('{}', 'application/json; charset=iso-8859-1'))).toMatchObject({ status: 415, reads: 0 });
		expect(t.credentialReads).toBe(0);
	});

	test('with the default allowlist, a caller in MX\'s ranges is admitted for every provider, so its size is checked first', async () => {
		const t = await start('mxTelecom', { maxBodySize: 1 }, {}, { trustProxy: true });
		const big = await counted(t, () =>
			request(t.pushUrl, {
				method: 'POST',
				headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Forwarded-For': '83.166.68.1' },
				body: `smsmsg=${'x'.repeat(2048)}`,
			}),
		);
		expect(big).toMatchObject({ status: 413, reads: 0 });
	});

	test('with the default allowlist, a caller outside MX\'s ranges waits for the provider (403 stays first); the kept copy answers the next', async () => {
		const mx = await start('mxTelecom', {});
		const push = () => sim.push.inboundSms('mxTelecom', mx.pushUrl, sms('1'));
		expect(await counted(mx, push)).toMatchObject({ status: 403, reads: 1 });
		expect(await counted(mx, push)).toMatchObject({ status: 403, reads: 0 });

		const bulk = await start('bulkSms', { maxBodySize: 1 });
		const big = () => request(bulk.pushUrl, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: `msisdn=${'1'.repeat(2048)}` });
		expect(await counted(bulk, big)).toMatchObject({ status: 413, reads: 1 });
		expect(await counted(bulk, big)).toMatchObject({ status: 413, reads: 0 });
	});
});

describe('the kept copy', () => {
	test('expires CREDENTIAL_TTL_MS after its read started', async () => {
		const t = await start('mxTelecom');
		expect((await counted(t, () => sim.push.inboundSms('mxTelecom', t.pushUrl, sms('1')))).reads).toBe(1);
		offsetMs = CREDENTIAL_TTL_MS - 1000;
		expect((await counted(t, () => sim.push.inboundSms('mxTelecom', t.pushUrl, sms('2')))).reads).toBe(0);
		offsetMs = CREDENTIAL_TTL_MS + 1000;
		expect((await counted(t, () => sim.push.inboundSms('mxTelecom', t.pushUrl, sms('3')))).reads).toBe(1);
		expect((await counted(t, () => sim.push.inboundSms('mxTelecom', t.pushUrl, sms('4')))).reads).toBe(0);
	});

	test('is kept per workflow, node and credential id', async () => {
		const push = async (t: TriggerHarness, id: string) => (await counted(t, () => sim.push.inboundSms('mxTelecom', t.pushUrl, sms(id)))).reads;
		const same = { workflowId: 'wf-credential-shared', nodeId: 'node-shared' };
		const a = await start('mxTelecom', { ipAllowlist: '*' }, {}, { ...same, credentialId: 'cred-a' });
		expect(await push(a, '1')).toBe(1);
		// The same node pointed at another credential: a new key.
		const b = await start('mxTelecom', { ipAllowlist: '*' }, {}, { ...same, credentialId: 'cred-b' });
		expect(await push(b, '2')).toBe(1);
		// The same credential in another workflow: its own key too.
		const c = await start('mxTelecom', { ipAllowlist: '*' }, {}, { workflowId: 'wf-credential-other', nodeId: 'node-shared', credentialId: 'cred-a' });
		expect(await push(c, '3')).toBe(1);
		// Same workflow, node and credential (another harness in this process): the kept copy.
		const again = await start('mxTelecom', { ipAllowlist: '*' }, {}, { ...same, credentialId: 'cred-a' });
		expect(await push(again, '4')).toBe(0);
	});

	test('an edit takes effect after the TTL at the latest: a secret added to an MX credential', async () => {
		const t = await start('mxTelecom');
		const bare = () => sim.push.inboundSms('mxTelecom', t.pushUrl, sms(String(realNow()) + String(offsetMs)));
		expect(await counted(t, bare)).toMatchObject({ status: 200, reads: 1 });
		t.editCredentials(credentialsFor(sim, 'mxTelecom', { webhookSecret: 'new-mx-secret' }));
		// Within the TTL the kept copy (no secret) still decides.
		offsetMs = CREDENTIAL_TTL_MS - 1000;
		expect(await counted(t, bare)).toMatchObject({ status: 200, reads: 0 });
		offsetMs = CREDENTIAL_TTL_MS + 1000;
		expect(await counted(t, bare)).toEqual({ status: 401, body: 'Unauthorized: missing "secret" query parameter', reads: 1 });
		const signed = await counted(t, () => sim.push.inboundSms('mxTelecom', `${t.pushUrl}?secret=new-mx-secret`, sms('77')));
		expect(signed).toMatchObject({ status: 200, reads: 0 });
	});

	test('a rotated secret: the old one is accepted until re-read, the new one after one re-read', async () => {
		const t = await start('bulkSms', { ipAllowlist: '*' }, { webhookSecret: 'old-secret' });
		let n = 0;
		const push = (secret: string) => () => sim.push.inboundSms('bulkSms', `${t.pushUrl}?secret=${secret}`, { from: '447700900123', to: '447700900001', id: String((n += 1)) });
		expect(await counted(t, push('old-secret'))).toMatchObject({ status: 200, reads: 1 });
		t.editCredentials(credentialsFor(sim, 'bulkSms', { webhookSecret: 'new-secret' }));
		// The kept copy still knows only the old secret.
		expect(await counted(t, push('old-secret'))).toMatchObject({ status: 200, reads: 0 });
		// Refused against a copy younger than RECHECK_AFTER_MS: no re-read; the gateway retries.
		expect(await counted(t, push('new-secret'))).toMatchObject({ status: 401, reads: 0 });
		offsetMs = RECHECK_AFTER_MS + 100;
		// Older: the refusal re-reads the credential, and the new secret is accepted.
		expect(await counted(t, push('new-secret'))).toMatchObject({ status: 200, reads: 1 });
		expect(await counted(t, push('old-secret'))).toMatchObject({ status: 401, reads: 0 });
		expect(await counted(t, push('new-secret'))).toMatchObject({ status: 200, reads: 0 });
		expect(t.executions).toHaveLength(4);
		expect(JSON.stringify(t.logs)).not.toMatch(/old-secret|new-secret/);
		expect(JSON.stringify(t.executions)).not.toMatch(/old-secret|new-secret/);
	});

	test('a flood of wrong secrets costs at most one read per RECHECK_AFTER_MS', async () => {
		const t = await start('bulkSms', { ipAllowlist: '*' }, { webhookSecret: 'right' });
		const wrong = () => request(`${t.pushUrl}?secret=guess&msisdn=447700900001&sender=447700900123&message=hi&msg_id=1`);
		expect(await counted(t, wrong)).toMatchObject({ status: 401, reads: 1 });
		const burst = async () => {
			const before = t.credentialReads;
			const answers = await Promise.all(Array.from({ length: 20 }, wrong));
			expect(answers.every((a) => a.status === 401)).toBe(true);
			return t.credentialReads - before;
		};
		expect(await burst()).toBe(0);
		offsetMs = RECHECK_AFTER_MS + 100;
		expect(await burst()).toBe(1);
		offsetMs = 2 * RECHECK_AFTER_MS + 200;
		expect(await burst()).toBe(1);
	});

	test('an MMS login the gateway rejects is retried once with the edited credential', async () => {
		const t = await start('mxTelecom', { ipAllowlist: '*' }, { mmsPassword: 'stale-password' });
		const notify = () => sim.push.mmsNotification(t.pushUrl, { from: '447700900123', to: '58870', parts: mmsParts });
		// Read afresh for this push: nothing newer to try.
		expect(await counted(t, notify)).toMatchObject({ status: 200, reads: 1 });
		expect(t.executions[0][0].json).toMatchObject({ retrieved: false, error: expect.stringContaining('rejected the MMS account credentials') });
		t.editCredentials(credentialsFor(sim, 'mxTelecom'));
		offsetMs = RECHECK_AFTER_MS + 100;
		expect(await counted(t, notify)).toMatchObject({ status: 200, reads: 1 });
		expect(t.executions[1][0].json).toMatchObject({ retrieved: true, error: null });
		expect(await counted(t, notify)).toMatchObject({ status: 200, reads: 0 });
		expect(t.executions[2][0].json).toMatchObject({ retrieved: true, error: null });
		expect(JSON.stringify(t.executions)).not.toContain('stale-password');
	});

	test('a notification whose retrieval fails for another reason reads nothing more', async () => {
		const t = await start('mxTelecom');
		await counted(t, () => sim.push.inboundSms('mxTelecom', t.pushUrl, sms('1')));
		offsetMs = RECHECK_AFTER_MS + 100;
		const res = await counted(t, () => sim.push.mmsNotification(t.pushUrl, { id: 'no-such-mms', from: '447700900123', to: '58870' }));
		expect(res).toMatchObject({ status: 200, reads: 0 });
		expect(t.executions[1][0].json).toMatchObject({ retrieved: false, error: expect.stringContaining('404') });
	});

	test('test runs ("Listen for test event") read the credential every time', async () => {
		const t = await start('mxTelecom', { ipAllowlist: '*' }, {}, { mode: 'manual' });
		expect((await counted(t, () => sim.push.inboundSms('mxTelecom', t.pushUrl, sms('1')))).reads).toBe(1);
		expect((await counted(t, () => sim.push.inboundSms('mxTelecom', t.pushUrl, sms('2')))).reads).toBe(1);
	});

	test('activation and deactivation forget the kept copy', async () => {
		const t = await start('mxTelecom');
		const push = async (id: string) => (await counted(t, () => sim.push.inboundSms('mxTelecom', t.pushUrl, sms(id)))).reads;
		expect(await push('1')).toBe(1);
		expect(await push('2')).toBe(0);
		await t.hook('create');
		expect(await push('3')).toBe(1);
		await t.hook('delete');
		expect(await push('4')).toBe(1);
	});
});

describe('CredentialCache', () => {
	const read = (value: string) => async () => ({ provider: value });

	test('an entry lives for the TTL from the start of its read, and not when the clock went back', async () => {
		const cache = new CredentialCache(1000, 10);
		const entry = cache.start('k', 5000, read('a'));
		await expect(entry.data).resolves.toEqual({ provider: 'a' });
		expect(cache.find('k', 5999)).toBe(entry);
		expect(cache.find('k', 4999)).toBeUndefined();
		cache.start('k', 5000, read('a'));
		expect(cache.find('k', 6000)).toBeUndefined();
		expect(cache.size).toBe(0);
	});

	test('kept data is a frozen copy', async () => {
		const original = { provider: 'mxTelecom', password: 'p' };
		const data = await new CredentialCache().start('k', 0, async () => original).data;
		expect(data).toEqual(original);
		expect(data).not.toBe(original);
		expect(Object.isFrozen(data)).toBe(true);
	});

	test('bounded: the oldest entries go first', () => {
		const cache = new CredentialCache(60_000, 3);
		for (let i = 0; i < 5; i++) cache.start(`k${i}`, 1000 + i, read(String(i)));
		expect(cache.size).toBe(3);
		expect(cache.find('k0', 1010)).toBeUndefined();
		expect(cache.find('k1', 1010)).toBeUndefined();
		expect(cache.find('k4', 1010)).toBeDefined();
	});

	test('an expired entry is dropped when any key is looked up', () => {
		const cache = new CredentialCache(1000, 10);
		cache.start('old', 0, read('a'));
		cache.start('new', 500, read('b'));
		expect(cache.find('other', 1200)).toBeUndefined();
		expect(cache.size).toBe(1);
		expect(cache.find('new', 1200)).toBeDefined();
	});

	test('a read that fails is not kept', async () => {
		const cache = new CredentialCache();
		const entry = cache.start('k', 0, async () => await Promise.reject(new Error('no such credential')));
		await expect(entry.data).rejects.toThrow('no such credential');
		expect(cache.find('k', 1)).toBeUndefined();
	});

	test('forget drops one node\'s entries only', () => {
		const cache = new CredentialCache();
		cache.start('wf\u0000n1\u0000c1', 0, read('a'));
		cache.start('wf\u0000n2\u0000c1', 0, read('b'));
		cache.forget('wf\u0000n1\u0000');
		expect(cache.find('wf\u0000n1\u0000c1', 1)).toBeUndefined();
		expect(cache.find('wf\u0000n2\u0000c1', 1)).toBeDefined();
	});
});
