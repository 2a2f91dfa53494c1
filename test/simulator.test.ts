/**
 * Smoke tests of the gateway simulator itself, over real HTTP on loopback. The provider
 * clients' contract tests rely on these behaviours (docs/simulator.md).
 */
import axios, { type AxiosRequestConfig } from 'axios';
import { createHmac } from 'crypto';
import {
	DEFAULT_CREDENTIALS,
	charsets,
	encodeQuery,
	startReceiver,
	startSimulator,
	zip,
	type Receiver,
	type Simulator,
} from '../simulator';
import { startRawHttpServer } from './helpers/rawHttpServer';

const MX = DEFAULT_CREDENTIALS.mxTelecom;
const BULK = DEFAULT_CREDENTIALS.bulkSms;
const GW = DEFAULT_CREDENTIALS.gatewayApi;
const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' };

const raw: AxiosRequestConfig = {
	responseType: 'text',
	transformResponse: (d: unknown) => d,
	validateStatus: () => true,
};

let sim: Simulator;
let rcv: Receiver;

beforeAll(async () => {
	sim = await startSimulator({ port: 0, seed: 7 });
	rcv = await startReceiver();
});

afterAll(async () => {
	await sim.close();
	await rcv.close();
});

beforeEach(() => {
	sim.reset();
	sim.setFaults(null);
	rcv.requests.length = 0;
});

function mxQuery(extra: Array<[string, string, ('latin9' | 'latin1' | 'utf8')?]>): string {
	return encodeQuery([['user', MX.username], ['pass', MX.password], ...extra]);
}

