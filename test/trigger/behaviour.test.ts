/**
 * The trigger's own behaviour around the events: which events start a workflow, duplicate
 * suppression, the activation hooks and the node description n8n reads.
 */
import { NodeOperationError, type INodeParameters } from 'n8n-workflow';

import { delay, startSimulator, zip, type Simulator } from '../../simulator';
import { SmsGatewayTrigger } from '../../nodes/SmsGatewayTrigger/SmsGatewayTrigger.node';
import { startTrigger, type TriggerHarness } from '../helpers/triggerHarness';
import { credentialsFor } from './fixtures';

let sim: Simulator;
let trigger: TriggerHarness;

beforeAll(async () => {
	sim = await startSimulator({ port: 0 });
});
afterAll(async () => {
	await sim.close();
});
afterEach(async () => {
	await trigger?.close();
});

async function mx(options: INodeParameters = {}, extra: INodeParameters = {}): Promise<TriggerHarness> {
	trigger = await startTrigger({
		credentials: credentialsFor(sim, 'mxTelecom'),
		parameters: { options: { ipAllowlist: '*', ...options }, ...extra },
	});
	return trigger;
}

const sms = (id: string, text = 'hi') => ({ from: '447700900123', to: '58870', text, id });

describe('events', () => {
	test('an event that is not selected is answered 200 OK and starts nothing', async () => {
		const t = await mx({}, { events: ['deliveryReport'] });
		const res = await sim.push.inboundSms('mxTelecom', t.pushUrl, sms('1'));
		expect(res.status).toBe(200);
		expect(res.body).toBe('OK');
		expect(t.executions).toHaveLength(0);
		const report = await sim.push.deliveryReport('mxTelecom', t.pushUrl, { messageId: '5', to: '447700900123' });
		expect(report.status).toBe(200);
		expect(t.executions).toHaveLength(1);
		expect(t.executions[0][0].json.event).toBe('deliveryReport');
	});

	test('every push gets a non-empty body within the answer (MX requires one)', async () => {
		const t = await mx();
		const answers = await Promise.all([
			sim.push.inboundSms('mxTelecom', t.pushUrl, sms('11')),
			sim.push.deliveryReport('mxTelecom', t.pushUrl, { messageId: '12', to: '447700900123' }),
			sim.push.unsubscribe('mxTelecom', t.pushUrl, { msisdn: '447700900123', shortcodes: ['58870'] }),
			sim.push.mmsNotification(t.pushUrl, { from: '447700900123', to: '58870', parts: [{ name: 'a.txt', mimeType: 'text/plain', data: 'x' }] }),
			sim.push.mmsReport(t.pushUrl, { requestId: '9', to: '58870', from: '447700900123' }),
		]);
		expect(answers.map((a) => [a.status, a.body])).toEqual(Array.from({ length: 5 }, () => [200, 'OK']));
		expect(t.executions.map((e) => e[0].json.event).sort()).toEqual(['deliveryReport', 'deliveryReport', 'inboundMms', 'inboundSms', 'unsubscribe']);
	});
});

test('200 different pushes, 50 at a time: each answered 200 OK and each one execution', async () => {
	const t = await mx();
	const ids = Array.from({ length: 200 }, (_, i) => String(100000 + i));
	const answers: Array<{ status: number; body: string }> = [];
	for (let i = 0; i < ids.length; i += 50) {
		answers.push(...(await Promise.all(ids.slice(i, i + 50).map((id) => sim.push.inboundSms('mxTelecom', t.pushUrl, sms(id, `msg ${id}`))))));
	}
	expect(answers.every((a) => a.status === 200 && a.body === 'OK')).toBe(true);
	expect(t.executions).toHaveLength(200);
	expect(new Set(t.executions.map((e) => e[0].json.messageId)).size).toBe(200);
	expect(t.executions.every((e) => e[0].json.text === `msg ${e[0].json.messageId}`)).toBe(true);
});

