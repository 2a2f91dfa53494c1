/**
 * The caller's fields of a WAP Push SI, MMS notification or vCard, checked (each error names
 * its field) and handed to the codec's encoders. Dates are taken in any ISO 8601 offset and
 * passed on in UTC, the only zone an SI date can carry (content-messages.md section 4.5).
 */
import { ContentFieldError, mmsNotification, vcardMessage, wapPushSi, type ContentPart, type VcardFields } from '../codec';
import { GatewayValidationError } from './errors';
import type { MmsNotificationContent, VcardContent, WapPushSiContent } from './types';

const SI_ACTIONS = ['signal-none', 'signal-low', 'signal-medium', 'signal-high', 'delete'] as const;
const MMS_CLASSES = ['personal', 'advertisement', 'informational', 'auto'] as const;
/** Message-Size and Expiry are sent as Long-integers; 32 bits is what every reader handles. */
const MAX_UINT32 = 0xffffffff;

const ISO_8601 = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}(?::?\d{2})?)$/i;

function requiredText(value: unknown, field: string, what: string): string {
	if (typeof value !== 'string' || value.trim() === '') throw new GatewayValidationError(field, `${field} is required: ${what}`);
	return value.trim();
}

function optionalText(value: unknown, field: string): string | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	if (typeof value !== 'string') throw new GatewayValidationError(field, `${field} must be text`);
	return value.trim() === '' ? undefined : value.trim();
}

function oneOf<T extends string>(value: unknown, field: string, allowed: readonly T[]): T | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	if (typeof value !== 'string' || !allowed.includes(value as T)) {
		throw new GatewayValidationError(field, `${field} must be one of ${allowed.join(', ')}`);
	}
	return value as T;
}

function wholeNumber(value: unknown, field: string, min: number, what: string): number {
	const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	if (typeof number !== 'number' || !Number.isInteger(number) || number < min || number > MAX_UINT32) {
		throw new GatewayValidationError(field, `${field} must be a whole number from ${min} to ${MAX_UINT32}: ${what}`);
	}
	return number;
}

/** An ISO 8601 date-time with a zone, as `YYYY-MM-DDThh:mm:ssZ` in UTC. */
function utcDate(value: unknown, field: string): string | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const date = value instanceof Date ? value : typeof value === 'string' && ISO_8601.test(value.trim()) ? new Date(value.trim().replace(' ', 'T')) : undefined;
	if (!date || Number.isNaN(date.getTime())) {
		throw new GatewayValidationError(field, `${field} must be an ISO 8601 date-time with a time zone, like 2030-01-31T09:30:00Z`);
	}
	const year = date.getUTCFullYear();
	if (year < 1000 || year > 9999) throw new GatewayValidationError(field, `${field} must fall in the years 1000 to 9999`);
	return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function siFields(content: WapPushSiContent): Parameters<typeof wapPushSi>[0] {
	const fields: Parameters<typeof wapPushSi>[0] = {
		href: requiredText(content.href, 'content.href', 'the link the handset opens'),
		// Handsets discard an SI without text (content-messages.md section 4.4).
		text: requiredText(content.text, 'content.text', 'the text shown with the link'),
	};
	const siId = optionalText(content.siId, 'content.siId');
	if (siId !== undefined) fields.siId = siId;
	const created = utcDate(content.created, 'content.created');
	if (created !== undefined) fields.created = created;
	const expires = utcDate(content.expires, 'content.expires');
	if (expires !== undefined) fields.expires = expires;
	const action = oneOf(content.action, 'content.action', SI_ACTIONS);
	if (action !== undefined) fields.action = action;
	return fields;
}

