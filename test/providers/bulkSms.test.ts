/**
 * BulkSMS EAPI client contract over real HTTP against the simulator: parameters,
 * ISO-8859-1 / 16-bit / 8-bit bodies, stop_dup_id reuse on every retry, status-code
 * handling (40 retried, 26/28 within a budget, others fatal), dry runs and secrets.
 */
import type { Simulator } from '../../simulator';
import { createGatewayClient, GatewayError, GatewayValidationError } from '../../nodes/shared/providers';
import type { AxiosTransport } from '../helpers/axiosTransport';
import { useSimulator } from '../helpers/useSimulator';
import { BULK, bulkConfig, expectNoSecrets, rejection, expectExactlyOnce } from './support';

let sim: Simulator;
let axiosTransport: AxiosTransport;
useSimulator({ port: 0, seed: 5 }, (started, transport) => {
	sim = started;
	axiosTransport = transport;
});

const sends = () => sim.requests.filter((r) => r.endpoint === 'bulksms.send_sms');
const lastParams = () => sends()[sends().length - 1].params as Record<string, string>;
const rawBody = () => String(sends()[sends().length - 1].body);

describe.each([
	['fetch', false],
	['axios', true],
])('BulkSMS over the %s transport', (_name, useAxios) => {
	const client = (extra = {}) => createGatewayClient(bulkConfig(sim, extra), useAxios ? axiosTransport.transport : undefined);

	it('sends 7-bit ISO-8859-1 text with every parameter', async () => {
		const schedule = new Date(Date.now() + 7200_000);
		const [r] = await client().send({
			to: '+447700900001',
			from: 'Acme',
			message: 'Gr\u00fc\u00dfe \u00a3 5 @ caf\u00e9',
			deliveryReport: false,
			clientReference: 'ref-1',
			scheduleAt: schedule,
			flash: true,
			providerOptions: {
				bulkSms: { routingGroup: '2', replaceMsgId: '7', protocolId: '65', schedulingDescription: 'spring sale' },
			},
		});
		expect(r).toEqual({ to: '447700900001', status: 'scheduled', messageId: expect.stringMatching(/^[1-9]\d*$/), parts: 1, encoding: 'gsm7', provider: 'bulkSms' });
		const p = lastParams();
		expect(p).toMatchObject({
			username: BULK.username,
			msisdn: '447700900001',
			message: 'Gr\u00fc\u00dfe \u00a3 5 @ caf\u00e9',
			dca: '7bit',
			sender: 'Acme',
			repliable: '0',
			want_report: '0',
			source_id: 'ref-1',
			msg_class: '0',
			routing_group: '2',
			replace_msg_id: '7',
			protocol_id: '65',
			scheduling_description: 'spring sale',
			send_time_unixtime: String(Math.floor(schedule.getTime() / 1000)),
		});
		expect(p.stop_dup_id).toMatch(/^[1-9]\d*$/);
		// The umlaut travels as one ISO-8859-1 byte, not as UTF-8.
		expect(rawBody()).toContain('Gr%FC%DFe+%A3+5+%40+caf%E9');
		expect(sim.accepted[0]).toMatchObject({ to: '447700900001', status: 'scheduled', messageId: r.messageId });
	});

	it('switches to 16-bit for the euro sign, Greek capitals and emoji', async () => {
		for (const text of ['5 \u20ac', '\u0394\u03a3\u03a9', 'hi \ud83d\ude00']) {
			const [r] = await client().send({ to: '447700900001', message: text });
			expect(r).toMatchObject({ status: 'accepted', encoding: 'ucs2', parts: 1 });
			const p = lastParams();
			expect(p.dca).toBe('16bit');
			expect(p.message).toBe(Buffer.from(text, 'utf16le').swap16().toString('hex').toUpperCase());
			expect(sends()[sends().length - 1].decoded).toMatchObject({ text, encoding: 'ucs2' });
		}
	});

	it('sends Greek capitals as 7-bit with the byte map of BulkSMS\'s sample when asked', async () => {
		const [r] = await client().send({ to: '447700900001', message: '\u0394\u03a6\u0393', providerOptions: { bulkSms: { greekByteMap: true } } });
		expect(r).toMatchObject({ encoding: 'gsm7' });
		expect(lastParams().dca).toBe('7bit');
		expect(rawBody()).toContain('message=%D0%DE%AC');
	});

	it('enables concatenation with the codec\'s part count for long text', async () => {
		const [g] = await client().send({ to: '447700900001', message: 'a'.repeat(400) });
		expect(g).toMatchObject({ status: 'accepted', parts: 3, encoding: 'gsm7' });
		expect(lastParams()).toMatchObject({ allow_concat_text_sms: '1', concat_text_sms_max_parts: '3' });
		const [u] = await client().send({ to: '447700900001', message: '\u20ac'.repeat(300) });
		expect(u).toMatchObject({ status: 'accepted', parts: 5, encoding: 'ucs2' });
		expect(lastParams()).toMatchObject({ dca: '16bit', allow_concat_text_sms: '1', concat_text_sms_max_parts: '5' });
	});

	it('sends 8-bit binary as UDH + payload hex', async () => {
		const [r] = await client().send({ to: '447700900001', binary: { hex: 'dc0601ae', udh: '0605040b8423f0' }, encoding: 'binary' });
		expect(r).toMatchObject({ status: 'accepted', encoding: 'binary', parts: 1 });
		expect(lastParams()).toMatchObject({ dca: '8bit', message: '0605040B8423F0DC0601AE' });
	});
});

