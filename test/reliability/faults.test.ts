/**
 * Faults: 10,000-recipient broadcasts per provider against the simulator's seeded fault
 * injection (10% of send requests fail in every way the provider can meet), then the
 * accounting is checked against what the simulator really accepted. Also: every timeout
 * is bounded by `timeoutMs x attempts` plus back-off, and the same guarantees hold when
 * the broadcast runs inside n8n (one output item per recipient).
 *
 * The counts per status are printed with the `[reliability]` prefix (docs/reliability.md
 * quotes them).
 */
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { startSimulator, type FaultKind, type RecordedRequest, type Simulator } from '../../simulator';
import {
	createGatewayClient,
	GatewayError,
	GatewayValidationError,
	type GatewayConfig,
	type ProviderName,
	type RecipientResult,
} from '../../nodes/shared/providers';
import { SmsGateway } from '../../nodes/SmsGateway/SmsGateway.node';
import { runNode } from '../helpers/n8n';
import { bulkConfig, gwConfig, mxConfig, rejection } from '../providers/support';
import { report } from './report';
import {
	BROADCAST_ENDPOINT,
	PROVIDER_NAMES,
	countStatuses,
	formatCounts,
	idempotencyKey,
	msisdns,
	requestRecipients,
	tally,
} from './support';

const RECIPIENTS = 10_000;
/** Small batches, so the broadcast makes hundreds of requests and the faults really land. */
const BATCH_SIZE = 50;
const TIMEOUT_MS = 250;
const RETRY = { maxAttempts: 4, baseDelayMs: 5, maxDelayMs: 20 };
const MESSAGE = 'Reliability run: your code is 4711';

const COMMON_KINDS: FaultKind[] = ['500', '503', 'reset', 'hang', 'reset-after', '500-after', 'hang-after'];
const KINDS: Record<ProviderName, FaultKind[]> = {
	mxTelecom: COMMON_KINDS,
	bulkSms: [...COMMON_KINDS, 'bulksms40'],
	gatewayApi: COMMON_KINDS,
};
/** Faults after which the gateway has the message although the client never heard so. */
const AFTER_KINDS = new Set<string>(['reset-after', '500-after', 'hang-after']);

function configFor(provider: ProviderName, sim: Simulator, extra: Partial<GatewayConfig>): GatewayConfig {
	if (provider === 'mxTelecom') return mxConfig(sim, extra);
	if (provider === 'bulkSms') return bulkConfig(sim, extra);
	return gwConfig(sim, extra);
}

interface FaultRun {
	sim: Simulator;
	input: string[];
	results: RecipientResult[];
	sends: RecordedRequest[];
	elapsedMs: number;
}

