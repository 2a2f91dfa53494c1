/**
 * GatewayAPI webhooks (reference gatewayapi-rest sections 6-8): JSON POSTs, one shape for
 * delivery status notifications and one for inbound messages. When the webhook has a
 * secret, the data used is the verified JWT payload, not the unsigned body (section 14 G5).
 */
import type { IDataObject } from 'n8n-workflow';
import { z } from 'zod';

import { HttpRefusal } from '../http/refusal';
import { base64ToHex, concatFromUdh } from './fields';
import { gatewayApiStatus } from '../../shared/providers/deliveryStatus';
import { unixToIso } from './time';
import type { DeliveryReportItem, InboundSmsItem, ParsedEvent } from './types';

const id = z
	.union([z.number().int().nonnegative(), z.string().regex(/^[0-9]{1,20}$/)])
	.transform((v) => String(v));
const msisdn = z
	.union([z.number().int().nonnegative(), z.string().trim().min(1).max(32)])
	.transform((v) => String(v).replace(/^\+/, ''));
const text = (max: number) => z.string().max(max);
const optionalText = (max: number) => text(max).nullish();

const statusSchema = z
	.object({
		id,
		msisdn,
		time: z.number().finite(),
		status: z.string().trim().min(1).max(32),
		error: optionalText(1024),
		code: optionalText(64),
		userref: optionalText(1024),
	})
	.passthrough();

const inboundSchema = z
	.object({
		id,
		msisdn,
		receiver: msisdn,
		message: text(10_000).optional(),
		senttime: z.number().finite().optional(),
		webhook_label: optionalText(1024),
		sender: optionalText(64),
		mcc: z.number().int().nullish(),
		mnc: z.number().int().nullish(),
		encoding: optionalText(32),
		udh: optionalText(1024),
		payload: optionalText(20_000),
	})
	.passthrough();

function refuseFromZod(what: string, data: Record<string, unknown>, error: z.ZodError): HttpRefusal {
	const issue = error.issues[0];
	const path = issue.path.join('.') || 'body';
	const top = issue.path.length === 1 ? data[String(issue.path[0])] : null;
	if (top === undefined) return new HttpRefusal(400, `${what}: ${path} is missing`);
	return new HttpRefusal(400, `${what}: ${path}: ${issue.message}`);
}

function deliveryReport(data: Record<string, unknown>): DeliveryReportItem {
	const what = 'GatewayAPI delivery status';
	const parsed = statusSchema.safeParse(data);
	if (!parsed.success) throw refuseFromZod(what, data, parsed.error);
	const d = parsed.data;
	const providerStatus = d.status.toUpperCase();
	const { status, final } = gatewayApiStatus(providerStatus);
	const reason = [d.code, d.error].filter((v): v is string => typeof v === 'string' && v !== '').join(' ');
	return {
		event: 'deliveryReport',
		provider: 'gatewayApi',
		dedupeKey: `gatewayApi:deliveryReport:${d.id}:${d.msisdn}:${providerStatus}:${d.time}`,
		messageId: d.id,
		status,
		final,
		providerStatus,
		reason: reason === '' ? null : reason,
		to: d.msisdn,
		reference: d.userref ?? null,
		at: unixToIso(d.time) ?? null,
		channel: 'sms',
		kind: 'delivery',
		raw: data as IDataObject,
	};
}

function inboundSms(data: Record<string, unknown>): InboundSmsItem {
	const what = 'GatewayAPI inbound SMS';
	const parsed = inboundSchema.safeParse(data);
	if (!parsed.success) throw refuseFromZod(what, data, parsed.error);
	const d = parsed.data;
	const udh = d.udh ? base64ToHex(d.udh) : null;
	const payload = d.payload ? base64ToHex(d.payload) : null;
	if (d.payload && payload === null) throw new HttpRefusal(400, `${what}: payload is not base64`);
	const encoding: InboundSmsItem['encoding'] = payload !== null ? 'binary' : /ucs/i.test(d.encoding ?? '') ? 'ucs2' : 'gsm7';
	return {
		event: 'inboundSms',
		provider: 'gatewayApi',
		dedupeKey: `gatewayApi:inboundSms:${d.id}`,
		messageId: d.id,
		// `sender` is set when the originator was alphanumeric; otherwise the number says it all.
		from: d.sender ?? d.msisdn,
		to: d.receiver,
		text: payload !== null ? '' : (d.message ?? ''),
		encoding,
		receivedAt: unixToIso(d.senttime) ?? null,
		network: typeof d.mcc === 'number' && typeof d.mnc === 'number' ? `${d.mcc}-${String(d.mnc).padStart(2, '0')}` : null,
		udh,
		payload,
		concat: concatFromUdh(udh),
		raw: data as IDataObject,
	};
}

/**
 * Classifies GatewayAPI webhook data (the body, or the verified JWT payload). A status
 * notification has `status` and `time`; an inbound message has `receiver` and a
 * `message` or `payload` (the distinction third-party clients use, section 7).
 */
export function parseGatewayApi(data: unknown): ParsedEvent {
	if (data === null || typeof data !== 'object' || Array.isArray(data)) {
		throw new HttpRefusal(400, 'GatewayAPI webhook body must be a JSON object');
	}
	const record = data as Record<string, unknown>;
	if ('status' in record && 'time' in record) return { kind: 'deliveryReport', item: deliveryReport(record) };
	if ('receiver' in record && ('message' in record || 'payload' in record)) {
		return { kind: 'inboundSms', item: inboundSms(record) };
	}
	throw new HttpRefusal(
		400,
		'not a GatewayAPI webhook: expected status + time (delivery status) or receiver + message (inbound SMS)',
	);
}
