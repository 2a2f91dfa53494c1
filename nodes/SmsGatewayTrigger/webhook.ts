/**
 * One push, from request to answer:
 *   IP allowlist (403) -> size and syntax (413/400/415) -> credential -> secret or JWT (401)
 *   -> classify into one of four events (400 when impossible) -> event filter
 *   -> stale-report and duplicate checks -> MMS content -> item.
 * The checks before the credential need none, so a refused push costs no credential read.
 * One exception keeps 403 ahead of every other refusal: with the IP Allowlist left empty, a
 * caller outside MX Telecom's ranges is refused or not depending on the credential's
 * provider, so for such a caller the credential comes before the size and syntax checks.
 * The credential is usually a copy kept from an earlier push (credential.ts); n8n is asked
 * for it at most once per push.
 * Refusals are answered here with a short text body and start nothing. Everything that
 * is accepted is answered `200 OK` by n8n once the execution exists (the webhook
 * description's empty `responseData` makes n8n send our `webhookResponse`), so a gateway
 * never gets a 200 for an event that did not start a workflow. Pushes that are valid but
 * not wanted (event not selected, duplicate, stale report) get `200 OK` and start nothing.
 */
import {
	NodeOperationError,
	type IBinaryKeyData,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import type { ProviderName } from '../shared/providers/types';
import { abortableSleep } from '../shared/providers/wait';
import { PushCredential, providerOf, type CredentialData } from './credential';
import { readOptions, type TriggerOptions } from './description';
import { scopeFor, type Claim } from './dedupe';
import { parseBulkSms } from './events/bulkSms';
import { parseGatewayApi } from './events/gatewayApi';
import { parseMxTelecom } from './events/mxTelecom';
import { utcIso } from './events/time';
import type { ParsedEvent } from './events/types';
import { HttpRefusal, refusalBody } from './http/refusal';
import { discardUploads, readRequest, type InboundRequest, type RequestLike } from './http/request';
import { attachRetrievedZip, attachUploadedZip } from './mms/content';
import { mmsRetrieval } from './mms/retrieve';
import { authenticate, checkClientIp, checkClientIpBeforeCredential, resolveAllowlist } from './security';

/** The body of every 200: MX wants a non-empty body. */
export const ACK_BODY = 'OK';
/** How long a repeat waits for its first copy's outcome before being handled itself. */
const IN_FLIGHT_WAIT_MS = 5000;

/** The parts of the response object the trigger uses (node's own http.ServerResponse API). */
interface ResponseLike {
	statusCode: number;
	headersSent: boolean;
	setHeader(name: string, value: string): unknown;
	end(body?: string): unknown;
	once(event: 'finish' | 'close', listener: () => void): unknown;
}

function reply(res: ResponseLike, status: number, body: string): void {
	if (res.headersSent) return;
	res.statusCode = status;
	res.setHeader('Content-Type', 'text/plain; charset=utf-8');
	res.end(body);
}

const ack = (): IWebhookResponseData => ({ webhookResponse: ACK_BODY });

async function waitAtMost<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
	const stop = new AbortController();
	try {
		return await Promise.race([promise, abortableSleep(ms, stop.signal).then(() => undefined, () => undefined)]);
	} finally {
		stop.abort();
	}
}

/** Anything else that went wrong is the workflow's problem: n8n answers 500 and logs it. */
function asNodeError(context: IWebhookFunctions, error: unknown): NodeOperationError {
	return error instanceof NodeOperationError ? error : new NodeOperationError(context.getNode(), error as Error);
}

function parse(provider: ProviderName, request: InboundRequest, verified: Record<string, unknown> | undefined, hidden: ReadonlySet<string>): ParsedEvent {
	switch (provider) {
		case 'mxTelecom':
			return parseMxTelecom(request, hidden);
		case 'bulkSms':
			return parseBulkSms(request, hidden, utcIso(Date.now()));
		case 'gatewayApi': {
			if (verified) return parseGatewayApi(verified);
			if (request.method !== 'POST') throw new HttpRefusal(400, 'GatewayAPI webhooks are JSON POST requests');
			if (request.body.kind !== 'json') throw new HttpRefusal(415, 'GatewayAPI webhooks carry a JSON body');
			return parseGatewayApi(request.body.value);
		}
	}
}

/**
 * Claims the push's dedupe key. Returns false when the push is a repeat to drop. The
 * claim is settled by the answer n8n finally sends: 2xx confirms it, anything else
 * (an error, a lost connection) releases the key so a retry is handled.
 */
async function claimOnce(
	context: IWebhookFunctions,
	res: ResponseLike,
	key: string,
	windowMs: number,
): Promise<boolean> {
	const { seen } = scopeFor(context.getWorkflow().id, context.getNode().id);
	let claim: Claim = seen.claim(key, Date.now(), windowMs);
	if (claim.outcome === 'inFlight') {
		const firstOk = await waitAtMost(claim.settled, IN_FLIGHT_WAIT_MS);
		if (firstOk === true) return false;
		claim = seen.claim(key, Date.now(), windowMs);
		// Still undecided after the wait: handle this copy rather than risk losing the event.
		if (claim.outcome === 'inFlight') return true;
	}
	if (claim.outcome === 'duplicate') return false;
	const { settle } = claim;
	res.once('finish', () => settle(res.statusCode >= 200 && res.statusCode < 300));
	res.once('close', () => settle(false));
	return true;
}

