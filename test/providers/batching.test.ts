/**
 * The campaign engine's building blocks (docs/batching.md): the bounds every request
 * passes (slots, pace), coalescing items into groups, and splitting results back.
 */
import type { PreparedSend, ProviderDriver } from '../../nodes/shared/providers/driver';
import { coalesce, deliverEachGroup, resultsByUnit, type Unit } from '../../nodes/shared/providers/batching';
import { createPace, createSlots } from '../../nodes/shared/providers/limits';
import type { RecipientResult } from '../../nodes/shared/providers/types';

// a few microtask turns: enough for the awaiting slot holders to move on
const tick = async () => {
	for (let i = 0; i < 5; i++) await Promise.resolve();
};

function prepared(text: string): PreparedSend {
	return {
		plan: { kind: 'text', text, encoding: 'gsm7', parts: 1 } as unknown as PreparedSend['plan'],
		common: { flash: false, dryRun: false },
		mode: 'send',
	};
}

function unit(index: number, text: string, recipients: string[]): Unit {
	return { index, prepared: prepared(text), recipients };
}

const textOf = (p: PreparedSend) => (p.plan as unknown as { text: string }).text;

describe('slots', () => {
	it('keeps at most N pieces of work running, however they are nested', async () => {
		const slots = createSlots(3);
		let running = 0;
		let peak = 0;
		const release: Array<() => void> = [];
		const work = async () => {
			running++;
			peak = Math.max(peak, running);
			await new Promise<void>((resolve) => release.push(resolve));
			running--;
		};
		const all = Promise.all(Array.from({ length: 10 }, async () => await slots.run(work)));
		for (let done = 0; done < 10; ) {
			await tick();
			const next = release.shift();
			if (next) {
				next();
				done++;
			}
		}
		await all;
		expect(peak).toBe(3);
	});

	it('frees the slot when the work fails', async () => {
		const slots = createSlots(1);
		await expect(slots.run(async () => await Promise.reject(new Error('boom')))).rejects.toThrow('boom');
		await expect(slots.run(async () => await Promise.resolve('next'))).resolves.toBe('next');
	});
});

describe('pace', () => {
	beforeEach(() => jest.useFakeTimers());
	afterEach(() => jest.useRealTimers());

	it('spaces bookings so that R messages leave per second', async () => {
		// the fake clock moves Date.now too, so the pace reads the same time as the timers
		const start = Date.now();
		const pace = createPace(100);
		const leftAt: number[] = [];
		const book = async (n: number) => {
			await pace.take(n);
			leftAt.push(Date.now() - start);
		};
		const all = Promise.all([book(50), book(50), book(100), book(10)]);
		await jest.advanceTimersByTimeAsync(3000);
		await all;
		// 50 messages book 0.5 s each, 100 book 1 s: they leave at 0, 0.5 s, 1 s and 2 s.
		expect(leftAt).toEqual([0, 500, 1000, 2000]);
	});

	it('waits for nothing without a rate', async () => {
		const pace = createPace(undefined);
		await expect(pace.take(10_000)).resolves.toBeUndefined();
		expect(jest.getTimerCount()).toBe(0);
	});
});

describe('coalesce', () => {
	const byText = (p: PreparedSend) => textOf(p);

	it('joins items with the same content and disjoint recipients, in item order', () => {
		const groups = coalesce(
			[unit(0, 'hi', ['1']), unit(1, 'other', ['2']), unit(2, 'hi', ['3', '4']), unit(3, 'hi', ['1'])],
			byText,
			10,
		);
		expect(groups.map((g) => [textOf(g.prepared), g.units.map((u) => u.index), g.recipients])).toEqual([
			['hi', [0, 2], ['1', '3', '4']],
			['other', [1], ['2']],
			// the same recipient again is a second message, never merged into the first
			['hi', [3], ['1']],
		]);
	});

	it('starts a new group at the recipient limit and never shares content without a key', () => {
		const limited = coalesce([unit(0, 'a', ['1', '2']), unit(1, 'a', ['3', '4']), unit(2, 'a', ['5'])], byText, 3);
		expect(limited.map((g) => g.recipients)).toEqual([['1', '2'], ['3', '4', '5']]);
		const unkeyed = coalesce([unit(0, 'a', ['1']), unit(1, 'a', ['2'])], () => undefined, 10);
		expect(unkeyed).toHaveLength(2);
	});
});

describe('deliverEachGroup and resultsByUnit', () => {
	function fakeDriver(answer: (p: PreparedSend, to: string) => RecipientResult['status']) {
		const calls: Array<{ mode: string; recipients: string[] }> = [];
		const driver = {
			name: 'gatewayApi',
			deliver: async (p: PreparedSend, recipients: string[]) => {
				calls.push({ mode: p.mode, recipients });
				return recipients.map((to) => ({ to, status: answer(p, to), parts: 1, encoding: 'gsm7', provider: 'gatewayApi' }));
			},
		} as unknown as ProviderDriver;
		return { driver, calls };
	}
	const control = (overrides: Partial<Parameters<ReturnType<typeof deliverEachGroup>>[1]> = {}) => ({
		concurrency: 1,
		stopped: () => false,
		settled: () => {},
		...overrides,
	});

	it('sends a shared group as a broadcast and gives every item its own results', async () => {
		const { driver, calls } = fakeDriver(() => 'accepted');
		const units = [unit(0, 'hi', ['1']), unit(1, 'hi', ['2', '3']), unit(2, 'solo', ['4'])];
		const groups = coalesce(units, textOf, 10);
		const perGroup = await deliverEachGroup(driver)(groups, control());
		expect(calls).toEqual([
			{ mode: 'broadcast', recipients: ['1', '2', '3'] },
			{ mode: 'send', recipients: ['4'] },
		]);
		const byUnit = resultsByUnit('gatewayApi', groups, perGroup);
		expect(units.map((u) => byUnit.get(u)?.map((r) => r.to))).toEqual([['1'], ['2', '3'], ['4']]);
	});

	it('after a stop, sends nothing more and says so per recipient', async () => {
		let stop = false;
		const { driver, calls } = fakeDriver((_p, to) => (to === '1' ? 'failed' : 'accepted'));
		const groups = coalesce([unit(0, 'a', ['1']), unit(1, 'b', ['2'])], () => undefined, 10);
		const perGroup = await deliverEachGroup(driver)(
			groups,
			control({ stopped: () => stop, settled: (results) => (stop = stop || results.some((r) => r.status === 'failed')) }),
		);
		expect(calls).toHaveLength(1);
		expect(perGroup[1]).toEqual([expect.objectContaining({ to: '2', status: 'failed', error: expect.objectContaining({ code: 'NOT_SENT', retryable: true }) })]);
	});

	it('reports a recipient the driver did not answer as unknown, never drops it', () => {
		const groups = coalesce([unit(0, 'a', ['1', '2'])], textOf, 10);
		const byUnit = resultsByUnit('gatewayApi', groups, [[{ to: '1', status: 'accepted', parts: 1, encoding: 'gsm7', provider: 'gatewayApi' }]]);
		expect(byUnit.get(groups[0].units[0])?.map((r) => [r.to, r.status])).toEqual([
			['1', 'accepted'],
			['2', 'unknown'],
		]);
	});
});