describe('MX Telecom', () => {
	it('accepts a Latin-9 smsmsg, decodes it, and answers a 64-bit id as text', async () => {
		const res = await axios.get(
			`${sim.url}/sms/v1/send?${mxQuery([['smsto', '447700900001']])}&smsmsg=Test+%A4&report=7`,
			raw,
		);
		expect(res.status).toBe(200);
		const id = String(res.data).trim();
		expect(id).toMatch(/^\d{16,19}$/);
		expect(BigInt(id) > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);
		const rec = sim.requests[0];
		expect(rec.decoded).toMatchObject({
			text: 'Test \u20AC',
			encoding: 'latin9',
			parts: 1,
			to: ['447700900001'],
		});
		expect(sim.accepted).toEqual([
			expect.objectContaining({ provider: 'mxTelecom', to: '447700900001', messageId: id }),
		]);
	});

	it('decodes smsia5 GSM octets and smsucs2 hex, also from a POST body', async () => {
		await axios.get(
			`${sim.url}/SMSSend?${mxQuery([['smsto', '447700900001']])}&smsia5=AB%13%10%1B%65`,
			raw,
		);
		const hex = charsets.toUcs2Hex('Hi \uD83D\uDE00');
		await axios.post(
			`${sim.url}/sms/v1/send`,
			mxQuery([
				['smsto', '447700900002'],
				['smsucs2', hex],
			]),
			{ ...raw, headers: FORM },
		);
		expect(sim.requests.map((r) => r.decoded?.text)).toEqual([
			'AB\u0393\u0394\u20AC',
			'Hi \uD83D\uDE00',
		]);
		expect(sim.requests.map((r) => r.decoded?.encoding)).toEqual(['gsm7', 'ucs2']);
	});

	it('rejects bad credentials with 403 FAILURE and a long text without split', async () => {
		const bad = await axios.get(
			`${sim.url}/sms/v1/send?user=${MX.username}&pass=wrong&smsto=447700900001&smsmsg=x`,
			raw,
		);
		expect(bad.status).toBe(403);
		expect(bad.data).toBe('FAILURE authentication failed\n');
		const long = 'a'.repeat(161);
		const noSplit = await axios.get(
			`${sim.url}/sms/v1/send?${mxQuery([
				['smsto', '447700900001'],
				['smsmsg', long],
			])}`,
			raw,
		);
		expect(noSplit.status).toBe(400);
		const split = await axios.get(
			`${sim.url}/sms/v1/send?${mxQuery([
				['smsto', '447700900001'],
				['smsmsg', long],
				['split', '2'],
			])}`,
			raw,
		);
		expect(split.status).toBe(200);
		expect(sim.requests[2].decoded?.parts).toBe(2);
		expect(sim.accepted).toHaveLength(1);
	});

	it('bulksend answers one line per recipient and replays a repeated submitid without accepting again', async () => {
		const body = mxQuery([
			['submitid', 'batch-1'],
			['smsmsg', 'Hello'],
			['smsto', '447700900001\n447700900002\n12'],
		]);
		const first = await axios.post(`${sim.url}/sms/v1/bulksend`, body, { ...raw, headers: FORM });
		const lines = String(first.data).trim().split('\n');
		expect(lines).toHaveLength(3);
		expect(lines[0]).toMatch(/^447700900001 \d{16,19}$/);
		expect(lines[2]).toBe('12 FAILURE invalid msisdn');
		const again = await axios.post(`${sim.url}/sms/v1/bulksend`, body, { ...raw, headers: FORM });
		expect(again.data).toBe(first.data);
		expect(sim.accepted).toHaveLength(2);
		expect(sim.duplicates()).toEqual([]);
		expect(sim.requests[1].duplicate).toBe(true);
		const noKey = await axios.post(
			`${sim.url}/sms/v1/bulksend`,
			mxQuery([
				['smsmsg', 'x'],
				['smsto', '447700900001'],
			]),
			{
				...raw,
				headers: FORM,
			},
		);
		expect(noKey.status).toBe(400);
	});

	it('round-trips an MMS: SendMMS multipart zip, then RetrieveMMS returns a DEFLATE zip with manifest', async () => {
		const parts = [
			{ name: 'hello.txt', mimeType: 'text/plain', data: 'Hello \u20AC' },
			{
				name: 'pic.gif',
				mimeType: 'image/gif',
				data: Buffer.from([0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0, 1, 2, 255]),
			},
		];
		const form = new FormData();
		form.append('user', MX.username);
		form.append('pass', MX.password);
		form.append('to', '447700900001');
		form.append('from', '58870');
		form.append('subject', 'Hi');
		form.append(
			'mms.zip',
			new Blob([new Uint8Array(zip.buildMmsZip(parts, { method: 'store' }))], {
				type: 'application/zip',
			}),
			'mms.zip',
		);
		const sent = await axios.post(`${sim.url}/SendMMS`, form, raw);
		expect(sent.status).toBe(200);
		const id = String(sent.data).trim();
		expect(sim.requests[0].decoded?.parts).toEqual([
			{ name: 'hello.txt', mimeType: 'text/plain', size: 9, text: 'Hello \u20AC' },
			{ name: 'pic.gif', mimeType: 'image/gif', size: 10 },
		]);
		const got = await axios.get(
			`${sim.url}/RetrieveMMS?${encodeQuery([
				['user', MX.mmsUsername],
				['pass', MX.mmsPassword],
				['id', id],
			])}`,
			{
				responseType: 'arraybuffer',
				validateStatus: () => true,
			},
		);
		expect(got.status).toBe(200);
		expect(got.headers['content-type']).toBe('application/zip');
		const entries = zip.readZip(Buffer.from(got.data));
		expect(entries.map((e) => [e.name, e.method])).toEqual([
			['manifest', 'deflate'],
			['hello.txt', 'deflate'],
			['pic.gif', 'deflate'],
		]);
		const mms = zip.readMmsZip(Buffer.from(got.data));
		expect(mms.parts.map((p) => [p.name, p.mimeType, p.data.toString('hex')])).toEqual(
			parts.map((p) => [p.name, p.mimeType, Buffer.from(p.data).toString('hex')]),
		);
		const wrongAccount = await axios.get(`${sim.url}/RetrieveMMS?${mxQuery([['id', id]])}`, raw);
		expect(wrongAccount.status).toBe(403);
	});

	it('serves an inbound MMS added with addInboundMms from /mms/v1/http/retrieve', async () => {
		const id = sim.addInboundMms({
			from: '447700900123',
			to: '58870',
			subject: 'Pic',
			parts: [{ name: 'a.txt', mimeType: 'text/plain', data: 'yo' }],
		});
		const got = await axios.get(
			`${sim.url}/mms/v1/http/retrieve?${encodeQuery([
				['user', MX.mmsUsername],
				['pass', MX.mmsPassword],
				['id', id],
			])}`,
			{
				responseType: 'arraybuffer',
			},
		);
		expect(zip.readMmsZip(Buffer.from(got.data)).manifest).toEqual([
			{ name: 'a.txt', mimeType: 'text/plain' },
		]);
	});
});

