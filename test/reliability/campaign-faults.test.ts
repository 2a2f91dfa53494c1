/**
 * Campaign faults: 10,000 send requests (one recipient each, most with their own text,
 * some sharing one of three texts) through sendMany per provider, against the
 * simulator's seeded fault injection (10% of send requests fail in every way the
 * provider can meet). Then the accounting is checked against what the simulator really
 * accepted: every request exactly one result, none accepted twice, statuses honest.
 *
 * Counts are printed with the `[reliability]` prefix (docs/reliability.md quotes them).
 */
import { startSimulator, type FaultKind, type RecordedRequest, type Simulator } from '../../simulator';
import { createGatewayClient, type GatewayConfig, type ProviderName, type RecipientResult, type SendRequest } from '../../nodes/shared/providers';
import { bulkConfig, gwConfig, mxConfig } from '../providers/support';
import { report } from './report';
import { PROVIDER_NAMES, countStatuses, formParams, formatCounts, msisdns, tally } from './support';

const ITEMS = 10_000;
/** Small requests, so the campaign makes hundreds of them and the faults really land. */
const PER_REQUEST = 50;
const TIMEOUT_MS = 250;
const RETRY = { maxAttempts: 4, baseDelayMs: 5, maxDelayMs: 20 };
const SHARED_TEXTS = ['Your order has shipped', 'Reminder: appointment tomorrow at 10', 'Thanks for your visit'];

const COMMON_KINDS: FaultKind[] = ['500', '503', 'reset', 'hang', 'reset-after', '500-after', 'hang-after'];
const KINDS: Record<ProviderName, FaultKind[]> = {
	mxTelecom: COMMON_KINDS,
	bulkSms: [...COMMON_KINDS, 'bulksms40'],
	gatewayApi: COMMON_KINDS,
};
const SEND_ENDPOINTS: Record<ProviderName, string[]> = {
	mxTelecom: ['mx.send', 'mx.bulksend'],
	bulkSms: ['bulksms.send_sms', 'bulksms.send_batch'],
	gatewayApi: ['gatewayapi.mtsms'],
};

function configFor(provider: ProviderName, sim: Simulator): GatewayConfig {
	const extra: Partial<GatewayConfig> = { batchSize: PER_REQUEST, timeoutMs: TIMEOUT_MS, retry: RETRY };
	if (provider === 'mxTelecom') return mxConfig(sim, { ...extra, concurrency: 8 });
	if (provider === 'bulkSms') return bulkConfig(sim, { ...extra, batchRows: PER_REQUEST, concurrency: 1 });
	return gwConfig(sim, { ...extra, concurrency: 8 });
}

/** Row k: its own text, except every fourth row, which shares one of three texts. */
function campaign(): SendRequest[] {
	return msisdns(ITEMS, 0, '4479').map((to, k) => ({
		to,
		message: k % 4 === 0 ? SHARED_TEXTS[k % 3] : `Hi Name${k}, your code is ${k}`,
	}));
}

/** Recipients a recorded send request carried, whatever happened to it (list roots and CSV rows included; needs full records). */
function carried(request: RecordedRequest): string[] {
	if (request.endpoint === 'gatewayapi.mtsms') {
		const body = JSON.parse(request.body ?? '{}') as unknown;
		const objects = (Array.isArray(body) ? body : [body]) as Array<{ recipients?: Array<{ msisdn: number | string }> }>;
		return objects.flatMap((o) => (o.recipients ?? []).map((r) => String(r.msisdn)));
	}
	const params = formParams(request.body);
	if (request.endpoint === 'bulksms.send_batch') {
		return (params.get('batch_data') ?? '')
			.split('\n')
			.slice(1)
			.filter((line) => line !== '')
			.map((line) => line.slice(1, line.indexOf('"', 1)));
	}
	if (request.endpoint === 'bulksms.send_sms') return (params.get('msisdn') ?? '').split(',').filter((s) => s !== '');
	return (params.get('smsto') ?? '').split('\n').filter((s) => s !== '');
}

interface CampaignRun {
	sim: Simulator;
	requests: SendRequest[];
	results: RecipientResult[];
	sends: RecordedRequest[];
}

