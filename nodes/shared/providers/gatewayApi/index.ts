/**
 * GatewayAPI REST client (gatewayapi-rest.md): `POST /rest/mtsms` with one message object
 * per request (at most 10,000 recipients each, section 5), `GET /rest/me` for the credential
 * check. GatewayAPI has no idempotency key, so a request that may have reached it is
 * never resent: its recipients are reported `unknown`.
 */
import { failureVerdict, transientStatus } from '../classify';
import { planContent, singleSegment } from '../content';
import { notSent, type DeliveryControl, type Group } from '../batching';
import {
	batchLimits,
	deliverInBatches,
	gatewayError,
	givenUp,
	lostInClient,
	result,
	snippet,
	type CommonFields,
	type PreparedSend,
	type ProviderDriver,
	type Runtime,
	type SendMode,
} from '../driver';
import { chunk, retrying, runPool, type Verdict } from '../engine';
import { GatewayValidationError } from '../errors';
import { bodyText, exchange, type HttpCall, type HttpOutcome } from '../transport';
import type { GatewayApiOptions, RecipientResult, SendRequest } from '../types';
import { paceChunk } from '../limits';
import { joinUrl, requireCredentials } from '../validation';
import { parseError, parseIds, parseMe } from './response';
import { gatewayApiBalance, gatewayApiDeliveryStatus } from './status';

const PROVIDER = 'gatewayApi';
const CLASSES = ['standard', 'premium', 'secret', 'charge'];
const PRIORITIES = ['BULK', 'NORMAL', 'URGENT', 'VERY_URGENT'];

/** A refused request is split and sent again only for these codes: each names one recipient or message (docs/batching.md). */
const SPLIT_ON = new Set(['0x0214', '0x0215', '0x0310', '0x1903', '0x1904']);
/** Bounds of one list-root request besides the recipients: a lost answer should not cost more than this. */
const MAX_OBJECTS_PER_REQUEST = 1_000;
const MAX_BODY_CHARS = 2 * 1024 * 1024;

/** One message object of a request, serialised once. */
interface MessageObject {
	prepared: GatewayApiPrepared;
	recipients: string[];
	json: string;
}

interface GatewayApiPrepared extends PreparedSend {
	/** The message object without `recipients`. */
	template: Record<string, unknown>;
	tagValues?: Record<string, string[]>;
}

function base64(bytes: Uint8Array): string {
	let binary = '';
	for (const b of bytes) binary += String.fromCharCode(b);
	return btoa(binary);
}

/**
 * The `udh` field from a UDH with its length octet. GatewayAPI's docs leave open whether
 * the field carries that octet: their only example (`BQQLhCPw` = `05 04 0B 84 23 F0`) has
 * none, so it is left out unless `include` is asked for (docs/providers.md).
 */
function gatewayUdh(udh: Uint8Array, form: GatewayApiOptions['udhLengthOctet']): Uint8Array {
	if (form !== undefined && form !== 'omit' && form !== 'include') {
		throw new GatewayValidationError('providerOptions.gatewayApi.udhLengthOctet', "udhLengthOctet must be 'omit' or 'include'");
	}
	return form === 'include' ? udh : udh.subarray(1);
}

function optionString(value: unknown, field: string, max?: number): string | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	if (typeof value !== 'string') throw new GatewayValidationError(field, `${field} must be text`);
	if (max !== undefined && value.length > max) throw new GatewayValidationError(field, `${field} is ${value.length} characters long; at most ${max} are allowed`);
	return value;
}

