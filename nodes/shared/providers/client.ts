/**
 * `createGatewayClient`: validates the configuration, then runs every call through the
 * same steps: validate the request (nothing is sent on any error), let the provider
 * module encode and deliver it, and assemble exactly one result per recipient in input
 * order with every error message redacted.
 */
import { coalesce, deliverEachGroup, isRefusal, resultsByUnit, type DeliveryControl, type Unit } from './batching';
import { createBulkSmsDriver } from './bulkSms';
import { withContentParts } from './contentParts';
import type { CommonFields, PreparedSend, ProviderDriver, Runtime, SendMode } from './driver';
import { GatewayValidationError, SendManyItemError, configSecrets, redactSecrets } from './errors';
import { createGatewayApiDriver } from './gatewayApi';
import { createPace, createSlots, paceChunk } from './limits';
import { createMxTelecomDriver } from './mxTelecom';
import { fetchTransport } from './transport';
import type {
	GatewayClient,
	GatewayConfig,
	GatewayTransport,
	GroupSendRequest,
	GroupSendResult,
	MessageStatus,
	MmsSendResult,
	ProviderName,
	RecipientResult,
	SendManyOptions,
	SendManyOutcome,
	SendRequest,
	StatusQuery,
} from './types';
import {
	normaliseMsisdn,
	parseRecipients,
	type RecipientList,
	parseSchedule,
	resolveConfig,
	validateMaxParts,
	validateOriginator,
	validateValidity,
} from './validation';

const DRIVERS: Record<ProviderName, (runtime: Runtime) => ProviderDriver> = {
	mxTelecom: createMxTelecomDriver,
	bulkSms: createBulkSmsDriver,
	gatewayApi: createGatewayApiDriver,
};

interface Validated {
	recipients: RecipientList;
	prepared: PreparedSend;
	/** The valid recipients, each once, in input order. */
	unique: string[];
}


function optionalBoolean(value: unknown, field: string): boolean | undefined {
	if (value === undefined || value === null) return undefined;
	if (typeof value !== 'boolean') throw new GatewayValidationError(field, `${field} must be true or false`);
	return value;
}

function commonFields(request: SendRequest, provider: ProviderName): CommonFields {
	const clientReference = request.clientReference;
	if (clientReference !== undefined && clientReference !== null && typeof clientReference !== 'string') {
		throw new GatewayValidationError('clientReference', 'clientReference must be text');
	}
	const common: CommonFields = {
		flash: optionalBoolean(request.flash, 'flash') === true,
		dryRun: optionalBoolean(request.dryRun, 'dryRun') === true,
	};
	const from = validateOriginator(request.from, provider);
	if (from !== undefined) common.from = from;
	const schedule = parseSchedule(request.scheduleAt);
	if (schedule !== undefined) common.schedule = schedule;
	const validity = validateValidity(request.validity);
	if (validity !== undefined) common.validity = validity;
	const maxParts = validateMaxParts(request.maxParts);
	if (maxParts !== undefined) common.maxParts = maxParts;
	const deliveryReport = optionalBoolean(request.deliveryReport, 'deliveryReport');
	if (deliveryReport !== undefined) common.deliveryReport = deliveryReport;
	if (typeof clientReference === 'string' && clientReference !== '') common.clientReference = clientReference;
	return common;
}

