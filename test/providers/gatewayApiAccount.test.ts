/**
 * GatewayAPI account operations over real HTTP against the simulator: the balance
 * (GET /rest/me, credit in its currency) and each recipient's status
 * (GET /rest/mtsms/{id}, `dsnstatus` mapped to the trigger's status names), including the
 * answer variants the reference leaves open. Groups are BulkSMS's: refused here.
 */
import type { Simulator } from '../../simulator';
import { createGatewayClient, GatewayError, GatewayValidationError } from '../../nodes/shared/providers';
import { dsnTimeToIso, parseStoredMessage } from '../../nodes/shared/providers/gatewayApi/status';
import type { AxiosTransport } from '../helpers/axiosTransport';
import { useSimulator } from '../helpers/useSimulator';
import { GW, expectNoSecrets, gwConfig, rejection } from './support';

/** dsnstatus the simulator reports per handset; others are DELIVERED. */
const REPORTED: Record<string, string> = { '4520000002': 'UNDELIVERABLE', '4520000003': 'ENROUTE', '4520000004': 'ACCEPTED' };

let sim: Simulator;
let axiosTransport: AxiosTransport;
useSimulator({ port: 0, seed: 23, reportStatus: (record) => REPORTED[record.to] ?? 'DELIVERED' }, (started, transport) => {
	sim = started;
	axiosTransport = transport;
});

const requestsTo = (endpoint: string) => sim.requests.filter((r) => r.endpoint === endpoint);

