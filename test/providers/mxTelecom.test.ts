/**
 * MX Telecom / OpenMarket client contract over real HTTP against the simulator: single
 * send and bulksend, the body parameter per encoding (Latin-9 smsmsg, GSM smsia5, UCS-2
 * hex, binary + UDH), split=2 and our own UDH parts, submitid reuse, honest statuses,
 * the credential probe, and secrets.
 */
import type { Simulator } from '../../simulator';
import {
	createGatewayClient,
	fetchTransport,
	GatewayError,
	GatewayValidationError,
	type GatewayTransport,
} from '../../nodes/shared/providers';
import type { AxiosTransport } from '../helpers/axiosTransport';
import { useSimulator } from '../helpers/useSimulator';
import { MX, expectNoSecrets, mxConfig, rejection, expectExactlyOnce } from './support';

let sim: Simulator;
let axiosTransport: AxiosTransport;
useSimulator({ port: 0, seed: 9 }, (started, transport) => {
	sim = started;
	axiosTransport = transport;
});

const singles = () => sim.requests.filter((r) => r.endpoint === 'mx.send');
const bulks = () => sim.requests.filter((r) => r.endpoint === 'mx.bulksend');
const last = () => sim.requests[sim.requests.length - 1];

describe.each([
	['fetch', false],
	['axios', true],
])('MX single send over the %s transport', (_name, useAxios) => {
	const client = (extra = {}) => createGatewayClient(mxConfig(sim, extra), useAxios ? axiosTransport.transport : undefined);

	it('sends smsmsg as ISO-8859-15 bytes (the euro sign is %A4) with every parameter', async () => {
		const [r] = await client().send({
			to: '+447700900001',
			from: '58870',
			message: 'Test \u20ac',
			deliveryReport: true,
			clientReference: 'order 42',
			validity: 600,
			flash: true,
			providerOptions: { mxTelecom: { subaccount: 'dept7' } },
		});
		expect(r).toEqual({ to: '447700900001', status: 'accepted', messageId: expect.stringMatching(/^\d+$/), parts: 1, encoding: 'gsm7', provider: 'mxTelecom' });
		// 64-bit ids above Number.MAX_SAFE_INTEGER arrive as exact strings.
		expect(BigInt(r.messageId as string) > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);
		expect(String(last().body)).toContain('smsmsg=Test+%A4');
		expect(last().path).toBe('/sms/v1/send');
		expect(last().decoded).toMatchObject({ encoding: 'latin9', text: 'Test \u20ac', from: '58870', report: 7, note: 'order 42', subaccount: 'dept7', flash: true, validity: 600 });
		expect(sim.accepted[0]).toMatchObject({ to: '447700900001', messageId: r.messageId, text: 'Test \u20ac' });
	});

	it('sends Greek capitals as smsia5 GSM octets', async () => {
		const [r] = await client().send({ to: '447700900001', message: 'AB\u0393\u0394' });
		expect(r).toMatchObject({ status: 'accepted', encoding: 'gsm7' });
		expect(String(last().body)).toContain('smsia5=AB%13%10');
		expect(last().decoded).toMatchObject({ encoding: 'gsm7', text: 'AB\u0393\u0394' });
	});

	it('sends emoji as smsucs2 hex', async () => {
		const [r] = await client().send({ to: '447700900001', message: 'Hi \ud83d\ude00' });
		expect(r).toMatchObject({ status: 'accepted', encoding: 'ucs2', parts: 1 });
		expect(last().params).toMatchObject({ smsucs2: '004800690020D83DDE00' });
		expect(last().decoded).toMatchObject({ encoding: 'ucs2', text: 'Hi \ud83d\ude00' });
	});

	it('sends binary as hex smsmsg plus smsudh', async () => {
		const [r] = await client().send({ to: '447700900001', binary: { hex: '48656c6c6f', udh: '06050430393039' } });
		expect(r).toMatchObject({ status: 'accepted', encoding: 'binary', parts: 1 });
		expect(last().params).toMatchObject({ smsmsg: '48656C6C6F', smsudh: '06050430393039' });
		expect(last().decoded).toMatchObject({ encoding: 'binary', hex: '48656C6C6F', udh: '06050430393039' });
	});

	it('sends a long text whole with split=2 up to 4 parts', async () => {
		const text = 'x'.repeat(153 * 3 + 10);
		const [r] = await client().send({ to: '447700900001', message: text });
		expect(r).toMatchObject({ status: 'accepted', parts: 4 });
		expect(singles()).toHaveLength(1);
		expect(last().params).toMatchObject({ split: '2' });
		expect(last().decoded).toMatchObject({ parts: 4, text });
	});

	it('sends longer texts as our own concatenated parts, one request each', async () => {
		const text = '\u20ac'.repeat(310); // 2 septets each; 76 fit a part (an escape pair never splits): 5 parts
		const [r] = await client().send({ to: '447700900001', message: text });
		expect(r.parts).toBe(5);
		expect(r.status).toBe('accepted');
		expect(r.partMessageIds).toHaveLength(5);
		expect(r.messageId).toBe(r.partMessageIds?.[0]);
		const sent = singles();
		expect(sent).toHaveLength(5);
		const udhs = sent.map((q) => String(q.params?.smsudh));
		const ref = udhs[0].slice(6, 8);
		expect(udhs).toEqual([1, 2, 3, 4, 5].map((i) => `050003${ref}050${i}`));
		expect(sent.map((q) => (q.decoded as { text: string }).text).join('')).toBe(text);
	});

	it('forces smsia5 for plain text when asked', async () => {
		await client().send({ to: '447700900001', message: 'Hello', providerOptions: { mxTelecom: { textParameter: 'smsia5' } } });
		expect(last().params).toMatchObject({ smsia5: 'Hello' });
	});
});

