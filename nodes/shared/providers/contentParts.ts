/**
 * Binary messages of several parts on gateways that take one binary SMS per request
 * (BulkSMS, GatewayAPI): each part is prepared as its own single-part binary message by the
 * driver, the parts go out in order, and every recipient gets one result combining its
 * parts. A recipient whose part is not taken (refused, lost) gets no further parts; one that
 * may have received a part is never reported `failed` (`unknown`, with how many parts were
 * accepted). MX sends parts itself (`sendsBinaryParts`) and is left as it is.
 *
 * The driver's own delivery (batching, retries, idempotency keys) runs unchanged for every
 * part; this wrapper only decides what each part is and whom it goes to.
 */
import { bytesToHex } from '../codec';
import { deliverEachGroup, type DeliveryControl, type Group } from './batching';
import { planContent, type BinaryPlan, type ContentPlan } from './content';
import { result, type CommonFields, type PreparedSend, type ProviderDriver, type SendMode } from './driver';
import type { GroupSendResult, ProviderName, RecipientResult, SendRequest } from './types';

/** A message of several binary parts: the driver's prepared message for each part. */
export interface PartedSend<P extends PreparedSend> extends PreparedSend {
	plan: BinaryPlan;
	partSends: P[];
}

function isParted<P extends PreparedSend>(prepared: P | PartedSend<P>): prepared is PartedSend<P> {
	return 'partSends' in prepared;
}

const taken = (r: RecipientResult) => r.status === 'accepted' || r.status === 'scheduled';

/** One recipient's result from its parts' results, in part order (fewer when it dropped out). */
export function combineParts(provider: ProviderName, plan: ContentPlan, to: string, outcomes: RecipientResult[]): RecipientResult {
	const ids = outcomes.map((o) => o.messageId).filter((id): id is string => id !== undefined);
	const dryRun = outcomes.length > 0 && outcomes.every((o) => o.dryRun === true);
	const last = outcomes[outcomes.length - 1];
	if (outcomes.length === plan.parts && outcomes.every(taken)) {
		return result(provider, plan, to, outcomes.some((o) => o.status === 'scheduled') ? 'scheduled' : 'accepted', {
			...(ids.length > 0 ? { messageId: ids[0], partMessageIds: ids } : {}),
			dryRun,
		});
	}
	if (last === undefined) {
		return result(provider, plan, to, 'unknown', { error: { code: 'INTERNAL', message: 'No part was recorded for this recipient', retryable: false } });
	}
	if (outcomes.length === 1 && last.status === 'failed') return result(provider, plan, to, 'failed', last.error ? { error: last.error, dryRun } : { dryRun });
	// An earlier part may be on the handset: that is never a failure.
	const accepted = outcomes.filter(taken).length;
	return result(provider, plan, to, 'unknown', {
		...(ids.length > 0 ? { messageId: ids[0], partMessageIds: ids } : {}),
		error: {
			code: last.error?.code ?? 'PARTIAL',
			message: `${last.error?.message ?? 'Not every part was accepted'} (${accepted} of ${plan.parts} parts accepted before this)`,
			retryable: false,
		},
	});
}

/** The groups' one result from their parts' results, as combineParts does for a recipient. */
function combineGroupParts(parts: number, answers: GroupSendResult[]): GroupSendResult {
	const [first] = answers;
	const last = answers[answers.length - 1];
	const base = { ...first, parts, encoding: 'binary' as const };
	if (answers.length === parts && answers.every((a) => a.status === 'accepted' || a.status === 'scheduled')) {
		return { ...base, status: answers.some((a) => a.status === 'scheduled') ? 'scheduled' : 'accepted' };
	}
	if (answers.length === 1 && last.status === 'failed') return { ...base, status: 'failed' };
	const accepted = answers.filter((a) => a.status === 'accepted' || a.status === 'scheduled').length;
	return {
		...base,
		status: 'unknown',
		error: {
			code: last.error?.code ?? 'PARTIAL',
			message: `${last.error?.message ?? 'Not every part was accepted'} (${accepted} of ${parts} parts accepted before this)`,
			retryable: false,
		},
	};
}

/** The request for part `index` alone: the same options, that part's octets as the binary payload. */
function partRequest(request: SendRequest, plan: BinaryPlan, index: number): SendRequest {
	const { udh, payload } = plan.segments[index];
	const part: SendRequest = { ...request, binary: { hex: bytesToHex(payload), udh: bytesToHex(udh) }, encoding: 'binary' };
	delete part.content;
	delete part.message;
	delete part.maxParts;
	return part;
}