describe('BulkSMS broadcast', () => {
	it('sends comma-separated batches and keeps input order', async () => {
		const client = createGatewayClient(bulkConfig(sim));
		const to = Array.from({ length: 2_500 }, (_, i) => String(447700000000 + i));
		const results = await client.broadcast({ to, message: 'Hello' });
		expect(results.map((r) => r.to)).toEqual(to);
		expect(results.every((r) => r.status === 'accepted')).toBe(true);
		expect(sends()).toHaveLength(3);
		expect(String(sends()[0].params?.msisdn).split(',')).toHaveLength(1000);
		expect(new Set(results.map((r) => r.messageId)).size).toBe(3);
		expect(sim.accepted).toHaveLength(2_500);
	});

	it('sends a schedule as send_time in UTC when asked', async () => {
		const client = createGatewayClient(bulkConfig(sim));
		const [r] = await client.send({ to: '447700900001', message: 'x', scheduleAt: '2035-06-01T12:30:00+02:00', providerOptions: { bulkSms: { scheduleFormat: 'datetime' } } });
		expect(r.status).toBe('scheduled');
		expect(lastParams().send_time).toBe('2035-06-01 10:30:00');
	});
});

describe('BulkSMS validation: nothing is sent', () => {
	const cases: Array<[string, Record<string, unknown>, string, RegExp]> = [
		['a validity period', { to: '447700900001', message: 'x', validity: 60 }, 'validity', /no validity-period parameter/],
		['binary without UDH', { to: '447700900001', binary: { hex: 'AABB' } }, 'binary.udh', /binary.udh is required/],
		['forced GSM-7 with a euro sign', { to: '447700900001', message: '5 \u20ac', encoding: 'gsm7' }, 'message', /BulkSMS 7-bit/],
		['forced GSM-7 with a bracket', { to: '447700900001', message: '[x]', encoding: 'gsm7' }, 'message', /cannot be sent as BulkSMS 7-bit/],
		['sender with repliable', { to: '447700900001', from: 'Acme', message: 'x', providerOptions: { bulkSms: { repliable: true } } }, 'providerOptions.bulkSms.repliable', /repliable/],
		['flash with another class', { to: '447700900001', message: 'x', flash: true, providerOptions: { bulkSms: { msgClass: 2 } } }, 'flash', /class 0/],
		['a 16-digit numeric sender', { to: '447700900001', from: '1234567890123456', message: 'x' }, 'from', /at most 15 digits/],
		['an MSISDN with letters', { to: '44770090000O', message: 'x' }, 'to', /only digits/],
	];
	it.each(cases)('refuses %s', async (_label, request, field, message) => {
		const client = createGatewayClient(bulkConfig(sim));
		const error = await rejection(client.send(request as never));
		expect(error).toBeInstanceOf(GatewayValidationError);
		expect(error).toMatchObject({ field });
		expect((error as Error).message).toMatch(message);
		expect(sim.requests).toHaveLength(0);
	});

	it('refuses a configuration without credentials before sending', async () => {
		const client = createGatewayClient({ provider: 'bulkSms', baseUrl: sim.url });
		await expect(client.send({ to: '447700900001', message: 'x' })).rejects.toThrow(/no username/);
		expect(sim.requests).toHaveLength(0);
	});
});