/** True when a non-final report arrives after a final one for the same message and recipient. */
function isStale(context: IWebhookFunctions, parsed: ParsedEvent, windowMs: number): boolean {
	if (parsed.item.event !== 'deliveryReport') return false;
	const { finals } = scopeFor(context.getWorkflow().id, context.getNode().id);
	const item = parsed.item;
	const key = `${item.provider}:${item.channel}:${item.messageId}:${item.to ?? ''}`;
	const now = Date.now();
	if (item.final) {
		finals.record(key, now, windowMs);
		return false;
	}
	return finals.has(key, now);
}

function outcomeOf<T>(run: () => T): { value: T } | { error: unknown } {
	try {
		return { value: run() };
	} catch (error) {
		return { error };
	}
}

/** What the checks that need the credential leave: an authenticated, classified push. */
interface Admitted {
	credentials: CredentialData;
	request: InboundRequest;
	parsed: ParsedEvent;
}

/**
 * The checks, in the order of the header comment. A 401 or 403 that the kept copy of the
 * credential decided is checked once more against the credential as n8n has it now
 * (PushCredential.reread), so a secret edited moments ago is not refused.
 */
async function admit(context: IWebhookFunctions, req: RequestLike, options: TriggerOptions, credential: PushCredential): Promise<Admitted> {
	const ip = req.ip ?? req.socket?.remoteAddress;
	const ipSettled = checkClientIpBeforeCredential(ip, options.allowlist) === 'allowed';
	let request = ipSettled ? readRequest(req, options.maxBytes) : undefined;
	const kept = await credential.get();
	const hidden = new Set([options.secretParameter]);
	const check = (credentials: CredentialData): Admitted => {
		const provider = providerOf(context, credentials);
		if (!ipSettled) checkClientIp(ip, resolveAllowlist(provider, options.allowlist));
		request ??= readRequest(req, options.maxBytes);
		const verified = authenticate(request, {
			provider,
			secret: typeof credentials.webhookSecret === 'string' ? credentials.webhookSecret : '',
			secretParameter: options.secretParameter,
			nowSeconds: Math.floor(Date.now() / 1000),
		});
		return { credentials, request, parsed: parse(provider, request, verified, hidden) };
	};
	const first = outcomeOf(() => check(kept));
	if ('value' in first) return first.value;
	// Only these two depend on the secret or the provider's ranges; other refusals would repeat.
	const { error } = first;
	const recheck = error instanceof HttpRefusal && (error.status === 401 || error.status === 403);
	const edited = recheck ? await credential.reread() : undefined;
	if (!edited) throw error;
	return check(edited);
}

async function attachContent(
	context: IWebhookFunctions,
	admitted: Admitted,
	options: TriggerOptions,
	credential: PushCredential,
): Promise<IBinaryKeyData | undefined> {
	const { parsed, request } = admitted;
	if (parsed.kind !== 'inboundMms') return undefined;
	const mmsOptions = { binaryPropertyName: options.binaryPropertyName, unpack: options.unpack, maxBytes: options.maxBytes };
	if ('fileField' in parsed.zip) {
		const field = parsed.zip.fileField;
		const file = request.body.kind === 'multipart' ? request.body.files.find((f) => f.field === field) : undefined;
		if (!file) throw new HttpRefusal(400, 'multipart request without an mms.zip part');
		return await attachUploadedZip(context, parsed.item, file, mmsOptions);
	}
	if (!options.retrieveMms) return undefined;
	const { retrieve, redact } = mmsRetrieval(context, credential, admitted.credentials);
	return await attachRetrievedZip(context, parsed.item, retrieve, redact, mmsOptions);
}

async function handle(context: IWebhookFunctions, res: ResponseLike, options: TriggerOptions): Promise<IWebhookResponseData> {
	const req = context.getRequestObject() as unknown as RequestLike;
	const credential = new PushCredential(context);
	const admitted = await admit(context, req, options, credential);
	const { parsed } = admitted;

	if (!options.events.includes(parsed.kind)) {
		context.logger.debug(`SMS Gateway Trigger: ${parsed.kind} push acknowledged and dropped (event not selected)`);
		return ack();
	}
	const windowMs = options.dedupeWindowMs || 24 * 3600 * 1000;
	if (options.ignoreStaleReports && isStale(context, parsed, windowMs)) {
		context.logger.debug('SMS Gateway Trigger: stale delivery report acknowledged and dropped');
		return ack();
	}
	// Test runs ("listen for test event") resend the same sample on purpose: no dedupe there.
	if (options.dedupeWindowMs > 0 && context.getMode() !== 'manual') {
		if (!(await claimOnce(context, res, parsed.item.dedupeKey, options.dedupeWindowMs))) {
			context.logger.debug(`SMS Gateway Trigger: duplicate push ${parsed.item.dedupeKey} acknowledged and dropped`);
			return ack();
		}
	}
	const binary = await attachContent(context, admitted, options, credential);
	return {
		workflowData: [[binary && Object.keys(binary).length > 0 ? { json: parsed.item, binary } : { json: parsed.item }]],
		webhookResponse: ACK_BODY,
	};
}

/** The trigger's webhook(): answers refusals itself, hands accepted events to n8n. */
export async function handleWebhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const res = this.getResponseObject() as unknown as ResponseLike;
	try {
		return await handle(this, res, readOptions(this));
	} catch (error) {
		if (error instanceof HttpRefusal) {
			const line = `SMS Gateway Trigger refused a push with ${error.status}: ${error.reason}`;
			if (error.status === 401 || error.status === 403) this.logger.warn(line);
			else this.logger.debug(line);
			reply(res, error.status, refusalBody(error));
			return { noWebhookResponse: true };
		}
		throw asNodeError(this, error);
	} finally {
		// An uploaded mms.zip has been copied into n8n's binary data (or refused) by now.
		discardUploads(this.getRequestObject() as unknown as RequestLike);
	}
}
