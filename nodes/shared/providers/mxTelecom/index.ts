/**
 * MX Telecom / OpenMarket HTTP client (mx-telecom-http.md): single send on
 * `/sms/v1/send` (or legacy `/SMSSend`), broadcast on `/sms/v1/bulksend` with a
 * `submitid` per request (section 2: a repeated id replays the first answer instead of
 * sending), and the MMS gateway (`SendMMS`, `RetrieveMMS`).
 *
 * Single send has no idempotency key, so a send that may have reached MX is never
 * repeated; bulksend requests are retried with the same `submitid`.
 */
import { randomUUID } from 'crypto';

import { failureVerdict, transientStatus } from '../classify';
import { planContent } from '../content';
import {
	batchLimits,
	deliverInBatches,
	lostInClient,
	gatewayError,
	givenUp,
	result,
	snippet,
	type CommonFields,
	type PreparedSend,
	type ProviderDriver,
	type Runtime,
	type SendMode,
} from '../driver';
import { retrying, runPool, type Verdict } from '../engine';
import { GatewayValidationError } from '../errors';
import { formEncode, formPairsKey, type FormPairs } from '../form';
import { bodyText, exchange, type HttpOutcome } from '../transport';
import type { MxTelecomOptions, RecipientResult, ResultError, SendRequest } from '../types';
import { joinUrl, requireCredentials } from '../validation';
import { noBalanceQuery, noStatusQuery } from './account';
import { createMxMms } from './mms';
import { contentRequests, latin9OrUtf8 } from './request';
import { parseBulk, parseSingle, type LineOutcome } from './response';

const PROVIDER = 'mxTelecom';

interface MxPrepared extends PreparedSend {
	/** Content fields per request of one message (several when we send the parts). */
	contents: FormPairs[];
	/** Fields shared by every request: originator, report, note... */
	shared: FormPairs;
	options: MxTelecomOptions;
}

/** Outcome of one part for one recipient. */
interface PartOutcome {
	status: 'accepted' | 'failed' | 'unknown';
	id?: string;
	error?: ResultError;
}

function optionalText(value: unknown, field: string, max: number): string | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	if (typeof value !== 'string') throw new GatewayValidationError(field, `${field} must be text`);
	if (value.length > max) throw new GatewayValidationError(field, `${field} is ${value.length} characters long; MX Telecom allows at most ${max}`);
	return value;
}

function prepare(request: SendRequest, common: CommonFields, mode: SendMode): MxPrepared {
	const options: MxTelecomOptions = request.providerOptions?.mxTelecom ?? {};
	if (common.schedule) {
		throw new GatewayValidationError('scheduleAt', 'MX Telecom\'s HTTP interface has no scheduling parameter; leave scheduleAt empty for this provider');
	}
	const plan = planContent(request, common.maxParts !== undefined ? { maxParts: common.maxParts } : {});
	const contents = contentRequests(plan, options);
	const shared: FormPairs = [];
	if (common.from !== undefined) shared.push(['smsfrom', latin9OrUtf8(common.from)]);
	let report = options.report;
	if (report !== undefined && (!Number.isInteger(report) || report < 0 || report > 255)) {
		throw new GatewayValidationError('providerOptions.mxTelecom.report', 'report must be a whole number from 0 to 255 (7 = all report types)');
	}
	if (report === undefined && common.deliveryReport !== undefined) report = common.deliveryReport ? 7 : 0;
	if (report !== undefined) shared.push(['report', String(report)]);
	const note = optionalText(options.note, 'providerOptions.mxTelecom.note', 160) ?? optionalText(common.clientReference, 'clientReference', 160);
	if (note !== undefined) shared.push(['note', latin9OrUtf8(note)]);
	const subaccount = optionalText(options.subaccount, 'providerOptions.mxTelecom.subaccount', 10);
	if (subaccount !== undefined) shared.push(['subaccount', latin9OrUtf8(subaccount)]);
	if (common.flash) shared.push(['flash', '1']);
	// The validity parameter's name is only known from a third-party client (section 1.2): `vp`, in seconds.
	if (common.validity !== undefined) shared.push(['vp', String(common.validity)]);
	if (options.endpoint !== undefined && !['auto', 'v1', 'legacy'].includes(options.endpoint)) {
		throw new GatewayValidationError('providerOptions.mxTelecom.endpoint', "endpoint must be 'auto', 'v1' or 'legacy'");
	}
	return { plan, common, mode, contents, shared, options };
}

