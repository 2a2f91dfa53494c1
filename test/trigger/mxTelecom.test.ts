/**
 * MX Telecom / OpenMarket pushes, sent by the simulator over loopback HTTP to the trigger
 * running in n8n-core's WebhookContext: every event kind, the answers, and the items.
 */
import type { ICredentialDataDecryptedObject, INodeParameters } from 'n8n-workflow';

import { startSimulator, type Simulator } from '../../simulator';
import { startTrigger, type TriggerHarness } from '../helpers/triggerHarness';
import { binaryBytes, credentialsFor, onlyItem } from './fixtures';

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

async function mxTrigger(options: INodeParameters = { ipAllowlist: '*' }, extra: ICredentialDataDecryptedObject = {}): Promise<TriggerHarness> {
	trigger = await startTrigger({ credentials: credentialsFor(sim, 'mxTelecom', extra), parameters: { options } });
	return trigger;
}

describe('inbound SMS', () => {
	test('Latin-9 text arrives decoded, with its London time converted to an offset', async () => {
		const t = await mxTrigger();
		const text = 'Caf\u00e9 \u20ac10 \u0160\u017e \u0152\u0153 \u0178 +100% & more';
		const res = await sim.push.inboundSms('mxTelecom', t.pushUrl, {
			from: '447700900123',
			to: '58870',
			text,
			id: '18446744073709551615',
			date: '2024-07-01 12:34:56',
			network: 'O2UK',
		});
		expect(res.status).toBe(200);
		expect(res.body).toBe('OK');
		const item = onlyItem(t.executions);
		expect(item).toMatchObject({
			event: 'inboundSms',
			provider: 'mxTelecom',
			messageId: '18446744073709551615',
			from: '447700900123',
			to: '58870',
			text,
			encoding: 'gsm7',
			receivedAt: '2024-07-01T12:34:56+01:00',
			network: 'O2UK',
			udh: null,
			payload: null,
			concat: null,
			dedupeKey: 'mxTelecom:inboundSms:18446744073709551615',
		});
		expect((item.raw as Record<string, string>).smsmsg).toBe(text);
	});

	test('winter time is +00:00', async () => {
		const t = await mxTrigger();
		await sim.push.inboundSms('mxTelecom', t.pushUrl, { from: '447700900123', to: '58870', text: 'hi', date: '2024-01-15 08:30:00' });
		expect(onlyItem(t.executions).receivedAt).toBe('2024-01-15T08:30:00+00:00');
	});

	test('UCS-2 text (Greek, emoji) is read from smsucs2, not the best-guess smsmsg', async () => {
		const t = await mxTrigger();
		const text = '\u0393\u03b5\u03b9\u03ac \u03c3\u03bf\u03c5 \ud83d\ude00';
		const res = await sim.push.inboundSms('mxTelecom', t.pushUrl, { from: '306900000001', to: '58870', text });
		expect(res.status).toBe(200);
		const item = onlyItem(t.executions);
		expect(item.encoding).toBe('ucs2');
		expect(item.text).toBe(text);
	});

	test('binary (bits=8) keeps the payload and UDH as hex and reads the concatenation header', async () => {
		const t = await mxTrigger();
		await sim.push.inboundSms('mxTelecom', t.pushUrl, { from: '447700900123', to: '58870', hex: 'deadbeef', udh: '0500031C0302' });
		expect(onlyItem(t.executions)).toMatchObject({
			encoding: 'binary',
			text: '',
			payload: 'DEADBEEF',
			udh: '0500031C0302',
			concat: { reference: 0x1c, total: 3, index: 2 },
		});
	});
});

describe('delivery reports', () => {
	test('the message id comes from REPORT <id> <STATUS>, not from the push smsid', async () => {
		const t = await mxTrigger();
		const res = await sim.push.deliveryReport('mxTelecom', t.pushUrl, {
			messageId: '9007199254740993',
			to: '447700900123',
			id: '17221293',
			note: 'order-42',
			date: '2024-03-31 00:30:00',
		});
		expect(res.status).toBe(200);
		expect(res.body).toBe('OK');
		expect(onlyItem(t.executions)).toMatchObject({
			event: 'deliveryReport',
			provider: 'mxTelecom',
			messageId: '9007199254740993',
			status: 'delivered',
			final: true,
			providerStatus: 'DELIVERED',
			reason: '0x51030200',
			to: '447700900123',
			reference: 'order-42',
			at: '2024-03-31T00:30:00+00:00',
			channel: 'sms',
			kind: 'delivery',
		});
	});

	test.each([
		['FAILED', 'failed', true],
		['REJECTED', 'rejected', true],
		['BUFFERED', 'buffered', false],
		['NONE/BUFFERED', 'buffered', false],
		['SOMETHINGNEW', 'unknown', false],
	])('status %s maps to %s', async (word, status, final) => {
		const t = await mxTrigger({ ipAllowlist: '*', ignoreStaleReports: false });
		await sim.push.deliveryReport('mxTelecom', t.pushUrl, { messageId: '123', to: '447700900123', status: word });
		expect(onlyItem(t.executions)).toMatchObject({ status, final, providerStatus: word });
	});
});

