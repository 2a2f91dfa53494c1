/**
 * BulkSMS EAPI client (bulksms-eapi.md): `send_sms` 2.0 with comma-separated `msisdn`
 * lists, form-encoded in ISO-8859-1, and `get_credits` for the credential check.
 * Every submission carries a `stop_dup_id`, reused on each retry, so a resend after a
 * lost answer cannot send twice (section 6.1).
 */
import { randomInt } from 'crypto';

import { failureVerdict, transientStatus } from '../classify';
import { planContent, singleSegment, type ContentPlan } from '../content';
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
import { notSent, type DeliveryControl, type Group } from '../batching';
import { retrying, runPool, type Verdict } from '../engine';
import { GatewayValidationError } from '../errors';
import { formEncode, formPairsKey, type FormPairs } from '../form';
import { bodyText, exchange, type HttpOutcome } from '../transport';
import type { BulkSmsOptions, RecipientResult, RecipientStatus, SendRequest } from '../types';
import { paceChunk } from '../limits';
import { joinUrl, requireCredentials } from '../validation';
import { batchCsv } from './csv';
import { groupResult, parseGroupIds } from './groups';
import { parseCredits, parseReportEntries, parseSubmission, SUBMISSION_CODES } from './response';
import { bulkSmsBalance, bulkSmsDeliveryStatus } from './status';

const PROVIDER = 'bulkSms';
const SEND_PATH = '/eapi/submission/send_sms/2/2.0';
const BATCH_PATH = '/eapi/submission/send_batch/1/1.0';
const CREDITS_PATH = '/eapi/user/get_credits/1/1.1';
const REPORT_PATH = '/eapi/status_reports/get_report/2/2.0';
/** Parameters that differ per CSV row or follow from the rows; every other one is batch-wide. */
const PER_ROW = new Set(['message', 'allow_concat_text_sms', 'concat_text_sms_max_parts']);

/** The 7-bit characters BulkSMS lists by ISO-8859-1 value (section 13.1); anything else would become `.` or `?`. */
const SEVEN_BIT = new Set<number>([0x0a, 0x0d]);
for (let c = 0x20; c <= 0x5a; c++) SEVEN_BIT.add(c);
SEVEN_BIT.add(0x5f);
for (let c = 0x61; c <= 0x7a; c++) SEVEN_BIT.add(c);
for (const c of [
	0xa1, 0xa3, 0xa4, 0xa5, 0xa7, 0xbf, 0xc4, 0xc5, 0xc6, 0xc7, 0xc9, 0xd1, 0xd6, 0xd8, 0xdc, 0xdf, 0xe0, 0xe4, 0xe5, 0xe6, 0xe8, 0xe9, 0xec,
	0xf1, 0xf2, 0xf6, 0xf8, 0xf9, 0xfc,
]) {
	SEVEN_BIT.add(c);
}

/** Greek capitals -> the bytes BulkSMS's own PHP sample sends for them (section 13.1; behind an option, A8). */
const GREEK_BYTES: Record<number, number> = {
	0x0394: 0xd0, // Delta
	0x03a6: 0xde, // Phi
	0x0393: 0xac, // Gamma
	0x039b: 0xc2, // Lambda
	0x03a9: 0xdb, // Omega
	0x03a0: 0xba, // Pi
	0x03a8: 0xdd, // Psi
	0x03a3: 0xca, // Sigma
	0x0398: 0xd4, // Theta
	0x039e: 0xb1, // Xi
};

function firstNonSevenBit(text: string, greek: boolean): number {
	for (let i = 0; i < text.length; i++) {
		const code = text.charCodeAt(i);
		if (!SEVEN_BIT.has(code) && !(greek && GREEK_BYTES[code] !== undefined)) return i;
	}
	return -1;
}

function sevenBitBytes(text: string): Uint8Array {
	const out = new Uint8Array(text.length);
	for (let i = 0; i < text.length; i++) {
		const code = text.charCodeAt(i);
		out[i] = GREEK_BYTES[code] ?? code;
	}
	return out;
}

/** Parameter text in ISO-8859-1 when it fits (section 2), else UTF-8. */
function latin1OrUtf8(text: string): string | Uint8Array {
	for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0xff) return text;
	return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

function hex(bytes: Uint8Array): string {
	let out = '';
	for (const b of bytes) out += b.toString(16).toUpperCase().padStart(2, '0');
	return out;
}

function ucs2Hex(text: string): string {
	let out = '';
	for (let i = 0; i < text.length; i++) out += text.charCodeAt(i).toString(16).toUpperCase().padStart(4, '0');
	return out;
}

