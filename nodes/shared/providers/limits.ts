/**
 * The two bounds every request of a client passes through, whatever path sent it:
 * - `Slots`: at most N requests in flight (GatewayAPI refuses more than 40 open
 *   connections per IP, BulkSMS asks for one, MX advises 4). Pools inside pools
 *   (items, batches, parts) cannot add up past it, because the slot is taken around
 *   the HTTP exchange itself.
 * - `Pace`: at most R messages per second (accounts have throughput caps). A request
 *   carrying n messages books n/R seconds of the schedule and waits for its turn.
 * Waits use n8n-workflow's sleep (community nodes may not use timers).
 */
import { sleep } from 'n8n-workflow';

export interface Slots {
	/** Runs `work` once a slot is free, holding the slot until it settles. */
	run<T>(work: () => Promise<T>): Promise<T>;
}

export function createSlots(size: number): Slots {
	let free = Math.max(1, Math.floor(size));
	const waiting: Array<() => void> = [];
	const release = () => {
		const next = waiting.shift();
		if (next) next();
		else free++;
	};
	return {
		async run<T>(work: () => Promise<T>): Promise<T> {
			if (free > 0) free--;
			else await new Promise<void>((resolve) => waiting.push(resolve));
			try {
				return await work();
			} finally {
				release();
			}
		},
	};
}

export interface Pace {
	/** Messages per second, or undefined when unpaced. */
	readonly perSecond: number | undefined;
	/** Resolves when `messages` more may leave without exceeding the rate. */
	take(messages: number): Promise<void>;
}

/**
 * Messages one request may carry under `pace`: a tenth of a second's worth, so that over
 * a 10 s window the count stays within 1% of the rate (the first request leaves at once).
 */
export function paceChunk(pace: Pace | undefined): number {
	if (pace?.perSecond === undefined) return Number.POSITIVE_INFINITY;
	return Math.max(1, Math.floor(pace.perSecond / 10));
}

/**
 * Requests leave one after another: the first at once, each next one `messages /
 * perSecond` seconds after the previous one actually left. Spacing from the real departure
 * (not from a booked time) means a stalled event loop only delays requests; it never lets
 * several overdue ones leave together. Over any window the messages sent stay within one
 * request's worth of `perSecond x window`, which is why requests carry at most `paceChunk`
 * messages when a pace is set.
 */
export function createPace(perSecond: number | undefined, now: () => number = Date.now): Pace {
	if (perSecond === undefined) return { perSecond, take: async () => {} };
	let nextFree = 0;
	let queue: Promise<void> = Promise.resolve();
	return {
		perSecond,
		async take(messages: number): Promise<void> {
			const turn = queue.then(async () => {
				const wait = nextFree - now();
				if (wait > 0) await sleep(wait);
				nextFree = now() + (Math.max(1, messages) * 1000) / perSecond;
			});
			queue = turn;
			await turn;
		},
	};
}