test('unsubscribe: every short code, the source and the London time', async () => {
	const t = await mxTrigger();
	const res = await sim.push.unsubscribe('mxTelecom', t.pushUrl, {
		msisdn: '447884436692',
		shortcodes: ['81111', '82222'],
		source: 'IVR',
		date: '2005-08-29 19:12:45',
	});
	expect(res.status).toBe(200);
	expect(onlyItem(t.executions)).toMatchObject({
		event: 'unsubscribe',
		provider: 'mxTelecom',
		msisdn: '447884436692',
		shortcodes: ['81111', '82222'],
		source: 'IVR',
		at: '2005-08-29T19:12:45+01:00',
	});
});

describe('inbound MMS', () => {
	const gif = Buffer.from('474946383961010001000000002c00000000010001000002024401003b', 'hex');
	const parts = [
		{ name: 'pic.gif', mimeType: 'image/gif', data: gif },
		{ name: 'note.txt', mimeType: 'text/plain', data: 'H\u00ebllo \u20ac' },
	];

	test('a GET notification is retrieved with the MMS account; zip and parts become binary properties', async () => {
		const t = await mxTrigger();
		const res = await sim.push.mmsNotification(t.pushUrl, {
			from: '447700900123',
			to: ['58870', '447700900999'],
			cc: ['447700900555'],
			subject: 'Holiday \u2600',
			network: 'O2UK',
			parts,
		});
		expect(res.status).toBe(200);
		expect(res.body).toBe('OK');
		const execution = t.executions[0];
		const item = onlyItem(t.executions);
		expect(item).toMatchObject({
			event: 'inboundMms',
			provider: 'mxTelecom',
			messageId: res.id,
			from: '447700900123',
			to: ['58870', '447700900999'],
			cc: ['447700900555'],
			subject: 'Holiday \u2600',
			network: 'O2UK',
			delivery: 'notification',
			retrieved: true,
			zipProperty: 'data',
			error: null,
			parts: [
				{ name: 'pic.gif', mimeType: 'image/gif', size: gif.length, binaryProperty: 'data0' },
				{ name: 'note.txt', mimeType: 'text/plain', size: 10, binaryProperty: 'data1' },
			],
		});
		expect(item.receivedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00$/);
		expect(execution[0].binary?.data.mimeType).toBe('application/zip');
		expect(binaryBytes(execution[0], 'data0').equals(gif)).toBe(true);
		expect(execution[0].binary?.data0.mimeType).toBe('image/gif');
		expect(binaryBytes(execution[0], 'data1').toString('utf8')).toBe('H\u00ebllo \u20ac');
		expect(binaryBytes(execution[0], 'data').equals(sim.getMms(res.id)!.zip)).toBe(true);
		const retrieval = sim.requests.find((r) => r.endpoint === 'mx.retrievemms');
		expect(retrieval?.status).toBe(200);
	});

	test('a notification whose retrieval fails still starts the workflow, with the error and no secret', async () => {
		const t = await mxTrigger();
		const res = await sim.push.mmsNotification(t.pushUrl, { id: '424242', from: '447700900123', to: '58870' });
		expect(res.status).toBe(200);
		const item = onlyItem(t.executions);
		expect(item).toMatchObject({ messageId: '424242', retrieved: false, zipProperty: null, parts: [] });
		expect(item.error).toMatch(/^Retrieving the MMS failed/);
		expect(JSON.stringify(item)).not.toContain(sim.credentials.mxTelecom.mmsPassword);
		expect(t.executions[0][0].binary).toBeUndefined();
	});

	test('a gateway error during retrieval is recorded on the item, and the answer is still 200', async () => {
		const t = await mxTrigger();
		sim.respondWith({ endpoint: 'mx.retrievemms', status: 503, body: 'FAILURE service unavailable' });
		const res = await sim.push.mmsNotification(t.pushUrl, { from: '447700900123', to: '58870', parts });
		expect(res.status).toBe(200);
		const item = onlyItem(t.executions);
		expect(item).toMatchObject({ messageId: res.id, retrieved: false });
		expect(item.error).toMatch(/^Retrieving the MMS failed: .*503/);
		const secrets = [sim.credentials.mxTelecom.mmsPassword, sim.credentials.mxTelecom.password];
		for (const secret of secrets) expect(JSON.stringify(item)).not.toContain(secret);
	});

	test('with Retrieve Notified MMS off, only the notification is output', async () => {
		const t = await mxTrigger({ ipAllowlist: '*', retrieveMms: false });
		const before = sim.requests.length;
		await sim.push.mmsNotification(t.pushUrl, { from: '447700900123', to: '58870', parts });
		expect(onlyItem(t.executions)).toMatchObject({ retrieved: false, error: null, parts: [] });
		expect(sim.requests.slice(before).some((r) => r.endpoint === 'mx.retrievemms')).toBe(false);
	});

	test('a multipart POST carries mms.zip; with Unpack off only the zip is attached', async () => {
		const t = await mxTrigger({ ipAllowlist: '*', unpack: false, binaryPropertyName: 'mms' });
		const res = await sim.push.mmsPost(t.pushUrl, { from: '447700900123', to: '58870', subject: 'Hi', parts });
		expect(res.status).toBe(200);
		const execution = t.executions[0];
		expect(onlyItem(t.executions)).toMatchObject({
			messageId: res.id,
			delivery: 'multipart',
			retrieved: true,
			zipProperty: 'mms',
			parts: [
				{ name: 'pic.gif', binaryProperty: null },
				{ name: 'note.txt', binaryProperty: null },
			],
		});
		expect(Object.keys(execution[0].binary ?? {})).toEqual(['mms']);
		expect(binaryBytes(execution[0], 'mms').equals(sim.getMms(res.id)!.zip)).toBe(true);
	});

	test('a multipart POST is unpacked by default', async () => {
		const t = await mxTrigger();
		await sim.push.mmsPost(t.pushUrl, { from: '447700900123', to: ['58870'], parts });
		const execution = t.executions[0];
		expect(Object.keys(execution[0].binary ?? {}).sort()).toEqual(['data', 'data0', 'data1']);
		expect(binaryBytes(execution[0], 'data0').equals(gif)).toBe(true);
	});

	test('MMS delivery and read reports are delivery reports on the mms channel', async () => {
		const t = await mxTrigger({ ipAllowlist: '*', ignoreStaleReports: false });
		await sim.push.mmsReport(t.pushUrl, { requestId: '777', to: '58870', from: '447700900123', type: 1, status: 3, date: '2024-07-01 10:00:00 +0100' });
		await sim.push.mmsReport(t.pushUrl, { requestId: '777', to: '58870', from: '447700900123', type: 2, status: 7 });
		expect(t.executions).toHaveLength(2);
		expect(t.executions[0][0].json).toMatchObject({
			event: 'deliveryReport',
			messageId: '777',
			status: 'delivered',
			providerStatus: 'DELIVERED',
			to: '447700900123',
			at: '2024-07-01T10:00:00+01:00',
			channel: 'mms',
			kind: 'delivery',
		});
		expect(t.executions[1][0].json).toMatchObject({ providerStatus: 'READ', channel: 'mms', kind: 'read' });
	});
});

