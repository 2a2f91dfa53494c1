/**
 * HTTP plumbing: the default transport on the platform's `fetch`, and `exchange`, which
 * runs one request through any transport with a hard deadline and turns whatever
 * happens into a plain, secret-free outcome. Provider modules never see a raw
 * HTTP-client error.
 */
import type { IHttpRequestOptions } from 'n8n-workflow';
import { describeThrown } from './errors';
import type { Slots } from './limits';
import type { GatewayTransport, TransportResponse } from './types';
import { abortableSleep } from './wait';

/** Largest response body the fetch transport reads (an MMS zip is far smaller). */
const MAX_RESPONSE_BYTES = 32 * 1024 * 1024;

function appendQuery(url: string, qs: IHttpRequestOptions['qs']): string {
	if (!qs || Object.keys(qs).length === 0) return url;
	const params = new URLSearchParams();
	for (const [key, value] of Object.entries(qs)) {
		if (value === undefined || value === null) continue;
		if (Array.isArray(value)) for (const v of value) params.append(key, String(v));
		else params.append(key, String(value));
	}
	return url + (url.includes('?') ? '&' : '?') + params.toString();
}

async function readLimited(response: Response): Promise<Uint8Array> {
	if (!response.body) return new Uint8Array(0);
	const reader = response.body.getReader();
	const chunks: Uint8Array[] = [];
	let total = 0;
	for (;;) {
		const { done, value } = await reader.read();
		if (done) break;
		total += value.byteLength;
		if (total > MAX_RESPONSE_BYTES) {
			await reader.cancel();
			throw new Error(`response body larger than ${MAX_RESPONSE_BYTES} bytes`);
		}
		chunks.push(value);
	}
	const out = new Uint8Array(total);
	let offset = 0;
	for (const chunk of chunks) {
		out.set(chunk, offset);
		offset += chunk.byteLength;
	}
	return out;
}

function parseJsonOr(text: string): unknown {
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return text;
	}
}

/**
 * A transport on the platform's `fetch` (keep-alive is the platform's). It always
 * resolves to the full response `{ statusCode, headers, body }`; `body` is a
 * `Uint8Array` for `encoding: 'arraybuffer'`, else a string (parsed JSON for `json: true`).
 */
export const fetchTransport: GatewayTransport = async (options) => {
	const headers: Record<string, string> = {};
	for (const [key, value] of Object.entries(options.headers ?? {})) {
		if (value !== undefined && value !== null) headers[key] = String(value);
	}
	let body: string | Uint8Array | URLSearchParams | undefined;
	const raw = options.body;
	if (typeof raw === 'string' || raw instanceof Uint8Array || raw instanceof URLSearchParams) body = raw;
	else if (raw !== undefined && raw !== null) {
		body = JSON.stringify(raw);
		if (!Object.keys(headers).some((k) => k.toLowerCase() === 'content-type')) headers['Content-Type'] = 'application/json';
	}
	const timeout = typeof options.timeout === 'number' && options.timeout > 0 ? options.timeout : undefined;
	const signal = (options.abortSignal as AbortSignal | undefined) ?? (timeout ? AbortSignal.timeout(timeout) : undefined);
	const response = await fetch(appendQuery(options.url, options.qs), {
		method: options.method ?? 'GET',
		headers,
		body: body as BodyInit | undefined,
		signal,
		redirect: options.disableFollowRedirect ? 'manual' : 'follow',
	});
	const bytes = await readLimited(response);
	const responseHeaders: Record<string, unknown> = {};
	response.headers.forEach((value, key) => {
		responseHeaders[key] = value;
	});
	if (!options.ignoreHttpStatusErrors && (response.status < 200 || response.status > 299)) {
		throw new Error(`Request failed with status code ${response.status}`);
	}
	let parsed: unknown = bytes;
	if (options.encoding !== 'arraybuffer') {
		const text = new TextDecoder('utf-8').decode(bytes);
		parsed = text;
		if (options.json === true && text.trim() !== '') parsed = parseJsonOr(text);
	}
	const full: TransportResponse = { statusCode: response.status, headers: responseHeaders, body: parsed };
	return full;
};

/** One request as a provider module describes it. */
export interface HttpCall {
	method: 'GET' | 'POST' | 'DELETE';
	url: string;
	headers?: Record<string, string>;
	body?: string | Uint8Array;
	/** `bytes` for binary answers (zips); `text` (default) otherwise. */
	responseType?: 'text' | 'bytes';
}

export interface ExchangeContext {
	transport: GatewayTransport;
	timeoutMs: number;
	secrets: string[];
	/** At most N exchanges of this client in flight, whatever pool started them (limits.ts). */
	slots?: Slots;
}

export interface HttpAnswer {
	ok: true;
	statusCode: number;
	headers: Record<string, unknown>;
	body: unknown;
}