describe('MX endpoints and fan-out', () => {
	it('uses /SMSSend when the base URL names it, one request per recipient', async () => {
		const client = createGatewayClient(mxConfig(sim, { baseUrl: `${sim.url}/SMSSend` }));
		const results = await client.broadcast({ to: ['447700900001', '447700900002'], message: 'legacy' });
		expect(results.map((r) => r.status)).toEqual(['accepted', 'accepted']);
		expect(sim.requests.map((q) => q.path)).toEqual(['/SMSSend', '/SMSSend']);
	});

	it('send() to several recipients uses single sends with at most 4 in flight', async () => {
		sim.setFaults({ latencyMs: 20 });
		let inFlight = 0;
		let peak = 0;
		const counting: GatewayTransport = async (options) => {
			inFlight++;
			peak = Math.max(peak, inFlight);
			return await fetchTransport(options).finally(() => inFlight--);
		};
		const client = createGatewayClient(mxConfig(sim), counting);
		const to = Array.from({ length: 20 }, (_, i) => String(447700900100 + i));
		const results = await client.send({ to, message: 'hi' });
		expect(results.map((r) => r.to)).toEqual(to);
		expect(results.every((r) => r.status === 'accepted')).toBe(true);
		expect(singles()).toHaveLength(20);
		expect(peak).toBe(4);
		sim.setFaults({ latencyMs: 0 });
	});

	it('broadcasts through bulksend: line-separated smsto, a submitid, 10,000 per request', async () => {
		const client = createGatewayClient(mxConfig(sim));
		const to = Array.from({ length: 25_000 }, (_, i) => String(447000000000 + i));
		const results = await client.broadcast({ to, message: 'Hello \u20ac', deliveryReport: true });
		expect(results.map((r) => r.to)).toEqual(to);
		expect(results.every((r) => r.status === 'accepted')).toBe(true);
		expect(new Set(results.map((r) => r.messageId)).size).toBe(25_000);
		expect(bulks()).toHaveLength(3);
		expect(bulks()[0].decoded).toMatchObject({ recipients: 10_000, submitid: expect.any(String), text: 'Hello \u20ac', report: 7 });
		expect(String(bulks()[0].body)).toContain('smsto=447000000000%0A447000000001%0A');
		expect(new Set(bulks().map((q) => (q.decoded as { submitid: string }).submitid)).size).toBe(3);
		expect(sim.accepted).toHaveLength(25_000);
		const byId = new Map(sim.accepted.map((a) => [a.to, a.messageId]));
		expect(results.every((r) => byId.get(r.to) === r.messageId)).toBe(true);
	});

	it('broadcasts long text as our own parts through bulksend, dropping recipients a part rejects', async () => {
		const client = createGatewayClient(mxConfig(sim));
		const text = 'y'.repeat(153 * 5);
		sim.respondWith({ endpoint: 'mx.bulksend', times: 1, status: 200, body: '447700900001 111\n447700900002 FAILURE barred\n447700900003 333\n' });
		const results = await client.broadcast({ to: ['447700900001', '447700900002', '447700900003'], message: text });
		expect(results.map((r) => [r.to, r.status])).toEqual([
			['447700900001', 'accepted'],
			['447700900002', 'failed'],
			['447700900003', 'accepted'],
		]);
		expect(results[1].error?.message).toMatch(/barred/);
		expect(bulks()).toHaveLength(5);
		expect((bulks()[1].decoded as { recipients: number }).recipients).toBe(2);
		expect(results[0].partMessageIds?.[0]).toBe('111');
	});

	it('reports recipients missing from a bulksend answer as unknown', async () => {
		sim.respondWith({ endpoint: 'mx.bulksend', status: 200, body: '447700900001 555\n' });
		const results = await createGatewayClient(mxConfig(sim)).broadcast({ to: ['447700900001', '447700900002'], message: 'x' });
		expect(results.map((r) => [r.status, r.messageId])).toEqual([
			['accepted', '555'],
			['unknown', undefined],
		]);
	});

	it('accepts bare ids in request order as a bulksend answer', async () => {
		sim.respondWith({ endpoint: 'mx.bulksend', status: 200, body: '18446744073709551610\r\n18446744073709551611\r\n' });
		const results = await createGatewayClient(mxConfig(sim)).broadcast({ to: ['447700900001', '447700900002'], message: 'x' });
		expect(results.map((r) => r.messageId)).toEqual(['18446744073709551610', '18446744073709551611']);
	});
});