/** Creates a client for one gateway account. Throws GatewayValidationError for a bad configuration. */
export function createGatewayClient(config: GatewayConfig, transport: GatewayTransport = fetchTransport): GatewayClient {
	const resolved = resolveConfig(config);
	if (typeof transport !== 'function') {
		throw new GatewayValidationError('transport', 'The transport must be a function (options) => Promise<{ statusCode, headers, body }>');
	}
	const secrets = configSecrets(resolved);
	const runtime: Runtime = {
		config: resolved,
		// Every exchange of this client holds one of `concurrency` slots, however the call nests pools.
		ctx: { transport, timeoutMs: resolved.timeoutMs, secrets, slots: createSlots(resolved.concurrency) },
		policy: resolved.retry,
		pace: createPace(resolved.maxPerSecond),
	};
	const driver = withContentParts(DRIVERS[resolved.provider](runtime));

	const clean = <T extends { error?: { message: string } }>(item: T): T => {
		if (item.error) item.error = { ...item.error, message: redactSecrets(item.error.message, secrets) } as T['error'] & { message: string };
		return item;
	};

	/** Everything that can refuse a request, before anything is sent. */
	function validate(request: SendRequest, mode: SendMode): Validated {
		if (!request || typeof request !== 'object') {
			throw new GatewayValidationError('request', 'The send request must be an object');
		}
		const common = commonFields(request, resolved.provider);
		const recipients = parseRecipients(request.to, { skipInvalid: request.skipInvalidRecipients === true });
		const prepared = driver.prepare(request, common, mode);
		const unique = recipients.entries.map((e) => e.msisdn);
		if (unique.length > 0) driver.checkRecipients?.(prepared, unique);
		return { recipients, prepared, unique };
	}

	/** One result per recipient as given (duplicates collapsed, invalid ones failed), in input order. */
	function assemble({ recipients, prepared }: Validated, delivered: RecipientResult[]): RecipientResult[] {
		const byPosition: Array<{ position: number; result: RecipientResult }> = [];
		recipients.entries.forEach((entry, i) => {
			const found = delivered[i];
			// Defensive: a module must return one result per recipient; anything missing is unknown, never dropped.
			const item: RecipientResult =
				found && found.to === entry.msisdn
					? found
					: {
							to: entry.msisdn,
							status: 'unknown',
							parts: prepared.plan.parts,
							encoding: prepared.plan.encoding,
							provider: resolved.provider,
							error: { code: 'INTERNAL', message: 'No result was recorded for this recipient', retryable: false },
						};
			if (entry.duplicates > 0) item.duplicates = entry.duplicates;
			byPosition.push({ position: entry.position, result: clean(item) });
		});
		for (const bad of recipients.invalid) {
			byPosition.push({
				position: bad.position,
				result: {
					to: bad.input,
					status: 'failed',
					parts: prepared.plan.parts,
					encoding: prepared.plan.encoding,
					provider: resolved.provider,
					error: { code: 'INVALID_MSISDN', message: bad.message, retryable: false },
				},
			});
		}
		byPosition.sort((a, b) => a.position - b.position);
		return byPosition.map((p) => p.result);
	}

	async function run(request: SendRequest, mode: SendMode): Promise<RecipientResult[]> {
		const validated = validate(request, mode);
		const delivered = validated.unique.length > 0 ? await driver.deliver(validated.prepared, validated.unique) : [];
		return assemble(validated, delivered);
	}

	/** `validate` for one row of sendMany: what it threw, as an Error, instead of throwing. */
	function tryValidate(request: SendRequest): Validated | Error {
		try {
			return validate(request, 'send');
		} catch (error) {
			return error instanceof Error ? error : new Error(String(error));
		}
	}

	async function sendMany(requests: SendRequest[], options: SendManyOptions = {}): Promise<SendManyOutcome[]> {
		if (!Array.isArray(requests)) throw new GatewayValidationError('requests', 'sendMany takes a list of send requests');
		const perItem = options.batching === 'perItem';
		const outcomes = new Array<SendManyOutcome>(requests.length);
		const validated = new Map<Unit, Validated>();
		const units: Unit[] = [];
		// 1. Validate every request: with `stop`, the first invalid one throws and nothing is sent.
		for (let index = 0; index < requests.length; index++) {
			const v = tryValidate(requests[index]);
			if (v instanceof Error && options.invalidRequests !== 'report') throw new SendManyItemError(index, v);
			if (v instanceof Error) {
				outcomes[index] = { error: v };
				continue;
			}
			const unit: Unit = { index, prepared: v.prepared, recipients: v.unique };
			validated.set(unit, v);
			units.push(unit);
		}
		// 2. Group and deliver. One request per item keeps today's order: one at a time, nothing shared.
		let stopped = false;
		const control: DeliveryControl = {
			concurrency: perItem ? 1 : resolved.concurrency,
			stopped: () => stopped,
			settled: (results) => {
				if (options.stopOnRefusal === true && results.some(isRefusal)) stopped = true;
			},
		};
		const sending = units.filter((unit) => unit.recipients.length > 0);
		const maxRecipients = Math.min(resolved.batchSize, paceChunk(runtime.pace));
		const groups = perItem
			? sending.map((unit) => ({ prepared: unit.prepared, units: [unit], recipients: [...unit.recipients] }))
			: coalesce(sending, (prepared) => driver.coalesceKey?.(prepared), maxRecipients);
		const perGroup =
			!perItem && driver.deliverGroups ? await driver.deliverGroups(groups, control) : await deliverEachGroup(driver)(groups, control);
		const byUnit = resultsByUnit(resolved.provider, groups, perGroup);
		// 3. Back to the requests, in input order.
		for (const unit of units) outcomes[unit.index] = { results: assemble(validated.get(unit) as Validated, byUnit.get(unit) ?? []) };
		return outcomes;
	}

	/** Status of a sent message by its id: the id and the recipient filter are checked before anything is sent. */
	async function getStatus(messageId: string, query: StatusQuery = {}): Promise<MessageStatus[]> {
		if (typeof messageId !== 'string' && typeof messageId !== 'number') {
			throw new GatewayValidationError('messageId', 'The message id must be text: the messageId a send returned');
		}
		const id = String(messageId).trim();
		if (id === '') throw new GatewayValidationError('messageId', 'The message id is empty: give the messageId a send returned');
		if (query === null || typeof query !== 'object') throw new GatewayValidationError('query', 'The status query options must be an object ({ to? })');
		const to = query.to === undefined || query.to === null || String(query.to).trim() === '' ? undefined : normaliseMsisdn(String(query.to));
		return await driver.getStatus(id, to);
	}

	/** One text to gateway-kept groups: one request, one result (BulkSMS only). */
	async function broadcastToGroups(request: GroupSendRequest): Promise<GroupSendResult> {
		if (!request || typeof request !== 'object') throw new GatewayValidationError('request', 'The send request must be an object');
		const groups = driver.groups;
		if (!groups) {
			throw new GatewayValidationError(
				'groupIds',
				`Phone-book groups exist only on BulkSMS; this account's provider is ${resolved.provider}, which has none: send to phone numbers instead`,
			);
		}
		const groupIds = groups.parseIds(request.groupIds);
		const asSend: SendRequest = { ...request, to: [] };
		const prepared = driver.prepare(asSend, commonFields(asSend, resolved.provider), 'broadcast');
		return clean(await groups.deliver(prepared, groupIds));
	}

	return {
		provider: resolved.provider,
		send: async (request) => await run(request, 'send'),
		broadcast: async (request) => await run(request, 'broadcast'),
		sendMms: async (request): Promise<MmsSendResult> => clean(await driver.sendMms(request)),
		retrieveMms: async (id) => await driver.retrieveMms(id),
		checkCredentials: async () => await driver.checkCredentials(),
		getBalance: async () => await driver.getBalance(),
		getStatus,
		broadcastToGroups,
		sendMany,
	};
}