describe('BulkSMS retries and statuses', () => {
	it('retries status 40 with the same stop_dup_id', async () => {
		sim.respondWith({ endpoint: 'bulksms.send_sms', status: 200, body: '40|temporarily unavailable|', times: 2 });
		const [r] = await createGatewayClient(bulkConfig(sim)).send({ to: '447700900001', message: 'x' });
		expect(r.status).toBe('accepted');
		// Overridden answers are not parsed by the simulator, so read the raw bodies.
		const ids = sends().map((q) => /stop_dup_id=(\d+)/.exec(String(q.body))?.[1]);
		expect(ids.every((id) => id !== undefined)).toBe(true);
		expect(ids).toHaveLength(3);
		expect(new Set(ids).size).toBe(1);
		expect(sim.accepted).toHaveLength(1);
	});

	it.each([
		['a reset after accepting', { accept: true, reset: true }],
		['a 500 after accepting', { accept: true, status: 500, body: 'oops' }],
		['an answer cut after the status', { accept: true, status: 200, body: '0|IN_PROGRESS' }],
		['an HTML page', { accept: true, status: 200, body: '<html><body>Service</body></html>' }],
	])('recovers from %s through stop_dup_id without sending twice', async (_label, override) => {
		sim.respondWith({ endpoint: 'bulksms.send_sms', ...override });
		const results = await createGatewayClient(bulkConfig(sim)).broadcast({ to: ['447700900001', '447700900002'], message: 'x' });
		expect(results.map((r) => r.status)).toEqual(['accepted', 'accepted']);
		expect(results[0].messageId).toMatch(/^[1-9]\d*$/);
		expect(sends()).toHaveLength(2);
		expect(sends()[1].duplicate).toBe(true);
		expect(sim.accepted).toHaveLength(2);
		expect(sim.duplicates()).toEqual([]);
	});

	it('times out a hang after accepting, retries, and is answered from the dedupe store', async () => {
		sim.respondWith({ endpoint: 'bulksms.send_sms', accept: true, hang: true });
		const [r] = await createGatewayClient(bulkConfig(sim, { timeoutMs: 300 })).send({ to: '447700900001', message: 'x' });
		expect(r.status).toBe('accepted');
		expect(sim.accepted).toHaveLength(1);
	});

	it('retries 26/28 only within the upstream budget, then fails retryably', async () => {
		sim.respondWith({ endpoint: 'bulksms.send_sms', status: 200, body: '28|upstream quota exceeded|', times: 10 });
		const [r] = await createGatewayClient(bulkConfig(sim)).send({ to: '447700900001', message: 'x' });
		expect(r).toMatchObject({ status: 'failed', error: { code: 'BULKSMS_28', retryable: true } });
		expect(sends()).toHaveLength(2);
	});

	it('does not retry 26/28 when that is switched off', async () => {
		sim.respondWith({ endpoint: 'bulksms.send_sms', status: 200, body: '26|upstream credits|', times: 10 });
		const [r] = await createGatewayClient(bulkConfig(sim)).send({ to: '447700900001', message: 'x', providerOptions: { bulkSms: { retryUpstream: false } } });
		expect(r).toMatchObject({ status: 'failed', error: { code: 'BULKSMS_26' } });
		expect(sends()).toHaveLength(1);
	});

	it.each([
		['22', 'BULKSMS_22'],
		['24', 'BULKSMS_24'],
		['25', 'BULKSMS_25'],
		['27', 'BULKSMS_27'],
		['201', 'BULKSMS_201'],
		['99', 'BULKSMS_99'],
	])('treats status %s as fatal', async (code, expected) => {
		sim.respondWith({ endpoint: 'bulksms.send_sms', status: 200, body: `${code}|whatever|` });
		const [r] = await createGatewayClient(bulkConfig(sim)).send({ to: '447700900001', message: 'x' });
		expect(r).toMatchObject({ status: 'failed', error: { code: expected, retryable: false } });
		expect(sends()).toHaveLength(1);
	});

	it('reports bad credentials as failed without the password', async () => {
		const [r] = await createGatewayClient(bulkConfig(sim, { password: 'not-the-password' })).send({ to: '447700900001', message: 'x' });
		expect(r).toMatchObject({ status: 'failed', error: { code: 'AUTH', retryable: false } });
		expectNoSecrets(r, ['not-the-password']);
	});

	it('redacts a password the gateway echoes back', async () => {
		sim.respondWith({ endpoint: 'bulksms.send_sms', status: 200, body: `24|bad request username=${BULK.username}&password=${BULK.password}|` });
		const [r] = await createGatewayClient(bulkConfig(sim)).send({ to: '447700900001', message: 'x' });
		expect(r.status).toBe('failed');
		expectNoSecrets(r);
	});

	it('gives up as unknown when answers keep getting lost, after bounded attempts', async () => {
		sim.respondWith({ endpoint: 'bulksms.send_sms', reset: true, times: 10 });
		const [r] = await createGatewayClient(bulkConfig(sim)).send({ to: '447700900001', message: 'x' });
		expect(r).toMatchObject({ status: 'unknown', error: { retryable: false } });
		expect(sends()).toHaveLength(4);
	});

	it('survives a broadcast with 30% mixed faults: one result each, nothing accepted twice', async () => {
		sim.setFaults({ rate: 0.3, kinds: ['500', '503', 'reset', 'hang', 'bulksms40', 'reset-after', '500-after', 'hang-after'], hangMs: 2_000, seed: 3 });
		const to = Array.from({ length: 2_000 }, (_, i) => String(447800000000 + i));
		const client = createGatewayClient(bulkConfig(sim, { batchSize: 50, concurrency: 4, timeoutMs: 250, retry: { maxAttempts: 6, baseDelayMs: 1, maxDelayMs: 5 } }));
		const results = await client.broadcast({ to, message: 'Fault tolerant' });
		const counts = expectExactlyOnce(sim, to, results);
		expect((counts.accepted ?? 0) + (counts.unknown ?? 0) + (counts.failed ?? 0)).toBe(2_000);
		expect(counts.accepted).toBeGreaterThan(1_800);
	});
});

