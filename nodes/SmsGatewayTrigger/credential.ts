/**
 * The trigger's credential: read at most once per push, and for most pushes not at all.
 *
 * Inside webhook(), every `getCredentials()` makes n8n build a fresh expression isolate
 * (tens of ms of CPU), whether or not a credential field holds an expression
 * (docs/webhook-throughput.md). The credential changes only when someone edits it, so what
 * n8n returned is kept in this module's memory and reused by later pushes to the same node:
 * - keyed by workflow, node and credential id: a node only gets back what n8n gave that
 *   same node, and pointing the node at another credential is a new key;
 * - reused for at most CREDENTIAL_TTL_MS from the start of the read, so an edit is seen
 *   within that time; a push refused against a reused copy may re-read it once (reread),
 *   so a just-changed secret or MMS password is not refused for the TTL;
 * - pushes arriving together while no copy is kept share one read;
 * - test runs ("Listen for test event") always read afresh and leave the memory alone;
 * - bounded to MAX_CACHED_CREDENTIALS entries and forgotten when the node is activated or
 *   deactivated in this process.
 * n8n forbids timers in node code, so expiry is checked against Date.now() on use.
 * The trade-off is written down in docs/events.md (Credential reads).
 */
import {
	NodeOperationError,
	type ICredentialDataDecryptedObject,
	type ICredentialsDecrypted,
	type INode,
	type IWebhookFunctions,
} from 'n8n-workflow';

import type { ProviderName } from '../shared/providers/types';

export const CREDENTIAL_TYPE = 'smsGatewayApi';

/** How long a credential read in webhook() is reused. An edit takes effect within this. */
export const CREDENTIAL_TTL_MS = 10_000;
/**
 * A refusal re-reads a reused copy only when it is at least this old, so a flood of pushes
 * with wrong secrets costs at most one read per second per node.
 */
export const RECHECK_AFTER_MS = 1_000;
/** Bound on kept credentials (one per trigger node and credential in this process). */
export const MAX_CACHED_CREDENTIALS = 1_000;

export type CredentialData = Readonly<ICredentialDataDecryptedObject>;

const PROVIDERS: readonly ProviderName[] = ['mxTelecom', 'bulkSms', 'gatewayApi'];

export function providerOf(context: { getNode(): INode }, credentials: CredentialData): ProviderName {
	const provider = credentials.provider;
	if (typeof provider !== 'string' || !(PROVIDERS as readonly string[]).includes(provider)) {
		throw new NodeOperationError(context.getNode(), `The credential's provider ${JSON.stringify(provider)} is not one this trigger knows`);
	}
	return provider as ProviderName;
}

interface Entry {
	readonly startedAt: number;
	readonly data: Promise<CredentialData>;
}

/** Credentials by key, each with the time its read started. Holds no timers. */
export class CredentialCache {
	private readonly entries = new Map<string, Entry>();

	constructor(
		private readonly ttlMs = CREDENTIAL_TTL_MS,
		private readonly maxEntries = MAX_CACHED_CREDENTIALS,
	) {}

	get size(): number {
		return this.entries.size;
	}

	private live(entry: Entry, now: number): boolean {
		// A clock that went backwards makes the entry expire rather than live longer.
		return now >= entry.startedAt && now - entry.startedAt < this.ttlMs;
	}

	/**
	 * Drops expired and surplus entries. Insertion order is start order, so they are at the
	 * front. With no timers allowed, this runs whenever any node of this process looks up or
	 * reads its credential: an expired copy does not outlive the next push by much.
	 */
	private sweep(now: number): void {
		for (const [key, entry] of this.entries) {
			if (this.entries.size <= this.maxEntries && this.live(entry, now)) break;
			this.entries.delete(key);
		}
	}

	/** The key's entry while it is younger than the TTL (its read may still be running). */
	find(key: string, now: number): Entry | undefined {
		this.sweep(now);
		const entry = this.entries.get(key);
		if (entry === undefined) return undefined;
		if (this.live(entry, now)) return entry;
		this.entries.delete(key);
		return undefined;
	}

