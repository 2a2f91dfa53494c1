/**
 * MX MMS gateway (mx-telecom-http.md section 6): `SendMMS` as a multipart POST carrying
 * `mms.zip` (the parts plus their `manifest`, section 6.3), and retrieval of received MMS by id
 * (`RetrieveMMS`, or OpenMarket's `/mms/v1/http/retrieve`) with the MMS account.
 * SendMMS has no idempotency key: a send that may have arrived is reported `unknown`.
 */
import { randomUUID } from 'crypto';

import { buildMmsZip, mimeTypeProblem, mmsPartNameProblem, readMmsZip, ZipError } from '../../zip';
import { failureVerdict, transientStatus } from '../classify';
import { gatewayError, givenUp, snippet, type Runtime } from '../driver';
import { retrying, type Verdict } from '../engine';
import { GatewayError, GatewayValidationError } from '../errors';
import { formEncode, multipartBody, type MultipartField } from '../form';
import { bodyBytes, bodyText, type HttpOutcome } from '../transport';
import type { MmsSendResult, RetrievedMms, SendMmsRequest } from '../types';
import { joinUrl, normaliseMsisdn, requireCredentials, validateOriginator } from '../validation';
import { latin9OrUtf8 } from './request';

const PROVIDER = 'mxTelecom';
/** Largest mms.zip sent; MMS messages are far smaller in practice. */
export const MAX_MMS_ZIP_BYTES = 8 * 1024 * 1024;

const UTF8 = new TextEncoder();

function optionalText(value: unknown, field: string, max: number): string | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	if (typeof value !== 'string') throw new GatewayValidationError(field, `${field} must be text`);
	if (value.length > max) throw new GatewayValidationError(field, `${field} is ${value.length} characters long; at most ${max} are allowed`);
	return value;
}

function buildZip(request: SendMmsRequest): Uint8Array {
	if (!Array.isArray(request.parts) || request.parts.length === 0) {
		throw new GatewayValidationError('parts', 'An MMS needs at least one part');
	}
	const names = new Set<string>();
	const parts = request.parts.map((part, i) => {
		const where = `parts[${i}]`;
		if (!part || typeof part !== 'object') throw new GatewayValidationError(where, `${where} must be an object { name, mimeType, data }`);
		const nameProblem = mmsPartNameProblem(part.name);
		if (nameProblem) throw new GatewayValidationError(`${where}.name`, `MMS part name ${JSON.stringify(String(part.name))}: ${nameProblem}`);
		if (names.has(part.name)) throw new GatewayValidationError(`${where}.name`, `Two MMS parts are named ${JSON.stringify(part.name)}`);
		names.add(part.name);
		const mimeProblem = mimeTypeProblem(part.mimeType);
		if (mimeProblem) throw new GatewayValidationError(`${where}.mimeType`, `MMS part ${part.name}: ${mimeProblem}`);
		let data: Uint8Array;
		if (typeof part.data === 'string') data = UTF8.encode(part.data);
		else if (part.data instanceof Uint8Array) data = part.data;
		else throw new GatewayValidationError(`${where}.data`, `MMS part ${part.name}: data must be bytes or text`);
		return { name: part.name, mimeType: part.mimeType, data };
	});
	const zip = buildMmsZip(parts);
	if (zip.length > MAX_MMS_ZIP_BYTES) {
		throw new GatewayValidationError('parts', `The MMS content is ${zip.length} bytes zipped; at most ${MAX_MMS_ZIP_BYTES} are sent`);
	}
	return zip;
}

