/**
 * GatewayAPI webhooks (JSON POSTs signed with an HS256 JWT in X-Gwapi-Signature), sent by
 * the simulator to the trigger in n8n-core's WebhookContext.
 */
import type { INodeParameters } from 'n8n-workflow';

import { request, signJwt, startSimulator, type Simulator } from '../../simulator';
import { startTrigger, type TriggerHarness } from '../helpers/triggerHarness';
import { credentialsFor, onlyItem } from './fixtures';

let sim: Simulator;
let trigger: TriggerHarness;
let secret: string;

beforeAll(async () => {
	sim = await startSimulator({ port: 0 });
	secret = sim.credentials.webhookSecret as string;
});
afterAll(async () => {
	await sim.close();
});
afterEach(async () => {
	await trigger?.close();
});

async function gwTrigger(options: INodeParameters = {}, webhookSecret = secret): Promise<TriggerHarness> {
	trigger = await startTrigger({ credentials: credentialsFor(sim, 'gatewayApi', { webhookSecret }), parameters: { options } });
	return trigger;
}

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

function post(url: string, body: string, headers: Record<string, string>) {
	return request(url, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body });
}

test('inbound SMS: numbers become strings, senttime an ISO time, mcc/mnc the network', async () => {
	const t = await gwTrigger();
	const text = 'STOP \u00e6\u00f8\u00e5 \u20ac';
	const res = await sim.push.inboundSms('gatewayApi', t.pushUrl, {
		from: '4512345678',
		to: '451204',
		text,
		id: 8765,
		senttime: 1719828000,
		mcc: 238,
		mnc: 1,
	});
	expect(res.status).toBe(200);
	expect(res.body).toBe('OK');
	expect(onlyItem(t.executions)).toMatchObject({
		event: 'inboundSms',
		provider: 'gatewayApi',
		messageId: '8765',
		from: '4512345678',
		to: '451204',
		text,
		encoding: 'gsm7',
		receivedAt: '2024-07-01T10:00:00+00:00',
		network: '238-01',
		dedupeKey: 'gatewayApi:inboundSms:8765',
	});
});

test('inbound SMS with non-GSM text is reported as UCS-2', async () => {
	const t = await gwTrigger();
	await sim.push.inboundSms('gatewayApi', t.pushUrl, { from: '4512345678', to: '451204', text: '\u4f60\u597d' });
	expect(onlyItem(t.executions)).toMatchObject({ encoding: 'ucs2', text: '\u4f60\u597d' });
});

test('delivery status: id, recipient, userref, error code', async () => {
	const t = await gwTrigger();
	await sim.push.deliveryReport('gatewayApi', t.pushUrl, {
		messageId: 421332671,
		to: '4587654321',
		status: 'UNDELIVERABLE',
		time: 1450000000,
		userref: 'order-1',
		code: '0x1010',
		error: 'Unknown subscriber',
	});
	expect(onlyItem(t.executions)).toMatchObject({
		event: 'deliveryReport',
		provider: 'gatewayApi',
		messageId: '421332671',
		status: 'failed',
		final: true,
		providerStatus: 'UNDELIVERABLE',
		reason: '0x1010 Unknown subscriber',
		to: '4587654321',
		reference: 'order-1',
		at: '2015-12-13T09:46:40+00:00',
	});
});

test.each([
	['DELIVERED', 'delivered', true],
	['ENROUTE', 'buffered', false],
	['BUFFERED', 'buffered', false],
	['SCHEDULED', 'buffered', false],
	['EXPIRED', 'expired', true],
	['REJECTED', 'rejected', true],
	['SKIPPED', 'rejected', true],
	['DELETED', 'failed', true],
	['ACCEPTED', 'unknown', true],
	['UNKNOWN', 'unknown', false],
])('status %s is %s (final: %s)', async (word, status, final) => {
	const t = await gwTrigger();
	await sim.push.deliveryReport('gatewayApi', t.pushUrl, { messageId: 1, to: '4587654321', status: word });
	expect(onlyItem(t.executions)).toMatchObject({ status, final, providerStatus: word });
});

