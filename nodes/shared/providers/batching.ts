/**
 * The campaign engine: many items, each its own message, sent over the gateways'
 * bulk paths (docs/batching.md).
 *
 * 1. Every item is validated and encoded first (the client does that); nothing is
 *    sent while any step can still refuse an item.
 * 2. `coalesce` joins items whose wire content is identical (the driver's
 *    `coalesceKey`) and whose recipients are disjoint into one group: one message
 *    to several recipients, as a broadcast would send it.
 * 3. Groups go out through the driver's `deliverGroups` when it can pack several
 *    messages into one request (GatewayAPI's list root, BulkSMS's send_batch), else
 *    one `deliver` per group in a bounded pool.
 * 4. Results are split back to the items they came from, one per recipient, in order.
 * Retries, idempotency keys and the rule "a request the gateway may have taken is
 * never resent without a key" stay where they were: in each request's `retrying`.
 * So do the two bounds (limits.ts): every exchange holds one of the client's slots, and
 * every request books its messages on the client's pace before it leaves.
 */
import type { PreparedSend, ProviderDriver } from './driver';
import { lostInClient } from './driver';
import { runPool } from './engine';
import type { ProviderName, RecipientResult } from './types';

/** One valid item: its encoded message and its unique recipients. */
export interface Unit<P extends PreparedSend = PreparedSend> {
	index: number;
	prepared: P;
	recipients: string[];
}

/** Units sent as one message: the same wire content, each recipient once. */
export interface Group<P extends PreparedSend = PreparedSend> {
	prepared: P;
	units: Array<Unit<P>>;
	/** Every unit's recipients, in unit order. */
	recipients: string[];
}

/** What the engine hands a driver besides the groups. */
export interface DeliveryControl {
	/** Groups dispatched at once (the client's slots bound the requests in flight too). */
	concurrency: number;
	/** True once the caller asked to stop dispatching (a refusal with stop-on-refusal). */
	stopped(): boolean;
	/** Called with each group's results as they arrive (stop-on-refusal watches them). */
	settled(results: RecipientResult[]): void;
}

export type GroupDelivery<P extends PreparedSend> = (groups: Array<Group<P>>, control: DeliveryControl) => Promise<RecipientResult[][]>;

/**
 * Groups units by `keyOf` (undefined: never shared). A unit joins the newest group of
 * its key when none of its recipients is already there and the group stays within
 * `maxRecipients`; otherwise it starts a new one. Order inside a group is unit order.
 */
export function coalesce<P extends PreparedSend>(
	units: Array<Unit<P>>,
	keyOf: (prepared: P) => string | undefined,
	maxRecipients: number,
): Array<Group<P>> {
	const groups: Array<Group<P>> = [];
	const open = new Map<string, { group: Group<P>; seen: Set<string> }>();
	for (const unit of units) {
		const key = keyOf(unit.prepared);
		const current = key === undefined ? undefined : open.get(key);
		const fits =
			current !== undefined &&
			current.group.recipients.length + unit.recipients.length <= maxRecipients &&
			unit.recipients.every((to) => !current.seen.has(to));
		if (current && fits) {
			current.group.units.push(unit);
			for (const to of unit.recipients) {
				current.group.recipients.push(to);
				current.seen.add(to);
			}
			continue;
		}
		const group: Group<P> = { prepared: unit.prepared, units: [unit], recipients: [...unit.recipients] };
		groups.push(group);
		if (key !== undefined) open.set(key, { group, seen: new Set(unit.recipients) });
	}
	return groups;
}

const NOT_SENT = 'NOT_SENT';

/** The gateway said no to this recipient (not: the run stopped before asking, see notSent). */
export function isRefusal(result: RecipientResult): boolean {
	return result.status === 'failed' && result.error?.code !== NOT_SENT;
}

/** A recipient never handed to the gateway because the run stopped at a refusal. */
export function notSent(provider: ProviderName, prepared: PreparedSend, to: string): RecipientResult {
	return {
		to,
		status: 'failed',
		parts: prepared.plan.parts,
		encoding: prepared.plan.encoding,
		provider,
		error: { code: NOT_SENT, message: 'Not sent: the run stopped after the gateway refused an earlier message', retryable: true },
	};
}

/**
 * The fallback for drivers without `deliverGroups`: one `deliver` per group,
 * `control.concurrency` groups at a time. A group of several units is sent the way
 * a broadcast is (MX bulksend, one BulkSMS send_sms to many).
 */
export function deliverEachGroup<P extends PreparedSend>(driver: ProviderDriver<P>): GroupDelivery<P> {
	return async (groups, control) =>
		await runPool(
			groups,
			control.concurrency,
			async (group) => {
				if (control.stopped()) return group.recipients.map((to) => notSent(driver.name, group.prepared, to));
				const prepared = group.units.length > 1 ? { ...group.prepared, mode: 'broadcast' as const } : group.prepared;
				const results = await driver.deliver(prepared, group.recipients);
				control.settled(results);
				return results;
			},
			(group) => group.recipients.map((to) => lostInClient(driver.name, group.prepared, to)),
		);
}

/** Splits each group's results (in `group.recipients` order) back to its units. */
export function resultsByUnit<P extends PreparedSend>(
	provider: ProviderName,
	groups: Array<Group<P>>,
	perGroup: RecipientResult[][],
): Map<Unit<P>, RecipientResult[]> {
	const out = new Map<Unit<P>, RecipientResult[]>();
	groups.forEach((group, g) => {
		const byRecipient = new Map<string, RecipientResult>();
		for (const r of perGroup[g] ?? []) if (!byRecipient.has(r.to)) byRecipient.set(r.to, r);
		for (const unit of group.units) {
			out.set(
				unit,
				unit.recipients.map((to) => {
					const found = byRecipient.get(to);
					// Defensive: a driver must answer every recipient; a missing one may have been sent.
					return found ? { ...found } : lostInClient(provider, group.prepared, to);
				}),
			);
		}
	});
	return out;
}
