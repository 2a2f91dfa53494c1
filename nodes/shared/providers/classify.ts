/**
 * Shared reading of HTTP-level outcomes: which failures are worth another attempt and
 * which may already have reached a gateway.
 */
import { retryAfterMs, type Verdict } from './engine';
import type { HttpFailure } from './transport';

/** A transport failure (timeout, reset, refused) as a transient verdict. */
export function failureVerdict<R>(failure: HttpFailure): Verdict<R> {
	return {
		kind: 'transient',
		maybeSent: failure.maybeSent,
		code: failure.kind === 'timeout' ? 'TIMEOUT' : failure.maybeSent ? 'CONNECTION_LOST' : 'CONNECTION_FAILED',
		message: failure.kind === 'timeout' ? `The gateway did not answer in time (${failure.message})` : `The connection failed (${failure.message})`,
	};
}

/**
 * HTTP statuses that invite a retry. 429 and 503 say the server did not take the request
 * (RFC 9110 section 15.6.4, RFC 6585 section 4); other 5xx may come after the gateway acted on it.
 */
export function transientStatus<R>(statusCode: number, headers: Record<string, unknown>, detail: string): Verdict<R> | undefined {
	if (statusCode === 429 || statusCode === 503) {
		const verdict: Verdict<R> = {
			kind: 'transient',
			maybeSent: false,
			code: `HTTP_${statusCode}`,
			message: `The gateway is busy (HTTP ${statusCode})${detail ? `: ${detail}` : ''}`,
		};
		const after = retryAfterMs(headers);
		if (after !== undefined) verdict.retryAfterMs = after;
		return verdict;
	}
	if (statusCode >= 500 && statusCode <= 599) {
		return {
			kind: 'transient',
			maybeSent: true,
			code: `HTTP_${statusCode}`,
			message: `The gateway failed (HTTP ${statusCode})${detail ? `: ${detail}` : ''}`,
		};
	}
	return undefined;
}