describe.each(PROVIDER_NAMES)('%s: a 10,000-row campaign with 10% of requests failing', (provider) => {
	const run = {} as CampaignRun;

	beforeAll(async () => {
		run.sim = await startSimulator({ port: 0, seed: 21, record: provider === 'gatewayApi' ? 'full' : 'summary', faults: { rate: 0.1, kinds: KINDS[provider], hangMs: 10_000 } });
		run.requests = campaign();
		const client = createGatewayClient(configFor(provider, run.sim));
		const started = Date.now();
		const outcomes = await client.sendMany(run.requests);
		const elapsedMs = Date.now() - started;
		run.results = outcomes.map((outcome) => {
			if (!('results' in outcome) || outcome.results.length !== 1) throw new Error(`expected one result per request, got ${JSON.stringify(outcome)}`);
			return outcome.results[0];
		});
		run.sends = run.sim.requests.filter((r) => SEND_ENDPOINTS[provider].includes(r.endpoint as string));
		report(
			`campaign ${provider}: ${ITEMS} rows, ${run.sends.length} send requests (${formatCounts(Object.fromEntries(tally(run.sends.map((r) => r.endpoint as string))))}), ` +
				`faults injected: ${formatCounts(run.sim.stats().faults)}; results: ${formatCounts(countStatuses(run.results))}; ` +
				`simulator accepted ${run.sim.accepted.length}; ${elapsedMs} ms`,
		);
	});

	afterAll(async () => {
		await run.sim.close();
	});

	test('every row ends as exactly one result, in input order, well formed', () => {
		expect(run.results.map((r) => r.to)).toEqual(run.requests.map((r) => r.to));
		const malformed = run.results.filter(
			(r) => !['accepted', 'failed', 'unknown'].includes(r.status) || (r.status !== 'accepted' && (typeof r.error?.code !== 'string' || typeof r.error.retryable !== 'boolean')),
		);
		expect(malformed).toEqual([]);
	});

	test('the rows went out over the bulk paths, and faults of every kind landed', () => {
		const injected = run.sim.stats().faults;
		for (const kind of KINDS[provider]) expect(injected[kind] ?? 0).toBeGreaterThan(0);
		const endpoints = tally(run.sends.map((r) => r.endpoint as string));
		if (provider === 'gatewayApi') expect(run.sends.length).toBeLessThan(ITEMS / 10);
		if (provider === 'bulkSms') expect(endpoints.get('bulksms.send_batch') ?? 0).toBeGreaterThan(ITEMS / PER_REQUEST - 1);
		// MX has no bulk path for distinct texts; the shared ones go out on bulksend.
		if (provider === 'mxTelecom') expect(endpoints.get('mx.bulksend') ?? 0).toBeGreaterThan(0);
	});

	test('the simulator accepted each row at most once', () => {
		expect(run.sim.duplicates()).toEqual([]);
		expect(Math.max(...tally(run.sim.accepted.map((a) => a.to)).values())).toBe(1);
	});

	test('statuses are honest: accepted = taken with its id, failed = never taken', () => {
		const taken = new Map(run.sim.accepted.map((a) => [a.to, a]));
		const problems: string[] = [];
		run.results.forEach((r, k) => {
			const record = taken.get(r.to);
			if (r.status === 'accepted') {
				if (!record) problems.push(`${r.to}: accepted, but the simulator never took it`);
				else if (r.messageId !== undefined && r.messageId !== record.messageId) problems.push(`${r.to}: id ${r.messageId}, simulator ${record.messageId}`);
				else if (record.text !== run.requests[k].message) problems.push(`${r.to}: the simulator took another text: ${record.text}`);
			}
			if (r.status === 'failed' && record) problems.push(`${r.to}: failed, but the simulator took it`);
		});
		expect(problems).toEqual([]);
		expect(countStatuses(run.results).accepted).toBeGreaterThan(ITEMS * 0.8);
	});

	if (provider === 'gatewayApi') {
		test('GatewayAPI has no idempotency key: a row is sent again only after a 503', () => {
			const attempts = new Map<string, RecordedRequest[]>();
			for (const request of run.sends) for (const to of carried(request)) attempts.set(to, [...(attempts.get(to) ?? []), request]);
			const problems: string[] = [];
			for (const r of run.results) {
				const carriers = attempts.get(r.to) ?? [];
				if (carriers.length === 0) problems.push(`${r.to}: never sent`);
				if (carriers.slice(0, -1).some((earlier) => earlier.fault !== '503')) problems.push(`${r.to}: resent after ${carriers.map((c) => c.fault ?? c.status).join(', ')}`);
			}
			expect(problems).toEqual([]);
			expect(countStatuses(run.results).unknown).toBeGreaterThan(0);
		});
	}
});
