/**
 * BulkSMS account operations over real HTTP against the simulator: the balance
 * (get_credits), each recipient's status (get_report, mapped to the trigger's status
 * names) and sends to phone-book groups (dest_group_id: one result per request).
 */
import type { Simulator } from '../../simulator';
import { createGatewayClient, GatewayError, GatewayValidationError } from '../../nodes/shared/providers';
import { parseReportEntries } from '../../nodes/shared/providers/bulkSms/response';
import type { AxiosTransport } from '../helpers/axiosTransport';
import { useSimulator } from '../helpers/useSimulator';
import { BULK, bulkConfig, expectNoSecrets, rejection } from './support';

/** get_report codes the simulator reports per handset (section 10.1); others get 11. */
const REPORTED: Record<string, number> = { '447700900012': 51, '447700900013': 12, '447700900014': 99 };

let sim: Simulator;
let axiosTransport: AxiosTransport;
useSimulator(
	{
		port: 0,
		seed: 21,
		reportStatus: (record) => REPORTED[record.to] ?? 11,
		groups: { '7': ['447700900071', '447700900072'], '8': ['447700900072', '447700900073'], '9': [] },
	},
	(started, transport) => {
		sim = started;
		axiosTransport = transport;
	},
);

const requestsTo = (endpoint: string) => sim.requests.filter((r) => r.endpoint === endpoint);
const paramsOf = (endpoint: string) => requestsTo(endpoint).map((r) => r.params as Record<string, string>);

