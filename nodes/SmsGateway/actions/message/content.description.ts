/**
 * The Message Type parameter of Send, Broadcast and Analyze and the fields of each content
 * type (WAP Push SI, MMS notification, vCard, binary), shown by message type. content.ts
 * reads them. Their names are the node's public workflow API: keep them stable.
 */
import type { INodeProperties } from 'n8n-workflow';

export type MessageOperation = 'send' | 'broadcast' | 'analyze';

/** Message types sent as 8-bit binary SMS (everything but Text). */
export const CONTENT_MESSAGE_TYPES = ['binary', 'wapPushSi', 'mmsNotification', 'vcard'];

/** `hide` for fields that only a text message has (Message, Encoding, Message Field). */
export const HIDE_FOR_CONTENT = { messageType: CONTENT_MESSAGE_TYPES };

export function messageTypeField(operation: MessageOperation): INodeProperties {
	return {
		displayName: 'Message Type',
		name: 'messageType',
		type: 'options',
		options: [
			{ name: 'Binary', value: 'binary', description: 'Your own octets as hexadecimal, with a UDH' },
			{
				name: 'MMS Notification',
				value: 'mmsNotification',
				description: 'Tell the handset to fetch an MMS from a URL (M-Notification.ind over WAP Push)',
			},
			{ name: 'Text', value: 'text', description: 'An ordinary text message' },
			{ name: 'vCard', value: 'vcard', description: 'A business card the handset can save as a contact' },
			{
				name: 'WAP Push (Service Indication)',
				value: 'wapPushSi',
				description: 'A link with a short text that the handset offers to open',
			},
		],
		default: 'text',
		description:
			operation === 'analyze'
				? 'What to preview: a text, or a message sent as 8-bit binary SMS (its parts, UDH and payload)'
				: 'What to send. Everything but Text goes out as 8-bit binary SMS on every provider.',
		displayOptions: { show: { resource: ['message'], operation: [operation] } },
	};
}