describe('MX validation: nothing is sent', () => {
	const cases: Array<[string, Record<string, unknown>, string, RegExp]> = [
		['a schedule', { to: '447700900001', message: 'x', scheduleAt: '2035-01-01T00:00:00Z' }, 'scheduleAt', /no scheduling parameter/],
		['binary without UDH', { to: '447700900001', binary: { hex: 'AABB' } }, 'binary.udh', /smsudh/],
		['a 17-digit numeric originator', { to: '447700900001', from: '12345678901234567', message: 'x' }, 'from', /at most 16 digits/],
		['a 12-character originator', { to: '447700900001', from: 'ABCDEFGHIJKL', message: 'x' }, 'from', /at most 11/],
		['a note over 160 characters', { to: '447700900001', message: 'x', clientReference: 'n'.repeat(161) }, 'clientReference', /at most 160/],
		['a subaccount over 10 characters', { to: '447700900001', message: 'x', providerOptions: { mxTelecom: { subaccount: 'elevenchars' } } }, 'providerOptions.mxTelecom.subaccount', /at most 10/],
		['smsmsg forced with Greek', { to: '447700900001', message: '\u0394', providerOptions: { mxTelecom: { textParameter: 'smsmsg' } } }, 'providerOptions.mxTelecom.textParameter', /ISO-8859-15/],
		['a bad report mask', { to: '447700900001', message: 'x', providerOptions: { mxTelecom: { report: 999 } } }, 'providerOptions.mxTelecom.report', /0 to 255/],
		['an odd-length UDH', { to: '447700900001', binary: { hex: 'AA', udh: '060' } }, 'binary.udh', /not hex/],
		['a UDH whose length octet lies', { to: '447700900001', binary: { hex: 'AA', udh: '0905040B84' } }, 'binary.udh', /length octet/],
		['maxParts out of range', { to: '447700900001', message: 'x', maxParts: 0 }, 'maxParts', /1 to 255/],
	];
	it.each(cases)('refuses %s', async (_label, request, field, message) => {
		const error = await rejection(createGatewayClient(mxConfig(sim)).send(request as never));
		expect(error).toBeInstanceOf(GatewayValidationError);
		expect(error).toMatchObject({ field });
		expect((error as Error).message).toMatch(message);
		expect(sim.requests).toHaveLength(0);
	});

	it('a dry run sends nothing', async () => {
		const results = await createGatewayClient(mxConfig(sim)).broadcast({ to: ['447700900001', '447700900002'], message: 'x', dryRun: true });
		expect(results.every((r) => r.status === 'accepted' && r.dryRun === true && r.messageId === undefined)).toBe(true);
		expect(sim.requests).toHaveLength(0);
	});
});