	/** Starts a read and keeps it as the key's entry; a read that fails is not kept. */
	start(key: string, now: number, read: () => Promise<ICredentialDataDecryptedObject>): Entry {
		const data = read().then((value) => Object.freeze({ ...value }));
		const entry: Entry = { startedAt: now, data };
		this.entries.delete(key);
		this.entries.set(key, entry);
		data.catch(() => {
			if (this.entries.get(key) === entry) this.entries.delete(key);
		});
		this.sweep(now);
		return entry;
	}

	/** Forgets every entry whose key starts with `prefix`. */
	forget(prefix: string): void {
		for (const key of [...this.entries.keys()]) {
			if (key.startsWith(prefix)) this.entries.delete(key);
		}
	}
}

const cache = new CredentialCache();

const nodePrefix = (workflowId: string | undefined, nodeId: string): string => `${workflowId ?? ''}\u0000${nodeId}\u0000`;

/** Forgets a node's kept credential (on activation and deactivation). */
export function forgetCredential(workflowId: string | undefined, nodeId: string): void {
	cache.forget(nodePrefix(workflowId, nodeId));
}

function sameCredential(a: CredentialData, b: CredentialData): boolean {
	const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
	for (const key of keys) {
		if (a[key] !== b[key] && JSON.stringify(a[key]) !== JSON.stringify(b[key])) return false;
	}
	return true;
}

/**
 * The credential of one push. `get()` gives the kept copy or reads it; `reread()` reads it
 * again after a refusal. Together they call n8n's getCredentials() at most once per push.
 */
export class PushCredential {
	private readonly node: INode;
	private readonly key: string | undefined;
	private entry: Entry | undefined;
	private current: CredentialData | undefined;
	/** Whether this push has called getCredentials() (or will, through a read it started). */
	private readHere = false;
	private rereadTried = false;

	constructor(
		private readonly context: IWebhookFunctions,
		private readonly store: CredentialCache = cache,
	) {
		this.node = context.getNode();
		const id = this.node.credentials?.[CREDENTIAL_TYPE]?.id;
		const manual = context.getMode() === 'manual';
		this.key = manual || !id ? undefined : `${nodePrefix(context.getWorkflow().id, this.node.id)}${id}`;
	}

	private async read(): Promise<ICredentialDataDecryptedObject> {
		this.readHere = true;
		return await this.context.getCredentials(CREDENTIAL_TYPE);
	}

	/** The credential for this push: the kept copy, or read from n8n. */
	async get(): Promise<CredentialData> {
		if (this.current) return this.current;
		if (this.key === undefined) {
			this.current = Object.freeze({ ...(await this.read()) });
			return this.current;
		}
		const now = Date.now();
		const entry = this.store.find(this.key, now) ?? this.store.start(this.key, now, async () => await this.read());
		this.entry = entry;
		this.current = await entry.data;
		return this.current;
	}

	/**
	 * After a refusal (or an MMS login the gateway rejected) with a kept copy: the credential
	 * as n8n has it now, when that differs from the copy used; else undefined. Reads only
	 * when this push has not read yet and the copy is at least RECHECK_AFTER_MS old; a
	 * newer copy another push has read meanwhile is used without reading.
	 */
	async reread(): Promise<CredentialData | undefined> {
		if (this.key === undefined || this.current === undefined || this.readHere || this.rereadTried) return undefined;
		this.rereadTried = true;
		const now = Date.now();
		let entry = this.store.find(this.key, now);
		if (entry === undefined || entry === this.entry) {
			if (entry !== undefined && now - entry.startedAt < RECHECK_AFTER_MS) return undefined;
			entry = this.store.start(this.key, now, async () => await this.read());
		}
		const data = await entry.data;
		if (sameCredential(data, this.current)) return undefined;
		this.entry = entry;
		this.current = data;
		return data;
	}

	/**
	 * The credential in the form httpRequestWithAuthentication takes as `credentialsDecrypted`,
	 * so a request made for this push does not read it once more. The data is a copy: n8n may
	 * write refreshed tokens into it.
	 */
	decrypted(data: CredentialData): ICredentialsDecrypted {
		const ref = this.node.credentials?.[CREDENTIAL_TYPE];
		return { id: ref?.id ?? '', name: ref?.name ?? '', type: CREDENTIAL_TYPE, data: { ...data } };
	}
}
