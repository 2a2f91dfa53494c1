/**
 * MX Telecom / OpenMarket pushes (reference mx-telecom-http sections 3-6). All of them are GET
 * requests with query parameters, except inbound MMS in multipart-POST mode. Text in
 * `smsmsg` is Latin-9 bytes, percent-encoded; `smsdate` is London wall-clock time.
 */
import { fromLatin9 } from '../../shared/codec';
import type { InboundRequest, UploadedFile } from '../http/request';
import { Params, mergeParams, type ByteDecoder, type RawParams } from '../http/params';
import { HttpRefusal } from '../http/refusal';
import {
	address,
	concatFromUdh,
	digits,
	hex,
	optional,
	required,
	token,
	ucs2Text,
} from './fields';
import { mxMmsStatus, mxSmsStatus } from '../../shared/providers/deliveryStatus';
import { londonTextToIso, mxMmsDateToIso } from './time';
import type { DeliveryReportItem, InboundMmsItem, InboundSmsItem, ParsedEvent, UnsubscribeItem } from './types';

const latin9: ByteDecoder = (bytes) => fromLatin9(bytes);
const utf8: ByteDecoder = (bytes) => new TextDecoder('utf-8').decode(bytes);

/**
 * `REPORT <id> <STATUS>` as on the wire (`REPORT+17218733+DELIVERED`) or as in the prose
 * examples with angle brackets (reference section 8 item 8).
 */
const REPORT = /^REPORT\s+<?(\d{1,20})>?\s+<?([A-Za-z][A-Za-z/_]*)>?\s*$/;

/** The zip part of a multipart MMS post: the field named `mms.zip`, or a file named so. */
export function findMmsZip(files: readonly UploadedFile[]): UploadedFile | undefined {
	return files.find((f) => f.field === 'mms.zip') ?? files.find((f) => f.originalFilename === 'mms.zip');
}

/**
 * The MMS gateway is a UTF-8 product (its zip text parts must be UTF-8), while the SMS
 * gateway speaks Latin-9; MMS parameters (a subject, a user agent) are therefore read as
 * UTF-8 when they are valid UTF-8, else as Latin-9.
 */
const utf8OrLatin9: ByteDecoder = (bytes) => {
	try {
		return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
	} catch {
		// Not UTF-8: the SMS gateway's charset is the only other one MX uses.
		return fromLatin9(bytes);
	}
};

/** The push's parameters and the charset they were sent in. */
function rawParamsOf(request: InboundRequest): { raw: RawParams; decode: ByteDecoder } {
	const { body } = request;
	switch (body.kind) {
		case 'none':
			return { raw: request.query, decode: latin9 };
		case 'form':
			return { raw: mergeParams(request.query, body.params), decode: latin9 };
		case 'multipart':
			// n8n's multipart parser has already decoded the text fields (as UTF-8).
			return { raw: body.fields, decode: utf8 };
		case 'json':
			throw new HttpRefusal(415, 'MX Telecom pushes are GET requests or multipart MMS posts, not JSON');
		default:
			throw new HttpRefusal(415, `MX Telecom pushes are GET requests or multipart MMS posts, not ${body.contentType}`);
	}
}

function reasonCode(text: string | null): string | null {
	if (text === null) return null;
	// Decimal officially; a 0x-prefixed or hex value is accepted too (reference section 8 item 26).
	const value = /^[0-9]{1,10}$/.test(text) ? Number(text) : /^0x[0-9a-f]{1,8}$/i.test(text) ? parseInt(text, 16) : NaN;
	if (!Number.isInteger(value) || value > 0xffffffff) return text;
	return `0x${value.toString(16).toUpperCase().padStart(8, '0')}`;
}

