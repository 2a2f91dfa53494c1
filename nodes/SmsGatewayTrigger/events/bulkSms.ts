/**
 * BulkSMS EAPI pushes (reference bulksms-eapi sections 11 and 12.1): unsigned GET requests with
 * ISO-8859-1 query parameters, one URL for inbound messages and one for status reports
 * (both may point at this trigger).
 */
import { fromLatin1 } from '../../shared/codec';
import { Params, mergeParams, type ByteDecoder } from '../http/params';
import { HttpRefusal } from '../http/refusal';
import type { InboundRequest } from '../http/request';
import { address, digits, hex, optional, required, ucs2Text } from './fields';
import { bulkSmsStatus } from '../../shared/providers/deliveryStatus';
import { bulkSmsTimeToIso } from './time';
import type { DeliveryReportItem, InboundSmsItem, ParsedEvent } from './types';

const latin1: ByteDecoder = (bytes) => fromLatin1(bytes);

function paramsOf(request: InboundRequest, hidden: ReadonlySet<string>): Params {
	const { body } = request;
	if (body.kind === 'none') return new Params(request.query, latin1, hidden);
	if (body.kind === 'form') return new Params(mergeParams(request.query, body.params), latin1, hidden);
	throw new HttpRefusal(415, 'BulkSMS pushes are GET requests with query parameters');
}

function inboundSms(p: Params, receivedAt: string): InboundSmsItem {
	const what = 'BulkSMS inbound SMS';
	const messageId = digits(required(p, 'msg_id', what), 'msg_id', what);
	const dca = (optional(p, 'dca', what) ?? '7bit').toLowerCase();
	const message = p.text('message') ?? '';
	let text = '';
	let payload: string | null = null;
	let encoding: InboundSmsItem['encoding'];
	if (dca === '7bit') {
		encoding = 'gsm7';
		text = message;
	} else if (dca === '16bit') {
		encoding = 'ucs2';
		text = ucs2Text(message, 'message', what);
	} else if (dca === '8bit') {
		encoding = 'binary';
		payload = hex(message, 'message', what);
	} else {
		throw new HttpRefusal(400, `${what}: "dca" must be 7bit, 8bit or 16bit`);
	}
	return {
		event: 'inboundSms',
		provider: 'bulkSms',
		dedupeKey: `bulkSms:inboundSms:${messageId}`,
		messageId,
		// `sender` is the handset; `msisdn` is the number the message was sent to (reference section 12.1).
		from: address(required(p, 'sender', what), 'sender', what),
		to: address(required(p, 'msisdn', what), 'msisdn', what),
		text,
		encoding,
		// The push carries no time of its own: this is when the trigger received it.
		receivedAt,
		network: optional(p, 'network_id', what),
		udh: null,
		payload,
		concat: null,
		raw: p.toObject(),
	};
}

function deliveryReport(p: Params): DeliveryReportItem {
	const what = 'BulkSMS status report';
	const batchId = digits(required(p, 'batch_id', what), 'batch_id', what);
	const statusText = required(p, 'status', what);
	if (!/^[0-9]{1,4}$/.test(statusText)) throw new HttpRefusal(400, `${what}: "status" must be a number`);
	const code = Number(statusText);
	const mapped = bulkSmsStatus(code);
	const to = address(required(p, 'msisdn', what), 'msisdn', what);
	const completed = optional(p, 'completed_time', what);
	return {
		event: 'deliveryReport',
		provider: 'bulkSms',
		dedupeKey: `bulkSms:deliveryReport:${batchId}:${to}:${code}:${completed ?? ''}`,
		messageId: batchId,
		status: mapped.status,
		final: mapped.final,
		providerStatus: String(code),
		reason: mapped.description,
		to,
		reference: optional(p, 'source_id', what),
		at: bulkSmsTimeToIso(completed ?? undefined) ?? null,
		channel: 'sms',
		kind: 'delivery',
		raw: p.toObject(),
	};
}

/** Classifies and parses one BulkSMS push. */
export function parseBulkSms(request: InboundRequest, hidden: ReadonlySet<string>, receivedAt: string): ParsedEvent {
	const p = paramsOf(request, hidden);
	if (p.has('batch_id') && p.has('status')) return { kind: 'deliveryReport', item: deliveryReport(p) };
	if (p.has('msg_id') || p.has('sender')) return { kind: 'inboundSms', item: inboundSms(p, receivedAt) };
	throw new HttpRefusal(
		400,
		'not a BulkSMS push: expected batch_id + status (status report) or msg_id + sender (inbound message)',
	);
}