function prepare(request: SendRequest, common: CommonFields, mode: SendMode): GatewayApiPrepared {
	const options: GatewayApiOptions = request.providerOptions?.gatewayApi ?? {};
	const plan = planContent(request, common.maxParts !== undefined ? { maxParts: common.maxParts } : {});
	const template: Record<string, unknown> = {};
	if (plan.kind === 'binary') {
		const segment = singleSegment(plan);
		template.payload = base64(segment.payload);
		const udh = gatewayUdh(segment.udh, options.udhLengthOctet);
		if (udh.length > 0) template.udh = base64(udh);
	} else {
		template.message = plan.text;
		// section 9: "UTF8" is the name GatewayAPI gives GSM 03.38 on the wire.
		template.encoding = plan.encoding === 'gsm7' ? 'UTF8' : 'UCS2';
	}
	if (common.from !== undefined) template.sender = common.from;
	if (common.clientReference !== undefined) template.userref = common.clientReference;
	if (common.schedule !== undefined) template.sendtime = Math.floor(common.schedule.getTime() / 1000);
	if (common.validity !== undefined) template.validity_period = common.validity;
	if (common.flash) template.destaddr = 'DISPLAY';
	const cls = optionString(options.class, 'providerOptions.gatewayApi.class');
	if (cls !== undefined) {
		if (!CLASSES.includes(cls)) throw new GatewayValidationError('providerOptions.gatewayApi.class', `class must be one of ${CLASSES.join(', ')}`);
		template.class = cls;
	}
	const label = optionString(options.label, 'providerOptions.gatewayApi.label');
	if (label !== undefined) template.label = label;
	const callbackUrl = optionString(options.callbackUrl, 'providerOptions.gatewayApi.callbackUrl');
	if (callbackUrl !== undefined) {
		if (!/^https?:\/\//i.test(callbackUrl) || !URL.canParse(callbackUrl)) {
			throw new GatewayValidationError('providerOptions.gatewayApi.callbackUrl', 'callbackUrl must be an http:// or https:// URL');
		}
		template.callback_url = callbackUrl;
	}
	if (options.priority !== undefined) {
		if (!PRIORITIES.includes(options.priority)) throw new GatewayValidationError('providerOptions.gatewayApi.priority', `priority must be one of ${PRIORITIES.join(', ')}`);
		template.priority = options.priority;
	}
	if (options.recipientsUsage === true) template.extra_details = 'recipients_usage';
	const prepared: GatewayApiPrepared = { plan, common, mode, template };
	if (options.tags !== undefined) {
		if (!Array.isArray(options.tags) || options.tags.some((t) => typeof t !== 'string' || t === '')) {
			throw new GatewayValidationError('providerOptions.gatewayApi.tags', 'tags must be a list of non-empty strings');
		}
		if (plan.kind === 'binary') throw new GatewayValidationError('providerOptions.gatewayApi.tags', 'tags cannot be used with a binary payload (gatewayapi-rest.md section 3.2)');
		if (options.tags.length > 0) {
			template.tags = options.tags;
			prepared.tagValues = options.tagValues ?? {};
		}
	}
	// section 3.2: max_parts caps what is sent and charged; not usable with tags or binary SMS.
	if (common.maxParts !== undefined && plan.kind === 'text') {
		if (template.tags !== undefined) {
			throw new GatewayValidationError('maxParts', 'maxParts cannot be combined with tags on GatewayAPI: the substituted text length is only known to the gateway');
		}
		template.max_parts = common.maxParts;
	}
	return prepared;
}

function recipientObjects(prepared: GatewayApiPrepared, batch: string[]): Array<Record<string, unknown>> {
	const tags = prepared.template.tags as string[] | undefined;
	return batch.map((msisdn) => {
		// section 3.3: msisdn is an integer; 15 digits stay below Number.MAX_SAFE_INTEGER.
		const recipient: Record<string, unknown> = { msisdn: Number(msisdn) };
		if (tags) {
			const values = prepared.tagValues?.[msisdn];
			if (!Array.isArray(values) || values.length !== tags.length) {
				throw new GatewayValidationError(
					'providerOptions.gatewayApi.tagValues',
					`Recipient ${msisdn} needs exactly ${tags.length} tag values (one per tag, in order)`,
				);
			}
			recipient.tagvalues = values.map(String);
		}
		return recipient;
	});
}

