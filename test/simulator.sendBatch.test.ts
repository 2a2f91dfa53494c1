/**
 * The simulator's BulkSMS EAPI send_batch (reference section 7), over real HTTP on loopback:
 * CSV with backslash escapes, lenient row handling recorded in decoded, one batch id per
 * submission, stop_dup_id shared with send_sms, limits and fault injection (docs/simulator.md).
 */
import axios, { type AxiosRequestConfig } from 'axios';
import {
	DEFAULT_CREDENTIALS,
	DEFAULT_LIMITS,
	SEND_ENDPOINTS,
	charsets,
	encodeQuery,
	startReceiver,
	startSimulator,
	type Receiver,
	type Simulator,
} from '../simulator';

const BULK = DEFAULT_CREDENTIALS.bulkSms;
const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' };
const BATCH_PATH = '/eapi/submission/send_batch/1/1.0';

type Fields = Array<[string, string, ('latin9' | 'latin1' | 'utf8')?]>;

const raw: AxiosRequestConfig = {
	responseType: 'text',
	transformResponse: (d: unknown) => d,
	validateStatus: () => true,
};

let sim: Simulator;

beforeAll(async () => {
	sim = await startSimulator({ port: 0, seed: 11 });
});

afterAll(async () => {
	await sim.close();
});

beforeEach(() => {
	sim.reset();
	sim.setFaults(null);
});

const post = (s: Simulator, path: string, fields: Fields, auth = BULK) =>
	axios.post(
		`${s.url}${path}`,
		encodeQuery([['username', auth.username], ['password', auth.password], ...fields]),
		{ ...raw, headers: FORM },
	);

const sendBatch = (csv: string, extra: Fields = [], s: Simulator = sim) =>
	post(s, BATCH_PATH, [['batch_data', csv, 'latin1'], ...extra]);

const sendSms = (fields: Fields) => post(sim, '/eapi/submission/send_sms/2/2.0', fields);

const batchIdOf = (body: unknown) => String(body).split('|')[2];

