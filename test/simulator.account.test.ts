/**
 * The simulator's account endpoints and BulkSMS phone-book groups, over real HTTP on
 * loopback: send_sms / quote_sms with dest_group_id, get_report per recipient, get_credits,
 * GatewayAPI /rest/me and GET /rest/mtsms/{id} (docs/simulator.md).
 */
import axios, { type AxiosRequestConfig } from 'axios';
import { DEFAULT_CREDENTIALS, DEFAULT_GROUPS, encodeQuery, startSimulator, type Simulator } from '../simulator';

const BULK = DEFAULT_CREDENTIALS.bulkSms;
const GW = { Authorization: `Token ${DEFAULT_CREDENTIALS.gatewayApi.token}` };
const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' };

const raw: AxiosRequestConfig = {
	responseType: 'text',
	transformResponse: (d: unknown) => d,
	validateStatus: () => true,
};

let sim: Simulator;

beforeAll(async () => {
	sim = await startSimulator({
		port: 0,
		seed: 13,
		reportStatus: (r) => (r.provider === 'gatewayApi' ? 'DELIVERED' : r.to === '447700900302' ? 53 : 11),
	});
});

afterAll(async () => {
	await sim.close();
});

beforeEach(() => {
	sim.reset();
	sim.setGroups({ ...DEFAULT_GROUPS } as Record<string, string[]>);
});

const bulk = (path: string, fields: Array<[string, string]>) =>
	axios.post(`${sim.url}${path}`, encodeQuery([['username', BULK.username], ['password', BULK.password], ...fields]), { ...raw, headers: FORM });
const sendSms = (fields: Array<[string, string]>) => bulk('/eapi/submission/send_sms/2/2.0', fields);
const getReport = (fields: Array<[string, string]>) => bulk('/eapi/status_reports/get_report/2/2.0', fields);
const credits = async () => Number(String((await bulk('/eapi/user/get_credits/1/1.1', [])).data).split('|')[1]);

describe('BulkSMS phone-book groups', () => {
	it('expands dest_group_id to the members, each once, under one batch id', async () => {
		const before = await credits();
		const res = await sendSms([
			['dest_group_id', '1,2'],
			['message', 'Hello members'],
		]);
		expect(res.data).toMatch(/^0\|IN_PROGRESS\|\d+$/);
		const batchId = String(res.data).split('|')[2];
		expect(sim.accepted.map((a) => [a.to, a.messageId])).toEqual(
			['447700900301', '447700900302', '447700900303', '447700900304'].map((to) => [to, batchId]),
		);
		const decoded = sim.requests[sim.requests.length - 1].decoded;
		expect(decoded).toMatchObject({ groups: ['1', '2'], recipients: 4, to: ['447700900301', '447700900302', '447700900303', '447700900304'] });
		expect(await credits()).toBeCloseTo(before - 4, 2);
		const report = await getReport([['batch_id', batchId]]);
		expect(report.data).toBe('0|Returns to follow\n\n447700900301|11\n447700900302|53\n447700900303|11\n447700900304|11\n');
		const one = await getReport([
			['batch_id', batchId],
			['msisdn', '447700900302'],
		]);
		expect(one.data).toBe('0|Returns to follow\n\n447700900302|53\n');
	});

	it('refuses unknown, malformed and empty groups, and msisdn with dest_group_id, with 24', async () => {
		sim.setGroups({ '5': [] });
		for (const fields of [
			[['dest_group_id', '6']],
			[['dest_group_id', '5']],
			[['dest_group_id', 'x']],
			[['dest_group_id', '5'], ['msisdn', '447700900001']],
		] as Array<Array<[string, string]>>) {
			const res = await sendSms([...fields, ['message', 'x']]);
			expect(res.data).toMatch(/^24\|/);
		}
		expect(sim.accepted).toHaveLength(0);
	});

	it('quotes a group send without sending it', async () => {
		const res = await bulk('/eapi/submission/quote_sms/2/2.0', [
			['dest_group_id', '2'],
			['message', 'x'],
		]);
		expect(res.data).toBe('0|Quotation issued|2.00');
		expect(sim.accepted).toHaveLength(0);
	});

	it('takes a phone book as an option, checking it', async () => {
		const other = await startSimulator({ port: 0, groups: { '42': ['+447700900042'] } });
		try {
			expect([...other.bulkGroups]).toEqual([['42', ['447700900042']]]);
		} finally {
			await other.close();
		}
		await expect(startSimulator({ port: 0, groups: { x: ['447700900001'] } })).rejects.toThrow(/not numeric/);
		expect(() => sim.setGroups({ '1': ['12ab'] })).toThrow(/not an MSISDN/);
	});
});

describe('GatewayAPI account endpoints', () => {
	it('reports the credit, and each recipient with parts and time', async () => {
		sim.gwCredit = 12.5;
		expect((await axios.get(`${sim.url}/rest/me`, { headers: GW })).data).toEqual({ credit: 12.5, currency: 'DKK', id: 4711 });
		const sent = await axios.post(
			`${sim.url}/rest/mtsms`,
			{ message: 'x'.repeat(200), recipients: [{ msisdn: 4520000001 }, { msisdn: 4520000002 }] },
			{ headers: GW },
		);
		const id = (sent.data as { ids: number[] }).ids[0];
		const status = await axios.get(`${sim.url}/rest/mtsms/${id}`, { headers: GW });
		expect(status.data).toEqual([
			{
				id,
				message: 'x'.repeat(200),
				recipients: [4520000001, 4520000002].map((msisdn) => ({
					msisdn,
					country: 'DK',
					csms: 2,
					dsnstatus: 'DELIVERED',
					dsntime: expect.any(Number),
				})),
			},
		]);
	});
});
