/**
 * BulkSMS account reads (bulksms-eapi.md): `get_credits` 1.1 for the balance (section 9) and
 * `get_report` 2.0 for each recipient's delivery status (section 10), the codes mapped with
 * the same table as the trigger's status pushes (section 10.1).
 */
import { bulkSmsStatus } from '../deliveryStatus';
import { snippet, type Runtime } from '../driver';
import { GatewayValidationError, cut } from '../errors';
import { formEncode, type FormPairs } from '../form';
import { readFromGateway, type ReadVerdict } from '../reads';
import { bodyText, type HttpAnswer } from '../transport';
import type { AccountBalance, MessageStatus } from '../types';
import { joinUrl, requireCredentials } from '../validation';
import { parseCredits, parseReportEntries, SUBMISSION_CODES } from './response';

const PROVIDER = 'bulkSms';
const CREDITS_PATH = '/eapi/user/get_credits/1/1.1';
const REPORT_PATH = '/eapi/status_reports/get_report/2/2.0';
const FORM_HEADERS = { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'text/plain' };

/** A request-level status other than 0, as a read verdict (section 6.3 codes; 40 is worth another try). */
function refusal<T>(code: number, description: string, what: string, hint = ''): ReadVerdict<T> {
	const known = SUBMISSION_CODES[code]?.meaning;
	// The description is informational only (section 6.2), but says which input was wrong.
	const detail = description !== '' && description.toLowerCase() !== known?.toLowerCase() ? cut(description, 120) : undefined;
	const meaning = [known, detail].filter((part) => part !== undefined).join(': ') || 'unknown status';
	if (code === 40) return { kind: 'retry', code: 'BULKSMS_40', message: `BulkSMS status 40 (${meaning})` };
	if (code === 23) {
		return { kind: 'error', code: 'AUTH', message: 'BulkSMS rejected the username or password (status 23)', retryable: false, statusCode: 200 };
	}
	return { kind: 'error', code: `BULKSMS_${code}`, message: `BulkSMS refused the ${what} with status ${code} (${meaning})${hint}`, retryable: false, statusCode: 200 };
}

/** A non-200 answer or an unreadable body: section 2 calls any status but 200 transient. */
function unusable<T>(answer: HttpAnswer, text: string): ReadVerdict<T> {
	if (answer.statusCode !== 200) {
		return { kind: 'retry', code: `HTTP_${answer.statusCode}`, message: `BulkSMS answered HTTP ${answer.statusCode}: ${snippet(text)}` };
	}
	return { kind: 'retry', code: 'UNPARSEABLE_RESPONSE', message: `Unreadable BulkSMS answer: ${snippet(text)}` };
}

/** `get_credits`: the credits left, in BulkSMS credits (not money). */
export async function bulkSmsBalance(runtime: Runtime, credentials: FormPairs): Promise<AccountBalance> {
	requireCredentials(runtime.config, 'username', 'password');
	const call = { method: 'POST' as const, url: joinUrl(runtime.config.baseUrl, CREDITS_PATH), headers: FORM_HEADERS, body: formEncode(credentials) };
	return await readFromGateway<AccountBalance>(runtime, PROVIDER, 'The BulkSMS balance query (get_credits)', call, (answer) => {
		const text = bodyText(answer.body, 'latin1');
		const parsed = answer.statusCode === 200 ? parseCredits(text) : undefined;
		if (!parsed) return unusable(answer, text);
		if (parsed.code !== 0) return refusal(parsed.code, parsed.description, 'balance query');
		if (parsed.credits === undefined) return unusable(answer, text);
		return { kind: 'value', value: { provider: PROVIDER, balance: parsed.credits, unit: 'credits', currency: null } };
	});
}

/** `get_report` for one batch (and optionally one recipient): one status per recipient line. */
export async function bulkSmsDeliveryStatus(
	runtime: Runtime,
	credentials: FormPairs,
	batchId: string,
	to: string | undefined,
): Promise<MessageStatus[]> {
	if (!/^[1-9][0-9]{0,19}$/.test(batchId)) {
		throw new GatewayValidationError(
			'messageId',
			`${JSON.stringify(cut(batchId, 40))} is not a BulkSMS batch id: give the messageId a BulkSMS send returned (a whole number)`,
		);
	}
	requireCredentials(runtime.config, 'username', 'password');
	const pairs: FormPairs = [...credentials, ['batch_id', batchId]];
	if (to !== undefined) pairs.push(['msisdn', to]);
	const call = { method: 'POST' as const, url: joinUrl(runtime.config.baseUrl, REPORT_PATH), headers: FORM_HEADERS, body: formEncode(pairs) };
	return await readFromGateway<MessageStatus[]>(runtime, PROVIDER, 'The BulkSMS status query (get_report)', call, (answer) => {
		const text = bodyText(answer.body, 'latin1');
		const parsed = answer.statusCode === 200 ? parseReportEntries(text) : undefined;
		if (!parsed) return unusable(answer, text);
		if (parsed.code !== 0) return refusal(parsed.code, parsed.description, `status query for batch ${batchId}`, '; is it a batch id this account sent?');
		// The gateway filters by msisdn itself; filtering again keeps a gateway that ignores it honest.
		const entries = parsed.entries.filter((e) => to === undefined || e.msisdn === to);
		return {
			kind: 'value',
			value: entries.map(({ msisdn, code }) => {
				const mapped = bulkSmsStatus(code);
				return {
					provider: PROVIDER,
					messageId: batchId,
					to: msisdn,
					status: mapped.status,
					final: mapped.final,
					providerStatus: String(code),
					reason: mapped.description,
					// completed_time is optional, only on some networks, and its zone is undocumented (section 10).
					at: null,
				};
			}),
		};
	});
}
