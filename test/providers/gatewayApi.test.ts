/**
 * GatewayAPI client contract, over real HTTP against the simulator: every parameter,
 * the encodings, batching, validation (nothing sent), honest statuses under faults (no
 * idempotency key, so ambiguous failures are `unknown` and never resent), and secrets.
 */
import { startSimulator, type Simulator } from '../../simulator';
import {
	createGatewayClient,
	fetchTransport,
	GatewayError,
	GatewayValidationError,
	type GatewayTransport,
	type RecipientResult,
} from '../../nodes/shared/providers';
import type { AxiosTransport } from '../helpers/axiosTransport';
import { useSimulator } from '../helpers/useSimulator';
import { GW, expectNoSecrets, gwConfig, rejection, expectExactlyOnce } from './support';

let sim: Simulator;
let axiosTransport: AxiosTransport;
useSimulator({ port: 0, seed: 11 }, (started, transport) => {
	sim = started;
	axiosTransport = transport;
});

type Decoded = { messages: Array<Record<string, unknown>> };

function lastBody(): Record<string, unknown> {
	const req = sim.requests[sim.requests.length - 1];
	// The simulator records raw bodies as latin1 text; the JSON itself is UTF-8.
	return JSON.parse(Buffer.from(String(req.body), 'latin1').toString('utf8')) as Record<string, unknown>;
}

const transports: Array<[string, () => GatewayTransport | undefined]> = [
	['fetch', () => undefined],
	['axios', () => axiosTransport.transport],
];

describe.each(transports)('GatewayAPI over the %s transport', (_name, transport) => {
	it('sends a GSM-7 text with every message-level parameter', async () => {
		const client = createGatewayClient(gwConfig(sim), transport());
		const schedule = new Date(Date.now() + 3600_000);
		const results = await client.send({
			to: '+4512345678',
			from: 'Acme',
			message: 'Price: 5\u20ac [ok]',
			deliveryReport: true,
			clientReference: 'order-42',
			scheduleAt: schedule.toISOString(),
			validity: 3600,
			flash: true,
			maxParts: 2,
			providerOptions: {
				gatewayApi: { class: 'premium', label: 'campaign-7', callbackUrl: 'http://127.0.0.1:9/dlr', priority: 'URGENT' },
			},
		});
		expect(results).toEqual([
			{ to: '4512345678', status: 'scheduled', messageId: expect.stringMatching(/^\d+$/), parts: 1, encoding: 'gsm7', provider: 'gatewayApi' },
		]);
		const body = lastBody();
		expect(body).toMatchObject({
			message: 'Price: 5\u20ac [ok]',
			encoding: 'UTF8',
			sender: 'Acme',
			userref: 'order-42',
			sendtime: Math.floor(schedule.getTime() / 1000),
			validity_period: 3600,
			destaddr: 'DISPLAY',
			max_parts: 2,
			class: 'premium',
			label: 'campaign-7',
			callback_url: 'http://127.0.0.1:9/dlr',
			priority: 'URGENT',
			recipients: [{ msisdn: 4512345678 }],
		});
		const req = sim.requests[sim.requests.length - 1];
		expect(req.headers?.authorization).toBe(`Token ${GW.token}`);
		expect(sim.accepted).toHaveLength(1);
		expect(sim.accepted[0]).toMatchObject({ to: '4512345678', messageId: results[0].messageId, status: 'scheduled', text: 'Price: 5\u20ac [ok]' });
	});

	it('sends Greek capitals as GSM-7 and emoji as UCS-2 with the codec part counts', async () => {
		const client = createGatewayClient(gwConfig(sim), transport());
		const greek = '\u0394\u03a6\u0393\u039b\u03a9\u03a0\u03a8\u03a3\u0398\u039e';
		const [g] = await client.send({ to: '4512345678', message: greek });
		expect(g).toMatchObject({ status: 'accepted', encoding: 'gsm7', parts: 1 });
		expect(lastBody()).toMatchObject({ message: greek, encoding: 'UTF8' });

		const emoji = 'Party \ud83c\udf89'.repeat(10); // 80 UTF-16 units -> 2 UCS-2 parts
		const [e] = await client.send({ to: '4512345678', message: emoji });
		expect(e).toMatchObject({ status: 'accepted', encoding: 'ucs2', parts: 2 });
		expect(lastBody()).toMatchObject({ message: emoji, encoding: 'UCS2' });
		const decoded = sim.requests[sim.requests.length - 1].decoded as Decoded;
		expect(decoded.messages[0]).toMatchObject({ encoding: 'ucs2', parts: 2, text: emoji });
	});

	it('forces UCS-2 and applies smart encoding on request', async () => {
		const client = createGatewayClient(gwConfig(sim), transport());
		const [forced] = await client.send({ to: '4512345678', message: 'plain', encoding: 'ucs2' });
		expect(forced).toMatchObject({ encoding: 'ucs2', parts: 1 });
		expect(lastBody()).toMatchObject({ encoding: 'UCS2' });
		const [smart] = await client.send({ to: '4512345678', message: '\u201cquoted\u201d \u2014 ok', smartEncoding: true });
		expect(smart).toMatchObject({ encoding: 'gsm7' });
		expect(lastBody()).toMatchObject({ message: '"quoted" - ok', encoding: 'UTF8' });
	});

	it("sends 8-bit binary as base64 payload and UDH, the UDH without its length octet as in GatewayAPI's example", async () => {
		const client = createGatewayClient(gwConfig(sim), transport());
		const [r] = await client.send({ to: '4512345678', binary: { hex: 'DEADBEEF00ff', udh: '0605040B8423F0' } });
		expect(r).toMatchObject({ status: 'accepted', encoding: 'binary', parts: 1 });
		const body = lastBody();
		expect(body.payload).toBe(Buffer.from('DEADBEEF00FF', 'hex').toString('base64'));
		// The documented example's udh, byte for byte: 05 04 0B 84 23 F0.
		expect(body.udh).toBe('BQQLhCPw');
		expect(body.message).toBeUndefined();
		expect((sim.requests[sim.requests.length - 1].decoded as Decoded).messages[0]).toMatchObject({
			hex: 'DEADBEEF00FF',
			binary: { udh: '0605040B8423F0', payload: 'DEADBEEF00FF', udhForm: 'withoutLength', ports: { destination: 2948, source: 9200 } },
		});
	});

	it('sends the UDH with its length octet when udhLengthOctet is include', async () => {
		const client = createGatewayClient(gwConfig(sim), transport());
		const [r] = await client.send({
			to: '4512345678',
			binary: { hex: 'DEADBEEF', udh: '0605040B8423F0' },
			providerOptions: { gatewayApi: { udhLengthOctet: 'include' } },
		});
		expect(r).toMatchObject({ status: 'accepted', encoding: 'binary', parts: 1 });
		expect(lastBody().udh).toBe(Buffer.from('0605040B8423F0', 'hex').toString('base64'));
		expect((sim.requests[sim.requests.length - 1].decoded as Decoded).messages[0]).toMatchObject({ binary: { udh: '0605040B8423F0', udhForm: 'withLength' } });
	});
});

