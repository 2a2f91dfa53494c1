/**
 * The simulator's reading of binary SMS and MX's native content parameters, over real HTTP
 * on loopback (docs/simulator.md, "Binary SMS and content messages"): what the content
 * tests of the clients and the node rely on.
 */
import axios, { type AxiosRequestConfig } from 'axios';

import { DEFAULT_CREDENTIALS, encodeQuery, startSimulator, type Simulator } from '../simulator';

const MX = DEFAULT_CREDENTIALS.mxTelecom;
const BULK = DEFAULT_CREDENTIALS.bulkSms;
const GW = DEFAULT_CREDENTIALS.gatewayApi;
const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' };
const raw: AxiosRequestConfig = { responseType: 'text', transformResponse: (d: unknown) => d, validateStatus: () => true };

let sim: Simulator;

beforeAll(async () => {
	sim = await startSimulator({ port: 0 });
});

afterAll(async () => {
	await sim.close();
});

beforeEach(() => sim.reset());

const mx = async (pairs: Array<[string, string]>) =>
	await axios.post(`${sim.url}/sms/v1/send`, encodeQuery([['user', MX.username], ['pass', MX.password], ['smsto', '447700900001'], ...pairs]), { ...raw, headers: FORM });
const bulk = async (message: string) =>
	await axios.post(
		`${sim.url}/eapi/submission/send_sms/2/2.0`,
		encodeQuery([['username', BULK.username], ['password', BULK.password], ['msisdn', '447700900001'], ['dca', '8bit'], ['message', message]]),
		{ ...raw, headers: FORM },
	);
const gw = async (object: Record<string, unknown>) =>
	await axios.post(`${sim.url}/rest/mtsms`, JSON.stringify({ recipients: [{ msisdn: 447700900001 }], ...object }), {
		...raw,
		headers: { Authorization: `Token ${GW.token}`, 'Content-Type': 'application/json' },
	});
const b64 = (hex: string) => Buffer.from(hex, 'hex').toString('base64');

const PART = { udh: '0B05040B8423F000032A0201', payload: 'DC0601AE' };
const READ = { udh: PART.udh, payload: PART.payload, octets: 16, ports: { destination: 2948, source: 9200 }, concat: { reference: 42, total: 2, sequence: 1 } };

describe('binary SMS as a handset reads them', () => {
	it('MX smsmsg + smsudh', async () => {
		expect((await mx([['smsmsg', PART.payload], ['smsudh', PART.udh]])).status).toBe(200);
		expect(sim.accepted[0].binary).toEqual(READ);
	});

	it('BulkSMS dca=8bit: UDHL + UDH + payload, and a message that does not start with a UDH is refused', async () => {
		expect((await bulk(PART.udh + PART.payload)).data).toMatch(/^0\|/);
		expect(sim.accepted[0].binary).toEqual(READ);
		expect((await bulk('0A0504')).data).toMatch(/^24\|.*UDH indicator/);
	});

	it('GatewayAPI udh with or without its length octet, and one that parses neither way is refused', async () => {
		expect((await gw({ payload: b64(PART.payload), udh: b64(PART.udh.slice(2)) })).status).toBe(200);
		expect((await gw({ payload: b64(PART.payload), udh: b64(PART.udh) })).status).toBe(200);
		expect(sim.accepted.map((a) => a.binary)).toEqual([
			{ ...READ, udhForm: 'withoutLength' },
			{ ...READ, udhForm: 'withLength' },
		]);
		const bad = await gw({ payload: b64(PART.payload), udh: b64('0905') });
		expect(bad.status).toBe(422);
		expect(bad.data).toContain('udh');
	});

	it('two parts of one message with the same payload are not duplicates', async () => {
		await mx([['smsmsg', 'AA'], ['smsudh', '0500032A0201']]);
		await mx([['smsmsg', 'AA'], ['smsudh', '0500032A0202']]);
		expect(sim.duplicates()).toEqual([]);
	});
});

describe("MX's native content parameters", () => {
	it('vcard_data: recorded, CR LF lines required', async () => {
		const card = 'BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Jane\r\nEND:VCARD\r\n';
		expect((await mx([['vcard_data', card]])).status).toBe(200);
		expect(sim.accepted[0]).toMatchObject({ encoding: 'vcard', vcard: card });
		const bare = await mx([['vcard_data', card.replace(/\r\n/g, '\n')]]);
		expect(bare.status).toBe(400);
		expect(bare.data).toMatch(/vcard_data: must run from BEGIN:VCARD|CR LF/);
	});

	it('mms_*: recorded, the counted parameters bounded by one SMS', async () => {
		const ok = await mx([
			['mms_messagelocation', 'http://mmsc.example.com/1'],
			['mms_transaction_id', 't1'],
			['mms_subject', 'Hi'],
			['mms_expire', '86400'],
		]);
		expect(ok.status).toBe(200);
		expect(sim.accepted[0]).toMatchObject({
			encoding: 'mmsNotification',
			mms: { messageLocation: 'http://mmsc.example.com/1', transactionId: 't1', subject: 'Hi', expire: 86400 },
		});
		const long = await mx([['mms_messagelocation', `http://mmsc.example.com/${'x'.repeat(90)}`]]);
		expect(long.status).toBe(400);
		expect((await mx([['mms_subject', 'Hi']])).data).toMatch(/mms_messagelocation: required/);
	});
});

describe('respondWith after', () => {
	it('lets the first matching requests through, then answers the next one', async () => {
		sim.respondWith({ provider: 'mxTelecom', after: 1, status: 400, body: 'FAILURE refused\n' });
		expect((await mx([['smsmsg', 'one']])).status).toBe(200);
		expect((await mx([['smsmsg', 'two']])).status).toBe(400);
		expect((await mx([['smsmsg', 'three']])).status).toBe(200);
	});
});