export interface HttpFailure {
	ok: false;
	kind: 'timeout' | 'network';
	/** False only when the failure proves the request never reached the gateway. */
	maybeSent: boolean;
	/** Secret-free description. */
	message: string;
}

export type HttpOutcome = HttpAnswer | HttpFailure;

// Low-level codes that mean no connection was ever made, so nothing was sent.
const NOT_SENT_CODES = /\b(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|ERR_INVALID_URL|UND_ERR_CONNECT_TIMEOUT|ERR_TLS_CERT_ALTNAME_INVALID|CERT_HAS_EXPIRED|DEPTH_ZERO_SELF_SIGNED_CERT|UNABLE_TO_VERIFY_LEAF_SIGNATURE)\b/;

const TIMED_OUT = Symbol('timed out');
// Reused abort reasons: aborting with a fresh DOMException per request costs a stack capture each time.
const ANSWERED = new Error('answered before the deadline');
const DEADLINE = new Error('deadline passed');

/**
 * Runs one request with a deadline of `timeoutMs` covering the whole exchange (a gateway
 * that trickles its answer byte by byte times out too). Never throws.
 */
export async function exchange(ctx: ExchangeContext, call: HttpCall): Promise<HttpOutcome> {
	// The deadline starts once a slot is held: waiting for a slot is not the gateway's time.
	if (ctx.slots) return await ctx.slots.run(async () => await exchangeNow(ctx, call));
	return await exchangeNow(ctx, call);
}

async function exchangeNow(ctx: ExchangeContext, call: HttpCall): Promise<HttpOutcome> {
	const requestAbort = new AbortController();
	const timerAbort = new AbortController();
	const options: IHttpRequestOptions = {
		url: call.url,
		method: call.method,
		headers: call.headers ?? {},
		encoding: call.responseType === 'bytes' ? 'arraybuffer' : 'text',
		json: false,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		timeout: ctx.timeoutMs,
		abortSignal: requestAbort.signal,
	};
	if (call.body !== undefined) options.body = call.body;

	type Settled = { value: TransportResponse } | { error: unknown } | typeof TIMED_OUT;
	const request: Promise<Settled> = Promise.resolve()
		.then(async () => await ctx.transport(options))
		.then(
			(value) => ({ value }),
			(error: unknown) => ({ error }),
		);
	const deadline: Promise<Settled> = abortableSleep(ctx.timeoutMs, timerAbort.signal).then(
		() => TIMED_OUT,
		() => ({ error: ANSWERED }),
	);
	const settled = await Promise.race([request, deadline]);
	timerAbort.abort(ANSWERED);

	if (settled === TIMED_OUT) {
		requestAbort.abort(DEADLINE);
		return {
			ok: false,
			kind: 'timeout',
			maybeSent: true,
			message: `no complete answer within ${ctx.timeoutMs} ms`,
		};
	}
	if ('error' in settled) {
		const message = describeThrown(settled.error, ctx.secrets);
		return { ok: false, kind: 'network', maybeSent: !NOT_SENT_CODES.test(message), message };
	}
	const response = settled.value;
	if (!response || typeof response !== 'object' || typeof response.statusCode !== 'number') {
		return {
			ok: false,
			kind: 'network',
			maybeSent: true,
			message: 'the transport returned no status code (it must return the full response)',
		};
	}
	return {
		ok: true,
		statusCode: response.statusCode,
		headers: (response.headers ?? {}) as Record<string, unknown>,
		body: response.body,
	};
}

/** A response body as text, whatever the transport made of it. */
export function bodyText(body: unknown, charset: 'utf-8' | 'latin1' = 'utf-8'): string {
	if (body === undefined || body === null) return '';
	if (typeof body === 'string') return body;
	if (body instanceof Uint8Array) {
		if (charset === 'latin1') {
			let out = '';
			for (const b of body) out += String.fromCharCode(b);
			return out;
		}
		return new TextDecoder('utf-8').decode(body);
	}
	if (body instanceof ArrayBuffer) return bodyText(new Uint8Array(body), charset);
	if (typeof body === 'object') return JSON.stringify(body);
	return String(body);
}

/** A response body as bytes. */
export function bodyBytes(body: unknown): Uint8Array {
	if (body instanceof Uint8Array) return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
	if (body instanceof ArrayBuffer) return new Uint8Array(body);
	if (typeof body === 'string') {
		// A transport that decoded binary as text: recover the octets only if it used latin1.
		const out = new Uint8Array(body.length);
		for (let i = 0; i < body.length; i++) out[i] = body.charCodeAt(i) & 0xff;
		return out;
	}
	return new Uint8Array(0);
}

/** A header value, case-insensitively. */
export function headerValue(headers: Record<string, unknown>, name: string): string | undefined {
	const wanted = name.toLowerCase();
	for (const [key, value] of Object.entries(headers)) {
		if (key.toLowerCase() === wanted) return Array.isArray(value) ? String(value[0]) : String(value);
	}
	return undefined;
}