export function createGatewayApiDriver(runtime: Runtime): ProviderDriver<GatewayApiPrepared> {
	const { config } = runtime;
	const headers = () => ({
		Authorization: `Token ${config.token}`,
		Accept: 'application/json',
	});

	/**
	 * What one answer means for every message object of the request. A 2xx answer's `ids`
	 * has one id per object, in order (section 3.5); with fewer, the rest are accepted
	 * without an id (200 means accepted, section 3.6).
	 */
	function interpret(objects: MessageObject[]) {
		const all = (status: RecipientResult['status'], extra: Parameters<typeof result>[4] = {}) =>
			objects.map((o) => o.recipients.map((to) => result(PROVIDER, o.prepared.plan, to, status, extra)));
		return (outcome: HttpOutcome): Verdict<RecipientResult[][]> => {
			if (!outcome.ok) return failureVerdict(outcome);
			const text = bodyText(outcome.body);
			const { statusCode } = outcome;
			if (statusCode >= 200 && statusCode <= 299) {
				const ids = parseIds(text) ?? [];
				return {
					kind: 'final',
					value: objects.map((o, k) =>
						o.recipients.map((to) =>
							result(PROVIDER, o.prepared.plan, to, o.prepared.common.schedule ? 'scheduled' : 'accepted', ids[k] !== undefined ? { messageId: ids[k] } : {}),
						),
					),
				};
			}
			const parsed = parseError(text);
			const detail = [parsed.code, parsed.message ?? snippet(text), parsed.incidentUuid ? `incident ${parsed.incidentUuid}` : undefined]
				.filter(Boolean)
				.join(', ');
			const transient = transientStatus<RecipientResult[][]>(statusCode, outcome.headers, detail);
			if (transient) return transient;
			if (statusCode >= 400 && statusCode <= 499) {
				const auth = statusCode === 401 || statusCode === 403;
				return {
					kind: 'final',
					value: all('failed', {
						error: {
							code: parsed.code ?? (auth ? 'AUTH' : `HTTP_${statusCode}`),
							message: `GatewayAPI refused the request (HTTP ${statusCode}): ${detail}`,
							retryable: false,
						},
					}),
				};
			}
			return {
				kind: 'final',
				value: all('unknown', {
					error: { code: `HTTP_${statusCode}`, message: `Unexpected answer (HTTP ${statusCode}): ${snippet(text)}`, retryable: false },
				}),
			};
		};
	}

	/** One POST /rest/mtsms: a single object as the root, several as a list (section 3.1). Never resent once it may have arrived. */
	async function sendObjects(objects: MessageObject[]): Promise<RecipientResult[][]> {
		const bodies = objects.map((o) => o.json);
		const body = bodies.length === 1 ? bodies[0] : `[${bodies.join(',')}]`;
		const call: HttpCall = {
			method: 'POST',
			url: joinUrl(config.baseUrl, '/rest/mtsms'),
			headers: { ...headers(), 'Content-Type': 'application/json' },
			body,
		};
		await runtime.pace.take(objects.reduce((n, o) => n + o.recipients.length, 0));
		const answers = await retrying({
			ctx: runtime.ctx,
			policy: runtime.policy,
			idempotent: false,
			call: () => call,
			interpret: interpret(objects),
			giveUp: (last) => {
				const { status, error } = givenUp(last);
				return objects.map((o) => o.recipients.map((to) => result(PROVIDER, o.prepared.plan, to, status, { error })));
			},
		});
		// A refusal that names one message fails the whole list; nothing was accepted, so each half goes again.
		const code = answers[0]?.[0]?.status === 'failed' ? answers[0][0].error?.code : undefined;
		if (objects.length > 1 && code !== undefined && SPLIT_ON.has(code.toLowerCase())) {
			const half = Math.ceil(objects.length / 2);
			return [...(await sendObjects(objects.slice(0, half))), ...(await sendObjects(objects.slice(half)))];
		}
		return answers;
	}

	async function sendBatch(prepared: GatewayApiPrepared, batch: string[]): Promise<RecipientResult[]> {
		return (await sendObjects([messageObject(prepared, batch)]))[0];
	}

	/** Many groups over list-root requests: packed by class and label (G10), bounded in objects, recipients and bytes. */
	async function deliverGroups(groups: Array<Group<GatewayApiPrepared>>, control: DeliveryControl): Promise<RecipientResult[][]> {
		const perRequest = Math.min(config.batchSize, paceChunk(runtime.pace));
		const objects: Array<MessageObject & { group: number }> = [];
		const out: RecipientResult[][] = groups.map(() => []);
		groups.forEach((group, g) => {
			if (group.prepared.common.dryRun) {
				const status = group.prepared.common.schedule ? 'scheduled' : 'accepted';
				out[g] = group.recipients.map((to) => result(PROVIDER, group.prepared.plan, to, status, { dryRun: true }));
				return;
			}
			for (const slice of chunk(group.recipients, perRequest)) objects.push({ ...messageObject(group.prepared, slice), group: g });
		});
		const requests: Array<typeof objects> = [];
		const open = new Map<string, { objects: typeof objects; recipients: number; bytes: number }>();
		for (const object of objects) {
			const key = JSON.stringify([object.prepared.template.class ?? null, object.prepared.template.label ?? null]);
			let current = open.get(key);
			const fits =
				current !== undefined &&
				current.objects.length < MAX_OBJECTS_PER_REQUEST &&
				current.recipients + object.recipients.length <= perRequest &&
				current.bytes + object.json.length <= MAX_BODY_CHARS;
			if (!current || !fits) {
				current = { objects: [], recipients: 0, bytes: 0 };
				open.set(key, current);
				requests.push(current.objects);
			}
			current.objects.push(object);
			current.recipients += object.recipients.length;
			current.bytes += object.json.length + 1;
		}
		const answered = await runPool(
			requests,
			control.concurrency,
			async (request) => {
				if (control.stopped()) return request.map((o) => o.recipients.map((to) => notSent(PROVIDER, o.prepared, to)));
				const answers = await sendObjects(request);
				control.settled(answers.flat());
				return answers;
			},
			(request) => request.map((o) => o.recipients.map((to) => lostInClient(PROVIDER, o.prepared, to))),
		);
		requests.forEach((request, r) => request.forEach((object, k) => out[object.group].push(...answered[r][k])));
		return out;
	}

	function messageObject(prepared: GatewayApiPrepared, recipients: string[]): MessageObject {
		return { prepared, recipients, json: JSON.stringify({ ...prepared.template, recipients: recipientObjects(prepared, recipients) }) };
	}

	return {
		name: PROVIDER,
		prepare: (request, common, mode) => {
			const prepared = prepare(request, common, mode);
			requireCredentials(config, 'token');
			return prepared;
		},
		checkRecipients(prepared, recipients) {
			if (prepared.template.tags) recipientObjects(prepared, recipients);
		},
		coalesceKey(prepared) {
			// Tag values are per recipient of one item: such a message object is never shared.
			if (prepared.template.tags) return undefined;
			return JSON.stringify([prepared.common.dryRun, prepared.common.schedule?.getTime() ?? null, prepared.template]);
		},
		deliverGroups,
		async deliver(prepared, recipients) {
			// Tag values are checked for every recipient before the first request leaves.
			if (prepared.template.tags) recipientObjects(prepared, recipients);
			if (prepared.common.dryRun) {
				return recipients.map((to) => result(PROVIDER, prepared.plan, to, prepared.common.schedule ? 'scheduled' : 'accepted', { dryRun: true }));
			}
			return await deliverInBatches(PROVIDER, prepared, recipients, batchLimits(runtime), async (batch) => await sendBatch(prepared, batch));
		},
		async sendMms() {
			throw new GatewayValidationError('provider', 'GatewayAPI does not offer MMS here; MMS needs the MX Telecom provider');
		},
		async retrieveMms() {
			throw new GatewayValidationError('provider', 'GatewayAPI does not offer MMS here; MMS needs the MX Telecom provider');
		},
		getBalance: async () => await gatewayApiBalance(runtime),
		getStatus: async (messageId, to) => await gatewayApiDeliveryStatus(runtime, messageId, to),
		async checkCredentials() {
			requireCredentials(config, 'token');
			const outcome = await exchange(runtime.ctx, { method: 'GET', url: joinUrl(config.baseUrl, '/rest/me'), headers: headers() });
			if (!outcome.ok) {
				throw gatewayError(runtime, PROVIDER, outcome.kind === 'timeout' ? 'TIMEOUT' : 'CONNECTION_FAILED', `GatewayAPI could not be reached: ${outcome.message}`, true);
			}
			const text = bodyText(outcome.body);
			if (outcome.statusCode === 200) {
				const me = parseMe(text);
				return {
					provider: PROVIDER,
					verified: true,
					message: `GatewayAPI accepted the token${me.credit !== undefined ? ` (credit ${me.credit}${me.currency ? ' ' + me.currency : ''})` : ''}`,
					...(me.credit !== undefined ? { balance: me.credit } : {}),
					...(me.currency !== undefined ? { currency: me.currency } : {}),
				};
			}
			const parsed = parseError(text);
			const auth = outcome.statusCode === 401 || outcome.statusCode === 403;
			throw gatewayError(
				runtime,
				PROVIDER,
				auth ? 'AUTH' : `HTTP_${outcome.statusCode}`,
				`GatewayAPI ${auth ? 'rejected the token' : 'answered the credential check with an error'} (HTTP ${outcome.statusCode}${parsed.code ? ', ' + parsed.code : ''}): ${parsed.message ?? snippet(text)}`,
				!auth && outcome.statusCode >= 500,
				outcome.statusCode,
			);
		},
	};
}