describe('BulkSMS', () => {
	const send = (fields: Array<[string, string, ('latin9' | 'latin1' | 'utf8')?]>) =>
		axios.post(
			`${sim.url}/eapi/submission/send_sms/2/2.0`,
			encodeQuery([['username', BULK.username], ['password', BULK.password], ...fields]),
			{
				...raw,
				headers: FORM,
			},
		);

	it('accepts ISO-8859-1 and 16bit text, answering status_code|description|batch_id', async () => {
		const a = await send([
			['msisdn', '447700900001,447700900002'],
			['message', 'Caf\u00E9 \u00A3', 'latin1'],
			['stop_dup_id', '11'],
		]);
		expect(a.data).toMatch(/^0\|IN_PROGRESS\|\d+$/);
		const b = await send([
			['msisdn', '447700900003'],
			['message', charsets.toUcs2Hex('\u0393\u03B5\u03B9\u03AC')],
			['dca', '16bit'],
			['stop_dup_id', '12'],
		]);
		expect(b.data).toMatch(/^0\|IN_PROGRESS\|\d+$/);
		expect(sim.requests.map((r) => r.decoded?.text)).toEqual([
			'Caf\u00E9 \u00A3',
			'\u0393\u03B5\u03B9\u03AC',
		]);
		expect(sim.accepted.map((r) => r.to)).toEqual(['447700900001', '447700900002', '447700900003']);
		expect(sim.accepted[0].messageId).toBe(String(a.data).split('|')[2]);
	});

	it('replays a repeated stop_dup_id with the original batch and accepts nothing new', async () => {
		const first = await send([
			['msisdn', '447700900001'],
			['message', 'one'],
			['stop_dup_id', '77'],
		]);
		const second = await send([
			['msisdn', '447700900001,447700900009'],
			['message', 'two'],
			['stop_dup_id', '77'],
		]);
		expect(second.data).toBe(first.data);
		expect(sim.accepted).toHaveLength(1);
	});

	it('answers 23 for bad credentials, 24 for a bad msisdn, and reports credits', async () => {
		const bad = await axios.get(
			`${sim.url}/eapi/submission/send_sms/2/2.0?username=${BULK.username}&password=nope&msisdn=447700900001&message=x`,
			raw,
		);
		expect(bad.status).toBe(200);
		expect(bad.data).toBe('23|invalid credentials|');
		expect(
			(
				await send([
					['msisdn', '44abc'],
					['message', 'x'],
				])
			).data,
		).toMatch(/^24\|/);
		const credits = await axios.get(
			`${sim.url}/eapi/user/get_credits/1/1.1?${encodeQuery([
				['username', BULK.username],
				['password', BULK.password],
			])}`,
			raw,
		);
		expect(credits.data).toMatch(/^0\|\d+\.\d{2}$/);
	});
});