/** Combines per-part outcomes of one recipient into its result. */
function combine(prepared: MxPrepared, to: string, outcomes: PartOutcome[]): RecipientResult {
	const total = prepared.contents.length;
	const last = outcomes[outcomes.length - 1];
	const ids = outcomes.map((o) => o.id).filter((id): id is string => id !== undefined);
	if (outcomes.length === total && outcomes.every((o) => o.status === 'accepted')) {
		return result(PROVIDER, prepared.plan, to, 'accepted', {
			...(ids[0] !== undefined ? { messageId: ids[0] } : {}),
			...(total > 1 ? { partMessageIds: ids } : {}),
		});
	}
	if (outcomes.length === 1 && last.status === 'failed') {
		return result(PROVIDER, prepared.plan, to, 'failed', last.error ? { error: last.error } : {});
	}
	// Some part may be on its way to the handset: never call that a failure.
	const accepted = outcomes.filter((o) => o.status === 'accepted').length;
	const detail = total > 1 ? ` (${accepted} of ${total} parts accepted before this)` : '';
	return result(PROVIDER, prepared.plan, to, 'unknown', {
		...(ids[0] !== undefined ? { messageId: ids[0], partMessageIds: ids } : {}),
		error: {
			code: last.error?.code ?? 'PARTIAL',
			message: `${last.error?.message ?? 'Not every part was accepted'}${detail}`,
			retryable: false,
		},
	});
}