// stop_dup_id: a positive integer whose range the docs do not give (section 15). The JSON API's
// equivalent is an int32, so ids stay below 2^31: a random start, then consecutive
// numbers, so ids from this process never collide and two processes rarely overlap.
const STOP_DUP_MAX = 2 ** 31 - 1;
let nextStopDupId = randomInt(1, STOP_DUP_MAX - 2 ** 24);

export function newStopDupId(): number {
	const id = nextStopDupId;
	nextStopDupId = nextStopDupId >= STOP_DUP_MAX ? 1 : nextStopDupId + 1;
	return id;
}

function utcDateTime(date: Date): string {
	const p = (n: number) => String(n).padStart(2, '0');
	return `${date.getUTCFullYear()}-${p(date.getUTCMonth() + 1)}-${p(date.getUTCDate())} ${p(date.getUTCHours())}:${p(date.getUTCMinutes())}:${p(date.getUTCSeconds())}`;
}

/** Rows with the same key may share one send_batch request: their batch-wide parameters are identical. */
function batchKey(prepared: BulkSmsPrepared): string {
	return JSON.stringify(formPairsKey(prepared.fields.filter(([name]) => !PER_ROW.has(name))));
}

function messageOf(prepared: BulkSmsPrepared): Uint8Array | string {
	const pair = prepared.fields.find(([name]) => name === 'message');
	return pair?.[1] ?? '';
}

/** One recipient of one prepared message. */
interface Row {
	to: string;
	prepared: BulkSmsPrepared;
}

interface BulkSmsPrepared extends PreparedSend {
	/** Every parameter except credentials, msisdn and stop_dup_id. */
	fields: FormPairs;
	/** Retry status 26/28 within the smaller budget. */
	retryUpstream: boolean;
}

function text(value: unknown, field: string): string | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	if (typeof value !== 'string' && typeof value !== 'number') throw new GatewayValidationError(field, `${field} must be text`);
	return String(value);
}

function prepare(request: SendRequest, common: CommonFields, mode: SendMode): BulkSmsPrepared {
	const options: BulkSmsOptions = request.providerOptions?.bulkSms ?? {};
	const greek = options.greekByteMap === true;
	if (common.validity !== undefined) {
		throw new GatewayValidationError('validity', 'BulkSMS EAPI has no validity-period parameter; leave validity empty for this provider');
	}
	const plan: ContentPlan = planContent(request, {
		...(common.maxParts !== undefined ? { maxParts: common.maxParts } : {}),
		sevenBitCheck: (t) => firstNonSevenBit(t, greek),
		sevenBitName: 'BulkSMS 7-bit (ISO-8859-1)',
	});
	const fields: FormPairs = [];
	if (plan.kind === 'binary') {
		const segment = singleSegment(plan);
		// section 13.2: 8-bit messages always go out with the UDH indicator set, so a UDH must lead the octets.
		if (segment.udh.length === 0) {
			throw new GatewayValidationError('binary.udh', 'BulkSMS sets the UDH indicator on every 8-bit message, so binary.udh is required (start the octets with a UDH)');
		}
		fields.push(['dca', '8bit'], ['message', hex(segment.udh) + hex(segment.payload)]);
	} else if (plan.encoding === 'gsm7') {
		fields.push(['dca', '7bit'], ['message', sevenBitBytes(plan.text)]);
	} else {
		fields.push(['dca', '16bit'], ['message', ucs2Hex(plan.text)]);
	}
	if (plan.kind === 'text' && plan.parts > 1) fields.push(['allow_concat_text_sms', '1'], ['concat_text_sms_max_parts', String(plan.parts)]);
	if (common.from !== undefined) {
		if (options.repliable === true) {
			throw new GatewayValidationError('providerOptions.bulkSms.repliable', 'BulkSMS cannot combine a sender with repliable messages; leave from empty or repliable off');
		}
		fields.push(['sender', latin1OrUtf8(common.from)], ['repliable', '0']);
	} else if (options.repliable !== undefined) {
		fields.push(['repliable', options.repliable ? '1' : '0']);
	}
	if (common.deliveryReport !== undefined) fields.push(['want_report', common.deliveryReport ? '1' : '0']);
	let msgClass = options.msgClass;
	if (msgClass !== undefined && (!Number.isInteger(msgClass) || msgClass < 0 || msgClass > 3)) {
		throw new GatewayValidationError('providerOptions.bulkSms.msgClass', 'msgClass must be 0, 1, 2 or 3');
	}
	if (common.flash) {
		if (msgClass !== undefined && msgClass !== 0) {
			throw new GatewayValidationError('flash', `A flash message is message class 0, but msgClass is ${msgClass}`);
		}
		msgClass = 0;
	}
	if (msgClass !== undefined) fields.push(['msg_class', String(msgClass)]);
	const sourceId = text(options.sourceId, 'providerOptions.bulkSms.sourceId') ?? common.clientReference;
	const optional: Array<[string, string | undefined]> = [
		['routing_group', text(options.routingGroup, 'providerOptions.bulkSms.routingGroup')],
		['source_id', sourceId],
		['replace_msg_id', text(options.replaceMsgId, 'providerOptions.bulkSms.replaceMsgId')],
		['protocol_id', text(options.protocolId, 'providerOptions.bulkSms.protocolId')],
		['scheduling_description', text(options.schedulingDescription, 'providerOptions.bulkSms.schedulingDescription')],
	];
	for (const [name, value] of optional) if (value !== undefined) fields.push([name, latin1OrUtf8(value)]);
	if (common.schedule) {
		if (options.scheduleFormat === 'datetime') fields.push(['send_time', utcDateTime(common.schedule)]);
		else fields.push(['send_time_unixtime', String(Math.floor(common.schedule.getTime() / 1000))]);
	}
	if (common.dryRun) fields.push([options.testMode === 'fail' ? 'test_always_fail' : 'test_always_succeed', '1']);
	return { plan, common, mode, fields, retryUpstream: options.retryUpstream !== false };
}