function mmsFields(content: MmsNotificationContent): Parameters<typeof mmsNotification>[0] {
	const contentLocation = requiredText(content.contentLocation, 'content.contentLocation', 'the URL the handset fetches the MMS from');
	if (/\s/.test(contentLocation)) throw new GatewayValidationError('content.contentLocation', 'content.contentLocation must be a URL without spaces');
	const fields: Parameters<typeof mmsNotification>[0] = {
		contentLocation,
		size: wholeNumber(content.size, 'content.size', 0, 'the size of the MMS in octets'),
		expiry: wholeNumber(content.expiry, 'content.expiry', 1, 'seconds until the MMS expires'),
	};
	const transactionId = optionalText(content.transactionId, 'content.transactionId');
	if (transactionId !== undefined) fields.transactionId = transactionId;
	const from = optionalText(content.from, 'content.from');
	if (from !== undefined) fields.from = from;
	const subject = optionalText(content.subject, 'content.subject');
	if (subject !== undefined) fields.subject = subject;
	const messageClass = oneOf(content.messageClass, 'content.messageClass', MMS_CLASSES);
	if (messageClass !== undefined) fields.messageClass = messageClass;
	return fields;
}

function textList(value: unknown, field: string): string | string[] | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	if (typeof value === 'string') return value.trim() === '' ? undefined : value.trim();
	if (Array.isArray(value) && value.every((v) => typeof v === 'string')) {
		const list = value.map((v: string) => v.trim()).filter((v) => v !== '');
		return list.length === 0 ? undefined : list;
	}
	throw new GatewayValidationError(field, `${field} must be text or a list of texts`);
}

function vcardInput(content: VcardContent): Parameters<typeof vcardMessage>[0] {
	const { vcard } = content;
	if (typeof vcard === 'string') {
		if (!/BEGIN:VCARD/i.test(vcard) || !/END:VCARD/i.test(vcard)) {
			throw new GatewayValidationError('content.vcard', 'content.vcard must be vCard text from BEGIN:VCARD to END:VCARD, or the card\'s fields');
		}
		return vcard;
	}
	if (vcard === null || typeof vcard !== 'object') throw new GatewayValidationError('content.vcard', 'content.vcard must be vCard text or an object of fields (fn, n, tel, email, org, title, url, note)');
	const fields: VcardFields = { fn: requiredText(vcard.fn, 'content.vcard.fn', 'the name shown for the card') };
	for (const key of ['n', 'org', 'title', 'url', 'note'] as const) {
		const value = optionalText(vcard[key], `content.vcard.${key}`);
		if (value !== undefined) fields[key] = value;
	}
	for (const key of ['tel', 'email'] as const) {
		const value = textList(vcard[key], `content.vcard.${key}`);
		if (value !== undefined) fields[key] = value;
	}
	return fields;
}

/** The request field a codec field name stands for. */
function codecField(content: WapPushSiContent | MmsNotificationContent | VcardContent, field: string): string {
	if (content.type !== 'vcard') return field === 'input' ? 'content' : `content.${field}`;
	return typeof content.vcard === 'string' || field === 'input' || field === 'text' ? 'content.vcard' : `content.vcard.${field}`;
}

/** The codec's parts for a content message; a codec refusal becomes a validation error on `content`. */
export function encodeContent(content: WapPushSiContent | MmsNotificationContent | VcardContent): ContentPart[] {
	let input: () => { parts: ContentPart[] };
	if (content.type === 'wapPushSi') {
		const fields = siFields(content);
		input = () => wapPushSi(fields);
	} else if (content.type === 'mmsNotification') {
		const fields = mmsFields(content);
		input = () => mmsNotification(fields);
	} else {
		const fields = vcardInput(content);
		input = () => vcardMessage(fields);
	}
	let encoded: { parts: ContentPart[] } | { failure: unknown };
	try {
		encoded = input();
	} catch (failure) {
		encoded = { failure };
	}
	if ('failure' in encoded) {
		const { failure } = encoded;
		// The codec names the input field at fault; its message already says which message and field.
		if (failure instanceof ContentFieldError) throw new GatewayValidationError(codecField(content, failure.field), failure.message);
		throw new GatewayValidationError('content', `The ${content.type} message cannot be encoded: ${failure instanceof Error ? failure.message : String(failure)}`);
	}
	return encoded.parts;
}