export function createMxMms(runtime: Runtime) {
	const { config } = runtime;

	async function send(request: SendMmsRequest): Promise<MmsSendResult> {
		if (!request || typeof request !== 'object') throw new GatewayValidationError('request', 'The MMS request must be an object');
		const to = normaliseMsisdn(String(request.to ?? ''));
		const from = validateOriginator(request.from, 'mxTelecom');
		if (from === undefined) throw new GatewayValidationError('from', 'An MMS needs an originator (from): a number or short code');
		const subject = optionalText(request.subject, 'subject', 160);
		const note = optionalText(request.note, 'note', 160);
		const subaccount = optionalText(request.subaccount, 'subaccount', 10);
		const zip = buildZip(request);
		requireCredentials(config, 'username', 'password');

		const fields: MultipartField[] = [
			{ field: 'user', content: latin9OrUtf8(config.username) },
			{ field: 'pass', content: latin9OrUtf8(config.password) },
			{ field: 'to', content: to },
			{ field: 'from', content: latin9OrUtf8(from) },
		];
		if (subject !== undefined) fields.push({ field: 'subject', content: latin9OrUtf8(subject) });
		if (note !== undefined) fields.push({ field: 'note', content: latin9OrUtf8(note) });
		if (subaccount !== undefined) fields.push({ field: 'subaccount', content: latin9OrUtf8(subaccount) });
		if (request.deliveryReport === true) fields.push({ field: 'deliveryreport', content: 'true' });
		if (request.readReport === true) fields.push({ field: 'readreport', content: 'true' });
		fields.push({ field: 'mms.zip', content: zip, filename: 'mms.zip', contentType: 'application/zip' });
		const multipart = multipartBody(fields, randomUUID().replace(/-/g, ''));

		const done = (status: MmsSendResult['status'], extra: Partial<MmsSendResult> = {}): MmsSendResult => ({ to, status, provider: PROVIDER, ...extra });
		const interpret = (outcome: HttpOutcome): Verdict<MmsSendResult> => {
			if (!outcome.ok) return failureVerdict(outcome);
			const text = bodyText(outcome.body);
			if (outcome.statusCode === 200) {
				const id = text.trim();
				// section 6.2: success is HTTP 200 whose body is the MMS id.
				if (/^[0-9A-Za-z._-]{1,64}$/.test(id) && !/^FAILURE/i.test(id)) return { kind: 'final', value: done('accepted', { messageId: id }) };
				return { kind: 'final', value: done('unknown', { error: { code: 'UNPARSEABLE_RESPONSE', message: `SendMMS answered 200 without an id: ${snippet(text)}`, retryable: false } }) };
			}
			const transient = transientStatus<MmsSendResult>(outcome.statusCode, outcome.headers, snippet(text));
			if (transient) return transient;
			const auth = outcome.statusCode === 401 || outcome.statusCode === 403;
			if (outcome.statusCode >= 400 && outcome.statusCode <= 499) {
				return {
					kind: 'final',
					value: done('failed', {
						error: { code: auth ? 'AUTH' : outcome.statusCode === 400 ? 'INVALID_REQUEST' : `HTTP_${outcome.statusCode}`, message: `SendMMS refused the message (HTTP ${outcome.statusCode}): ${snippet(text)}`, retryable: false },
					}),
				};
			}
			return { kind: 'final', value: done('unknown', { error: { code: `HTTP_${outcome.statusCode}`, message: `Unexpected SendMMS answer (HTTP ${outcome.statusCode}): ${snippet(text)}`, retryable: false } }) };
		};
		return await retrying({
			ctx: runtime.ctx,
			policy: runtime.policy,
			idempotent: false,
			call: () => ({
				method: 'POST',
				url: joinUrl(config.mmsBaseUrl, '/SendMMS'),
				headers: { 'Content-Type': multipart.contentType, Accept: 'text/plain' },
				body: multipart.body,
			}),
			interpret,
			giveUp: (last) => {
				const { status, error } = givenUp(last);
				return done(status, { error });
			},
		});
	}

	async function retrieve(id: string): Promise<RetrievedMms> {
		if (typeof id !== 'string' || !/^[0-9A-Za-z._-]{1,64}$/.test(id.trim())) {
			throw new GatewayValidationError('messageId', 'The MMS id must be 1-64 letters, digits, ".", "_" or "-"');
		}
		// The MMS (inbound) account retrieves; without one, the SMS account is tried.
		const user = config.mmsUsername || config.username;
		const pass = config.mmsPassword || config.password;
		if (user === '' || pass === '') requireCredentials(config, 'mmsUsername', 'mmsPassword');
		const host = new URL(config.mmsBaseUrl).hostname.toLowerCase();
		// section 6.1 / section 8 item 15: OpenMarket hosts use /mms/v1/http/retrieve, MX hosts /RetrieveMMS.
		const path = host.endsWith('openmarket.com') ? '/mms/v1/http/retrieve' : '/RetrieveMMS';
		const url = `${joinUrl(config.mmsBaseUrl, path)}?${formEncode([['user', latin9OrUtf8(user)], ['pass', latin9OrUtf8(pass)], ['id', id.trim()]])}`;

		type Fetched = { bytes: Uint8Array } | { error: GatewayError };
		const fail = (code: string, message: string, retryable: boolean, statusCode?: number): Fetched => ({
			error: gatewayError(runtime, PROVIDER, code, message, retryable, statusCode),
		});
		const interpret = (outcome: HttpOutcome): Verdict<Fetched> => {
			if (!outcome.ok) return failureVerdict(outcome);
			if (outcome.statusCode === 200) return { kind: 'final', value: { bytes: bodyBytes(outcome.body) } };
			const text = bodyText(outcome.body, 'latin1');
			const transient = transientStatus<Fetched>(outcome.statusCode, outcome.headers, snippet(text));
			if (transient) return transient;
			if (outcome.statusCode === 401 || outcome.statusCode === 403) {
				return { kind: 'final', value: fail('AUTH', `RetrieveMMS rejected the MMS account credentials (HTTP ${outcome.statusCode}): ${snippet(text)}`, false, outcome.statusCode) };
			}
			if (outcome.statusCode === 404) {
				return { kind: 'final', value: fail('NOT_FOUND', `No MMS with id ${id.trim()} (HTTP 404): ${snippet(text)}`, false, 404) };
			}
			return { kind: 'final', value: fail(`HTTP_${outcome.statusCode}`, `RetrieveMMS failed (HTTP ${outcome.statusCode}): ${snippet(text)}`, false, outcome.statusCode) };
		};
		// Retrieval only reads, so every transient failure may be retried.
		const fetched = await retrying<Fetched>({
			ctx: runtime.ctx,
			policy: runtime.policy,
			idempotent: true,
			call: () => ({ method: 'GET', url, headers: { Accept: 'application/zip' }, responseType: 'bytes' }),
			interpret,
			giveUp: (last) => fail(last.code, `RetrieveMMS failed: ${givenUp({ ...last, maybeSent: false }).error.message}`, true),
		});
		if ('error' in fetched) throw fetched.error;
		const zip = fetched.bytes;
		const content = await readMmsZip(zip).then(
			(value) => ({ value }),
			(error: unknown) => ({ error }),
		);
		if ('error' in content) {
			const reason = content.error instanceof ZipError ? `${content.error.code}: ${content.error.message}` : 'the archive could not be read';
			throw gatewayError(runtime, PROVIDER, 'INVALID_ZIP', `The retrieved MMS is not a usable zip (${reason})`, false, 200);
		}
		return { zip, parts: content.value.parts, unlisted: content.value.unlisted };
	}

	return { send, retrieve };
}