describe.each(PROVIDER_NAMES)('%s: a 10,000-recipient broadcast with 10% of requests failing', (provider) => {
	const run = {} as FaultRun;

	beforeAll(async () => {
		run.sim = await startSimulator({ port: 0, seed: 12, faults: { rate: 0.1, kinds: KINDS[provider], hangMs: 10_000 } });
		run.input = msisdns(RECIPIENTS);
		const client = createGatewayClient(
			configFor(provider, run.sim, { batchSize: BATCH_SIZE, timeoutMs: TIMEOUT_MS, retry: RETRY, concurrency: provider === 'bulkSms' ? 1 : 4 }),
		);
		const started = Date.now();
		run.results = await client.broadcast({ to: run.input, message: MESSAGE });
		run.elapsedMs = Date.now() - started;
		run.sends = run.sim.requests.filter((r) => r.endpoint === BROADCAST_ENDPOINT[provider]);
		const stats = run.sim.stats();
		report(
			`faults ${provider}: ${RECIPIENTS} recipients, ${run.sends.length} requests (${Math.ceil(RECIPIENTS / BATCH_SIZE)} batches of ${BATCH_SIZE}), ` +
				`faults injected: ${formatCounts(stats.faults)}; replays of a stored answer: ${stats.duplicatesReplayed}; ` +
				`results: ${formatCounts(countStatuses(run.results))}; simulator accepted ${run.sim.accepted.length}; ${run.elapsedMs} ms`,
		);
	});

	afterAll(async () => {
		await run.sim.close();
	});

	test('every recipient ends as exactly one result, in input order', () => {
		expect(run.results).toHaveLength(RECIPIENTS);
		expect(run.results.map((r) => r.to)).toEqual(run.input);
		const malformed = run.results.filter(
			(r) =>
				!['accepted', 'failed', 'unknown'].includes(r.status) ||
				(r.status !== 'accepted' && (typeof r.error?.code !== 'string' || typeof r.error.retryable !== 'boolean')),
		);
		expect(malformed).toEqual([]);
	});

	test('faults of every kind the provider can meet were injected', () => {
		const injected = run.sim.stats().faults;
		for (const kind of KINDS[provider]) expect(injected[kind] ?? 0).toBeGreaterThan(0);
		const total = Object.values(injected).reduce((a, b) => a + b, 0);
		// About 10% of all send requests (retries included) failed.
		expect(total / run.sends.length).toBeGreaterThan(0.05);
		expect(total / run.sends.length).toBeLessThan(0.16);
	});

	test('the simulator accepted each recipient at most once', () => {
		expect(run.sim.duplicates()).toEqual([]);
		const perRecipient = tally(run.sim.accepted.map((a) => a.to));
		expect(Math.max(...perRecipient.values())).toBe(1);
	});

	test('"accepted" results are exactly what the simulator accepted, with its ids', () => {
		const simulated = new Map(run.sim.accepted.map((a) => [a.to, a.messageId]));
		const problems: string[] = [];
		for (const r of run.results) {
			if (r.status === 'accepted' && (!simulated.has(r.to) || r.messageId !== simulated.get(r.to))) problems.push(`${r.to}: accepted as ${r.messageId}, simulator: ${simulated.get(r.to)}`);
			// Honest failures: a recipient reported failed was never taken by the gateway.
			if (r.status === 'failed' && simulated.has(r.to)) problems.push(`${r.to}: failed but accepted by the gateway`);
		}
		// Whatever the gateway took and the result does not call "accepted" is "unknown", never "failed".
		const byTo = new Map(run.results.map((r) => [r.to, r.status]));
		for (const to of simulated.keys()) if (!['accepted', 'unknown'].includes(byTo.get(to) ?? 'missing')) problems.push(`${to}: taken by the gateway, reported ${byTo.get(to)}`);
		expect(problems).toEqual([]);
		expect(run.results.filter((r) => r.status === 'accepted').length).toBeGreaterThan(0);
	});

	if (provider === 'gatewayApi') {
		test('GatewayAPI has no idempotency key: ambiguous failures are "unknown" and never resent', () => {
			const byTo = new Map(run.results.map((r) => [r.to, r]));
			const carriers = new Map<string, RecordedRequest[]>();
			for (const request of run.sends) {
				for (const to of requestRecipients(provider, request)) carriers.set(to, [...(carriers.get(to) ?? []), request]);
			}
			let ambiguous = 0;
			const problems: string[] = [];
			for (const to of run.input) {
				const requests = carriers.get(to) ?? [];
				const result = byTo.get(to) as RecipientResult;
				if (requests.length === 0) {
					problems.push(`${to}: never sent`);
					continue;
				}
				// Only a 503 (the gateway did not take it) is ever followed by another attempt.
				if (requests.slice(0, -1).some((earlier) => earlier.fault !== '503')) problems.push(`${to}: resent after ${requests.map((r) => r.fault ?? r.status).join(', ')}`);
				const last = requests[requests.length - 1];
				if (last.fault === undefined) {
					if (result.status !== 'accepted') problems.push(`${to}: answered 200 but reported ${result.status}`);
				} else if (last.fault === '503') {
					if (result.status !== 'failed' || result.error?.code !== 'HTTP_503' || result.error.retryable !== true) problems.push(`${to}: 503 reported ${result.status}`);
				} else {
					ambiguous++;
					if (result.status !== 'unknown' || result.error?.retryable !== false || !/it was not resent blindly \(attempts: \d\)$/.test(result.error.message)) {
						problems.push(`${to}: ${last.fault} reported ${result.status} (${result.error?.message})`);
					}
				}
			}
			expect(problems).toEqual([]);
			expect(ambiguous).toBeGreaterThan(0);
			expect(countStatuses(run.results).unknown).toBe(ambiguous);
			// Some "unknown" recipients did reach the gateway (a fault after accepting): resending them would have doubled them.
			const taken = new Set(run.sim.accepted.map((a) => a.to));
			const reachedButUnknown = run.results.filter((r) => r.status === 'unknown' && taken.has(r.to));
			expect(reachedButUnknown.length).toBeGreaterThan(0);
		});
	} else {
		test(`retries reuse the idempotency key (${provider === 'mxTelecom' ? 'submitid' : 'stop_dup_id'}) with the same recipients`, () => {
			const byKey = new Map<string, RecordedRequest[]>();
			for (const request of run.sends) {
				const key = idempotencyKey(provider, request);
				expect(key).toMatch(provider === 'mxTelecom' ? /^[0-9a-f-]{36}$/ : /^[1-9][0-9]*$/);
				byKey.set(key as string, [...(byKey.get(key as string) ?? []), request]);
			}
			// One key per batch, however many attempts the batch took.
			expect(byKey.size).toBe(Math.ceil(RECIPIENTS / BATCH_SIZE));
			const seen = new Set<string>();
			let retried = 0;
			for (const requests of byKey.values()) {
				const recipients = requests.map((r) => requestRecipients(provider, r).join(','));
				expect(new Set(recipients).size).toBe(1);
				for (const to of requestRecipients(provider, requests[0])) {
					expect(seen.has(to)).toBe(false);
					seen.add(to);
				}
				if (requests.length > 1) retried++;
				// At most one attempt of a key was taken as new; the others were refused or replayed.
				expect(requests.filter((r) => r.accepted > 0 && !r.duplicate).length).toBeLessThanOrEqual(1);
			}
			expect(seen.size).toBe(RECIPIENTS);
			expect(retried).toBeGreaterThan(0);
			// Answers lost after the gateway took a batch were recovered by replaying it, not by sending again.
			const lostAfterAccepting = run.sends.filter((r) => r.fault !== undefined && AFTER_KINDS.has(r.fault)).length;
			expect(lostAfterAccepting).toBeGreaterThan(0);
			expect(run.sends.filter((r) => r.duplicate).length).toBeGreaterThan(0);
		});

		test('with a key to retry with, almost nothing stays uncertain', () => {
			const counts = countStatuses(run.results);
			// A batch is given up on only after 4 failed attempts in a row.
			for (const r of run.results.filter((x) => x.status !== 'accepted')) expect(r.error?.message).toMatch(/\(attempts: 4\)/);
			expect(counts.accepted).toBeGreaterThanOrEqual(RECIPIENTS - 2 * BATCH_SIZE);
		});
	}
});