/** `driver` with multi-part binary messages sent part by part (unchanged if it sends parts itself). */
export function withContentParts<P extends PreparedSend>(driver: ProviderDriver<P>): ProviderDriver<P | PartedSend<P>> {
	if (driver.sendsBinaryParts === true) return driver;
	type Any = P | PartedSend<P>;

	function prepare(request: SendRequest, common: CommonFields, mode: SendMode): Any {
		if (request?.content === undefined || request.content === null) return driver.prepare(request, common, mode);
		const plan = planContent(request, common.maxParts !== undefined ? { maxParts: common.maxParts } : {});
		if (plan.kind !== 'binary' || plan.parts === 1) return driver.prepare(request, common, mode);
		const partSends = plan.segments.map((_, k) => driver.prepare(partRequest(request, plan, k), common, mode));
		return { plan, common, mode, partSends };
	}

	async function deliver(prepared: Any, recipients: string[]): Promise<RecipientResult[]> {
		if (!isParted(prepared)) return await driver.deliver(prepared, recipients);
		const outcomes = new Map<string, RecipientResult[]>(recipients.map((to) => [to, []]));
		let alive = recipients;
		for (const part of prepared.partSends) {
			if (alive.length === 0) break;
			// A group the engine sends as a broadcast sends each part as one.
			const answers = await driver.deliver({ ...part, mode: prepared.mode }, alive);
			const byRecipient = new Map(answers.map((r) => [r.to, r]));
			alive = alive.filter((to, i) => {
				const answer = answers[i]?.to === to ? answers[i] : byRecipient.get(to);
				// Defensive: a driver must answer every recipient; a missing one may have been sent.
				const outcome = answer ?? result(driver.name, part.plan, to, 'unknown', { error: { code: 'INTERNAL', message: 'No result was recorded for this part', retryable: false } });
				(outcomes.get(to) as RecipientResult[]).push(outcome);
				return taken(outcome);
			});
		}
		return recipients.map((to) => combineParts(driver.name, prepared.plan, to, outcomes.get(to) as RecipientResult[]));
	}

	const wrapped: ProviderDriver<Any> = {
		name: driver.name,
		prepare,
		deliver,
		checkRecipients(prepared, recipients) {
			if (isParted(prepared)) prepared.partSends.forEach((part) => driver.checkRecipients?.(part, recipients));
			else driver.checkRecipients?.(prepared, recipients);
		},
		coalesceKey(prepared) {
			if (!isParted(prepared)) return driver.coalesceKey?.(prepared);
			const keys = prepared.partSends.map((part) => driver.coalesceKey?.(part));
			return keys.every((key): key is string => key !== undefined) ? JSON.stringify(['parts', keys]) : undefined;
		},
		/** Multi-part groups part by part; the others through the driver's own packing, as before. */
		async deliverGroups(groups: Array<Group<Any>>, control: DeliveryControl): Promise<RecipientResult[][]> {
			const plain: Array<Group<P>> = [];
			const parted: Array<Group<Any>> = [];
			const where = groups.map((group) => {
				if (isParted(group.prepared)) return { parted: true, at: parted.push(group) - 1 };
				return { parted: false, at: plain.push(group as Group<P>) - 1 };
			});
			const packed = driver.deliverGroups ? driver.deliverGroups.bind(driver) : deliverEachGroup(driver);
			const [plainResults, partedResults] = await Promise.all([
				plain.length > 0 ? packed(plain, control) : Promise.resolve([]),
				parted.length > 0 ? deliverEachGroup(wrapped)(parted, control) : Promise.resolve([]),
			]);
			return where.map((w) => (w.parted ? partedResults[w.at] : plainResults[w.at]));
		},
		sendMms: async (request) => await driver.sendMms(request),
		retrieveMms: async (id) => await driver.retrieveMms(id),
		checkCredentials: async () => await driver.checkCredentials(),
		getBalance: async () => await driver.getBalance(),
		getStatus: async (messageId, to) => await driver.getStatus(messageId, to),
	};
	const groups = driver.groups;
	if (groups) {
		wrapped.groups = {
			parseIds: (value) => groups.parseIds(value),
			async deliver(prepared, groupIds) {
				if (!isParted(prepared)) return await groups.deliver(prepared, groupIds);
				// One request to the groups per part, in order; the groups' one result combines them.
				const answers: GroupSendResult[] = [];
				for (const part of prepared.partSends) {
					const answer = await groups.deliver(part, groupIds);
					answers.push(answer);
					if (answer.status !== 'accepted' && answer.status !== 'scheduled') break;
				}
				return combineGroupParts(prepared.plan.parts, answers);
			},
		};
	}
	return wrapped;
}
