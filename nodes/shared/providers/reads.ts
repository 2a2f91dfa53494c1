/**
 * Account reads (balance, delivery status): requests that change nothing at the gateway,
 * so every failure may be retried, and the outcome is a value or a thrown GatewayError
 * rather than a per-recipient result.
 */
import { failureVerdict, transientStatus } from './classify';
import { gatewayError, type Runtime } from './driver';
import { retrying } from './engine';
import type { HttpAnswer, HttpCall } from './transport';
import type { ProviderName } from './types';

/** What a provider makes of one answer to a read. */
export type ReadVerdict<T> =
	| { kind: 'value'; value: T }
	/** Worth asking again (a busy gateway, BulkSMS status 40). */
	| { kind: 'retry'; code: string; message: string }
	| { kind: 'error'; code: string; message: string; retryable: boolean; statusCode?: number };

type Outcome<T> = { value: T } | { error: { code: string; message: string; retryable: boolean; statusCode?: number } };

/**
 * Runs one read with the client's retry policy. `what` names the read in errors
 * ("GatewayAPI balance query"). HTTP 429, 503 and other 5xx are retried before
 * `interpret` sees them; everything else is `interpret`'s to judge.
 */
export async function readFromGateway<T>(
	runtime: Runtime,
	provider: ProviderName,
	what: string,
	call: HttpCall,
	interpret: (answer: HttpAnswer) => ReadVerdict<T>,
): Promise<T> {
	const outcome = await retrying<Outcome<T>>({
		ctx: runtime.ctx,
		policy: runtime.policy,
		// Nothing changes at the gateway, so asking twice is harmless.
		idempotent: true,
		call: () => call,
		interpret: (answer) => {
			if (!answer.ok) return failureVerdict(answer);
			const busy = transientStatus<Outcome<T>>(answer.statusCode, answer.headers, '');
			if (busy) return busy;
			const verdict = interpret(answer);
			if (verdict.kind === 'value') return { kind: 'final', value: { value: verdict.value } };
			if (verdict.kind === 'retry') return { kind: 'transient', maybeSent: false, code: verdict.code, message: verdict.message };
			const { code, message, retryable, statusCode } = verdict;
			return { kind: 'final', value: { error: { code, message, retryable, statusCode } } };
		},
		giveUp: (last) => ({
			error: { code: last.code, message: `${what} failed: ${last.message} (attempts: ${last.attempts})`, retryable: true },
		}),
	});
	if ('value' in outcome) return outcome.value;
	const { code, message, retryable, statusCode } = outcome.error;
	throw gatewayError(runtime, provider, code, message, retryable, statusCode);
}