describe('GatewayAPI', () => {
	const auth = { Authorization: `Token ${GW.token}` };

	it('accepts JSON with Token auth and answers ids and usage', async () => {
		const res = await axios.post(
			`${sim.url}/rest/mtsms`,
			{
				message: 'Hi \u20AC',
				encoding: 'UTF8',
				userref: 'ref-1',
				recipients: [{ msisdn: 4512345678 }, { msisdn: '+447700900001' }],
			},
			{ headers: auth, validateStatus: () => true },
		);
		expect(res.status).toBe(200);
		expect(res.data).toEqual({
			ids: [expect.any(Number)],
			usage: { countries: { DK: 1, GB: 1 }, currency: 'DKK', total_cost: 0.3 },
		});
		expect(sim.accepted.map((a) => [a.to, a.messageId, a.text])).toEqual([
			['4512345678', String(res.data.ids[0]), 'Hi \u20AC'],
			['447700900001', String(res.data.ids[0]), 'Hi \u20AC'],
		]);
		const me = await axios.get(`${sim.url}/rest/me`, { headers: auth });
		expect(me.data).toEqual({
			credit: expect.any(Number),
			currency: 'DKK',
			id: expect.any(Number),
		});
	});

	it('answers errors as {code, incident_uuid, message, variables}', async () => {
		const noAuth = await axios.post(
			`${sim.url}/rest/mtsms`,
			{ message: 'x', recipients: [{ msisdn: 4512345678 }] },
			{ validateStatus: () => true },
		);
		expect(noAuth.status).toBe(401);
		expect(noAuth.data).toEqual({
			code: '0x0229',
			incident_uuid: expect.stringMatching(/^[0-9a-f-]{36}$/),
			message: 'Invalid token',
		});
		const dup = await axios.post(
			`${sim.url}/rest/mtsms`,
			{ message: 'x', recipients: [{ msisdn: 4512345678 }, { msisdn: 4512345678 }] },
			{ headers: auth, validateStatus: () => true },
		);
		expect(dup.status).toBe(422);
		expect(dup.data).toMatchObject({ code: '0x0310', variables: ['4512345678'] });
		const many = Array.from({ length: 10001 }, (_, i) => ({ msisdn: 4510000000 + i }));
		const tooMany = await axios.post(
			`${sim.url}/rest/mtsms`,
			{ message: 'x', recipients: many },
			{ headers: auth, validateStatus: () => true },
		);
		expect(tooMany.status).toBe(422);
		expect(sim.accepted).toHaveLength(0);
	});
});

describe('faults', () => {
	it('draws the same faults for the same seed and request order', async () => {
		const run = async () => {
			sim.reset();
			sim.setFaults({ rate: 0.5, kinds: ['500', 'bulksms40', '503'], seed: 99 });
			for (let i = 0; i < 10; i++)
				await axios.get(
					`${sim.url}/eapi/submission/send_sms/2/2.0?${encodeQuery([
						['username', BULK.username],
						['password', BULK.password],
						['msisdn', '447700900001'],
						['message', `m${i}`],
					])}`,
					raw,
				);
			return sim.requests.map((r) => r.fault ?? '-');
		};
		const a = await run();
		expect(a.some((f) => f !== '-')).toBe(true);
		expect(await run()).toEqual(a);
	});

	it('reset-after accepts the request, then drops the connection', async () => {
		sim.setFaults({ rate: 1, kinds: ['reset-after'] });
		const err = await axios
			.post(
				`${sim.url}/rest/mtsms`,
				{ message: 'x', recipients: [{ msisdn: 4512345678 }] },
				{ headers: { Authorization: `Token ${GW.token}` } },
			)
			.then(
				() => undefined,
				(e: { code?: string }) => e,
			);
		expect(err?.code).toMatch(/ECONNRESET|ERR_BAD_RESPONSE|ECONNABORTED/);
		expect(sim.accepted).toHaveLength(1);
		expect(sim.requests[0]).toMatchObject({ fault: 'reset-after', status: null, accepted: 1 });
	});

	it('respondWith serves one hostile answer, then normal service resumes', async () => {
		sim.respondWith({
			endpoint: 'mx.send',
			status: 502,
			body: '<html>Bad Gateway</html>',
			headers: { 'Content-Type': 'text/html' },
		});
		const url = `${sim.url}/sms/v1/send?${mxQuery([
			['smsto', '447700900001'],
			['smsmsg', 'x'],
		])}`;
		const a = await axios.get(url, raw);
		const b = await axios.get(url, raw);
		expect([a.status, a.data]).toEqual([502, '<html>Bad Gateway</html>']);
		expect(b.status).toBe(200);
		expect(sim.accepted).toHaveLength(1);
	});
});