describe('timeouts are bounded and configurable', () => {
	let sim: Simulator;
	const timeoutMs = 200;
	const retry = { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 40 };
	// Scheduling slack on a busy 2-core machine.
	const slackMs = 1_500;

	beforeAll(async () => {
		sim = await startSimulator({ port: 0, faults: { rate: 1, kinds: ['hang'], hangMs: 10_000, endpoints: 'all' } });
	});
	afterAll(async () => {
		await sim.close();
	});
	beforeEach(() => sim.reset());

	const paths: Array<[string, ProviderName, 'send' | 'broadcast', number]> = [
		['MX bulksend (submitid: retried)', 'mxTelecom', 'broadcast', 3],
		['MX single send (no key: one attempt)', 'mxTelecom', 'send', 1],
		['BulkSMS send_sms (stop_dup_id: retried)', 'bulkSms', 'broadcast', 3],
		['GatewayAPI mtsms (no key: one attempt)', 'gatewayApi', 'broadcast', 1],
	];
	test.each(paths)('%s: a hanging gateway returns within timeoutMs x attempts, as "unknown"', async (_label, provider, method, attempts) => {
		const client = createGatewayClient(configFor(provider, sim, { timeoutMs, retry }));
		const started = Date.now();
		const results = await client[method]({ to: ['447700900001', '447700900002'], message: 'hello' });
		const elapsed = Date.now() - started;
		expect(elapsed).toBeGreaterThanOrEqual(attempts * timeoutMs - 20);
		expect(elapsed).toBeLessThan(attempts * timeoutMs + (attempts - 1) * retry.maxDelayMs + slackMs);
		expect(results).toHaveLength(2);
		for (const r of results) {
			expect(r).toMatchObject({ status: 'unknown', error: { code: 'TIMEOUT', retryable: false } });
			expect(r.error?.message).toBe(
				`The gateway did not answer in time (no complete answer within ${timeoutMs} ms); the gateway may or may not have accepted it, so it was not resent blindly (attempts: ${attempts})`,
			);
		}
		const sent = sim.requests.filter((r) => r.endpoint !== 'unknown');
		expect(sent).toHaveLength(method === 'send' ? 2 * attempts : attempts);
		report(`timeout ${provider} ${method}: ${attempts} attempt(s) x ${timeoutMs} ms -> returned after ${elapsed} ms`);
	});

	test.each(PROVIDER_NAMES)('%s: a hanging credential check throws TIMEOUT after one timeoutMs', async (provider) => {
		const client = createGatewayClient(configFor(provider, sim, { timeoutMs, retry }));
		const started = Date.now();
		const error = await rejection(client.checkCredentials());
		const elapsed = Date.now() - started;
		expect(error).toBeInstanceOf(GatewayError);
		expect(error).toMatchObject({ code: 'TIMEOUT', retryable: true, provider });
		expect((error as Error).message).toMatch(new RegExp(`could not be reached: no complete answer within ${timeoutMs} ms$`));
		expect(elapsed).toBeLessThan(timeoutMs + slackMs);
	});

	test('a slow-loris answer (one byte every 40 ms, never idle) is cut at the deadline', async () => {
		sim.setFaults(null);
		sim.respondWith({ endpoint: 'gatewayapi.mtsms', status: 200, body: `{"ids":[1]}${' '.repeat(400)}`, dripMs: 40 });
		const client = createGatewayClient(gwConfig(sim, { timeoutMs: 300, retry }));
		const started = Date.now();
		const [r] = await client.send({ to: '4512345678', message: 'x' });
		expect(Date.now() - started).toBeLessThan(300 + slackMs);
		expect(r).toMatchObject({ status: 'unknown', error: { code: 'TIMEOUT' } });
		sim.setFaults({ rate: 1, kinds: ['hang'], hangMs: 10_000, endpoints: 'all' });
	});

	test.each([
		[50, 'timeoutMs must be a whole number from 100 to 600000, got 50'],
		[600_001, 'timeoutMs must be a whole number from 100 to 600000, got 600001'],
		[1.5, 'timeoutMs must be a whole number from 100 to 600000, got 1.5'],
	])('timeoutMs %p is refused when the client is created', (value, message) => {
		const error = (() => {
			try {
				createGatewayClient(gwConfig(sim, { timeoutMs: value }));
			} catch (e) {
				return e;
			}
			return undefined;
		})();
		expect(error).toBeInstanceOf(GatewayValidationError);
		expect(error).toMatchObject({ field: 'timeoutMs', message });
	});
});

