/**
 * abortableSleep picks, from the host's n8n-workflow, the wait that can be cut short:
 * 2.x `sleep(ms, signal)`, or 1.x `sleepWithAbort(ms, signal)` (1.x `sleep` ignores a
 * signal). Either way an aborted wait leaves no timer behind.
 */
/** Timers still pending; the fake clock counts the very setTimeout calls n8n-workflow makes. */
const liveTimers = () => jest.getTimerCount();

async function abortedWaitsLeaveNoTimers(load: () => typeof import('../../nodes/shared/providers/wait')) {
	const { abortableSleep } = load();
	const before = liveTimers();
	const waits = Array.from({ length: 50 }, () => {
		const stop = new AbortController();
		const wait = abortableSleep(60_000, stop.signal).then(
			() => 'elapsed',
			() => 'aborted',
		);
		stop.abort();
		return wait;
	});
	expect(new Set(await Promise.all(waits))).toEqual(new Set(['aborted']));
	expect(liveTimers()).toBe(before);
}

describe('abortableSleep', () => {
	beforeEach(() => jest.useFakeTimers());
	afterEach(() => {
		jest.useRealTimers();
		jest.resetModules();
	});

	it('on n8n-workflow 2.x uses sleep(ms, signal)', async () => {
		await abortedWaitsLeaveNoTimers(() => jest.requireActual('../../nodes/shared/providers/wait'));
	});

	it('on n8n-workflow 1.x uses sleepWithAbort, because its sleep ignores the signal', async () => {
		const v1 = jest.requireActual('n8n-workflow-1');
		let loaded!: typeof import('../../nodes/shared/providers/wait');
		await jest.isolateModulesAsync(async () => {
			jest.doMock('n8n-workflow', () => v1);
			loaded = await import('../../nodes/shared/providers/wait');
		});
		expect(loaded.abortableSleep).toBe(v1.sleepWithAbort);
		await abortedWaitsLeaveNoTimers(() => loaded);
	});

	it('(why) 1.x sleep keeps its timer after the signal fired', async () => {
		const v1 = jest.requireActual('n8n-workflow-1');
		const before = liveTimers();
		const stop = new AbortController();
		const wait = (v1.sleep as (ms: number, signal?: AbortSignal) => Promise<void>)(200, stop.signal);
		stop.abort();
		expect(liveTimers()).toBe(before + 1);
		jest.advanceTimersByTime(200);
		await wait;
	});

	it('still elapses when nobody aborts', async () => {
		const { abortableSleep } = jest.requireActual('../../nodes/shared/providers/wait');
		const wait = abortableSleep(5, new AbortController().signal);
		jest.advanceTimersByTime(5);
		await expect(wait).resolves.toBeUndefined();
	});
});