describe('GatewayAPI broadcast', () => {
	it('batches 25,000 recipients into message objects of 10,000 and keeps input order', async () => {
		const client = createGatewayClient(gwConfig(sim));
		const to = Array.from({ length: 25_000 }, (_, i) => `+45${String(20000000 + i)}`);
		const results = await client.broadcast({ to, message: 'Hello all' });
		expect(results).toHaveLength(25_000);
		expect(results.map((r) => r.to)).toEqual(to.map((t) => t.slice(1)));
		expect(results.every((r) => r.status === 'accepted')).toBe(true);
		const sends = sim.requests.filter((r) => r.endpoint === 'gatewayapi.mtsms');
		expect(sends).toHaveLength(3);
		const ids = new Set(results.map((r) => r.messageId));
		expect(ids.size).toBe(3);
		expect(sim.accepted).toHaveLength(25_000);
		expect(sim.duplicates()).toEqual([]);
	});

	it('collapses duplicates, drops blanks, and fills tags per recipient', async () => {
		const client = createGatewayClient(gwConfig(sim, { batchSize: 2 }));
		const results = await client.broadcast({
			to: '4511111111, ,4522222222\n+4511111111;4533333333\n',
			message: 'Hi %name%',
			providerOptions: {
				gatewayApi: {
					tags: ['%name%'],
					tagValues: { '4511111111': ['Ann'], '4522222222': ['Bo'], '4533333333': ['Cy'] },
				},
			},
		});
		expect(results.map((r) => [r.to, r.status, r.duplicates])).toEqual([
			['4511111111', 'accepted', 1],
			['4522222222', 'accepted', undefined],
			['4533333333', 'accepted', undefined],
		]);
		expect(sim.accepted.map((a) => a.text).sort()).toEqual(['Hi Ann', 'Hi Bo', 'Hi Cy']);
		expect(sim.requests.filter((r) => r.endpoint === 'gatewayapi.mtsms')).toHaveLength(2);
	});

	it('reports invalid recipients as failed when asked to skip them', async () => {
		const client = createGatewayClient(gwConfig(sim));
		const results = await client.broadcast({ to: ['4511111111', '12ab', '4522222222'], message: 'x', skipInvalidRecipients: true });
		expect(results.map((r) => [r.to, r.status, r.error?.code])).toEqual([
			['4511111111', 'accepted', undefined],
			['12ab', 'failed', 'INVALID_MSISDN'],
			['4522222222', 'accepted', undefined],
		]);
	});

	it('never has more requests in flight than the configured concurrency', async () => {
		sim.setFaults({ latencyMs: 30 });
		let inFlight = 0;
		let peak = 0;
		const counting: GatewayTransport = async (options) => {
			inFlight++;
			peak = Math.max(peak, inFlight);
			return await fetchTransport(options).finally(() => inFlight--);
		};
		const client = createGatewayClient(gwConfig(sim, { batchSize: 1, concurrency: 5 }), counting);
		const to = Array.from({ length: 40 }, (_, i) => String(4520000000 + i));
		const results = await client.broadcast({ to, message: 'x' });
		expect(results.every((r) => r.status === 'accepted')).toBe(true);
		expect(peak).toBe(5);
		sim.setFaults({ latencyMs: 0 });
	});
});