describe('inside n8n: one output item per recipient whatever the gateway does', () => {
	let sim: Simulator;
	const input = msisdns(RECIPIENTS, 0, '4479');

	beforeAll(async () => {
		sim = await startSimulator({ port: 0 });
	});
	afterAll(async () => {
		await sim.close();
	});
	beforeEach(() => sim.reset());

	const credentials = (provider: ProviderName): ICredentialDataDecryptedObject =>
		({
			mxTelecom: { provider, baseUrl: sim.url, username: sim.credentials.mxTelecom.username, password: sim.credentials.mxTelecom.password },
			bulkSms: { provider, baseUrl: sim.url, username: sim.credentials.bulkSms.username, password: sim.credentials.bulkSms.password },
			gatewayApi: { provider, baseUrl: sim.url, token: sim.credentials.gatewayApi.token },
		})[provider] as ICredentialDataDecryptedObject;

	async function broadcast(provider: ProviderName) {
		const started = Date.now();
		const { items, error } = await runNode({
			node: new SmsGateway(),
			credentials: credentials(provider),
			parameters: { resource: 'message', operation: 'broadcast', recipients: input.join('\n'), message: MESSAGE },
		});
		expect(error).toBeUndefined();
		expect(items).toHaveLength(RECIPIENTS);
		expect(items.map((i) => i.json.to)).toEqual(input);
		expect(items.every((i) => (i.pairedItem as { item: number }).item === 0)).toBe(true);
		expect(sim.duplicates()).toEqual([]);
		const counts = countStatuses(items.map((i) => ({ status: String(i.json.status) })));
		report(`n8n ${provider}: ${RECIPIENTS} recipients -> ${items.length} items (${formatCounts(counts)}), ${sim.requests.length} requests, ${Date.now() - started} ms`);
		return { items, counts };
	}

	test('MX: the bulksend answer is lost after the gateway took it; the retry replays it (same submitid)', async () => {
		sim.respondWith({ endpoint: 'mx.bulksend', accept: true, reset: true });
		const { counts } = await broadcast('mxTelecom');
		expect(counts.accepted).toBe(RECIPIENTS);
		const sends = sim.requests.filter((r) => r.endpoint === 'mx.bulksend');
		expect(sends).toHaveLength(2);
		expect(idempotencyKey('mxTelecom', sends[1])).toBe(idempotencyKey('mxTelecom', sends[0]));
		expect(sends[1].duplicate).toBe(true);
		expect(sim.accepted).toHaveLength(RECIPIENTS);
	});

	test('BulkSMS: status 40, a 500 after accepting, then success: every batch once', async () => {
		sim.respondWith({ endpoint: 'bulksms.send_sms', status: 200, body: '40|temporarily unavailable|' });
		sim.respondWith({ endpoint: 'bulksms.send_sms', accept: true, status: 500, body: 'Internal Server Error' });
		const { counts } = await broadcast('bulkSms');
		expect(counts.accepted).toBe(RECIPIENTS);
		expect(sim.accepted).toHaveLength(RECIPIENTS);
		const keys = tally(sim.requests.filter((r) => r.endpoint === 'bulksms.send_sms').map((r) => idempotencyKey('bulkSms', r)));
		expect(keys.size).toBe(RECIPIENTS / 1000);
	});

	test('GatewayAPI: a reset after accepting leaves 10,000 "unknown" items and no second request', async () => {
		sim.respondWith({ endpoint: 'gatewayapi.mtsms', accept: true, reset: true });
		const { items, counts } = await broadcast('gatewayApi');
		expect(counts.unknown).toBe(RECIPIENTS);
		expect(items[0].json.error).toMatchObject({ code: 'CONNECTION_LOST', retryable: false });
		expect(sim.requests.filter((r) => r.endpoint === 'gatewayapi.mtsms')).toHaveLength(1);
		expect(sim.accepted).toHaveLength(RECIPIENTS);
	});
});