test('out of order: a transient status after a final one is acknowledged and dropped', async () => {
	const t = await gwTrigger();
	const first = await sim.push.deliveryReport('gatewayApi', t.pushUrl, { messageId: 77, to: '4587654321', status: 'DELIVERED', time: 1000 });
	const late = await sim.push.deliveryReport('gatewayApi', t.pushUrl, { messageId: 77, to: '4587654321', status: 'ENROUTE', time: 900 });
	const other = await sim.push.deliveryReport('gatewayApi', t.pushUrl, { messageId: 77, to: '4511111111', status: 'ENROUTE', time: 900 });
	expect([first.status, late.status, other.status]).toEqual([200, 200, 200]);
	expect(late.body).toBe('OK');
	expect(t.executions.map((e) => [e[0].json.status, e[0].json.to])).toEqual([
		['delivered', '4587654321'],
		['buffered', '4511111111'],
	]);
});

test('with Ignore Stale Reports off, late reports start the workflow too', async () => {
	const t = await gwTrigger({ ignoreStaleReports: false });
	await sim.push.deliveryReport('gatewayApi', t.pushUrl, { messageId: 78, to: '4587654321', status: 'DELIVERED', time: 1000 });
	await sim.push.deliveryReport('gatewayApi', t.pushUrl, { messageId: 78, to: '4587654321', status: 'ENROUTE', time: 900 });
	expect(t.executions).toHaveLength(2);
});

describe('signatures', () => {
	test("GatewayAPI's documented sample token verifies, and its payload is the event", async () => {
		const t = await gwTrigger({}, 'secret');
		const token =
			'eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.' +
			b64({ id: 2381703, msisdn: 4542609045, time: 1522764062, status: 'DELIVERED', error: null, code: null, userref: null, callback_url: 'http://bbaf7142.ngrok.io', api: 4 }).replace(/=+$/, '');
		expect(token.split('.')[1]).toBe(
			'eyJpZCI6MjM4MTcwMywibXNpc2RuIjo0NTQyNjA5MDQ1LCJ0aW1lIjoxNTIyNzY0MDYyLCJzdGF0dXMiOiJERUxJVkVSRUQiLCJlcnJvciI6bnVsbCwiY29kZSI6bnVsbCwidXNlcnJlZiI6bnVsbCwiY2FsbGJhY2tfdXJsIjoiaHR0cDovL2JiYWY3MTQyLm5ncm9rLmlvIiwiYXBpIjo0fQ',
		);
		const res = await post(t.pushUrl, '{}', { 'X-Gwapi-Signature': `${token}.KdfDH65bnQtgxEkFnpAQodOciAJedZFB13r9wEo8t3Y` });
		expect(res.status).toBe(200);
		expect(onlyItem(t.executions)).toMatchObject({ messageId: '2381703', to: '4542609045', status: 'delivered' });
	});

	test('the verified payload wins over an altered body', async () => {
		const t = await gwTrigger();
		const signed = JSON.stringify({ id: 5, msisdn: 4587654321, time: 1000, status: 'EXPIRED' });
		const tampered = JSON.stringify({ id: 5, msisdn: 4587654321, time: 1000, status: 'DELIVERED' });
		const res = await post(t.pushUrl, tampered, { 'X-Gwapi-Signature': signJwt(signed, secret) });
		expect(res.status).toBe(200);
		expect(onlyItem(t.executions)).toMatchObject({ status: 'expired', providerStatus: 'EXPIRED' });
	});

	const payload = JSON.stringify({ id: 5, msisdn: 4587654321, time: 1000, status: 'DELIVERED' });
	const head = (header: unknown) => b64(header).replace(/=+$/, '');
	test.each([
		['no header', undefined, 'missing X-Gwapi-Signature header'],
		['another secret', () => signJwt(payload, 'not-the-secret'), 'bad signature'],
		['garbage', () => 'not-a-jwt', 'malformed signature token'],
		['alg none', () => `${head({ alg: 'none', typ: 'JWT' })}.${b64(JSON.parse(payload))}.`, 'unsupported signature algorithm "none"'],
		['alg HS512', () => `${head({ alg: 'HS512' })}.${b64(JSON.parse(payload))}.abc`, 'unsupported signature algorithm "HS512"'],
		['a truncated signature', () => signJwt(payload, secret).slice(0, -2), 'bad signature'],
		['non-base64url characters', () => `${signJwt(payload, secret)}!`, 'bad signature'],
		[
			'an expired token',
			() => signJwt(JSON.stringify({ ...JSON.parse(payload), exp: 1000 }), secret),
			'signature token expired',
		],
	])('%s: 401 and nothing starts', async (_label, makeToken, reason) => {
		const t = await gwTrigger();
		const headers: Record<string, string> = makeToken ? { 'X-Gwapi-Signature': makeToken() } : {};
		const res = await post(t.pushUrl, payload, headers);
		expect(res.status).toBe(401);
		expect(res.body).toBe(`Unauthorized: ${reason}`);
		expect(t.executions).toHaveLength(0);
	});

	test('without a webhook secret in the credential, unsigned webhooks are accepted (and activation warns)', async () => {
		const t = await gwTrigger({}, '');
		const res = await sim.push.deliveryReport('gatewayApi', t.pushUrl, { messageId: 9, to: '4587654321' }, { secret: null });
		expect(res.status).toBe(200);
		expect(t.executions).toHaveLength(1);
		await t.hook('create');
		expect(t.logs.some((l) => l.level === 'warn' && /without authentication/.test(l.message))).toBe(true);
	});
});