describe('GatewayAPI validation: nothing is sent', () => {
	const cases: Array<[string, Record<string, unknown>, string, RegExp]> = [
		['letters in an MSISDN', { to: '45abc', message: 'x' }, 'to', /only digits/],
		['a 00 prefix', { to: '004512345678', message: 'x' }, 'to', /00 prefix/],
		['a too short MSISDN', { to: '+451234', message: 'x' }, 'to', /too short/],
		['a too long MSISDN', { to: '+4512345678901234', message: 'x' }, 'to', /too long/],
		['no recipient', { to: ' , ', message: 'x' }, 'to', /No recipient/],
		['an empty message', { to: '4512345678', message: '' }, 'message', /empty/],
		['a whitespace message', { to: '4512345678', message: '  \n ' }, 'message', /whitespace/],
		['a lone surrogate', { to: '4512345678', message: 'a\ud800b' }, 'message', /lone UTF-16 surrogate/],
		['a long alphanumeric sender', { to: '4512345678', from: 'TwelveLetter', message: 'x' }, 'from', /at most 11/],
		['a long numeric sender', { to: '4512345678', from: '+4512345678901234', message: 'x' }, 'from', /at most 15 digits/],
		['non-hex binary', { to: '4512345678', binary: { hex: 'XYZ1' } }, 'binary.hex', /not hex/],
		['a UDH longer than allowed', { to: '4512345678', binary: { hex: '00'.repeat(100), udh: '30' + '00'.repeat(48) } }, 'binary.hex', /at most 140/],
		['more parts than maxParts', { to: '4512345678', message: 'a'.repeat(161), maxParts: 1 }, 'maxParts', /needs 2 parts/],
		['more than 255 parts', { to: '4512345678', message: 'a'.repeat(153 * 255 + 1) }, 'message', /255/],
		['a schedule in the past', { to: '4512345678', message: 'x', scheduleAt: '2001-01-01T00:00:00Z' }, 'scheduleAt', /in the past/],
		['a schedule without zone', { to: '4512345678', message: 'x', scheduleAt: '2031-01-01T00:00:00' }, 'scheduleAt', /time zone/],
		['a nonsense schedule', { to: '4512345678', message: 'x', scheduleAt: 'tomorrow' }, 'scheduleAt', /ISO 8601/],
		['forced GSM-7 with a non-GSM character', { to: '4512345678', message: 'Hi \ud83d\ude00', encoding: 'gsm7' }, 'message', /not in the GSM 03.38 alphabet/],
		['tags without values', { to: '4512345678', message: 'Hi %n%', providerOptions: { gatewayApi: { tags: ['%n%'] } } }, 'providerOptions.gatewayApi.tagValues', /tag values/],
		['maxParts with tags', { to: '4512345678', message: 'Hi %n%', maxParts: 2, providerOptions: { gatewayApi: { tags: ['%n%'], tagValues: { '4512345678': ['A'] } } } }, 'maxParts', /tags/],
	];
	it.each(cases)('refuses %s', async (_label, request, field, message) => {
		const client = createGatewayClient(gwConfig(sim));
		const error = await rejection(client.send(request as never));
		expect(error).toBeInstanceOf(GatewayValidationError);
		expect((error as GatewayValidationError).field).toBe(field);
		expect((error as Error).message).toMatch(message);
		expect(sim.requests).toHaveLength(0);
	});

	it('refuses an unknown provider and a non-http base URL at creation', () => {
		expect(() => createGatewayClient({ provider: 'nokia' as never, token: 't' })).toThrow(/Unknown provider "nokia"/);
		expect(() => createGatewayClient({ provider: 'gatewayApi', baseUrl: 'ftp://127.0.0.1', token: 't' })).toThrow(/http:\/\/ or https:\/\//);
		expect(() => createGatewayClient({ provider: 'gatewayApi', baseUrl: 'not a url', token: 't' })).toThrow(GatewayValidationError);
		expect(sim.requests).toHaveLength(0);
	});

	it('MMS is not offered', async () => {
		const client = createGatewayClient(gwConfig(sim));
		await expect(client.sendMms({ to: '4512345678', from: '1234', parts: [] })).rejects.toThrow(/does not offer MMS/);
	});
});

describe('GatewayAPI failures', () => {
	it('reports a bad token as failed, not retryable, without the token', async () => {
		const client = createGatewayClient(gwConfig(sim, { token: 'wrong-token-value' }));
		const [r] = await client.send({ to: '4512345678', message: 'x' });
		expect(r).toMatchObject({ status: 'failed', error: { code: '0x0229', retryable: false } });
		expect(r.error?.message).toMatch(/HTTP 401/);
		expectNoSecrets(r, ['wrong-token-value']);
	});

	it('redacts a token that the gateway echoes back', async () => {
		sim.respondWith({ endpoint: 'gatewayapi.mtsms', status: 422, body: JSON.stringify({ code: '0x0208', message: `bad %1`, variables: [`Token ${GW.token}`] }) });
		const client = createGatewayClient(gwConfig(sim));
		const [r] = await client.send({ to: '4512345678', message: 'x' });
		expect(r.status).toBe('failed');
		expect(r.error?.message).toContain('***');
		expectNoSecrets(r);
	});

	it('retries 503 (not processed) and then succeeds', async () => {
		sim.respondWith({ endpoint: 'gatewayapi.mtsms', status: 503, body: '{"code":"0x0201","message":"busy"}', times: 2 });
		const client = createGatewayClient(gwConfig(sim));
		const [r] = await client.send({ to: '4512345678', message: 'x' });
		expect(r.status).toBe('accepted');
		expect(sim.requests.filter((q) => q.endpoint === 'gatewayapi.mtsms')).toHaveLength(3);
		expect(sim.accepted).toHaveLength(1);
	});

	const ambiguous: Array<[string, Parameters<Simulator['respondWith']>[0]]> = [
		['a 500 after accepting', { endpoint: 'gatewayapi.mtsms', status: 500, accept: true, body: '{"code":"0x0201","message":"oops"}' }],
		['a reset after accepting', { endpoint: 'gatewayapi.mtsms', accept: true, reset: true }],
		['a truncated answer', { endpoint: 'gatewayapi.mtsms', accept: true, status: 200, body: '{"ids":[1,2', truncate: true }],
	];
	it.each(ambiguous)('reports %s as unknown and never resends', async (_label, override) => {
		sim.respondWith(override);
		const client = createGatewayClient(gwConfig(sim));
		const results: RecipientResult[] = await client.broadcast({ to: ['4511111111', '4522222222'], message: 'x' });
		expect(results.map((r) => r.status)).toEqual(['unknown', 'unknown']);
		expect(results[0].error?.retryable).toBe(false);
		expect(results[0].error?.message).toMatch(/not resent/);
		expect(sim.requests.filter((q) => q.endpoint === 'gatewayapi.mtsms')).toHaveLength(1);
		expect(sim.accepted).toHaveLength(2);
	});

	it('times out a hung gateway and reports unknown', async () => {
		sim.respondWith({ endpoint: 'gatewayapi.mtsms', hang: true });
		const client = createGatewayClient(gwConfig(sim, { timeoutMs: 300 }));
		const started = Date.now();
		const [r] = await client.send({ to: '4512345678', message: 'x' });
		expect(Date.now() - started).toBeLessThan(5_000);
		expect(r).toMatchObject({ status: 'unknown', error: { code: 'TIMEOUT' } });
	});

	it('times out a slow-loris answer', async () => {
		sim.respondWith({ endpoint: 'gatewayapi.mtsms', status: 200, body: '{"ids":[123456789]}' + ' '.repeat(200), dripMs: 50, dripBytes: 1 });
		const client = createGatewayClient(gwConfig(sim, { timeoutMs: 400 }));
		const [r] = await client.send({ to: '4512345678', message: 'x' });
		expect(r).toMatchObject({ status: 'unknown', error: { code: 'TIMEOUT' } });
	});

	it('keeps ids beyond Number.MAX_SAFE_INTEGER exact', async () => {
		sim.respondWith({ endpoint: 'gatewayapi.mtsms', status: 200, body: '{"ids":[18446744073709551615],"usage":{}}' });
		const client = createGatewayClient(gwConfig(sim));
		const [r] = await client.send({ to: '4512345678', message: 'x' });
		expect(r).toMatchObject({ status: 'accepted', messageId: '18446744073709551615' });
	});

	it('treats an HTML page with a 200 as accepted without an id, and one with a 502 as unknown', async () => {
		const client = createGatewayClient(gwConfig(sim));
		sim.respondWith({ endpoint: 'gatewayapi.mtsms', status: 200, body: '<html>OK</html>' });
		const [ok] = await client.send({ to: '4512345678', message: 'x' });
		expect(ok.status).toBe('accepted');
		expect(ok.messageId).toBeUndefined();
		sim.respondWith({ endpoint: 'gatewayapi.mtsms', status: 502, body: '<html>Bad gateway</html>' });
		const [bad] = await client.send({ to: '4512345678', message: 'x' });
		expect(bad).toMatchObject({ status: 'unknown', error: { code: 'HTTP_502' } });
	});

	it('retries a refused connection and reports failed (retryable) when nobody listens', async () => {
		const closed = await startSimulator({ port: 0 });
		const url = closed.url;
		await closed.close();
		const client = createGatewayClient({ provider: 'gatewayApi', baseUrl: url, token: 'x', retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2 } });
		const [r] = await client.send({ to: '4512345678', message: 'x' });
		expect(r).toMatchObject({ status: 'failed', error: { code: 'CONNECTION_FAILED', retryable: true } });
	});
	it('survives a broadcast with 30% mixed faults: one result each, nothing accepted twice', async () => {
		sim.setFaults({ rate: 0.3, kinds: ['500', '503', 'reset', 'hang', 'reset-after', '500-after', 'hang-after'], hangMs: 2_000, seed: 4 });
		const to = Array.from({ length: 2_000 }, (_, i) => String(4590000000 + i));
		const client = createGatewayClient(gwConfig(sim, { batchSize: 50, concurrency: 4, timeoutMs: 250, retry: { maxAttempts: 6, baseDelayMs: 1, maxDelayMs: 5 } }));
		const results = await client.broadcast({ to, message: 'Fault tolerant' });
		const counts = expectExactlyOnce(sim, to, results);
		// No idempotency key: the ambiguous ones are unknown, the rest accepted, none failed.
		expect(counts.failed).toBeUndefined();
		expect(counts.unknown).toBeGreaterThan(0);
		expect((counts.accepted ?? 0) + counts.unknown).toBe(2_000);
	});
});

describe('GatewayAPI credentials and dry run', () => {
	it('checks credentials with /rest/me', async () => {
		const good = await createGatewayClient(gwConfig(sim)).checkCredentials();
		expect(good).toMatchObject({ provider: 'gatewayApi', verified: true, balance: 1000, currency: 'DKK' });
		const error = await rejection(createGatewayClient(gwConfig(sim, { token: 'nope-nope' })).checkCredentials());
		expect(error).toBeInstanceOf(GatewayError);
		expect(error).toMatchObject({ code: 'AUTH', statusCode: 401 });
		expectNoSecrets(error, ['nope-nope']);
	});

	it('a dry run validates and counts but sends nothing', async () => {
		const client = createGatewayClient(gwConfig(sim));
		const [r] = await client.send({ to: '4512345678', message: 'a'.repeat(200), dryRun: true });
		expect(r).toEqual({ to: '4512345678', status: 'accepted', parts: 2, encoding: 'gsm7', provider: 'gatewayApi', dryRun: true });
		expect(sim.requests).toHaveLength(0);
	});
});