describe('who may push', () => {
	test('by default only the ranges MX documents may push: loopback gets 403 and starts nothing', async () => {
		trigger = await startTrigger({ credentials: credentialsFor(sim, 'mxTelecom'), parameters: {} });
		const res = await sim.push.inboundSms('mxTelecom', trigger.pushUrl, { from: '447700900123', to: '58870', text: 'x' });
		expect(res.status).toBe(403);
		expect(res.body).toBe("Forbidden: 127.0.0.1 is not in this trigger's IP allowlist");
		expect(trigger.executions).toHaveLength(0);
		expect(trigger.logs.some((l) => l.level === 'warn' && l.message.includes('403'))).toBe(true);
	});

	test.each([
		['83.166.68.1', 200],
		['83.166.69.254', 200],
		['83.166.72.9', 200],
		['208.93.51.255', 200],
		['83.166.70.1', 403],
		['::ffff:83.166.68.7', 200],
		['2001:db8::1', 403],
	])('behind a proxy, %s gets %d', async (ip, status) => {
		trigger = await startTrigger({ credentials: credentialsFor(sim, 'mxTelecom'), parameters: {}, trustProxy: true });
		const res = await sim.push.inboundSms(
			'mxTelecom',
			trigger.pushUrl,
			{ from: '447700900123', to: '58870', text: 'x' },
			{ headers: { 'X-Forwarded-For': ip } },
		);
		expect(res.status).toBe(status);
		expect(trigger.executions).toHaveLength(status === 200 ? 1 : 0);
	});

	test('with a webhook secret, MX pushes must carry it too; it never reaches the item', async () => {
		const t = await mxTrigger({ ipAllowlist: '*' }, { webhookSecret: 'mx-hook-secret' });
		const bare = await sim.push.inboundSms('mxTelecom', t.pushUrl, { from: '447700900123', to: '58870', text: 'x' });
		expect(bare.status).toBe(401);
		expect(bare.body).toBe('Unauthorized: missing "secret" query parameter');
		const ok = await sim.push.inboundSms('mxTelecom', `${t.pushUrl}?secret=mx-hook-secret`, { from: '447700900123', to: '58870', text: 'x' });
		expect(ok.status).toBe(200);
		const item = onlyItem(t.executions);
		expect(JSON.stringify(item)).not.toContain('mx-hook-secret');
		expect(item.raw).not.toHaveProperty('secret');
	});
});