describe.each([
	['fetch', false],
	['axios', true],
])('GatewayAPI account operations over the %s transport', (_name, useAxios) => {
	const client = (extra = {}) => createGatewayClient(gwConfig(sim, extra), useAxios ? axiosTransport.transport : undefined);

	describe('getBalance (GET /rest/me)', () => {
		it('reads the credit and its currency', async () => {
			expect(await client().getBalance()).toEqual({ provider: 'gatewayApi', balance: 1000, unit: 'currency', currency: 'DKK' });
			const [request] = requestsTo('gatewayapi.me');
			expect(request.method).toBe('GET');
			expect(request.headers?.authorization).toBe(`Token ${GW.token}`);
		});

		it('refuses a wrong token with AUTH, never showing the token', async () => {
			const error = await rejection(client({ token: 'wrong-token-value' }).getBalance());
			expect(error).toBeInstanceOf(GatewayError);
			expect(error).toMatchObject({ code: 'AUTH', retryable: false, statusCode: 401 });
			expect((error as Error).message).toMatch(/rejected the token \(HTTP 401\): 0x0229, Invalid token/);
			expectNoSecrets(error, ['wrong-token-value', GW.token]);
		});

		it('asks again after HTTP 503 and 500', async () => {
			sim.respondWith({ endpoint: 'gatewayapi.me', status: 503, body: '{"code":"0x0201","message":"busy"}' });
			sim.respondWith({ endpoint: 'gatewayapi.me', status: 500, body: '{"code":"0x0201","message":"oops"}' });
			expect(await client().getBalance()).toMatchObject({ currency: 'DKK' });
			expect(requestsTo('gatewayapi.me')).toHaveLength(3);
		});

		it('refuses an answer without a credit instead of inventing one', async () => {
			sim.respondWith({ endpoint: 'gatewayapi.me', status: 200, body: '{"currency":"EUR","id":1}' });
			await expect(client().getBalance()).rejects.toMatchObject({ code: 'UNPARSEABLE_RESPONSE', retryable: false });
		});

		it('keeps a missing currency as null', async () => {
			sim.respondWith({ endpoint: 'gatewayapi.me', status: 200, body: '{"credit":12.5}' });
			expect(await client().getBalance()).toEqual({ provider: 'gatewayApi', balance: 12.5, unit: 'currency', currency: null });
		});
	});

	describe('getStatus (GET /rest/mtsms/{id})', () => {
		it('lists every recipient with the trigger status names', async () => {
			const to = ['4520000001', '4520000002', '4520000003', '4520000004'];
			const sent = await client().broadcast({ to, message: 'status check' });
			const id = sent[0].messageId as string;
			const statuses = await client().getStatus(id);
			const at = expect.stringMatching(/^\d{4}-\d\d-\d\dT/);
			expect(statuses).toEqual([
				{ provider: 'gatewayApi', messageId: id, to: '4520000001', status: 'delivered', final: true, providerStatus: 'DELIVERED', reason: null, at },
				{ provider: 'gatewayApi', messageId: id, to: '4520000002', status: 'failed', final: true, providerStatus: 'UNDELIVERABLE', reason: null, at },
				{ provider: 'gatewayApi', messageId: id, to: '4520000003', status: 'buffered', final: false, providerStatus: 'ENROUTE', reason: null, at },
				{ provider: 'gatewayApi', messageId: id, to: '4520000004', status: 'unknown', final: true, providerStatus: 'ACCEPTED', reason: null, at },
			]);
			const [request] = requestsTo('gatewayapi.message');
			expect([request.method, request.path]).toEqual(['GET', `/rest/mtsms/${id}`]);
		});

		it('keeps only the recipient asked for', async () => {
			const sent = await client().broadcast({ to: ['4520000001', '4520000002'], message: 'two' });
			const statuses = await client().getStatus(sent[0].messageId as string, { to: '+4520000002' });
			expect(statuses.map((s) => [s.to, s.status])).toEqual([['4520000002', 'failed']]);
		});

		it('reports a scheduled message as buffered, without a time', async () => {
			const sent = await client().send({ to: '4520000001', message: 'later', scheduleAt: new Date(Date.now() + 3600_000) });
			expect(await client().getStatus(sent[0].messageId as string)).toEqual([
				expect.objectContaining({ status: 'buffered', final: false, providerStatus: 'SCHEDULED', at: null }),
			]);
		});

		it('explains a 404: not stored yet, or not this account', async () => {
			const error = await rejection(client().getStatus('987654321'));
			expect(error).toBeInstanceOf(GatewayError);
			expect(error).toMatchObject({ code: 'NOT_FOUND', retryable: true, statusCode: 404 });
			expect((error as Error).message).toMatch(/does not list message 987654321 \(HTTP 404\).*sent moments ago/);
			expect(requestsTo('gatewayapi.message')).toHaveLength(1);
		});

		it('reads the answer variants the reference allows', async () => {
			sim.respondWith({
				endpoint: 'gatewayapi.message',
				status: 200,
				body: JSON.stringify({
					id: 5,
					recipients: [
						{ msisdn: '+4520000001', dsnstatus: 'rejected', dsnerrorcode: '0x1060', dsnerror: 'Invalid destination address', dsntime: '2026-01-31T10:00:00Z', country: 'DK' },
						{ msisdn: 4520000002, dsntime: 1769853600000 },
						{ msisdn: 4520000003, dsnstatus: 'EXPIRED', dsntime: 1769853600 },
					],
				}),
			});
			expect(await client().getStatus('5')).toEqual([
				{ provider: 'gatewayApi', messageId: '5', to: '4520000001', status: 'rejected', final: true, providerStatus: 'REJECTED', reason: '0x1060 Invalid destination address', at: '2026-01-31T10:00:00.000Z' },
				{ provider: 'gatewayApi', messageId: '5', to: '4520000002', status: 'unknown', final: false, providerStatus: 'UNKNOWN', reason: null, at: '2026-01-31T10:00:00.000Z' },
				{ provider: 'gatewayApi', messageId: '5', to: '4520000003', status: 'expired', final: true, providerStatus: 'EXPIRED', reason: null, at: '2026-01-31T10:00:00.000Z' },
			]);
		});

		it('refuses an unreadable answer, and a wrong token with AUTH', async () => {
			sim.respondWith({ endpoint: 'gatewayapi.message', status: 200, body: '[{"recipients":"none"}]' });
			await expect(client().getStatus('5')).rejects.toMatchObject({ code: 'UNPARSEABLE_RESPONSE' });
			const error = await rejection(client({ token: 'nope-nope' }).getStatus('5'));
			expect(error).toMatchObject({ code: 'AUTH', retryable: false });
			expectNoSecrets(error, ['nope-nope']);
		});

		it('checks the id and the recipient before anything is sent', async () => {
			for (const [id, query, field] of [
				['abc', {}, 'messageId'],
				['', {}, 'messageId'],
				['12/../me', {}, 'messageId'],
				['5', { to: 'x' }, 'to'],
			] as const) {
				const error = await rejection(client().getStatus(id, query));
				expect(error).toBeInstanceOf(GatewayValidationError);
				expect(error).toMatchObject({ field });
			}
			expect(sim.requests).toHaveLength(0);
		});
	});

	it('has no phone-book groups: refused before anything is sent', async () => {
		const error = await rejection(client().broadcastToGroups({ groupIds: '7', message: 'x' }));
		expect(error).toBeInstanceOf(GatewayValidationError);
		expect(error).toMatchObject({ field: 'groupIds' });
		expect((error as Error).message).toMatch(/only on BulkSMS; this account's provider is gatewayApi/);
		expect(sim.requests).toHaveLength(0);
	});
});

describe('GET /rest/mtsms/{id} answers', () => {
	it('needs a message with a recipients list', () => {
		expect(parseStoredMessage('[{"id":1,"recipients":[{"msisdn":4520000001,"dsnstatus":"DELIVERED"}]}]')).toEqual([
			{ msisdn: '4520000001', dsnstatus: 'DELIVERED' },
		]);
		expect(parseStoredMessage('[]')).toBeUndefined();
		expect(parseStoredMessage('{"message":"x"}')).toBeUndefined();
		expect(parseStoredMessage('[{"recipients":[{"dsnstatus":"DELIVERED"}]}]')).toBeUndefined();
		expect(parseStoredMessage('not json')).toBeUndefined();
	});

	it('reads dsntime as Unix seconds, milliseconds or a date', () => {
		expect(dsnTimeToIso('1769853600')).toBe('2026-01-31T10:00:00.000Z');
		expect(dsnTimeToIso('1769853600000')).toBe('2026-01-31T10:00:00.000Z');
		expect(dsnTimeToIso('2026-01-31 10:00:00Z')).toBe('2026-01-31T10:00:00.000Z');
		expect(dsnTimeToIso('soon')).toBeNull();
		expect(dsnTimeToIso(undefined)).toBeNull();
	});
});