describe.each([
	['fetch', false],
	['axios', true],
])('BulkSMS account operations over the %s transport', (_name, useAxios) => {
	const client = (extra = {}) => createGatewayClient(bulkConfig(sim, extra), useAxios ? axiosTransport.transport : undefined);

	describe('getBalance (get_credits)', () => {
		it('reads the credits left, which a send then lowers', async () => {
			const before = await client().getBalance();
			expect(before).toEqual({ provider: 'bulkSms', balance: expect.any(Number), unit: 'credits', currency: null });
			await client().broadcast({ to: ['447700900001', '447700900002'], message: 'hello' });
			const after = await client().getBalance();
			expect(after.balance).toBeCloseTo(before.balance - 2, 2);
			expect(paramsOf('bulksms.get_credits').at(-1)).toEqual({ username: BULK.username, password: BULK.password });
		});

		it('refuses wrong credentials with AUTH, never showing the password', async () => {
			const error = await rejection(client({ password: 'not-the-Pa55' }).getBalance());
			expect(error).toBeInstanceOf(GatewayError);
			expect(error).toMatchObject({ code: 'AUTH', retryable: false, provider: 'bulkSms' });
			expectNoSecrets(error, ['not-the-Pa55', BULK.password]);
			expect(requestsTo('bulksms.get_credits')).toHaveLength(1);
		});

		it('asks again after status 40 and after HTTP 503', async () => {
			sim.respondWith({ endpoint: 'bulksms.get_credits', status: 200, body: '40|temporarily unavailable' });
			sim.respondWith({ endpoint: 'bulksms.get_credits', status: 503, body: 'busy' });
			expect(await client().getBalance()).toMatchObject({ unit: 'credits', balance: expect.any(Number) });
			expect(requestsTo('bulksms.get_credits')).toHaveLength(3);
		});

		it('gives up on an unreadable answer with a retryable error that shows the body, not the secret', async () => {
			sim.respondWith({ endpoint: 'bulksms.get_credits', status: 200, body: `<html>maintenance password=${BULK.password}</html>`, times: 10 });
			const error = await rejection(client().getBalance());
			expect(error).toMatchObject({ code: 'UNPARSEABLE_RESPONSE', retryable: true });
			expect((error as Error).message).toMatch(/balance query \(get_credits\) failed: Unreadable BulkSMS answer: <html>maintenance/);
			expectNoSecrets(error);
			expect(requestsTo('bulksms.get_credits')).toHaveLength(4);
		});

		it('names a refusal by its code', async () => {
			sim.respondWith({ endpoint: 'bulksms.get_credits', status: 200, body: '22|internal fatal error' });
			await expect(client().getBalance()).rejects.toMatchObject({ code: 'BULKSMS_22', retryable: false });
		});
	});

	describe('getStatus (get_report)', () => {
		it('lists every recipient of a batch with the trigger status names', async () => {
			const to = ['447700900011', '447700900012', '447700900013', '447700900014'];
			const sent = await client().broadcast({ to, message: 'status check' });
			const batchId = sent[0].messageId as string;
			const statuses = await client().getStatus(batchId);
			expect(statuses).toEqual([
				{ provider: 'bulkSms', messageId: batchId, to: '447700900011', status: 'delivered', final: true, providerStatus: '11', reason: 'Delivered to mobile', at: null },
				{ provider: 'bulkSms', messageId: batchId, to: '447700900012', status: 'failed', final: true, providerStatus: '51', reason: 'Delivery to phone failed', at: null },
				{ provider: 'bulkSms', messageId: batchId, to: '447700900013', status: 'buffered', final: false, providerStatus: '12', reason: 'Delivered upstream unacknowledged', at: null },
				{ provider: 'bulkSms', messageId: batchId, to: '447700900014', status: 'unknown', final: false, providerStatus: '99', reason: 'Unknown status 99', at: null },
			]);
			expect(paramsOf('bulksms.get_report').at(-1)).toEqual({ username: BULK.username, password: BULK.password, batch_id: batchId });
		});

		it('asks for one recipient with msisdn', async () => {
			const sent = await client().broadcast({ to: ['447700900011', '447700900012'], message: 'one of two' });
			const statuses = await client().getStatus(sent[0].messageId as string, { to: '+447700900012' });
			expect(statuses.map((s) => [s.to, s.status])).toEqual([['447700900012', 'failed']]);
			expect(paramsOf('bulksms.get_report').at(-1)).toMatchObject({ msisdn: '447700900012' });
		});

		it('reports a scheduled batch as buffered, not final', async () => {
			const sent = await client().send({ to: '447700900011', message: 'later', scheduleAt: new Date(Date.now() + 3600_000) });
			const [status] = await client().getStatus(sent[0].messageId as string);
			expect(status).toMatchObject({ status: 'buffered', final: false, providerStatus: '0', reason: 'In progress' });
		});

		it('refuses an unknown batch with the gateway code and its description', async () => {
			const error = await rejection(client().getStatus('123'));
			expect(error).toBeInstanceOf(GatewayError);
			expect(error).toMatchObject({ code: 'BULKSMS_24', retryable: false });
			expect((error as Error).message).toMatch(/status 24 \(data validation failed: unknown batch_id\); is it a batch id this account sent\?/);
		});

		it('checks the id and the recipient before anything is sent', async () => {
			for (const [id, query, field] of [
				['abc', {}, 'messageId'],
				['  ', {}, 'messageId'],
				['0', {}, 'messageId'],
				['123', { to: '0770090001' }, 'to'],
			] as const) {
				const error = await rejection(client().getStatus(id, query));
				expect(error).toBeInstanceOf(GatewayValidationError);
				expect(error).toMatchObject({ field });
			}
			expect(sim.requests).toHaveLength(0);
		});

		it('asks again when the gateway is temporarily unavailable', async () => {
			const sent = await client().send({ to: '447700900011', message: 'x' });
			sim.respondWith({ endpoint: 'bulksms.get_report', status: 200, body: '40|temporarily unavailable|' });
			const statuses = await client().getStatus(sent[0].messageId as string);
			expect(statuses).toHaveLength(1);
			expect(requestsTo('bulksms.get_report')).toHaveLength(2);
		});
	});

	describe('broadcastToGroups (dest_group_id)', () => {
		it('sends once to the groups, one result with the batch id, and get_report lists the members', async () => {
			const result = await client().broadcastToGroups({ groupIds: '7, 8', message: 'Members night \u00a35', from: 'Club' });
			expect(result).toEqual({
				addressedAs: 'group',
				groupIds: ['7', '8'],
				status: 'accepted',
				messageId: expect.stringMatching(/^[1-9]\d*$/),
				parts: 1,
				encoding: 'gsm7',
				provider: 'bulkSms',
			});
			const [params] = paramsOf('bulksms.send_sms');
			expect(params).toMatchObject({ dest_group_id: '7,8', sender: 'Club', dca: '7bit', stop_dup_id: expect.stringMatching(/^\d+$/) });
			expect(params.msisdn).toBeUndefined();
			// The gateway expanded the groups: each member once.
			expect(sim.accepted.map((a) => a.to)).toEqual(['447700900071', '447700900072', '447700900073']);
			const statuses = await client().getStatus(result.messageId as string);
			expect(statuses.map((s) => [s.to, s.status])).toEqual([
				['447700900071', 'delivered'],
				['447700900072', 'delivered'],
				['447700900073', 'delivered'],
			]);
		});

		it('takes ids as numbers and lists, each once', async () => {
			const result = await client().broadcastToGroups({ groupIds: [8, '7', ' 8 '], message: 'x' });
			expect(result.groupIds).toEqual(['8', '7']);
			expect(paramsOf('bulksms.send_sms')[0].dest_group_id).toBe('8,7');
		});

		it('refuses group ids that are not whole numbers before anything is sent', async () => {
			for (const groupIds of ['abc', '', '12,x', '0', [1.5], [null], { id: 1 }]) {
				const error = await rejection(client().broadcastToGroups({ groupIds: groupIds as never, message: 'x' }));
				expect(error).toBeInstanceOf(GatewayValidationError);
				expect(error).toMatchObject({ field: 'groupIds' });
			}
			const empty = await rejection(client().broadcastToGroups({ groupIds: '7', message: '' }));
			expect(empty).toMatchObject({ field: 'message' });
			expect(sim.requests).toHaveLength(0);
		});

		it('reports a group the gateway does not know as failed with its reason', async () => {
			const result = await client().broadcastToGroups({ groupIds: '404', message: 'x' });
			expect(result).toMatchObject({ addressedAs: 'group', status: 'failed', error: { code: 'BULKSMS_24', retryable: false } });
			expect(result.messageId).toBeUndefined();
			expect(sim.accepted).toHaveLength(0);
		});

		it('dry-runs with test_always_succeed', async () => {
			const result = await client().broadcastToGroups({ groupIds: '7', message: 'x', dryRun: true });
			expect(result).toMatchObject({ status: 'accepted', dryRun: true });
			expect(paramsOf('bulksms.send_sms')[0].test_always_succeed).toBe('1');
			expect(sim.accepted).toHaveLength(0);
		});

		it('resends a lost answer with the same stop_dup_id: the groups get the message once', async () => {
			sim.respondWith({ endpoint: 'bulksms.send_sms', accept: true, reset: true });
			const result = await client().broadcastToGroups({ groupIds: '7', message: 'only once' });
			expect(result).toMatchObject({ status: 'accepted', messageId: expect.any(String) });
			const ids = paramsOf('bulksms.send_sms').map((p) => p.stop_dup_id);
			expect(ids).toHaveLength(2);
			expect(new Set(ids).size).toBe(1);
			expect(sim.accepted.map((a) => a.to)).toEqual(['447700900071', '447700900072']);
			expect(sim.duplicates()).toEqual([]);
		});

		it('reports wrong credentials as a failed result with AUTH, without the password', async () => {
			const result = await client({ password: 'wrong-Pa55' }).broadcastToGroups({ groupIds: '7', message: 'x' });
			expect(result).toMatchObject({ status: 'failed', error: { code: 'AUTH', retryable: false } });
			expectNoSecrets(result, ['wrong-Pa55']);
		});
	});
});

describe('get_report answers', () => {
	it('reads the documented shape and its variants', () => {
		expect(parseReportEntries('0|Returns to follow\n\n447700900001|11\n447700900002|51\n')).toEqual({
			code: 0,
			description: 'Returns to follow',
			entries: [
				{ msisdn: '447700900001', code: 11 },
				{ msisdn: '447700900002', code: 51 },
			],
		});
		// Older hosts: "Results to follow"; CRLF; a BOM; optional fields appended; a leading +.
		expect(parseReportEntries('\uFEFF0|Results to follow\r\n\r\n+447700900001|11|26-01-31 10:00:00|hi\r\n')).toEqual({
			code: 0,
			description: 'Results to follow',
			entries: [{ msisdn: '447700900001', code: 11 }],
		});
		expect(parseReportEntries('24|unknown batch_id|')).toEqual({ code: 24, description: 'unknown batch_id', entries: [] });
		expect(parseReportEntries('0|Returns to follow\n\n')).toEqual({ code: 0, description: 'Returns to follow', entries: [] });
		expect(parseReportEntries('<html>oops</html>')).toBeUndefined();
		expect(parseReportEntries('')).toBeUndefined();
	});
});