describe('BulkSMS dry runs and credentials', () => {
	it('sends test_always_succeed for a dry run; nothing is accepted', async () => {
		const [r] = await createGatewayClient(bulkConfig(sim)).send({ to: '447700900001', message: 'x', dryRun: true });
		expect(r).toMatchObject({ status: 'accepted', dryRun: true, messageId: expect.stringMatching(/^\d+$/) });
		expect(lastParams().test_always_succeed).toBe('1');
		expect(sim.accepted).toHaveLength(0);
	});

	it('sends test_always_fail when asked', async () => {
		const [r] = await createGatewayClient(bulkConfig(sim)).send({ to: '447700900001', message: 'x', dryRun: true, providerOptions: { bulkSms: { testMode: 'fail' } } });
		expect(r).toMatchObject({ status: 'failed', dryRun: true, error: { code: 'BULKSMS_22' } });
		expect(lastParams().test_always_fail).toBe('1');
	});

	it('checks credentials with get_credits', async () => {
		const ok = await createGatewayClient(bulkConfig(sim)).checkCredentials();
		expect(ok).toMatchObject({ provider: 'bulkSms', verified: true, balance: expect.any(Number) });
		const error = await rejection(createGatewayClient(bulkConfig(sim, { password: 'bad-pass-word' })).checkCredentials());
		expect(error).toBeInstanceOf(GatewayError);
		expect(error).toMatchObject({ code: 'AUTH', retryable: false });
		expectNoSecrets(error, ['bad-pass-word', BULK.password]);
	});

	it('does not offer MMS', async () => {
		await expect(createGatewayClient(bulkConfig(sim)).retrieveMms('1')).rejects.toThrow(/does not offer MMS/);
	});
});