/** The fields of every content message type, for one operation. */
export function contentFields(operation: MessageOperation): INodeProperties[] {
	const showFor = (messageType: string, extra: Record<string, string[]> = {}) => ({
		show: { resource: ['message'], operation: [operation], messageType: [messageType], ...extra },
	});
	return [
		// Binary. The same names as the Encoding: Binary fields (fields.ts), kept for existing workflows.
		{
			displayName: 'Hex Payload',
			name: 'hexPayload',
			type: 'string',
			default: '',
			required: true,
			placeholder: '0A0B0C',
			description: 'The message octets as hexadecimal (at most 140 octets including the UDH)',
			displayOptions: showFor('binary'),
		},
		{
			displayName: 'UDH',
			name: 'udh',
			type: 'string',
			default: '',
			placeholder: '0605040B8423F0',
			description: 'User data header as hexadecimal, including its length octet (required by MX Telecom and BulkSMS)',
			displayOptions: showFor('binary'),
		},
		// WAP Push Service Indication.
		{
			displayName: 'URL',
			name: 'siUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://www.example.com/offer',
			description: 'The link the handset offers to open',
			displayOptions: showFor('wapPushSi'),
		},
		{
			displayName: 'Text',
			name: 'siText',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'Your offer is ready',
			description: 'Shown with the link (handsets drop a push without text)',
			displayOptions: showFor('wapPushSi'),
		},
		{
			displayName: 'WAP Push Options',
			name: 'siOptions',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			displayOptions: showFor('wapPushSi'),
			options: [
				{
					displayName: 'Action',
					name: 'siAction',
					type: 'options',
					options: [
						{ name: 'Delete', value: 'delete', description: 'Remove the earlier push with the same SI ID' },
						{ name: 'Signal High', value: 'signal-high' },
						{ name: 'Signal Low', value: 'signal-low' },
						{ name: 'Signal Medium', value: 'signal-medium', description: 'What the handset does when none is given' },
						{ name: 'Signal None', value: 'signal-none', description: 'Store it without alerting the user' },
					],
					default: 'signal-medium',
					description: 'How insistently the handset alerts the user',
				},
				{
					displayName: 'Created',
					name: 'created',
					type: 'dateTime',
					default: '',
					description: 'When the content was created; a handset keeps the newest push of one SI ID',
				},
				{
					displayName: 'Expires',
					name: 'expires',
					type: 'dateTime',
					default: '',
					description: 'After this time the handset deletes the push unread',
				},
				{
					displayName: 'SI ID',
					name: 'siId',
					type: 'string',
					default: '',
					description: 'Identifies the push, so a later one can replace or delete it (defaults to the URL on the handset)',
				},
			],
		},
		// MMS notification.
		{
			displayName: 'Content Location',
			name: 'mmsContentLocation',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'http://mmsc.example.com/m/1234',
			description: 'The URL the handset fetches the MMS from',
			displayOptions: showFor('mmsNotification'),
		},
		{
			displayName: 'Message Size (Bytes)',
			name: 'mmsSize',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 0,
			required: true,
			description: 'Size of the MMS the handset will fetch',
			displayOptions: showFor('mmsNotification'),
		},
		{
			displayName: 'Expiry (Seconds)',
			name: 'mmsExpiry',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 86400,
			required: true,
			description: 'How long the MMS stays available, from now',
			displayOptions: showFor('mmsNotification'),
		},
		{
			displayName: 'MMS Notification Options',
			name: 'mmsOptions',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			displayOptions: showFor('mmsNotification'),
			options: [
				{
					displayName: 'From',
					name: 'from',
					type: 'string',
					default: '',
					placeholder: '+447700900123/TYPE=PLMN',
					description: 'The sender shown for the MMS: a phone number (with /TYPE=PLMN) or an email address',
				},
				{
					displayName: 'Message Class',
					name: 'messageClass',
					type: 'options',
					options: [
						{ name: 'Advertisement', value: 'advertisement' },
						{ name: 'Auto', value: 'auto' },
						{ name: 'Informational', value: 'informational' },
						{ name: 'Personal', value: 'personal' },
					],
					default: 'personal',
				},
				{ displayName: 'Subject', name: 'subject', type: 'string', default: '' },
				{
					displayName: 'Transaction ID',
					name: 'transactionId',
					type: 'string',
					default: '',
					description: 'Identifies this notification; one is made up when empty',
				},
			],
		},
		// vCard.
		{
			displayName: 'vCard Source',
			name: 'vcardSource',
			type: 'options',
			options: [
				{ name: 'Fields', value: 'fields', description: 'Build the card from a name, phone numbers and the like' },
				{ name: 'vCard Text', value: 'text', description: 'Send vCard text you already have, from BEGIN:VCARD to END:VCARD' },
			],
			default: 'fields',
			displayOptions: showFor('vcard'),
		},
		{
			displayName: 'Full Name',
			name: 'vcardName',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'Jane Doe',
			description: 'The name the card is saved under',
			displayOptions: showFor('vcard', { vcardSource: ['fields'] }),
		},
		{
			displayName: 'vCard Fields',
			name: 'vcardFields',
			type: 'collection',
			placeholder: 'Add Field',
			default: {},
			displayOptions: showFor('vcard', { vcardSource: ['fields'] }),
			options: [
				{
					displayName: 'Email',
					name: 'email',
					type: 'string',
					placeholder: 'name@email.com',
					default: '',
					description: 'One address, or several separated by commas',
				},
				{
					displayName: 'Name Parts',
					name: 'n',
					type: 'string',
					default: '',
					placeholder: 'Doe;Jane',
					description: 'Family name;given name (the vCard N property)',
				},
				{ displayName: 'Note', name: 'note', type: 'string', default: '' },
				{ displayName: 'Organization', name: 'org', type: 'string', default: '' },
				{
					displayName: 'Phone',
					name: 'tel',
					type: 'string',
					default: '',
					placeholder: '+447700900123',
					description: 'One number, or several separated by commas',
				},
				{ displayName: 'Title', name: 'title', type: 'string', default: '' },
				{ displayName: 'URL', name: 'url', type: 'string', default: '' },
			],
		},
		{
			displayName: 'vCard Text',
			name: 'vcardText',
			type: 'string',
			typeOptions: { rows: 6 },
			default: '',
			required: true,
			placeholder: 'BEGIN:VCARD\nVERSION:2.1\nFN:Jane Doe\nTEL;CELL:+447700900123\nEND:VCARD',
			description: 'The card; line ends are sent as CR LF whatever you type',
			displayOptions: showFor('vcard', { vcardSource: ['text'] }),
		},
	];
}

/** Options of the provider collections that concern content messages (fields.ts adds them). */
export const MX_CONTENT_OPTIONS: INodeProperties[] = [
	{
		displayName: 'Content Format',
		name: 'contentFormat',
		type: 'options',
		options: [
			{
				name: 'Binary (UDH)',
				value: 'binary',
				description: 'Send our own 8-bit parts in smsmsg + smsudh, as on every provider',
			},
			{
				name: 'MX Native',
				value: 'native',
				description: "For vCard and MMS Notification, MX's own parameters (vcard_data, mms_*): MX builds the SMS",
			},
		],
		default: 'binary',
		description: 'How vCard and MMS Notification messages go to MX Telecom (WAP Push always goes as binary)',
	},
];

export const GATEWAY_API_CONTENT_OPTIONS: INodeProperties[] = [
	{
		displayName: 'UDH Length Octet',
		name: 'udhLengthOctet',
		type: 'options',
		options: [
			{ name: 'Include', value: 'include', description: 'Send the UDH as it stands in the SMS, length octet first' },
			{ name: 'Omit', value: 'omit', description: "Leave the length octet out, as GatewayAPI's only example does" },
		],
		default: 'omit',
		description:
			'Binary messages: whether the udh field starts with its length octet. GatewayAPI does not document it; its example leaves it out.',
	},
];