describe('MX retries and honest statuses', () => {
	it.each([
		['a reset after accepting', { accept: true, reset: true }],
		['a 500 after accepting', { accept: true, status: 500, body: 'FAILURE internal error' }],
		['an unreadable 200', { accept: true, status: 200, body: '<html>ok</html>' }],
	])('bulksend: recovers from %s with the same submitid, accepting once', async (_label, override) => {
		sim.respondWith({ endpoint: 'mx.bulksend', ...override });
		const results = await createGatewayClient(mxConfig(sim)).broadcast({ to: ['447700900001', '447700900002'], message: 'x' });
		expect(results.map((r) => r.status)).toEqual(['accepted', 'accepted']);
		expect(bulks()).toHaveLength(2);
		const ids = bulks().map((q) => /submitid=([^&]+)/.exec(String(q.body))?.[1]);
		expect(ids[0]).toBeDefined();
		expect(ids[0]).toBe(ids[1]);
		expect(bulks()[1].duplicate).toBe(true);
		expect(sim.accepted).toHaveLength(2);
		expect(results.map((r) => r.messageId)).toEqual(sim.accepted.map((a) => a.messageId));
	});

	it('bulksend: a hang after accepting times out, and the retry replays the answer', async () => {
		sim.respondWith({ endpoint: 'mx.bulksend', accept: true, hang: true });
		const results = await createGatewayClient(mxConfig(sim, { timeoutMs: 300 })).broadcast({ to: ['447700900001'], message: 'x' });
		expect(results[0].status).toBe('accepted');
		expect(sim.accepted).toHaveLength(1);
	});

	it('single send: an ambiguous failure is unknown and never resent', async () => {
		for (const override of [{ accept: true, status: 500, body: 'FAILURE internal error' }, { accept: true, reset: true }, { reset: true }]) {
			sim.reset();
			sim.respondWith({ endpoint: 'mx.send', ...override });
			const [r] = await createGatewayClient(mxConfig(sim)).send({ to: '447700900001', message: 'x' });
			expect(r).toMatchObject({ status: 'unknown', error: { retryable: false } });
			expect(singles()).toHaveLength(1);
		}
	});

	it('single send: a 503 is retried (the gateway did not take it)', async () => {
		sim.respondWith({ endpoint: 'mx.send', status: 503, body: 'FAILURE service unavailable', times: 2 });
		const [r] = await createGatewayClient(mxConfig(sim)).send({ to: '447700900001', message: 'x' });
		expect(r.status).toBe('accepted');
		expect(singles()).toHaveLength(3);
		expect(sim.accepted).toHaveLength(1);
	});

	it('own-UDH parts: a lost part makes the recipient unknown, never failed', async () => {
		sim.respondWith({ endpoint: 'mx.send', accept: true, reset: true });
		const [r] = await createGatewayClient(mxConfig(sim)).send({ to: '447700900001', message: 'z'.repeat(153 * 6) });
		expect(r.status).toBe('unknown');
		expect(singles()).toHaveLength(1);
	});

	it('reports rejected credentials as failed (AUTH) without the password', async () => {
		const [r] = await createGatewayClient(mxConfig(sim, { password: 'wrong-secret-1' })).send({ to: '447700900001', message: 'x' });
		expect(r).toMatchObject({ status: 'failed', error: { code: 'AUTH', retryable: false } });
		expectNoSecrets(r, ['wrong-secret-1']);
	});

	it('redacts credentials that an error page echoes from the request', async () => {
		sim.respondWith({ endpoint: 'mx.send', status: 400, body: `FAILURE bad request /sms/v1/send?user=${MX.username}&pass=${encodeURIComponent(MX.password)}&smsto=1` });
		const [r] = await createGatewayClient(mxConfig(sim)).send({ to: '447700900001', message: 'x' });
		expect(r.status).toBe('failed');
		expect(r.error?.message).toContain('pass=***');
		expectNoSecrets(r);
	});
	it('survives a broadcast with 30% mixed faults: one result each, nothing accepted twice', async () => {
		sim.setFaults({ rate: 0.3, kinds: ['500', '503', 'reset', 'hang', 'reset-after', '500-after', 'hang-after'], hangMs: 2_000, seed: 4 });
		const to = Array.from({ length: 2_000 }, (_, i) => String(447900000000 + i));
		const client = createGatewayClient(mxConfig(sim, { batchSize: 50, concurrency: 4, timeoutMs: 250, retry: { maxAttempts: 6, baseDelayMs: 1, maxDelayMs: 5 } }));
		const results = await client.broadcast({ to, message: 'Fault tolerant' });
		const counts = expectExactlyOnce(sim, to, results);
		// bulksend retries with the same submitid, so every recipient ends accepted.
		expect(counts).toEqual({ accepted: 2_000 });
	});
});

describe('MX credential check', () => {
	it('probes without sending and says it cannot confirm', async () => {
		const check = await createGatewayClient(mxConfig(sim)).checkCredentials();
		expect(check.verified).toBe(false);
		expect(check.message).toMatch(/no credential-check endpoint/);
		expect(sim.accepted).toHaveLength(0);
		expect(last().params).not.toHaveProperty('smsto');
	});

	it('throws AUTH when the gateway rejects the credentials', async () => {
		const error = await rejection(createGatewayClient(mxConfig(sim, { password: 'nope-secret' })).checkCredentials());
		expect(error).toBeInstanceOf(GatewayError);
		expect(error).toMatchObject({ code: 'AUTH', statusCode: 403 });
		expectNoSecrets(error, ['nope-secret']);
	});
});
