/**
 * Duplicate suppression, in the memory of the process that runs webhook().
 *
 * Gateways redeliver a push when they did not get a 200 in time (MX retries an `smsid`,
 * BulkSMS and GatewayAPI resend reports), so the same event can arrive twice. Each push
 * has a dedupe key (its gateway id); a key counts as seen only once n8n has answered its
 * push with 2xx, which happens after the execution was created. So:
 * - a repeat of a push already answered 2xx within the window is acknowledged and dropped;
 * - a repeat arriving while the first copy is still being handled waits for that outcome
 *   (bounded): dropped if the first was answered 2xx, handled normally otherwise, so an
 *   event whose first delivery failed is never lost to dedupe;
 * - nothing is shared between processes or kept across restarts. With several webhook
 *   processes (n8n queue mode) a repeat that lands on another process is not caught; the
 *   item's `dedupeKey` is there for a database-backed check downstream (docs/events.md).
 */

interface Entry {
	expires: number;
	done: boolean;
	settled: Promise<boolean>;
	resolve: (ok: boolean) => void;
}

export type Claim =
	| { outcome: 'new'; settle: (ok: boolean) => void }
	| { outcome: 'duplicate' }
	| { outcome: 'inFlight'; settled: Promise<boolean> };

/** Bound on remembered keys per trigger node, so a flood cannot exhaust memory. */
export const MAX_ENTRIES = 100_000;

export class SeenKeys {
	private readonly entries = new Map<string, Entry>();

	constructor(private readonly maxEntries = MAX_ENTRIES) {}

	get size(): number {
		return this.entries.size;
	}

	private evict(now: number): void {
		// Map order is insertion order, and a key is re-inserted when confirmed, so the
		// oldest entries come first.
		for (const [key, entry] of this.entries) {
			if (entry.expires > now && this.entries.size <= this.maxEntries) break;
			this.entries.delete(key);
			// A pending entry pushed out by the bound counts as failed, so its waiters proceed.
			if (!entry.done) entry.resolve(false);
		}
	}

	/** Claims a key for a push arriving now. */
	claim(key: string, now: number, windowMs: number): Claim {
		this.evict(now);
		const existing = this.entries.get(key);
		if (existing && existing.expires > now) {
			return existing.done ? { outcome: 'duplicate' } : { outcome: 'inFlight', settled: existing.settled };
		}
		let resolve: (ok: boolean) => void = () => {};
		const settled = new Promise<boolean>((r) => {
			resolve = r;
		});
		const entry: Entry = { expires: now + windowMs, done: false, settled, resolve };
		this.entries.delete(key);
		this.entries.set(key, entry);
		let called = false;
		return {
			outcome: 'new',
			settle: (ok: boolean) => {
				if (called) return;
				called = true;
				if (this.entries.get(key) === entry) {
					this.entries.delete(key);
					if (ok) {
						entry.done = true;
						entry.expires = Date.now() + windowMs;
						this.entries.set(key, entry);
					}
				}
				entry.resolve(ok);
			},
		};
	}
}

/**
 * Final delivery states seen per message and recipient, to recognise a report that
 * arrives after a final one (GatewayAPI does not guarantee order).
 */
export class FinalStates {
	private readonly entries = new Map<string, number>();

	constructor(private readonly maxEntries = MAX_ENTRIES) {}

	record(key: string, now: number, windowMs: number): void {
		this.entries.delete(key);
		this.entries.set(key, now + windowMs);
		for (const [oldest, expires] of this.entries) {
			if (expires > now && this.entries.size <= this.maxEntries) break;
			this.entries.delete(oldest);
		}
	}

	has(key: string, now: number): boolean {
		const expires = this.entries.get(key);
		return expires !== undefined && expires > now;
	}
}

interface Scope {
	seen: SeenKeys;
	finals: FinalStates;
}

const scopes = new Map<string, Scope>();

/** The memory of one trigger node of one workflow in this process. */
export function scopeFor(workflowId: string | undefined, nodeId: string): Scope {
	const id = `${workflowId ?? ''}\u0000${nodeId}`;
	let scope = scopes.get(id);
	if (!scope) {
		scope = { seen: new SeenKeys(), finals: new FinalStates() };
		scopes.set(id, scope);
	}
	return scope;
}

/** Forgets a node's memory (when its workflow is deactivated). */
export function dropScope(workflowId: string | undefined, nodeId: string): void {
	scopes.delete(`${workflowId ?? ''}\u0000${nodeId}`);
}
