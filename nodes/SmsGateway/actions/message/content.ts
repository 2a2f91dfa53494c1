/**
 * Reads the Message Type fields (content.description.ts) of one item into the clients'
 * request: a content message (`content`) or a binary SMS (`binary`). Text is left to
 * fields.ts. Dates are read in the workflow's time zone and passed on with their offset.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { VcardFields } from '../../../shared/codec';
import type { BinaryContent, SendContent } from '../../../shared/providers/types';
import type { ParameterReader } from '../parameters';
import { withTimeZone } from './schedule';

export type MessageType = 'text' | 'binary' | 'wapPushSi' | 'mmsNotification' | 'vcard';

/** How the clients' field names of a content message read in the node (errors.ts). */
export const CONTENT_PARAMETER_NAMES: Record<string, string> = {
	content: 'Message Type',
	'content.type': 'Message Type',
	'content.parts': 'Hex Payload',
	'content.parts.payload': 'Hex Payload',
	'content.parts.udh': 'UDH',
	'binary.payload': 'Hex Payload',
	'content.href': 'URL',
	'content.text': 'Text',
	'content.siId': 'WAP Push Options: SI ID',
	'content.created': 'WAP Push Options: Created',
	'content.expires': 'WAP Push Options: Expires',
	'content.action': 'WAP Push Options: Action',
	'content.contentLocation': 'Content Location',
	'content.size': 'Message Size (Bytes)',
	'content.expiry': 'Expiry (Seconds)',
	'content.transactionId': 'MMS Notification Options: Transaction ID',
	'content.from': 'MMS Notification Options: From',
	'content.subject': 'MMS Notification Options: Subject',
	'content.messageClass': 'MMS Notification Options: Message Class',
	'content.vcard': 'vCard Text',
	'content.vcard.fn': 'Full Name',
	'content.vcard.n': 'vCard Fields: Name Parts',
	'content.vcard.tel': 'vCard Fields: Phone',
	'content.vcard.email': 'vCard Fields: Email',
	'content.vcard.org': 'vCard Fields: Organization',
	'content.vcard.title': 'vCard Fields: Title',
	'content.vcard.url': 'vCard Fields: URL',
	'content.vcard.note': 'vCard Fields: Note',
	'providerOptions.mxTelecom.contentFormat': 'MX Telecom Options: Content Format',
	'providerOptions.gatewayApi.udhLengthOctet': 'GatewayAPI Options: UDH Length Octet',
};

const MESSAGE_TYPES: MessageType[] = ['text', 'binary', 'wapPushSi', 'mmsNotification', 'vcard'];

/** Text as given (trimmed); empty stays empty so the client can name the missing field. */
const text = (value: unknown): string => (typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : '');
const optional = (value: unknown): string | undefined => (text(value) === '' ? undefined : text(value));
/** A comma-separated list (phones, emails) as one value or a list. */
const list = (value: unknown): string | string[] | undefined => {
	const entries = text(value)
		.split(',')
		.map((entry) => entry.trim())
		.filter((entry) => entry !== '');
	return entries.length === 0 ? undefined : entries.length === 1 ? entries[0] : entries;
};

/** The Message Type of an item (Text when the parameter is absent: workflows made before it existed). */
export function messageTypeOf(params: ParameterReader, itemIndex: number): MessageType {
	const value = params.get('messageType', itemIndex, 'text');
	return MESSAGE_TYPES.includes(value as MessageType) ? (value as MessageType) : 'text';
}

function dateOf(context: IExecuteFunctions, value: unknown): string | undefined {
	const given = optional(value);
	return given === undefined ? undefined : withTimeZone(given, context.getTimezone());
}

/** The content message an item's fields describe (not for Text or Binary). */
function readContent(context: IExecuteFunctions, params: ParameterReader, itemIndex: number, type: Exclude<MessageType, 'text' | 'binary'>): SendContent {
	const get = (name: string, fallback: unknown = '') => params.get(name, itemIndex, fallback);
	if (type === 'wapPushSi') {
		const options = get('siOptions', {}) as IDataObject;
		const content: SendContent = { type, href: text(get('siUrl')), text: text(get('siText')) };
		const siId = optional(options.siId);
		if (siId !== undefined) content.siId = siId;
		const created = dateOf(context, options.created);
		if (created !== undefined) content.created = created;
		const expires = dateOf(context, options.expires);
		if (expires !== undefined) content.expires = expires;
		const action = optional(options.siAction);
		if (action !== undefined) content.action = action as typeof content.action;
		return content;
	}
	if (type === 'mmsNotification') {
		const options = get('mmsOptions', {}) as IDataObject;
		const content: SendContent = {
			type,
			contentLocation: text(get('mmsContentLocation')),
			size: get('mmsSize', 0) as number,
			expiry: get('mmsExpiry', 86400) as number,
		};
		for (const key of ['transactionId', 'from', 'subject'] as const) {
			const value = optional(options[key]);
			if (value !== undefined) content[key] = value;
		}
		const messageClass = optional(options.messageClass);
		if (messageClass !== undefined) content.messageClass = messageClass as typeof content.messageClass;
		return content;
	}
	if (get('vcardSource', 'fields') === 'text') {
		// Any line ends typed in n8n become the CR LF a vCard SMS needs.
		return { type, vcard: String(get('vcardText') ?? '').replace(/\r\n|\r|\n/g, '\r\n') };
	}
	const extra = get('vcardFields', {}) as IDataObject;
	const fields: VcardFields = { fn: text(get('vcardName')) };
	for (const key of ['n', 'org', 'title', 'url', 'note'] as const) {
		const value = optional(extra[key]);
		if (value !== undefined) fields[key] = value;
	}
	for (const key of ['tel', 'email'] as const) {
		const value = list(extra[key]);
		if (value !== undefined) fields[key] = value;
	}
	return { type, vcard: fields };
}

/**
 * The request fields of an item's message when its Message Type is not Text: `content`
 * (encoding auto), or `binary` with encoding binary. Undefined for Text.
 */
export function readMessageContent(
	context: IExecuteFunctions,
	params: ParameterReader,
	itemIndex: number,
): { content: SendContent } | { binary: BinaryContent; encoding: 'binary' } | undefined {
	const type = messageTypeOf(params, itemIndex);
	if (type === 'text') return undefined;
	if (type === 'binary') {
		const udh = text(params.get('udh', itemIndex, '')).replace(/\s+/g, '');
		return {
			binary: { hex: text(params.get('hexPayload', itemIndex, '')).replace(/\s+/g, ''), ...(udh !== '' ? { udh } : {}) },
			encoding: 'binary',
		};
	}
	return { content: readContent(context, params, itemIndex, type) };
}
