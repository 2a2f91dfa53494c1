/**
 * `createGatewayClient`: validates the configuration, then runs every call through the
 * same steps: validate the request (nothing is sent on any error), let the provider
 * module encode and deliver it, and assemble exactly one result per recipient in input
 * order with every error message redacted.
 */
import { createBulkSmsDriver } from './bulkSms';
import type { CommonFields, ProviderDriver, Runtime, SendMode } from './driver';
import { GatewayValidationError, configSecrets, redactSecrets } from './errors';
import { createGatewayApiDriver } from './gatewayApi';
import { createMxTelecomDriver } from './mxTelecom';
import { fetchTransport } from './transport';
import type {
	GatewayClient,
	GatewayConfig,
	GatewayTransport,
	MmsSendResult,
	ProviderName,
	RecipientResult,
	SendRequest,
} from './types';
import {
	parseRecipients,
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
		ctx: { transport, timeoutMs: resolved.timeoutMs, secrets },
		policy: resolved.retry,
	};
	const driver = DRIVERS[resolved.provider](runtime);

	const clean = <T extends { error?: { message: string } }>(item: T): T => {
		if (item.error) item.error = { ...item.error, message: redactSecrets(item.error.message, secrets) } as T['error'] & { message: string };
		return item;
	};

	async function run(request: SendRequest, mode: SendMode): Promise<RecipientResult[]> {
		if (!request || typeof request !== 'object') {
			throw new GatewayValidationError('request', 'The send request must be an object');
		}
		const common = commonFields(request, resolved.provider);
		const recipients = parseRecipients(request.to, { skipInvalid: request.skipInvalidRecipients === true });
		const prepared = driver.prepare(request, common, mode);
		const unique = recipients.entries.map((e) => e.msisdn);
		const delivered = unique.length > 0 ? await driver.deliver(prepared, unique) : [];
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

	return {
		provider: resolved.provider,
		send: async (request) => await run(request, 'send'),
		broadcast: async (request) => await run(request, 'broadcast'),
		sendMms: async (request): Promise<MmsSendResult> => clean(await driver.sendMms(request)),
		retrieveMms: async (id) => await driver.retrieveMms(id),
		checkCredentials: async () => await driver.checkCredentials(),
	};
}