describe('BulkSMS send_batch', () => {
	it('accepts a 3-row batch under one batch id, one record per row, and get_report knows it', async () => {
		const csv =
			'msisdn,message\n"447700900001","Hi there"\n"447700900002","Second"\n447700900003,Third\n';
		const res = await sendBatch(csv);
		expect(res.status).toBe(200);
		expect(res.data).toMatch(/^0\|IN_PROGRESS\|\d+$/);
		const id = batchIdOf(res.data);
		expect(sim.accepted.map((a) => [a.endpoint, a.to, a.text, a.messageId, a.parts])).toEqual([
			['bulksms.send_batch', '447700900001', 'Hi there', id, 1],
			['bulksms.send_batch', '447700900002', 'Second', id, 1],
			['bulksms.send_batch', '447700900003', 'Third', id, 1],
		]);
		expect(sim.requests[0]).toMatchObject({ endpoint: 'bulksms.send_batch', accepted: 3 });
		expect(sim.requests[0].decoded).toMatchObject({
			rows: 3,
			accepted: 3,
			skipped: [],
			corrected: [],
			totalParts: 3,
			columns: ['msisdn', 'message'],
		});
		const report = await post(sim, '/eapi/status_reports/get_report/2/2.0', [['batch_id', id]]);
		expect(report.data).toBe(
			'0|Returns to follow\n\n447700900001|11\n447700900002|11\n447700900003|11\n',
		);
	});

	it('decodes backslash escapes inside quotes: \\" for a quote, \\\\ for a backslash, backslash-newline for a newline', async () => {
		const csv = [
			'"msisdn","message"',
			'"447700900001","Say \\"hi\\""',
			'"447700900002","C:\\\\dir"',
			'"447700900003","line one\\',
			'line two"',
			'"447700900004","Caf\u00E9 \u00A3 5"',
		].join('\r\n');
		const res = await sendBatch(csv);
		expect(res.data).toMatch(/^0\|IN_PROGRESS\|\d+$/);
		expect(sim.accepted.map((a) => a.text)).toEqual([
			'Say "hi"',
			'C:\\dir',
			'line one\nline two',
			'Caf\u00E9 \u00A3 5',
		]);
		expect(sim.requests[0].decoded?.messages?.map((m) => m.line)).toEqual([2, 3, 4, 6]);
	});

	it('reads UCS-2 rows as UTF-16BE hex with dca=16bit, and a dca column overrides per row', async () => {
		const greek = '\u0393\u03B5\u03B9\u03AC';
		const emoji = 'Hi \uD83D\uDE00';
		const csv = `msisdn,message\n"447700900001","${charsets.toUcs2Hex(greek)}"\n"447700900002","${charsets
			.toUcs2Hex(emoji)
			.toLowerCase()}"\n`;
		const res = await sendBatch(csv, [['dca', '16bit']]);
		expect(res.data).toMatch(/^0\|IN_PROGRESS\|\d+$/);
		expect(sim.accepted.map((a) => [a.text, a.encoding])).toEqual([
			[greek, 'ucs2'],
			[emoji, 'ucs2'],
		]);
		const mixed = `msisdn,message,dca\n"447700900003","${charsets.toUcs2Hex(greek)}",""\n"447700900004","plain","7bit"\n`;
		await sendBatch(mixed, [['dca', '16bit']]);
		expect(sim.accepted.slice(2).map((a) => [a.text, a.encoding])).toEqual([
			[greek, 'ucs2'],
			['plain', 'latin1'],
		]);
	});

	it('skips invalid rows, truncates over-long texts, records both per line and accepts the rest', async () => {
		const long = 'x'.repeat(200);
		const csv = [
			'msisdn,message,sender',
			'"447700900001","ok one",""', // 2
			'"12345","bad msisdn",""', // 3
			'"447700900002","too long","SENDER","extra"', // 4: wrong column count
			'"447700900003","no closing quote', // 5
			'"447700900004","",""', // 6: missing message
			`"447700900005","${long}",""`, // 7: truncated to one part
			'"447700900006","csv ""doubled"" quotes",""', // 8
			'"447700900007","ok two","ThisSenderIsTooLong"', // 9: sender ignored
		].join('\n');
		const res = await sendBatch(csv, [['sender', 'Shop']]);
		expect(res.data).toMatch(/^0\|IN_PROGRESS\|\d+$/);
		const d = sim.requests[0].decoded;
		expect(d).toMatchObject({ rows: 8, accepted: 3 });
		expect(d?.skipped).toEqual([
			{ line: 3, reason: 'invalid msisdn: 12345' },
			{ line: 4, reason: 'expected 3 columns, got 4' },
			{ line: 5, reason: 'unterminated quote' },
			{ line: 6, reason: 'message is missing' },
			{ line: 8, reason: expect.stringContaining('after a closing quote') },
		]);
		expect(d?.corrected).toEqual([
			{ line: 7, reason: expect.stringContaining('truncated from 2 to 1 part') },
			{ line: 9, reason: 'invalid sender ignored: ThisSenderIsTooLong' },
		]);
		expect(sim.accepted.map((a) => [a.to, a.text, a.from, a.parts])).toEqual([
			['447700900001', 'ok one', 'Shop', 1],
			['447700900005', 'x'.repeat(160), 'Shop', 1],
			['447700900007', 'ok two', 'Shop', 1],
		]);
	});

	it('truncates to concat_text_sms_max_parts when concatenation is allowed', async () => {
		const csv = `msisdn,message\n447700900001,${'y'.repeat(500)}\n447700900002,${'z'.repeat(300)}\n`;
		await sendBatch(csv, [
			['allow_concat_text_sms', '1'],
			['concat_text_sms_max_parts', '2'],
		]);
		expect(sim.accepted.map((a) => [a.text?.length, a.parts])).toEqual([
			[306, 2],
			[300, 2],
		]);
		expect(sim.requests[0].decoded?.corrected).toEqual([
			{ line: 2, reason: expect.stringContaining('from 4 to 2 parts') },
		]);
		expect(sim.requests[0].decoded?.totalParts).toBe(4);
	});

	it('replays a stop_dup_id across send_sms and send_batch, accepting nothing new', async () => {
		const csv = 'msisdn,message\n"447700900001","a"\n"447700900002","b"\n';
		const first = await sendBatch(csv, [['stop_dup_id', '501']]);
		const again = await sendSms([
			['msisdn', '447700900009'],
			['message', 'other'],
			['stop_dup_id', '501'],
		]);
		expect(again.data).toBe(first.data);
		const sms = await sendSms([
			['msisdn', '447700900003'],
			['message', 'c'],
			['stop_dup_id', '502'],
		]);
		const batchAgain = await sendBatch(csv, [['stop_dup_id', '502']]);
		expect(batchAgain.data).toBe(sms.data);
		expect(sim.accepted.map((a) => a.to)).toEqual(['447700900001', '447700900002', '447700900003']);
		expect(sim.requests.map((r) => r.duplicate ?? false)).toEqual([false, true, false, true]);
		expect(sim.duplicates()).toEqual([]);
	});

	it('answers 201 above limits.bulkSmsMaxBatchRows (default 30000)', async () => {
		expect(DEFAULT_LIMITS.bulkSmsMaxBatchRows).toBe(30000);
		const small = await startSimulator({ limits: { bulkSmsMaxBatchRows: 2 } });
		try {
			const rows = (n: number) =>
				`msisdn,message\n${Array.from({ length: n }, (_, i) => `"44770090000${i}","m${i}"`).join('\n')}\n`;
			expect((await sendBatch(rows(3), [], small)).data).toBe('201|maximum batch size exceeded|');
			expect(small.accepted).toHaveLength(0);
			expect((await sendBatch(rows(2), [], small)).data).toMatch(/^0\|IN_PROGRESS\|\d+$/);
		} finally {
			await small.close();
		}
	});

	it('answers 23 for bad credentials and 24 for a missing batch_data, header or valid row', async () => {
		const bad = await post(sim, BATCH_PATH, [['batch_data', 'msisdn,message\n447700900001,x']], {
			...BULK,
			password: 'nope',
		});
		expect([bad.status, bad.data]).toEqual([200, '23|invalid credentials|']);
		expect((await post(sim, BATCH_PATH, [])).data).toBe('24|batch_data is required|');
		expect((await sendBatch('to,text\n447700900001,x\n')).data).toMatch(
			/^24\|batch_data needs a header/,
		);
		expect((await sendBatch('msisdn,message\n"1","x"\n')).data).toBe(
			'24|no valid rows in batch_data|',
		);
		expect((await sendBatch('msisdn,message\n447700900001,x\n', [['msg_class', '9']])).data).toBe(
			'24|invalid msg_class|',
		);
		expect(
			(await sendBatch('msisdn,message\n447700900001,x\n', [['test_always_fail', '1']])).data,
		).toBe('22|test_always_fail|');
		expect(sim.accepted).toHaveLength(0);
	});

	it('charges parts over all rows against the credits and schedules a future send_time', async () => {
		const poor = await startSimulator({ credits: 2 });
		try {
			const csv = 'msisdn,message\n447700900001,a\n447700900002,b\n447700900003,c\n';
			expect((await sendBatch(csv, [], poor)).data).toBe('25|insufficient credits|');
			const later = String(Math.floor(Date.now() / 1000) + 3600);
			const res = await sendBatch(
				'msisdn,message\n447700900001,a\n447700900002,b\n',
				[['send_time_unixtime', later]],
				poor,
			);
			expect(res.data).toMatch(/^1\|SCHEDULED\|\d+$/);
			expect(poor.accepted.map((a) => a.status)).toEqual(['scheduled', 'scheduled']);
			const credits = await post(poor, '/eapi/user/get_credits/1/1.1', []);
			expect(credits.data).toBe('0|0.00');
		} finally {
			await poor.close();
		}
	});

	it('pushes automatic delivery reports per row, honouring a want_report column', async () => {
		const rcv: Receiver = await startReceiver();
		const auto = await startSimulator({
			reportUrl: { bulkSms: `${rcv.url}/dlr` },
			reportDelayMs: 5,
		});
		try {
			const csv =
				'msisdn,message,want_report\n447700900001,a,\n447700900002,b,0\n447700900003,c,1\n';
			const id = batchIdOf((await sendBatch(csv, [], auto)).data);
			const got = await rcv.waitFor(2);
			expect(got.map((r) => r.query).sort()).toEqual([
				expect.stringMatching(new RegExp(`^msisdn=447700900001&batch_id=${id}&status=11&`)),
				expect.stringMatching(new RegExp(`^msisdn=447700900003&batch_id=${id}&status=11&`)),
			]);
			expect(auto.accepted.map((a) => a.to)).toEqual([
				'447700900001',
				'447700900002',
				'447700900003',
			]);
		} finally {
			await auto.close();
			await rcv.close();
		}
	});

	describe('fault injection', () => {
		const csv = 'msisdn,message\n"447700900001","a"\n"447700900002","b"\n';

		it('send_batch is a send endpoint: bulksms40 and 503 fail it before anything is accepted', async () => {
			expect(SEND_ENDPOINTS).toContain('bulksms.send_batch');
			sim.setFaults({ rate: 1, kinds: ['bulksms40'] });
			expect((await sendBatch(csv, [['stop_dup_id', '900']])).data).toBe(
				'40|temporarily unavailable|',
			);
			sim.setFaults({ rate: 1, kinds: ['503'] });
			expect((await sendBatch(csv, [['stop_dup_id', '900']])).status).toBe(503);
			expect(sim.accepted).toHaveLength(0);
			expect(sim.requests.map((r) => r.fault)).toEqual(['bulksms40', '503']);
			sim.setFaults(null);
			// Nothing was executed, so the stop_dup_id is still free.
			expect((await sendBatch(csv, [['stop_dup_id', '900']])).data).toMatch(/^0\|IN_PROGRESS\|/);
			expect(sim.accepted).toHaveLength(2);
		});

		it('reset-after accepts the batch and stores its stop_dup_id, so a retry replays it', async () => {
			sim.setFaults({ rate: 1, kinds: ['reset-after'] });
			const lost = await sendBatch(csv, [['stop_dup_id', '901']]).then(
				() => undefined,
				(e: { code?: string }) => e,
			);
			expect(lost?.code).toMatch(/ECONNRESET|ERR_BAD_RESPONSE|ECONNABORTED/);
			expect(sim.requests[0]).toMatchObject({ fault: 'reset-after', status: null, accepted: 2 });
			sim.setFaults(null);
			const retry = await sendBatch(csv, [['stop_dup_id', '901']]);
			expect(retry.data).toBe(`0|IN_PROGRESS|${sim.accepted[0].messageId}`);
			expect(sim.requests[1].duplicate).toBe(true);
			expect(sim.accepted).toHaveLength(2);
		});
	});
});