describe('dedupe', () => {
	test('a redelivered smsid is answered 200 OK and starts nothing', async () => {
		const t = await mx();
		const first = await sim.push.inboundSms('mxTelecom', t.pushUrl, sms('900'));
		const again = await sim.push.inboundSms('mxTelecom', t.pushUrl, sms('900'));
		const other = await sim.push.inboundSms('mxTelecom', t.pushUrl, sms('901'));
		expect([first.status, again.status, other.status]).toEqual([200, 200, 200]);
		expect(again.body).toBe('OK');
		expect(t.executions.map((e) => e[0].json.messageId)).toEqual(['900', '901']);
	});

	test('ten copies at once start exactly one execution; all get 200', async () => {
		const t = await mx();
		const answers = await Promise.all(Array.from({ length: 10 }, () => sim.push.inboundSms('mxTelecom', t.pushUrl, sms('950'))));
		expect(answers.every((a) => a.status === 200 && a.body === 'OK')).toBe(true);
		expect(t.executions).toHaveLength(1);
	});

	test('a push whose first delivery was refused is handled when it comes again', async () => {
		const t = await mx();
		const fields = { id: '4711', from: '447700900123', to: '58870' };
		const broken = await sim.push.mmsPost(t.pushUrl, { ...fields, zip: Buffer.from('garbage') });
		expect(broken.status).toBe(400);
		const good = await sim.push.mmsPost(t.pushUrl, { ...fields, zip: zip.buildMmsZip([{ name: 'a.txt', mimeType: 'text/plain', data: 'ok' }]) });
		expect(good.status).toBe(200);
		expect(t.executions).toHaveLength(1);
		expect(t.executions[0][0].json).toMatchObject({ messageId: '4711', retrieved: true });
		const repeat = await sim.push.mmsPost(t.pushUrl, { ...fields, zip: zip.buildMmsZip([{ name: 'a.txt', mimeType: 'text/plain', data: 'ok' }]) });
		expect(repeat.status).toBe(200);
		expect(t.executions).toHaveLength(1);
	});

	test('delivery reports are keyed by the push, so a new status for the same message is not a duplicate', async () => {
		const t = await mx({ ignoreStaleReports: false });
		await sim.push.deliveryReport('mxTelecom', t.pushUrl, { messageId: '77', to: '447700900123', status: 'BUFFERED', id: '1001' });
		await sim.push.deliveryReport('mxTelecom', t.pushUrl, { messageId: '77', to: '447700900123', status: 'DELIVERED', id: '1002' });
		await sim.push.deliveryReport('mxTelecom', t.pushUrl, { messageId: '77', to: '447700900123', status: 'DELIVERED', id: '1002', date: '2024-01-01 10:00:00' });
		await sim.push.deliveryReport('mxTelecom', t.pushUrl, { messageId: '77', to: '447700900123', status: 'DELIVERED', id: '1002', date: '2024-01-01 10:00:00' });
		expect(t.executions.map((e) => e[0].json.providerStatus)).toEqual(['BUFFERED', 'DELIVERED', 'DELIVERED']);
	});

	test('a window of 0 turns it off', async () => {
		const t = await mx({ dedupeWindow: 0 });
		await sim.push.inboundSms('mxTelecom', t.pushUrl, sms('960'));
		await sim.push.inboundSms('mxTelecom', t.pushUrl, sms('960'));
		expect(t.executions).toHaveLength(2);
	});

	test('a repeat after the window starts again', async () => {
		const t = await mx({ dedupeWindow: 1 });
		await sim.push.inboundSms('mxTelecom', t.pushUrl, sms('970'));
		await sim.push.inboundSms('mxTelecom', t.pushUrl, sms('970'));
		await delay(1100);
		await sim.push.inboundSms('mxTelecom', t.pushUrl, sms('970'));
		expect(t.executions).toHaveLength(2);
	});

	test('test runs ("listen for test event") are never deduplicated', async () => {
		trigger = await startTrigger({ credentials: credentialsFor(sim, 'mxTelecom'), parameters: { options: { ipAllowlist: '*' } }, mode: 'manual' });
		await sim.push.inboundSms('mxTelecom', trigger.pushUrl, sms('980'));
		await sim.push.inboundSms('mxTelecom', trigger.pushUrl, sms('980'));
		expect(trigger.executions).toHaveLength(2);
	});

	test('deactivation forgets what was seen', async () => {
		const t = await mx();
		await sim.push.inboundSms('mxTelecom', t.pushUrl, sms('990'));
		expect(await t.hook('delete')).toBe(true);
		await sim.push.inboundSms('mxTelecom', t.pushUrl, sms('990'));
		expect(t.executions).toHaveLength(2);
	});
});

