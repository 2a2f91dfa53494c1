/**
 * Max Messages per Second over loopback: the messages the simulator accepted, by the time
 * it accepted them, stay within the rate, over a 10 s window within 10%, whichever path
 * (list root, send_batch, single sends, bulksend) carried them.
 */
import { startSimulator, type Simulator } from '../../simulator';
import { createGatewayClient, type GatewayConfig, type SendRequest } from '../../nodes/shared/providers';
import { msisdns } from '../reliability/support';
import { bulkConfig, gwConfig, mxConfig } from './support';

let sim: Simulator;

beforeAll(async () => {
	sim = await startSimulator({ port: 0, record: 'summary' });
});

afterAll(async () => {
	await sim.close();
});

beforeEach(() => sim.reset());

const rows = (count: number, text?: string): SendRequest[] =>
	msisdns(count, 0, '4478').map((to, k) => ({ to, message: text ?? `Hello ${k}, see you soon` }));

/** Most messages accepted in any window of `windowMs` (sliding over acceptance times). */
function busiestWindow(times: number[], windowMs: number): number {
	const sorted = [...times].sort((a, b) => a - b);
	let most = 0;
	let start = 0;
	for (let end = 0; end < sorted.length; end++) {
		while (sorted[end] - sorted[start] >= windowMs) start++;
		most = Math.max(most, end - start + 1);
	}
	return most;
}

async function paced(config: GatewayConfig, requests: SendRequest[]): Promise<{ elapsedMs: number; times: number[] }> {
	const client = createGatewayClient(config);
	const started = Date.now();
	const outcomes = await client.sendMany(requests);
	const elapsedMs = Date.now() - started;
	for (const outcome of outcomes) expect('results' in outcome && outcome.results[0].status).toBe('accepted');
	return { elapsedMs, times: sim.accepted.map((a) => a.at) };
}

describe('Max Messages per Second', () => {
	it('GatewayAPI list root: 11,000 messages at 1,000/s keep a 10 s window within 10% of 10,000', async () => {
		const { elapsedMs, times } = await paced(gwConfig(sim, { maxPerSecond: 1000 }), rows(11_000));
		expect(times).toHaveLength(11_000);
		const busiest = busiestWindow(times, 10_000);
		expect(busiest).toBeGreaterThanOrEqual(9_000);
		expect(busiest).toBeLessThanOrEqual(11_000);
		// The whole run takes about 11,000 / 1,000 s (the first tenth of a second leaves at once);
		// the upper bound only catches a pace gone wrong, with room for a busy machine.
		expect(elapsedMs).toBeGreaterThan(10_500);
		expect(elapsedMs).toBeLessThan(16_000);
	}, 30_000);

	// Requests leave at most one request's worth (a tenth of a second of the rate) ahead of the
	// rate; a busy loopback can then deliver two neighbours together, so a 1 s window at the
	// simulator is bounded by the rate plus two requests' worth. The 10 s test above is the
	// accuracy claim.
	it('BulkSMS send_batch: 1,000 messages at 400/s take about 2.5 s, no second far above the rate', async () => {
		const { elapsedMs, times } = await paced(bulkConfig(sim, { maxPerSecond: 400 }), rows(1000));
		expect(elapsedMs).toBeGreaterThan(2_200);
		expect(elapsedMs).toBeLessThan(5_000);
		expect(busiestWindow(times, 1_000)).toBeLessThanOrEqual(400 + 2 * 40);
	}, 30_000);

	it('MX single sends and bulksend share one pace: 600 messages at 300/s take about 2 s', async () => {
		const requests = [...rows(300), ...rows(300, 'Same text for everyone').map((r, k) => ({ ...r, to: `4478100${String(k).padStart(5, '0')}` }))];
		const { elapsedMs, times } = await paced(mxConfig(sim, { maxPerSecond: 300, concurrency: 8 }), requests);
		expect(times).toHaveLength(600);
		expect(elapsedMs).toBeGreaterThan(1_700);
		expect(elapsedMs).toBeLessThan(5_000);
		expect(busiestWindow(times, 1_000)).toBeLessThanOrEqual(300 + 2 * 30);
	}, 30_000);
});