function inboundSms(p: Params, what = 'MX Telecom inbound SMS'): InboundSmsItem {
	const messageId = digits(required(p, 'smsid', what), 'smsid', what);
	const bits = optional(p, 'bits', what) ?? '7';
	const udh = p.has('smsudh') ? hex(p.text('smsudh') ?? '', 'smsudh', what) || null : null;
	let text = '';
	let payload: string | null = null;
	let encoding: InboundSmsItem['encoding'];
	if (bits === '7') {
		encoding = 'gsm7';
		text = p.text('smsmsg') ?? '';
	} else if (bits === '16') {
		encoding = 'ucs2';
		// smsucs2 carries the real text; smsmsg is only a best-guess rendering (reference section 8 item 13).
		const ucs2 = p.text('smsucs2');
		text = ucs2 !== undefined ? ucs2Text(ucs2, 'smsucs2', what) : (p.text('smsmsg') ?? '');
	} else if (bits === '8') {
		encoding = 'binary';
		payload = hex(p.text('smsmsg') ?? '', 'smsmsg', what);
	} else {
		throw new HttpRefusal(400, `${what}: "bits" must be 7, 8 or 16, not ${JSON.stringify(bits.slice(0, 10))}`);
	}
	const network = optional(p, 'network', what);
	return {
		event: 'inboundSms',
		provider: 'mxTelecom',
		dedupeKey: `mxTelecom:inboundSms:${messageId}`,
		messageId,
		from: address(required(p, 'smsfrom', what), 'smsfrom', what),
		to: address(required(p, 'smsto', what), 'smsto', what),
		text,
		encoding,
		receivedAt: londonTextToIso(optional(p, 'smsdate', what) ?? undefined) ?? null,
		network,
		udh,
		payload,
		concat: concatFromUdh(udh),
		raw: p.toObject(),
	};
}

function deliveryReport(p: Params, report: RegExpExecArray): DeliveryReportItem {
	const what = 'MX Telecom delivery report';
	const messageId = report[1];
	const providerStatus = report[2].toUpperCase();
	const pushId = optional(p, 'smsid', what);
	const date = optional(p, 'smsdate', what);
	const to = optional(p, 'smsfrom', what);
	const { status, final } = mxSmsStatus(providerStatus);
	return {
		event: 'deliveryReport',
		provider: 'mxTelecom',
		// The push's own smsid identifies the report; the id inside smsmsg names the message (reference section 8 item 9).
		dedupeKey: `mxTelecom:deliveryReport:${pushId ?? ''}:${messageId}:${providerStatus}:${date ?? ''}`,
		messageId,
		status,
		final,
		providerStatus,
		reason: reasonCode(optional(p, 'reason', what)),
		to: to && address(to, 'smsfrom', what),
		reference: optional(p, 'note', what),
		// DLR times have no documented zone; read like the MO dates (London).
		at: londonTextToIso(date ?? undefined) ?? null,
		channel: 'sms',
		kind: 'delivery',
		raw: p.toObject(),
	};
}

function mmsReport(p: Params): DeliveryReportItem {
	const what = 'MX Telecom MMS report';
	const reportId = token(required(p, 'id', what), 'id', what);
	const type = required(p, 'type', what);
	if (type !== '1' && type !== '2') throw new HttpRefusal(400, `${what}: "type" must be 1 or 2`);
	const code = required(p, 'status', what);
	if (!/^[0-9]{1,3}$/.test(code)) throw new HttpRefusal(400, `${what}: "status" must be a number`);
	const mapped = mxMmsStatus(code);
	const recipient = optional(p, 'from', what);
	return {
		event: 'deliveryReport',
		provider: 'mxTelecom',
		dedupeKey: `mxTelecom:deliveryReport:mms:${reportId}`,
		messageId: token(required(p, 'requestid', what), 'requestid', what),
		status: mapped.status,
		final: mapped.final,
		providerStatus: mapped.name,
		reason: null,
		// Reports flow back from the recipient: `from` is the recipient of the original MMS.
		to: recipient && address(recipient, 'from', what),
		reference: null,
		at: mxMmsDateToIso(optional(p, 'date', what) ?? undefined) ?? null,
		channel: 'mms',
		kind: type === '2' ? 'read' : 'delivery',
		raw: p.toObject(),
	};
}

