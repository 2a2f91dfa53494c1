/**
 * The contract between `createGatewayClient` and a provider module, and small helpers
 * for building normalised results.
 */
import type { DeliveryControl, Group } from './batching';
import type { ContentPlan } from './content';
import { GatewayError, cut, redactSecrets } from './errors';
import { chunk, runPool, type GiveUp, type RetryPolicy } from './engine';
import { paceChunk, type Pace } from './limits';
import type { ExchangeContext } from './transport';
import type {
	AccountBalance,
	CredentialCheck,
	GroupSendResult,
	MessageStatus,
	MmsSendResult,
	ProviderName,
	RecipientResult,
	RecipientStatus,
	ResultError,
	RetrievedMms,
	SendMmsRequest,
	SendRequest,
} from './types';
import type { ResolvedConfig } from './validation';

/** Fields every provider reads, already validated. */
export interface CommonFields {
	from?: string;
	schedule?: Date;
	validity?: number;
	maxParts?: number;
	deliveryReport?: boolean;
	clientReference?: string;
	flash: boolean;
	dryRun: boolean;
}

export interface Runtime {
	config: ResolvedConfig;
	ctx: ExchangeContext;
	policy: RetryPolicy;
	/** Max Messages per Second: every request books its messages before it leaves. */
	pace: Pace;
}

export type SendMode = 'send' | 'broadcast';

export interface PreparedSend {
	plan: ContentPlan;
	common: CommonFields;
	mode: SendMode;
}

export interface ProviderDriver<P extends PreparedSend = PreparedSend> {
	readonly name: ProviderName;
	/** True when the driver sends a binary message of several parts itself (MX); else contentParts.ts does, part by part. */
	readonly sendsBinaryParts?: boolean;
	/** Provider-specific checks and encoding; throws GatewayValidationError. Sends nothing. */
	prepare(request: SendRequest, common: CommonFields, mode: SendMode): P;
	/** Sends to unique, valid recipients; returns one result per recipient, same order. */
	deliver(prepared: P, recipients: string[]): Promise<RecipientResult[]>;
	/** Checks that need the recipients (GatewayAPI tag values); throws GatewayValidationError. Sends nothing. */
	checkRecipients?(prepared: P, recipients: string[]): void;
	/**
	 * The wire content as a key: two prepared messages with the same key may go out as one
	 * message to their recipients together. Undefined: this one is never shared.
	 */
	coalesceKey?(prepared: P): string | undefined;
	/** Sends many groups, packing several into one request where the gateway allows it (batching.ts). */
	deliverGroups?(groups: Array<Group<P>>, control: DeliveryControl): Promise<RecipientResult[][]>;
	sendMms(request: SendMmsRequest): Promise<MmsSendResult>;
	retrieveMms(id: string): Promise<RetrievedMms>;
	checkCredentials(): Promise<CredentialCheck>;
	/** Throws GatewayValidationError where the gateway has no balance call. */
	getBalance(): Promise<AccountBalance>;
	/** `messageId` is trimmed and non-empty, `to` normalised; throws where the gateway has no status call. */
	getStatus(messageId: string, to: string | undefined): Promise<MessageStatus[]>;
	/** Present where the gateway can address its own recipient groups (BulkSMS). */
	groups?: GroupAddressing<P>;
}

/** Sending to groups the gateway keeps and expands itself. */
export interface GroupAddressing<P extends PreparedSend> {
	/** The group ids as the gateway takes them; throws GatewayValidationError. Sends nothing. */
	parseIds(value: unknown): string[];
	/** One request to the groups; its one result. */
	deliver(prepared: P, groupIds: string[]): Promise<GroupSendResult>;
}

export function result(
	provider: ProviderName,
	plan: ContentPlan,
	to: string,
	status: RecipientStatus,
	extra: { messageId?: string; error?: ResultError; partMessageIds?: string[]; dryRun?: boolean } = {},
): RecipientResult {
	const out: RecipientResult = { to, status, parts: plan.parts, encoding: plan.encoding, provider };
	if (extra.messageId !== undefined) out.messageId = extra.messageId;
	if (extra.partMessageIds !== undefined) out.partMessageIds = extra.partMessageIds;
	if (extra.error !== undefined) out.error = extra.error;
	if (extra.dryRun) out.dryRun = true;
	return out;
}

/** A recipient whose request failed inside the client: it may have left, so it is never resent. */
export function lostInClient(provider: ProviderName, prepared: PreparedSend, to: string): RecipientResult {
	return result(provider, prepared.plan, to, 'unknown', {
		error: { code: 'INTERNAL', message: 'The request failed inside the client; it may have been sent', retryable: false },
	});
}

/** A client's bounds for `deliverInBatches`: batch size, batches in flight, messages per second. */
export function batchLimits(runtime: Runtime): { batchSize: number; concurrency: number; pace: Pace } {
	return { batchSize: runtime.config.batchSize, concurrency: runtime.config.concurrency, pace: runtime.pace };
}

/**
 * Sends recipients in batches of `batchSize`, `concurrency` batches at a time, keeping
 * input order. A batch whose sender throws reports its recipients `unknown`.
 */
export async function deliverInBatches<P extends PreparedSend>(
	provider: ProviderName,
	prepared: P,
	recipients: string[],
	limits: { batchSize: number; concurrency: number; pace?: Pace },
	sendBatch: (batch: string[]) => Promise<RecipientResult[]>,
): Promise<RecipientResult[]> {
	// With a pace, a request carries at most a tenth of a second's messages, so the rate holds over short windows.
	const size = Math.min(limits.batchSize, paceChunk(limits.pace));
	const perBatch = await runPool(chunk(recipients, size), limits.concurrency, sendBatch, (batch) =>
		batch.map((to) => lostInClient(provider, prepared, to)),
	);
	return perBatch.flat();
}

/** The status of a request given up on: `unknown` if it may have reached the gateway, else `failed` (retryable). */
export function givenUp(last: GiveUp): { status: RecipientStatus; error: ResultError } {
	if (last.maybeSent) {
		return {
			status: 'unknown',
			error: {
				code: last.code,
				message: `${last.message}; the gateway may or may not have accepted it, so it was not resent blindly (attempts: ${last.attempts})`,
				retryable: false,
			},
		};
	}
	return {
		status: 'failed',
		error: { code: last.code, message: `${last.message} (attempts: ${last.attempts}); nothing was accepted`, retryable: true },
	};
}

/** A GatewayError whose message has every configured secret redacted. */
export function gatewayError(
	runtime: Runtime,
	provider: ProviderName,
	code: string,
	message: string,
	retryable: boolean,
	statusCode?: number,
): GatewayError {
	return new GatewayError(provider, code, redactSecrets(message, runtime.ctx.secrets), retryable, statusCode);
}

/** Trims a gateway's body for an error message (secrets are redacted by the caller, cut heads included). */
export function snippet(text: string, max = 200): string {
	return cut(text.replace(/\s+/g, ' ').trim(), max);
}
