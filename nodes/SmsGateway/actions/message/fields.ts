/**
 * Parameters shared by Send and Broadcast, and the code that turns them into the
 * gateway clients' normalised request. Their names are the node's public workflow
 * API: keep them stable.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { directReader, type ParameterReader } from '../parameters';
import { readMessageContent } from './content';
import { contentFields, GATEWAY_API_CONTENT_OPTIONS, HIDE_FOR_CONTENT, messageTypeField, MX_CONTENT_OPTIONS } from './content.description';
import { withTimeZone } from './schedule';
import type { GatewayConfig, ProviderOptions, RequestEncoding, SendRequest } from '../../../shared/providers/types';

type Operation = 'send' | 'broadcast';

const text = (value: unknown): string | undefined =>
	typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;

const integer = (value: unknown): number | undefined =>
	typeof value === 'number' && Number.isFinite(value) ? value : undefined;

export function messageFields(operation: Operation): INodeProperties[] {
	const show = { resource: ['message'], operation: [operation] };
	return [
		{
			displayName: 'From',
			name: 'from',
			type: 'string',
			default: '',
			placeholder: 'ACME or 447700900123',
			description:
				'Originator: up to 11 letters and digits, or a phone number. Leave empty for the account default.',
			displayOptions: { show },
		},
		messageTypeField(operation),
		{
			displayName: 'Encoding',
			name: 'encoding',
			type: 'options',
			options: [
				{ name: 'Auto', value: 'auto', description: 'GSM-7 when every character fits, UCS-2 otherwise' },
				{ name: 'Binary (8-Bit)', value: 'binary', description: 'Raw octets given as hex, with an optional UDH' },
				{ name: 'GSM-7', value: 'gsm7', description: 'Fail if a character is not in the GSM alphabet' },
				{ name: 'UCS-2', value: 'ucs2', description: 'Unicode, 70 characters per single SMS' },
			],
			default: 'auto',
			displayOptions: { show, hide: HIDE_FOR_CONTENT },
		},
		{
			displayName: 'Message',
			name: 'message',
			type: 'string',
			typeOptions: { rows: 4 },
			default: '',
			required: true,
			// Send can take the text from each item's own field instead (send.operation.ts).
			displayOptions: {
				show,
				hide:
					operation === 'send'
						? { encoding: ['binary'], mappingMode: ['autoMapInputData'], ...HIDE_FOR_CONTENT }
						: { encoding: ['binary'], ...HIDE_FOR_CONTENT },
			},
		},
		{
			displayName: 'Hex Payload',
			name: 'hexPayload',
			type: 'string',
			default: '',
			required: true,
			placeholder: '0A0B0C',
			description: 'The message octets as hexadecimal (at most 140 octets including the UDH)',
			displayOptions: { show: { ...show, encoding: ['binary'] }, hide: HIDE_FOR_CONTENT },
		},
		{
			displayName: 'UDH',
			name: 'udh',
			type: 'string',
			default: '',
			placeholder: '0605040B8423F0',
			description: 'Optional user data header as hexadecimal, including its length octet',
			displayOptions: { show: { ...show, encoding: ['binary'] }, hide: HIDE_FOR_CONTENT },
		},
		...contentFields(operation),
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			displayOptions: { show },
			options: [
				...(operation === 'send'
					? ([
							{
								displayName: 'Batching',
								name: 'batching',
								type: 'options',
								options: [
									{
										name: 'Auto',
										value: 'auto',
										description:
											"Send all items together over the gateway's bulk path (many items per request where the gateway allows it)",
									},
									{
										name: 'One Request per Item',
										value: 'perItem',
										description: 'Send the items one after another, one request each, as a loop would',
									},
								],
								default: 'auto',
								description: 'How the items of one run are sent. Read from the first item.',
							},
						] as INodeProperties[])
					: []),
				{
					displayName: 'Client Reference',
					name: 'clientReference',
					type: 'string',
					default: '',
					description: 'Your own reference, echoed back in delivery reports where the gateway supports it',
				},
				{
					displayName: 'Concurrency',
					name: 'concurrency',
					type: 'number',
					typeOptions: { minValue: 1, maxValue: 40 },
					default: 4,
					description:
						'Requests in flight at once (MX Telecom advises 4; BulkSMS advises 1; GatewayAPI allows up to 40). Default: 4 for MX Telecom, 1 for BulkSMS, 8 for GatewayAPI.',
				},
				{
					displayName: 'Delivery Report',
					name: 'deliveryReport',
					type: 'boolean',
					default: false,
					description: 'Whether to ask the gateway for delivery reports (receive them with the SMS Gateway Trigger)',
				},
				{
					displayName: 'Dry Run',
					name: 'dryRun',
					type: 'boolean',
					default: false,
					description:
						'Whether to validate and encode without sending (BulkSMS and GatewayAPI are asked to test the request; MX Telecom is not called)',
				},
				{
					displayName: 'Flash',
					name: 'flash',
					type: 'boolean',
					default: false,
					description: 'Whether to show the message on screen immediately without storing it (class 0)',
				},
				...(operation === 'broadcast'
					? ([
							{
								displayName: 'Invalid Recipients',
								name: 'invalidRecipients',
								type: 'options',
								options: [
									{
										name: 'Report as Failed Items',
										value: 'report',
										description: 'Send to the valid numbers; each invalid one becomes a failed item',
									},
									{
										name: 'Stop Before Sending',
										value: 'stop',
										description: 'Send nothing if any number is invalid',
									},
								],
								default: 'report',
							},
						] as INodeProperties[])
					: []),
				{
					displayName: 'Max Messages per Second',
					name: 'maxPerSecond',
					type: 'number',
					typeOptions: { minValue: 0, maxValue: 100000 },
					default: 0,
					description:
						"Your account's throughput cap: messages (recipients) per second at most, over the whole run. 0 means no limit.",
				},
				{
					displayName: 'Max Parts',
					name: 'maxParts',
					type: 'number',
					typeOptions: { minValue: 1, maxValue: 255 },
					default: 10,
					description: 'Refuse, before sending, a message that would need more parts than this',
				},
				{
					displayName: 'Schedule At',
					name: 'scheduleAt',
					type: 'dateTime',
					default: '',
					description: 'Send later, at this time (ISO 8601)',
				},
				{
					displayName: 'Smart Encoding',
					name: 'smartEncoding',
					type: 'boolean',
					default: false,
					description:
						'Whether to replace look-alike characters (curly quotes, dashes, ellipsis) with GSM ones so the message stays in GSM-7',
				},
				{
					displayName: 'Timeout (Seconds)',
					name: 'timeout',
					type: 'number',
					typeOptions: { minValue: 1, maxValue: 600 },
					default: 30,
					description:
						'Longest wait for one gateway answer before it counts as lost (retried only where the gateway has an idempotency key). Default: 60 s for MX Telecom, 30 s otherwise.',
				},
				{
					displayName: 'Validity (Seconds)',
					name: 'validity',
					type: 'number',
					typeOptions: { minValue: 1 },
					default: 86400,
					description: 'How long the network keeps trying to deliver',
				},
			],
		},
		{
			displayName: 'MX Telecom Options',
			name: 'mxTelecomOptions',
			type: 'collection',
			placeholder: 'Add MX Telecom Option',
			default: {},
			description: 'Used only when the credential is an MX Telecom / OpenMarket account',
			displayOptions: { show },
			options: [
				...MX_CONTENT_OPTIONS,
				{
					displayName: 'Long Messages',
					name: 'split',
					type: 'options',
					options: [
						{ name: 'Auto', value: 'auto', description: 'Gateway splitting up to 4 parts, our own parts above' },
						{ name: 'Gateway Splits (Split=2)', value: 'gateway' },
						{ name: 'Send Own Concatenated Parts', value: 'udh' },
					],
					default: 'auto',
				},
				{
					displayName: 'Note',
					name: 'note',
					type: 'string',
					default: '',
					description: 'Billing note, echoed in delivery reports (defaults to the client reference)',
				},
				{
					displayName: 'Subaccount',
					name: 'subaccount',
					type: 'string',
					default: '',
				},
			],
		},
		{
			displayName: 'BulkSMS Options',
			name: 'bulkSmsOptions',
			type: 'collection',
			placeholder: 'Add BulkSMS Option',
			default: {},
			description: 'Used only when the credential is a BulkSMS account',
			displayOptions: { show },
			options: [
				{ displayName: 'Message Class', name: 'msgClass', type: 'number', default: 2, typeOptions: { minValue: 0, maxValue: 3 } },
				{ displayName: 'Protocol ID', name: 'protocolId', type: 'string', default: '' },
				{ displayName: 'Replace Message ID', name: 'replaceMsgId', type: 'string', default: '' },
				{
					displayName: 'Repliable',
					name: 'repliable',
					type: 'boolean',
					default: false,
					description: 'Whether replies should reach your BulkSMS inbox (not with an alphanumeric sender)',
				},
				{ displayName: 'Routing Group', name: 'routingGroup', type: 'string', default: '' },
				{
					displayName: 'Source ID',
					name: 'sourceId',
					type: 'string',
					default: '',
					description: 'Echoed in status reports (defaults to the client reference)',
				},
			],
		},
		{
			displayName: 'GatewayAPI Options',
			name: 'gatewayApiOptions',
			type: 'collection',
			placeholder: 'Add GatewayAPI Option',
			default: {},
			description: 'Used only when the credential is a GatewayAPI account',
			displayOptions: { show },
			options: [
				{
					displayName: 'Callback URL',
					name: 'callbackUrl',
					type: 'string',
					default: '',
					description: 'Where GatewayAPI posts delivery status (for example the SMS Gateway Trigger URL)',
				},
				{
					displayName: 'Class',
					name: 'class',
					type: 'options',
					options: [
						{ name: 'Standard', value: 'standard' },
						{ name: 'Premium', value: 'premium' },
						{ name: 'Secret', value: 'secret' },
					],
					default: 'standard',
				},
				{ displayName: 'Label', name: 'label', type: 'string', default: '' },
				{
					displayName: 'Priority',
					name: 'priority',
					type: 'options',
					options: [
						{ name: 'Bulk', value: 'BULK' },
						{ name: 'Normal', value: 'NORMAL' },
						{ name: 'Urgent', value: 'URGENT' },
						{ name: 'Very Urgent', value: 'VERY_URGENT' },
					],
					default: 'NORMAL',
				},
				...GATEWAY_API_CONTENT_OPTIONS,
			],
		},
	];
}

function providerOptions(params: ParameterReader, itemIndex: number): ProviderOptions {
	const mx = params.get('mxTelecomOptions', itemIndex, {}) as IDataObject;
	const bulk = params.get('bulkSmsOptions', itemIndex, {}) as IDataObject;
	const gw = params.get('gatewayApiOptions', itemIndex, {}) as IDataObject;
	return {
		mxTelecom: {
			split: (text(mx.split) as 'auto' | 'gateway' | 'udh' | undefined) ?? 'auto',
			contentFormat: text(mx.contentFormat) as 'binary' | 'native' | undefined,
			note: text(mx.note),
			subaccount: text(mx.subaccount),
		},
		bulkSms: {
			msgClass: integer(bulk.msgClass),
			protocolId: text(bulk.protocolId),
			replaceMsgId: text(bulk.replaceMsgId),
			repliable: typeof bulk.repliable === 'boolean' ? bulk.repliable : undefined,
			routingGroup: text(bulk.routingGroup),
			sourceId: text(bulk.sourceId),
		},
		gatewayApi: {
			callbackUrl: text(gw.callbackUrl),
			class: text(gw.class),
			label: text(gw.label),
			priority: text(gw.priority) as 'BULK' | 'NORMAL' | 'URGENT' | 'VERY_URGENT' | undefined,
			udhLengthOctet: text(gw.udhLengthOctet) as 'omit' | 'include' | undefined,
		},
	};
}

function scheduleAt(context: IExecuteFunctions, value: unknown): string | undefined {
	const given = text(value);
	return given === undefined ? undefined : withTimeZone(given, context.getTimezone());
}

/** The client-wide options (one client serves every item of a run): read from `options` of one item. */
export function clientOverrides(options: IDataObject): Pick<GatewayConfig, 'concurrency' | 'timeoutMs' | 'maxPerSecond'> {
	const positive = (value: unknown) => (typeof value === 'number' && value > 0 ? Math.round(value) : undefined);
	return { concurrency: positive(options.concurrency), timeoutMs: timeoutMs(options), maxPerSecond: positive(options.maxPerSecond) };
}

