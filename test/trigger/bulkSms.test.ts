/**
 * BulkSMS pushes (unsigned GETs, ISO-8859-1), sent by the simulator to the trigger in
 * n8n-core's WebhookContext. The push URL carries the credential's webhook secret.
 */
import { startSimulator, type Simulator } from '../../simulator';
import { startTrigger, type TriggerHarness } from '../helpers/triggerHarness';
import { credentialsFor, onlyItem } from './fixtures';

const SECRET = 'bulk-hook-secret';
let sim: Simulator;
let trigger: TriggerHarness;
let url: string;

beforeAll(async () => {
	sim = await startSimulator({ port: 0 });
});
afterAll(async () => {
	await sim.close();
});
beforeEach(async () => {
	trigger = await startTrigger({
		credentials: credentialsFor(sim, 'bulkSms', { webhookSecret: SECRET }),
		parameters: { options: { ignoreStaleReports: false } },
	});
	url = `${trigger.pushUrl}?secret=${SECRET}`;
});
afterEach(async () => {
	await trigger.close();
});

describe('inbound SMS', () => {
	test('7-bit text arrives as ISO-8859-1 and is decoded as such', async () => {
		const text = 'Gr\u00fc\u00dfe aus K\u00f6ln, 5\u00a3 & 10% \u00bfs\u00ed?';
		const before = Date.now();
		const res = await sim.push.inboundSms('bulkSms', url, { from: '447700900321', to: '447700900001', text, id: '9001', sourceId: 'campaign-7' });
		expect(res.status).toBe(200);
		expect(res.body).toBe('OK');
		const item = onlyItem(trigger.executions);
		expect(item).toMatchObject({
			event: 'inboundSms',
			provider: 'bulkSms',
			messageId: '9001',
			from: '447700900321',
			to: '447700900001',
			text,
			encoding: 'gsm7',
			network: null,
			dedupeKey: 'bulkSms:inboundSms:9001',
		});
		// The push has no time of its own: receivedAt is when the trigger got it.
		expect(Date.parse(item.receivedAt as string)).toBeGreaterThanOrEqual(before - 1000);
		expect(item.raw).toMatchObject({ message: text, source_id: 'campaign-7', dca: '7bit' });
		expect(item.raw).not.toHaveProperty('secret');
		expect(JSON.stringify(item)).not.toContain(SECRET);
	});

	test('16-bit messages are UCS-2 hex', async () => {
		const text = '\u0417\u0434\u0440\u0430\u0432\u0441\u0442\u0432\u0443\u0439 \u20ac \ud83d\udc4b';
		await sim.push.inboundSms('bulkSms', url, { from: '79000000001', to: '447700900001', text });
		expect(onlyItem(trigger.executions)).toMatchObject({ encoding: 'ucs2', text });
	});

	test('8-bit messages keep their hex payload', async () => {
		await sim.push.inboundSms('bulkSms', url, { from: '447700900321', to: '447700900001', hex: '0605040B8423F0' });
		expect(onlyItem(trigger.executions)).toMatchObject({ encoding: 'binary', text: '', payload: '0605040B8423F0' });
	});
});

describe('status reports', () => {
	test('a report names the batch and recipient; the code is mapped and described', async () => {
		const res = await sim.push.deliveryReport('bulkSms', url, {
			batchId: '123456789',
			to: '447700900321',
			status: 11,
			completedTime: '2024-07-01T10:11:12Z',
			sourceId: 'order-9',
		});
		expect(res.status).toBe(200);
		expect(onlyItem(trigger.executions)).toMatchObject({
			event: 'deliveryReport',
			provider: 'bulkSms',
			messageId: '123456789',
			status: 'delivered',
			final: true,
			providerStatus: '11',
			reason: 'Delivered to mobile',
			to: '447700900321',
			reference: 'order-9',
			at: '2024-07-01T10:11:12+00:00',
			channel: 'sms',
			kind: 'delivery',
		});
	});

	test.each([
		[0, 'buffered', false],
		[10, 'buffered', false],
		[22, 'rejected', true],
		[32, 'rejected', true],
		[51, 'failed', true],
		[53, 'expired', true],
		[63, 'buffered', false],
		[70, 'unknown', false],
		[99, 'unknown', false],
	])('status %d is %s', async (code, status, final) => {
		await sim.push.deliveryReport('bulkSms', url, { batchId: '5', to: '447700900321', status: code, completedTime: null });
		expect(onlyItem(trigger.executions)).toMatchObject({ status, final, providerStatus: String(code), at: null });
	});
});

describe('the secret in the push URL', () => {
	test.each([
		['missing', '', 'Unauthorized: missing "secret" query parameter'],
		['wrong', '?secret=guess', 'Unauthorized: wrong "secret" query parameter'],
		['a prefix of the right one', `?secret=${SECRET.slice(0, -1)}`, 'Unauthorized: wrong "secret" query parameter'],
		['given twice', `?secret=${SECRET}&secret=x`, 'Unauthorized: wrong "secret" query parameter'],
	])('%s: 401, nothing starts', async (_label, query, body) => {
		const res = await sim.push.inboundSms('bulkSms', `${trigger.pushUrl}${query}`, { from: '447700900321', to: '447700900001', text: 'x' });
		expect(res.status).toBe(401);
		expect(res.body).toBe(body);
		expect(trigger.executions).toHaveLength(0);
		expect(trigger.logs.some((l) => l.message.includes(SECRET))).toBe(false);
	});

	test('a custom parameter name can be used', async () => {
		await trigger.close();
		trigger = await startTrigger({
			credentials: credentialsFor(sim, 'bulkSms', { webhookSecret: SECRET }),
			parameters: { options: { authQueryParameter: 'k' } },
		});
		const res = await sim.push.inboundSms('bulkSms', `${trigger.pushUrl}?k=${SECRET}`, { from: '447700900321', to: '447700900001', text: 'x' });
		expect(res.status).toBe(200);
		expect(onlyItem(trigger.executions).raw).not.toHaveProperty('k');
	});
});
