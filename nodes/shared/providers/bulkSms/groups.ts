/**
 * BulkSMS phone-book groups (bulksms-eapi.md section 6.1): `send_sms` takes
 * `dest_group_id`, comma-separated numeric group ids, instead of `msisdn`, and the gateway
 * expands the groups itself. The client never learns the recipients from the answer, so a
 * group send has one result for the request, carrying the batch id that `get_report` lists
 * the recipients under.
 */
import { GatewayValidationError, cut } from '../errors';
import type { GroupSendResult, RecipientResult } from '../types';

const GROUP_ID = /^[1-9][0-9]{0,18}$/;
const FIELD = 'groupIds';

/** Group ids from one id, a list separated by commas, semicolons or white space, or an array; each once, in order. */
export function parseGroupIds(value: unknown): string[] {
	const raw: string[] = [];
	const add = (entry: unknown) => {
		if (entry === undefined || entry === null) return;
		if (typeof entry === 'number' || typeof entry === 'string') raw.push(...String(entry).split(/[\s,;]+/));
		else throw new GatewayValidationError(FIELD, `Group ids must be numbers or text, got ${Array.isArray(entry) ? 'a nested list' : typeof entry}`);
	};
	if (Array.isArray(value)) value.forEach(add);
	else add(value);
	const ids = raw.map((id) => id.trim()).filter((id) => id !== '');
	if (ids.length === 0) {
		throw new GatewayValidationError(FIELD, 'No group id given: give one or more BulkSMS phone-book group ids, e.g. 12 or 12, 15');
	}
	for (const id of ids) {
		if (!GROUP_ID.test(id)) {
			throw new GatewayValidationError(
				FIELD,
				`${JSON.stringify(cut(id, 40))} is not a BulkSMS phone-book group id: ids are whole numbers from 1 (e.g. 12, 15)`,
			);
		}
	}
	return [...new Set(ids)];
}

/** The submission's one result, as the result of a group send. */
export function groupResult(groupIds: string[], submitted: RecipientResult): GroupSendResult {
	const out: GroupSendResult = {
		addressedAs: 'group',
		groupIds,
		status: submitted.status,
		parts: submitted.parts,
		encoding: submitted.encoding,
		provider: submitted.provider,
	};
	if (submitted.messageId !== undefined) out.messageId = submitted.messageId;
	if (submitted.error !== undefined) out.error = submitted.error;
	if (submitted.dryRun) out.dryRun = true;
	return out;
}