describe('activation hooks', () => {
	test('checkExists reports no registration, create registers nothing and logs the push URL', async () => {
		const t = await mx();
		expect(await t.hook('checkExists')).toBe(false);
		expect(await t.hook('create')).toBe(true);
		const info = t.logs.filter((l) => l.level === 'info').map((l) => l.message);
		expect(info).toContainEqual(
			expect.stringMatching(/nothing is registered with MX Telecom \/ OpenMarket; set its push URL .* to http:\/\/127\.0\.0\.1:5678\/webhook\/[0-9a-f-]+\/sms$/),
		);
		expect(await t.hook('delete')).toBe(true);
		expect(t.logs.some((l) => /deactivated; nothing was registered/.test(l.message))).toBe(true);
		// Nothing reached the gateway.
		expect(sim.requests.filter((r) => r.endpoint !== 'mx.retrievemms')).toHaveLength(0);
	});

	test('for BulkSMS the logged URL shows where the secret goes, never the secret', async () => {
		trigger = await startTrigger({ credentials: credentialsFor(sim, 'bulkSms', { webhookSecret: 'top-secret-value' }) });
		await trigger.hook('create');
		const line = trigger.logs.find((l) => l.level === 'info')?.message ?? '';
		expect(line).toMatch(/\/sms\?secret=<webhook secret>$/);
		expect(JSON.stringify(trigger.logs)).not.toContain('top-secret-value');
	});

	test('an invalid IP allowlist fails activation, and a push meets a workflow error (500), not a silent accept', async () => {
		const t = await mx({ ipAllowlist: '83.166.68.0/33' });
		await expect(t.hook('create')).rejects.toThrow(NodeOperationError);
		await expect(t.hook('create')).rejects.toThrow('IP Allowlist: "83.166.68.0/33" has an invalid prefix length (0 to 32 for IPv4)');
		const res = await sim.push.inboundSms('mxTelecom', t.pushUrl, sms('1'));
		expect(res.status).toBe(500);
		expect(t.executions).toHaveLength(0);
	});
});

describe('description', () => {
	const { description } = new SmsGatewayTrigger();

	test('one fixed path for GET and POST, answered on receipt with the node\'s own body', () => {
		expect(description.webhooks).toEqual([
			{ name: 'setup', httpMethod: 'GET', responseMode: 'onReceived', responseData: '', path: 'sms' },
			{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', responseData: '', path: 'sms' },
		]);
		expect(JSON.stringify(description.webhooks)).not.toContain('={{');
	});

	test('a trigger n8n accepts: no inputs, not usable as a tool, the shared credential', () => {
		expect(description.name).toBe('smsGatewayTrigger');
		expect(description.displayName).toBe('SMS Gateway Trigger');
		expect(description.inputs).toEqual([]);
		expect(description.usableAsTool).toBeUndefined();
		expect(description.credentials).toEqual([{ name: 'smsGatewayApi', required: true }]);
		const events = description.properties.find((p) => p.name === 'events');
		expect(events?.default).toEqual(['inboundSms', 'inboundMms', 'deliveryReport', 'unsubscribe']);
	});
});