export function createBulkSmsDriver(runtime: Runtime): ProviderDriver<BulkSmsPrepared> {
	const { config } = runtime;
	const credentials = (): FormPairs => [
		['username', latin1OrUtf8(config.username)],
		['password', latin1OrUtf8(config.password)],
	];
	const formHeaders = { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'text/plain' };

	/**
	 * One submission (send_sms or send_batch) for `rows`, with a fresh stop_dup_id reused
	 * on every retry. `pairs` is everything but the credentials and the stop_dup_id.
	 */
	async function submit(path: string, pairs: FormPairs, rows: Row[]): Promise<RecipientResult[]> {
		const { common, retryUpstream } = rows[0].prepared;
		const stopDupId = String(newStopDupId());
		const body = formEncode([...credentials(), ...pairs, ['stop_dup_id', stopDupId]]);
		const all = (status: RecipientStatus, extra: Parameters<typeof result>[4] = {}) =>
			rows.map((row) => result(PROVIDER, row.prepared.plan, row.to, status, { ...extra, dryRun: common.dryRun }));
		// A positive answer that lacked its batch id; kept in case later attempts fail.
		let acceptedWithoutId: RecipientStatus | undefined;

		const interpret = (outcome: HttpOutcome): Verdict<RecipientResult[]> => {
			if (!outcome.ok) return failureVerdict(outcome);
			const textBody = bodyText(outcome.body, 'latin1');
			if (outcome.statusCode !== 200) {
				// section 2: any status but 200 is transient.
				return (
					transientStatus(outcome.statusCode, outcome.headers, snippet(textBody)) ?? {
						kind: 'transient',
						maybeSent: false,
						code: `HTTP_${outcome.statusCode}`,
						message: `BulkSMS answered HTTP ${outcome.statusCode}: ${snippet(textBody)}`,
					}
				);
			}
			const answer = parseSubmission(textBody);
			if (!answer) {
				return { kind: 'transient', maybeSent: true, code: 'UNPARSEABLE_RESPONSE', message: `Unreadable BulkSMS answer: ${snippet(textBody)}` };
			}
			if (answer.code === 0 || answer.code === 1) {
				const status: RecipientStatus = answer.code === 1 || common.schedule ? 'scheduled' : 'accepted';
				if (answer.batchId !== undefined) return { kind: 'final', value: all(status, { messageId: answer.batchId }) };
				// Accepted but the batch id is missing (a truncated answer): the same stop_dup_id brings the original answer back.
				acceptedWithoutId = status;
				return { kind: 'transient', maybeSent: true, code: 'INCOMPLETE_RESPONSE', message: `BulkSMS accepted the request but its answer had no batch id: ${snippet(textBody)}` };
			}
			const known = SUBMISSION_CODES[answer.code];
			const message = `BulkSMS status ${answer.code} (${known?.meaning ?? answer.description ?? 'unknown status'})`;
			if (known?.retry === 'always') return { kind: 'transient', maybeSent: false, code: `BULKSMS_${answer.code}`, message };
			if (known?.retry === 'upstream' && retryUpstream) {
				return { kind: 'transient', maybeSent: false, code: `BULKSMS_${answer.code}`, message, budget: 'upstream' };
			}
			return {
				kind: 'final',
				value: all('failed', {
					error: { code: answer.code === 23 ? 'AUTH' : `BULKSMS_${answer.code}`, message, retryable: known?.retry !== undefined },
				}),
			};
		};

		await runtime.pace.take(rows.length);
		return await retrying({
			ctx: runtime.ctx,
			policy: runtime.policy,
			idempotent: true,
			call: () => ({ method: 'POST', url: joinUrl(config.baseUrl, path), headers: formHeaders, body }),
			interpret,
			giveUp: (last) => {
				if (acceptedWithoutId !== undefined) return all(acceptedWithoutId);
				const { status, error } = givenUp(last);
				return all(status, { error });
			},
		});
	}

	async function sendBatch(prepared: BulkSmsPrepared, batch: string[]): Promise<RecipientResult[]> {
		return await submit(SEND_PATH, [['msisdn', batch.join(',')], ...prepared.fields], batch.map((to) => ({ to, prepared })));
	}

	/** The recipients get_report lists for a batch, or undefined when the report cannot be read. */
	async function reportedRecipients(batchId: string): Promise<Set<string> | undefined> {
		const body = formEncode([...credentials(), ['batch_id', batchId]]);
		return await retrying<Set<string> | undefined>({
			ctx: runtime.ctx,
			policy: runtime.policy,
			// A report is a read: asking again changes nothing.
			idempotent: true,
			call: () => ({ method: 'POST', url: joinUrl(config.baseUrl, REPORT_PATH), headers: formHeaders, body }),
			interpret: (outcome) => {
				if (!outcome.ok) return failureVerdict(outcome);
				const textBody = bodyText(outcome.body, 'latin1');
				if (outcome.statusCode !== 200) {
					return { kind: 'transient', maybeSent: false, code: `HTTP_${outcome.statusCode}`, message: `BulkSMS answered HTTP ${outcome.statusCode}` };
				}
				const report = parseReportEntries(textBody);
				if (report?.code === 40) return { kind: 'transient', maybeSent: false, code: 'BULKSMS_40', message: 'BulkSMS status 40 (temporarily unavailable)' };
				return { kind: 'final', value: report?.code === 0 ? new Set(report.entries.map((entry) => entry.msisdn)) : undefined };
			},
			giveUp: () => undefined,
		});
	}

	/**
	 * One send_batch request. The gateway parses the CSV leniently (section 7: invalid lines
	 * skipped, values corrected), so an accepted batch proves only that the batch exists:
	 * each row is reported `accepted` once the batch's report lists its recipient, else
	 * `unknown` (docs/batching.md).
	 */
	async function sendCsv(rows: Row[]): Promise<RecipientResult[]> {
		const { prepared } = rows[0];
		const parts = Math.max(...rows.map((row) => row.prepared.plan.parts));
		const pairs: FormPairs = prepared.fields.filter(([name]) => !PER_ROW.has(name));
		if (parts > 1) pairs.push(['allow_concat_text_sms', '1'], ['concat_text_sms_max_parts', String(parts)]);
		pairs.push(['batch_data', batchCsv(rows.map((row) => ({ msisdn: row.to, message: messageOf(row.prepared) })))]);
		const results = await submit(BATCH_PATH, pairs, rows);
		const batchId = results[0].messageId;
		const taken = results[0].status === 'accepted' || results[0].status === 'scheduled';
		if (!taken || batchId === undefined || prepared.common.dryRun) return results;
		const listed = await reportedRecipients(batchId);
		return results.map((r) => {
			if (listed?.has(r.to)) return r;
			const error = listed
				? { code: 'NOT_IN_REPORT', message: `BulkSMS accepted batch ${batchId}, but its report does not list this recipient: the gateway may have skipped the row`, retryable: false }
				: { code: 'UNVERIFIED', message: `BulkSMS accepted batch ${batchId}, but its report could not be read to confirm this row`, retryable: false };
			return { ...r, status: 'unknown' as const, error };
		});
	}

	/**
	 * Many groups over send_batch: rows packed by their batch-wide parameters, at most
	 * `batchRows` per request and each recipient once per request. A request of one row
	 * goes out as send_sms, which proves its row directly.
	 */
	async function deliverGroups(groups: Array<Group<BulkSmsPrepared>>, control: DeliveryControl): Promise<RecipientResult[][]> {
		const perRequest = Math.min(config.batchRows, paceChunk(runtime.pace));
		const requests: Array<{ rows: Array<Row & { group: number }>; seen: Set<string> }> = [];
		const open = new Map<string, typeof requests>();
		groups.forEach((group, g) => {
			const key = batchKey(group.prepared);
			for (const to of group.recipients) {
				let chain = open.get(key);
				if (!chain) open.set(key, (chain = []));
				while (chain.length > 0 && chain[0].rows.length >= perRequest) chain.shift();
				let request = chain.find((r) => !r.seen.has(to) && r.rows.length < perRequest);
				if (!request) {
					request = { rows: [], seen: new Set() };
					chain.push(request);
					requests.push(request);
				}
				request.rows.push({ to, prepared: group.prepared, group: g });
				request.seen.add(to);
			}
		});
		const answered = await runPool(
			requests,
			control.concurrency,
			async ({ rows }) => {
				if (control.stopped()) return rows.map((row) => notSent(PROVIDER, row.prepared, row.to));
				const results = rows.length === 1 ? await sendBatch(rows[0].prepared, [rows[0].to]) : await sendCsv(rows);
				control.settled(results);
				return results;
			},
			({ rows }) => rows.map((row) => lostInClient(PROVIDER, row.prepared, row.to)),
		);
		const byGroup = groups.map(() => new Map<string, RecipientResult>());
		requests.forEach(({ rows }, r) => rows.forEach((row, k) => byGroup[row.group].set(row.to, answered[r][k])));
		return groups.map((group, g) => group.recipients.map((to) => byGroup[g].get(to) ?? lostInClient(PROVIDER, group.prepared, to)));
	}

	return {
		name: PROVIDER,
		prepare: (request, common, mode) => {
			const prepared = prepare(request, common, mode);
			requireCredentials(config, 'username', 'password');
			return prepared;
		},
		coalesceKey: (prepared) => JSON.stringify(formPairsKey(prepared.fields)),
		deliverGroups,
		async deliver(prepared, recipients) {
			return await deliverInBatches(PROVIDER, prepared, recipients, batchLimits(runtime), async (batch) => await sendBatch(prepared, batch));
		},
		async sendMms() {
			throw new GatewayValidationError('provider', 'BulkSMS does not offer MMS; MMS needs the MX Telecom provider');
		},
		async retrieveMms() {
			throw new GatewayValidationError('provider', 'BulkSMS does not offer MMS; MMS needs the MX Telecom provider');
		},
		getBalance: async () => await bulkSmsBalance(runtime, credentials()),
		getStatus: async (batchId, to) => await bulkSmsDeliveryStatus(runtime, credentials(), batchId, to),
		groups: {
			parseIds: parseGroupIds,
			// dest_group_id instead of msisdn: one submission (with its stop_dup_id) whose one result stands for the groups.
			deliver: async (prepared, groupIds) => {
				const [submitted] = await submit(SEND_PATH, [['dest_group_id', groupIds.join(',')], ...prepared.fields], [{ to: '', prepared }]);
				return groupResult(groupIds, submitted);
			},
		},
		async checkCredentials() {
			requireCredentials(config, 'username', 'password');
			const outcome = await exchange(runtime.ctx, {
				method: 'POST',
				url: joinUrl(config.baseUrl, CREDITS_PATH),
				headers: formHeaders,
				body: formEncode(credentials()),
			});
			if (!outcome.ok) {
				throw gatewayError(runtime, PROVIDER, outcome.kind === 'timeout' ? 'TIMEOUT' : 'CONNECTION_FAILED', `BulkSMS could not be reached: ${outcome.message}`, true);
			}
			const textBody = bodyText(outcome.body, 'latin1');
			if (outcome.statusCode !== 200) {
				throw gatewayError(runtime, PROVIDER, `HTTP_${outcome.statusCode}`, `BulkSMS answered the credit check with HTTP ${outcome.statusCode}: ${snippet(textBody)}`, true, outcome.statusCode);
			}
			const answer = parseCredits(textBody);
			if (answer?.code === 0 && answer.credits !== undefined) {
				return { provider: PROVIDER, verified: true, message: `BulkSMS accepted the credentials (${answer.credits} credits)`, balance: answer.credits };
			}
			if (answer?.code === 23) {
				throw gatewayError(runtime, PROVIDER, 'AUTH', 'BulkSMS rejected the username or password (status 23)', false, 200);
			}
			throw gatewayError(
				runtime,
				PROVIDER,
				answer ? `BULKSMS_${answer.code}` : 'UNPARSEABLE_RESPONSE',
				`BulkSMS answered the credit check with ${answer ? `status ${answer.code} (${answer.description})` : `an unreadable body: ${snippet(textBody)}`}`,
				answer?.code === 40,
				200,
			);
		},
	};
}
