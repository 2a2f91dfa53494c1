/**
 * The broadcast engine: a bounded pool that runs batches with at most N requests in
 * flight, and the retry loop every request goes through.
 *
 * Retry rule (the heart of "nothing sent twice"): a failure that may have reached the
 * gateway is retried only when the request carries an idempotency key the gateway
 * honours (MX `submitid`, BulkSMS `stop_dup_id`); without one the recipient is reported
 * `unknown` and never resent. A failure proven not to have reached the gateway
 * (connection refused, an explicit "try again" answer) is retried either way.
 */
import { sleep } from 'n8n-workflow';

import { exchange, headerValue, type ExchangeContext, type HttpCall, type HttpOutcome } from './transport';

export interface RetryPolicy {
	maxAttempts: number;
	baseDelayMs: number;
	maxDelayMs: number;
}

/** Exponential back-off with jitter: attempt 1 waits about base, then 2x, 4x... capped. */
export function backoffDelay(attempt: number, policy: RetryPolicy): number {
	const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
	return Math.round(exp / 2 + (Math.random() * exp) / 2);
}

/** Retry-After in ms (seconds or an HTTP date), if present and sane. */
export function retryAfterMs(headers: Record<string, unknown>, now = Date.now()): number | undefined {
	const value = headerValue(headers, 'retry-after');
	if (value === undefined) return undefined;
	if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
	const date = Date.parse(value);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** What a provider makes of one attempt's outcome. */
export type Verdict<R> =
	| { kind: 'final'; value: R }
	| {
			kind: 'transient';
			/** The gateway may have acted on the request. */
			maybeSent: boolean;
			code: string;
			message: string;
			retryAfterMs?: number;
			/** Counts against a smaller budget (BulkSMS 26/28). */
			budget?: 'upstream';
	  };

export interface GiveUp {
	code: string;
	message: string;
	/** Some attempt may have reached the gateway. */
	maybeSent: boolean;
	attempts: number;
}

export interface RetryingOptions<R> {
	ctx: ExchangeContext;
	policy: RetryPolicy;
	/** True when the request carries a key that makes a resend harmless. */
	idempotent: boolean;
	/** Builds the request for an attempt (the same key on every attempt). */
	call: (attempt: number) => HttpCall;
	interpret: (outcome: HttpOutcome) => Verdict<R>;
	giveUp: (last: GiveUp) => R;
	/** Attempts allowed for `budget: 'upstream'` verdicts (default 2). */
	upstreamAttempts?: number;
	/** Called before each retry (tests and logs). */
	onRetry?: (info: { attempt: number; code: string; delayMs: number }) => void;
}

/** Sends a request, retrying what may honestly be retried, and returns the provider's value. */
export async function retrying<R>(options: RetryingOptions<R>): Promise<R> {
	const { policy } = options;
	let maybeSent = false;
	let upstream = 0;
	for (let attempt = 1; ; attempt++) {
		const outcome = await exchange(options.ctx, options.call(attempt));
		const verdict = options.interpret(outcome);
		if (verdict.kind === 'final') return verdict.value;
		maybeSent = maybeSent || verdict.maybeSent;
		if (verdict.budget === 'upstream') upstream++;
		const last: GiveUp = { code: verdict.code, message: verdict.message, maybeSent, attempts: attempt };
		// Without an idempotency key, a request the gateway may have taken is never resent.
		if (verdict.maybeSent && !options.idempotent) return options.giveUp(last);
		if (attempt >= policy.maxAttempts) return options.giveUp(last);
		if (verdict.budget === 'upstream' && upstream >= (options.upstreamAttempts ?? 2)) return options.giveUp(last);
		let delayMs = backoffDelay(attempt, policy);
		if (verdict.retryAfterMs !== undefined) delayMs = Math.min(policy.maxDelayMs, Math.max(delayMs, verdict.retryAfterMs));
		options.onRetry?.({ attempt, code: verdict.code, delayMs });
		if (delayMs > 0) await sleep(delayMs);
	}
}

/**
 * Runs `worker` over `items` with at most `concurrency` in flight; results keep input
 * order. A worker that throws yields `onError(item, error)` for its slot, so every item
 * has exactly one result.
 */
export async function runPool<T, R>(
	items: readonly T[],
	concurrency: number,
	worker: (item: T, index: number) => Promise<R>,
	onError: (item: T, error: unknown) => R,
): Promise<R[]> {
	const results = new Array<R>(items.length);
	let next = 0;
	const lanes = Math.max(1, Math.min(concurrency, items.length));
	const lane = async () => {
		for (;;) {
			const index = next++;
			if (index >= items.length) return;
			const item = items[index];
			results[index] = await Promise.resolve()
				.then(async () => await worker(item, index))
				.then(
					(value) => value,
					(error: unknown) => onError(item, error),
				);
		}
	};
	await Promise.all(Array.from({ length: lanes }, lane));
	return results;
}

/** Splits a list into chunks of at most `size`. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
	const out: T[][] = [];
	for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
	return out;
}