/** The Timeout option as the clients' `timeoutMs`, or undefined for the provider's default. */
export function timeoutMs(options: IDataObject): number | undefined {
	return typeof options.timeout === 'number' && options.timeout > 0 ? Math.round(options.timeout * 1000) : undefined;
}

/**
 * Reads one item's message parameters into the clients' request (recipients excluded), and
 * the raw options. `params` may cache what has no expression (campaigns: parameters.ts);
 * `message`, when given, is the text already taken from the item (Send's input-field mode).
 */
export function readMessageRequest(
	context: IExecuteFunctions,
	itemIndex: number,
	params: ParameterReader = directReader(context),
	message?: string,
): { request: Omit<SendRequest, 'to'>; options: IDataObject } {
	const encoding = params.get('encoding', itemIndex, 'auto') as RequestEncoding;
	const options = params.get('options', itemIndex, {}) as IDataObject;
	const request: Omit<SendRequest, 'to'> = {
		from: text(params.get('from', itemIndex, '')),
		encoding,
		deliveryReport: options.deliveryReport === true,
		clientReference: text(options.clientReference),
		scheduleAt: scheduleAt(context, options.scheduleAt),
		validity: integer(options.validity),
		flash: options.flash === true,
		maxParts: integer(options.maxParts),
		smartEncoding: options.smartEncoding === true,
		dryRun: options.dryRun === true,
		providerOptions: providerOptions(params, itemIndex),
	};
	const content = readMessageContent(context, params, itemIndex);
	if (content) {
		Object.assign(request, content);
	} else if (encoding === 'binary') {
		request.binary = {
			hex: String(params.get('hexPayload', itemIndex, '')).replace(/\s+/g, ''),
			udh: text(params.get('udh', itemIndex, ''))?.replace(/\s+/g, ''),
		};
	} else {
		request.message = message ?? (params.get('message', itemIndex, '') as string);
	}
	return { request, options };
}