describe('requests that are not GatewayAPI webhooks', () => {
	const json = JSON.stringify({ id: 1, msisdn: 1, time: 1, status: 'DELIVERED' });
	test.each([
		['a GET', { method: 'GET' }, 400, 'Bad Request: GatewayAPI webhooks are JSON POST requests'],
		['a text body', { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: json }, 415, 'Unsupported Media Type: GatewayAPI webhooks carry a JSON body'],
		['JSON in Latin-1', { method: 'POST', headers: { 'Content-Type': 'application/json; charset=iso-8859-1' }, body: json }, 415, 'Unsupported Media Type: JSON must be UTF-8, not iso-8859-1'],
	])('%s', async (_label, init: { method: string; headers?: Record<string, string>; body?: string }, status, body) => {
		const t = await gwTrigger({}, '');
		const res = await request(t.pushUrl, init);
		expect(res.status).toBe(status);
		expect(res.body).toBe(body);
		expect(t.executions).toHaveLength(0);
	});

	test.each([
		['an array', '[1,2]', 'Bad Request: GatewayAPI webhook body must be a JSON object'],
		['an unknown shape', '{"hello":"world"}', 'Bad Request: not a GatewayAPI webhook: expected status + time (delivery status) or receiver + message (inbound SMS)'],
		['a status without id', '{"msisdn":1,"time":1,"status":"DELIVERED"}', 'Bad Request: GatewayAPI delivery status: id is missing'],
		['a negative id', '{"id":-4,"msisdn":1,"time":1,"status":"DELIVERED"}', 'Bad Request: GatewayAPI delivery status: id: Number must be greater than or equal to 0'],
		['a huge message', JSON.stringify({ id: 1, msisdn: 1, receiver: 2, message: 'x'.repeat(20000) }), 'Bad Request: GatewayAPI inbound SMS: message: String must contain at most 10000 character(s)'],
		['a non-base64 payload', '{"id":1,"msisdn":1,"receiver":2,"payload":"%%%"}', 'Bad Request: GatewayAPI inbound SMS: payload is not base64'],
		['invalid UTF-8', Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]), 'Bad Request: body is not valid UTF-8'],
	])('%s: 400', async (_label, body, answer) => {
		const t = await gwTrigger({}, '');
		const res = await request(t.pushUrl, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
		expect(res.body).toBe(answer);
		expect(res.status).toBe(400);
		expect(t.executions).toHaveLength(0);
	});
});