export function createMxTelecomDriver(runtime: Runtime): ProviderDriver<MxPrepared> {
	const { config } = runtime;
	const formHeaders = { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'text/plain' };
	const credentials = (): FormPairs => [
		['user', latin9OrUtf8(config.username)],
		['pass', latin9OrUtf8(config.password)],
	];

	function isLegacy(options: MxTelecomOptions): boolean {
		if (options.endpoint === 'legacy') return true;
		if (options.endpoint === 'v1') return false;
		const url = new URL(config.baseUrl);
		// Gen B (section 1.1): the SMSSend interface on sms.mxtelecom.com; a base URL naming /SMSSend selects it too.
		return url.hostname.toLowerCase() === 'sms.mxtelecom.com' || /\/SMSSend$/i.test(url.pathname);
	}

	const errorFromStatus = (statusCode: number, text: string): ResultError => {
		const parsed = parseSingle(text);
		const reason = parsed && 'failure' in parsed ? parsed.failure : snippet(text);
		if (statusCode === 401 || statusCode === 403) {
			return { code: 'AUTH', message: `MX Telecom rejected the credentials (HTTP ${statusCode}): ${reason}`, retryable: false };
		}
		return { code: statusCode === 400 ? 'INVALID_REQUEST' : `HTTP_${statusCode}`, message: `MX Telecom refused the request (HTTP ${statusCode}): ${reason}`, retryable: false };
	};

	/** One single-send request (one recipient, one content): never resent once it may have arrived. */
	async function sendSingle(prepared: MxPrepared, to: string, content: FormPairs): Promise<PartOutcome> {
		const url = joinUrl(config.baseUrl, isLegacy(prepared.options) ? '/SMSSend' : '/sms/v1/send');
		const body = formEncode([...credentials(), ['smsto', to], ...content, ...prepared.shared]);
		await runtime.pace.take(1);
		const interpret = (outcome: HttpOutcome): Verdict<PartOutcome> => {
			if (!outcome.ok) return failureVerdict(outcome);
			const text = bodyText(outcome.body);
			if (outcome.statusCode >= 200 && outcome.statusCode <= 299) {
				const parsed = parseSingle(text);
				if (parsed && 'id' in parsed) return { kind: 'final', value: { status: 'accepted', id: parsed.id } };
				if (parsed) {
					return { kind: 'final', value: { status: 'failed', error: { code: 'REJECTED', message: `MX Telecom answered FAILURE: ${parsed.failure}`, retryable: false } } };
				}
				return {
					kind: 'final',
					value: {
						status: 'unknown',
						error: { code: 'UNPARSEABLE_RESPONSE', message: `MX Telecom answered HTTP ${outcome.statusCode} without an SMS id: ${snippet(text)}`, retryable: false },
					},
				};
			}
			const transient = transientStatus<PartOutcome>(outcome.statusCode, outcome.headers, snippet(text));
			if (transient) return transient;
			if (outcome.statusCode >= 400 && outcome.statusCode <= 499) {
				return { kind: 'final', value: { status: 'failed', error: errorFromStatus(outcome.statusCode, text) } };
			}
			return {
				kind: 'final',
				value: { status: 'unknown', error: { code: `HTTP_${outcome.statusCode}`, message: `Unexpected answer (HTTP ${outcome.statusCode}): ${snippet(text)}`, retryable: false } },
			};
		};
		return await retrying({
			ctx: runtime.ctx,
			policy: runtime.policy,
			idempotent: false,
			call: () => ({ method: 'POST', url, headers: formHeaders, body }),
			interpret,
			giveUp: (last) => {
				const { status, error } = givenUp(last);
				return { status: status === 'failed' ? 'failed' : 'unknown', error };
			},
		});
	}

	/** One bulksend request for a batch; the same submitid on every attempt. */
	async function sendBulk(prepared: MxPrepared, batch: string[], content: FormPairs): Promise<PartOutcome[]> {
		const url = joinUrl(config.baseUrl, '/sms/v1/bulksend');
		const submitId = randomUUID();
		const body = formEncode([...credentials(), ['smsto', batch.join('\n')], ...content, ...prepared.shared, ['submitid', submitId]]);
		const all = (outcome: PartOutcome) => batch.map(() => ({ ...outcome }));
		await runtime.pace.take(batch.length);
		const interpret = (outcome: HttpOutcome): Verdict<PartOutcome[]> => {
			if (!outcome.ok) return failureVerdict(outcome);
			const text = bodyText(outcome.body);
			if (outcome.statusCode >= 200 && outcome.statusCode <= 299) {
				const lines = parseBulk(text, batch);
				if (!lines) {
					// The same submitid replays the stored answer, so asking again is harmless.
					return { kind: 'transient', maybeSent: true, code: 'UNPARSEABLE_RESPONSE', message: `Unreadable bulksend answer: ${snippet(text)}` };
				}
				return {
					kind: 'final',
					value: batch.map((to): PartOutcome => {
						const line: LineOutcome | undefined = lines.get(to);
						if (!line) {
							return { status: 'unknown', error: { code: 'MISSING_IN_RESPONSE', message: 'The bulksend answer has no line for this recipient', retryable: false } };
						}
						if ('id' in line) return { status: 'accepted', id: line.id };
						return { status: 'failed', error: { code: 'REJECTED', message: `MX Telecom rejected this recipient: ${line.failure}`, retryable: false } };
					}),
				};
			}
			const transient = transientStatus<PartOutcome[]>(outcome.statusCode, outcome.headers, snippet(text));
			if (transient) return transient;
			if (outcome.statusCode >= 400 && outcome.statusCode <= 499) {
				return { kind: 'final', value: all({ status: 'failed', error: errorFromStatus(outcome.statusCode, text) }) };
			}
			return {
				kind: 'final',
				value: all({ status: 'unknown', error: { code: `HTTP_${outcome.statusCode}`, message: `Unexpected answer (HTTP ${outcome.statusCode}): ${snippet(text)}`, retryable: false } }),
			};
		};
		return await retrying({
			ctx: runtime.ctx,
			policy: runtime.policy,
			idempotent: true,
			call: () => ({ method: 'POST', url, headers: formHeaders, body }),
			interpret,
			giveUp: (last) => {
				const { status, error } = givenUp(last);
				return all({ status: status === 'failed' ? 'failed' : 'unknown', error });
			},
		});
	}

	/** Sends the parts in order; a recipient drops out at its first part that is not accepted. */
	async function sendParts(
		prepared: MxPrepared,
		recipients: string[],
		send: (alive: string[], content: FormPairs) => Promise<PartOutcome[]>,
	): Promise<RecipientResult[]> {
		const outcomes = new Map<string, PartOutcome[]>(recipients.map((to) => [to, []]));
		let alive = recipients;
		for (const content of prepared.contents) {
			if (alive.length === 0) break;
			const answers = await send(alive, content);
			alive = alive.filter((to, i) => {
				(outcomes.get(to) as PartOutcome[]).push(answers[i]);
				return answers[i].status === 'accepted';
			});
		}
		return recipients.map((to) => combine(prepared, to, outcomes.get(to) as PartOutcome[]));
	}

	const mms = createMxMms(runtime);

	return {
		name: PROVIDER,
		// contentRequests makes one request per binary part; sendParts sends them in order.
		sendsBinaryParts: true,
		prepare: (request, common, mode) => {
			const prepared = prepare(request, common, mode);
			requireCredentials(config, 'username', 'password');
			return prepared;
		},
		coalesceKey(prepared) {
			// Shared messages go out on bulksend, which neither the legacy interface nor perMessage uses.
			if (prepared.options.perMessage === true || isLegacy(prepared.options)) return undefined;
			return JSON.stringify([prepared.common.dryRun, prepared.contents.map(formPairsKey), formPairsKey(prepared.shared)]);
		},
		async deliver(prepared, recipients) {
			if (prepared.common.dryRun) {
				return recipients.map((to) => result(PROVIDER, prepared.plan, to, 'accepted', { dryRun: true }));
			}
			const bulk = prepared.mode === 'broadcast' && prepared.options.perMessage !== true && !isLegacy(prepared.options);
			if (bulk) {
				return await deliverInBatches(PROVIDER, prepared, recipients, batchLimits(runtime), async (batch) =>
					await sendParts(prepared, batch, async (alive, content) => await sendBulk(prepared, alive, content)),
				);
			}
			return await runPool(
				recipients,
				config.concurrency,
				async (to) => (await sendParts(prepared, [to], async (alive, content) => [await sendSingle(prepared, alive[0], content)]))[0],
				(to) => lostInClient(PROVIDER, prepared, to),
			);
		},
		sendMms: async (request) => await mms.send(request),
		retrieveMms: async (id) => await mms.retrieve(id),
		async getBalance() {
			throw noBalanceQuery();
		},
		async getStatus() {
			throw noStatusQuery();
		},
		async checkCredentials() {
			requireCredentials(config, 'username', 'password');
			// MX documents no credential check (section 1.4). The least costly honest probe: the send
			// endpoint with credentials but no recipient and no text, which cannot send anything.
			const outcome = await exchange(runtime.ctx, {
				method: 'POST',
				url: joinUrl(config.baseUrl, isLegacy({}) ? '/SMSSend' : '/sms/v1/send'),
				headers: formHeaders,
				body: formEncode(credentials()),
			});
			if (!outcome.ok) {
				throw gatewayError(runtime, PROVIDER, outcome.kind === 'timeout' ? 'TIMEOUT' : 'CONNECTION_FAILED', `MX Telecom could not be reached: ${outcome.message}`, true);
			}
			const text = bodyText(outcome.body);
			if (outcome.statusCode === 401 || outcome.statusCode === 403) {
				throw gatewayError(runtime, PROVIDER, 'AUTH', `MX Telecom rejected the credentials (HTTP ${outcome.statusCode}): ${snippet(text)}`, false, outcome.statusCode);
			}
			if (outcome.statusCode >= 500) {
				throw gatewayError(runtime, PROVIDER, `HTTP_${outcome.statusCode}`, `MX Telecom failed the probe (HTTP ${outcome.statusCode}): ${snippet(text)}`, true, outcome.statusCode);
			}
			return {
				provider: PROVIDER,
				verified: false,
				message:
					`MX Telecom has no credential-check endpoint, so the credentials cannot be confirmed without sending a message. ` +
					`A probe without recipient or text (which sends nothing) was answered HTTP ${outcome.statusCode}, not 403: the gateway did not reject them.`,
			};
		},
	};
}