describe('pushes', () => {
	it('pushes an MX inbound SMS as GET with Latin-9 smsmsg and London smsdate', async () => {
		const res = await sim.push.inboundSms('mxTelecom', `${rcv.url}/mo?k=1`, {
			from: '447700900123',
			to: '58870',
			text: 'Hi \u20AC',
			date: '2024-07-01T12:00:00Z',
		});
		expect(res).toMatchObject({ status: 200, body: 'OK' });
		const q = rcv.requests[0];
		expect(q.method).toBe('GET');
		expect(q.query).toMatch(
			/^k=1&smsfrom=447700900123&smsto=58870&smsid=\d+&smsdate=2024-07-01\+13%3A00%3A00&network=UNKNOWN&bits=7&smsmsg=Hi\+%A4$/,
		);
	});

	it('pushes a GatewayAPI delivery report with a verifiable HS256 X-Gwapi-Signature', async () => {
		await sim.push.deliveryReport('gatewayApi', `${rcv.url}/dsn`, {
			messageId: 421332671,
			to: '4512345678',
			status: 'DELIVERED',
			userref: 'r1',
		});
		const q = rcv.requests[0];
		const jwt = String(q.headers['x-gwapi-signature']);
		const [h, p, s] = jwt.split('.');
		const expected = createHmac('sha256', DEFAULT_CREDENTIALS.webhookSecret ?? '')
			.update(`${h}.${p}`)
			.digest('base64url');
		expect(s).toBe(expected);
		expect(JSON.parse(Buffer.from(p, 'base64url').toString('utf8'))).toEqual(JSON.parse(q.text));
		expect(JSON.parse(q.text)).toMatchObject({
			id: 421332671,
			msisdn: 4512345678,
			status: 'DELIVERED',
			userref: 'r1',
		});
	});

	it('sends automatic delivery reports for accepted recipients when a reportUrl is set', async () => {
		const auto = await startSimulator({
			reportUrl: { bulkSms: `${rcv.url}/bulk-dlr?secret=s` },
			reportDelayMs: 5,
		});
		try {
			const res = await axios.get(
				`${auto.url}/eapi/submission/send_sms/2/2.0?${encodeQuery([
					['username', BULK.username],
					['password', BULK.password],
					['msisdn', '447700900001,447700900002'],
					['message', 'hi'],
				])}`,
				raw,
			);
			const batch = String(res.data).split('|')[2];
			const got = await rcv.waitFor(2);
			expect(got.map((r) => r.query).sort()).toEqual([
				expect.stringMatching(
					new RegExp(
						`^secret=s&msisdn=447700900001&batch_id=${batch}&status=11&completed_time=\\d{2}-\\d{2}-\\d{2}\\+`,
					),
				),
				expect.stringMatching(
					new RegExp(`^secret=s&msisdn=447700900002&batch_id=${batch}&status=11&`),
				),
			]);
		} finally {
			await auto.close();
		}
	});
});

describe('push connections', () => {
	const push = (url: string, id: string) =>
		sim.push.inboundSms('mxTelecom', `${url}/mo`, { from: '447700900123', to: '58870', text: 'hi', id });

	it('sends a push again, once, on a new connection when a kept-alive one was closed under it', async () => {
		const server = await startRawHttpServer((_n, onConnection) => onConnection === 2);
		try {
			expect(await push(server.url, '1')).toMatchObject({ status: 200, body: 'OK' });
			// written to the kept-alive connection, which the server drops unanswered
			expect(await push(server.url, '2')).toMatchObject({ status: 200, body: 'OK' });
			expect(server.counts()).toEqual({ requests: 3, connections: 2 });
		} finally {
			await server.close();
		}
	});

	it('reports a reset on a new connection as it is, without sending the push again', async () => {
		const server = await startRawHttpServer(() => true);
		try {
			await expect(push(server.url, '1')).rejects.toMatchObject({ code: 'ECONNRESET' });
			expect(server.counts()).toEqual({ requests: 1, connections: 1 });
		} finally {
			await server.close();
		}
	});
});