function unsubscribe(p: Params): UnsubscribeItem {
	const what = 'MX Telecom unsubscribe';
	const msisdn = address(required(p, 'msisdn', what), 'msisdn', what);
	const shortcodes = p.list('shortcode').map((s) => address(s.trim(), 'shortcode', what));
	if (shortcodes.length === 0) throw new HttpRefusal(400, `${what}: parameter "shortcode" is missing`);
	const date = optional(p, 'date', what);
	const source = optional(p, 'source', what);
	return {
		event: 'unsubscribe',
		provider: 'mxTelecom',
		dedupeKey: `mxTelecom:unsubscribe:${msisdn}:${[...shortcodes].sort().join(',')}:${date ?? ''}:${source ?? ''}`,
		msisdn,
		shortcodes,
		source,
		at: londonTextToIso(date ?? undefined) ?? null,
		raw: p.toObject(),
	};
}

function inboundMms(p: Params, files: readonly UploadedFile[] | undefined): ParsedEvent {
	const what = 'MX Telecom inbound MMS';
	const messageId = token(required(p, 'id', what), 'id', what);
	const expiryText = optional(p, 'expiry', what);
	// `to1`/`cc1` in the tables are footnote marks; `to`/`cc` repeat (reference section 8 item 16).
	const to = [...p.list('to'), ...p.list('to1')].map((a) => address(a.trim(), 'to', what));
	const cc = [...p.list('cc'), ...p.list('cc1')].map((a) => address(a.trim(), 'cc', what));
	const item: InboundMmsItem = {
		event: 'inboundMms',
		provider: 'mxTelecom',
		dedupeKey: `mxTelecom:inboundMms:${messageId}`,
		messageId,
		from: address(required(p, 'from', what), 'from', what),
		to,
		cc,
		subject: optional(p, 'subject', what),
		receivedAt: mxMmsDateToIso(optional(p, 'date', what) ?? undefined) ?? null,
		// The expiry format is undocumented: parsed like `date` when possible, else kept as sent.
		expiry: expiryText === null ? null : (mxMmsDateToIso(expiryText) ?? expiryText),
		network: optional(p, 'network', what),
		delivery: files ? 'multipart' : 'notification',
		retrieved: false,
		zipProperty: null,
		parts: [],
		unlisted: [],
		error: null,
		raw: p.toObject(),
	};
	if (!files) return { kind: 'inboundMms', item, zip: { retrieveId: messageId } };
	const zip = findMmsZip(files);
	if (!zip) throw new HttpRefusal(400, `${what}: multipart request without an mms.zip part`);
	return { kind: 'inboundMms', item, zip: { fileField: zip.field } };
}

/** Classifies and parses one MX Telecom push. `hidden` names parameters left out of `raw`. */
export function parseMxTelecom(request: InboundRequest, hidden: ReadonlySet<string>): ParsedEvent {
	const { raw, decode } = rawParamsOf(request);
	const p = new Params(raw, decode, hidden);
	const mms = (): Params => (decode === latin9 ? new Params(raw, utf8OrLatin9, hidden) : p);
	if (request.body.kind === 'multipart') {
		if (!p.has('id') || !p.has('from')) {
			throw new HttpRefusal(400, 'multipart request is not an MX Telecom MMS push (needs "id" and "from" fields and an mms.zip part)');
		}
		return inboundMms(p, request.body.files);
	}
	if (p.has('smsmsg')) {
		const report = p.has('bits') ? null : REPORT.exec(p.text('smsmsg') ?? '');
		if (report) return { kind: 'deliveryReport', item: deliveryReport(p, report) };
		if (p.has('smsfrom') || p.has('smsid')) return { kind: 'inboundSms', item: inboundSms(p) };
	}
	if (p.has('msisdn') && p.has('shortcode') && !p.has('mtusername')) {
		return { kind: 'unsubscribe', item: unsubscribe(p) };
	}
	if (p.has('requestid')) return { kind: 'deliveryReport', item: mmsReport(mms()) };
	if (p.has('id') && p.has('from')) return inboundMms(mms(), undefined);
	throw new HttpRefusal(
		400,
		'not an MX Telecom push: expected smsmsg (inbound SMS or delivery report), msisdn + shortcode (unsubscribe), requestid (MMS report) or id + from (inbound MMS)',
	);
}
