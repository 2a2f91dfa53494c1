import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { forEachItem, type ItemOutput } from '../items';
import { directReader } from '../parameters';
import { segmentMessage, type SegmentOptions } from '../../../shared/codec';
import { contentMessageParts } from '../../../shared/providers';
import { messageTypeOf, readMessageContent } from './content';
import { contentFields, HIDE_FOR_CONTENT, messageTypeField } from './content.description';

const showFor = { resource: ['message'], operation: ['analyze'] };

export const description: INodeProperties[] = [
	messageTypeField('analyze'),
	{
		displayName: 'Message',
		name: 'message',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		description: 'The text to analyze. Nothing is sent.',
		displayOptions: { show: showFor, hide: HIDE_FOR_CONTENT },
	},
	{
		displayName: 'Encoding',
		name: 'encoding',
		type: 'options',
		options: [
			{ name: 'Auto', value: 'auto', description: 'GSM-7 when every character fits, UCS-2 otherwise' },
			{ name: 'GSM-7', value: 'gsm7' },
			{ name: 'UCS-2', value: 'ucs2' },
		],
		default: 'auto',
		displayOptions: { show: showFor, hide: HIDE_FOR_CONTENT },
	},
	...contentFields('analyze'),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: showFor, hide: HIDE_FOR_CONTENT },
		options: [
			{
				displayName: 'Concatenation Reference',
				name: 'concatRef',
				type: 'options',
				options: [
					{ name: '8-Bit (153 / 67 per Part)', value: 8 },
					{ name: '16-Bit (152 / 66 per Part)', value: 16 },
				],
				default: 8,
				description: 'Size of the reference number in the header that joins the parts of a long message',
			},
			{
				displayName: 'Lenient Ç',
				name: 'lenientCCedilla',
				type: 'boolean',
				default: false,
				description:
					'Whether to send lowercase ç as GSM capital Ç instead of switching the whole message to UCS-2',
			},
			{
				displayName: 'Smart Encoding',
				name: 'smartEncoding',
				type: 'boolean',
				default: false,
				description:
					'Whether to replace look-alike characters (curly quotes, dashes, ellipsis, non-breaking space) with their GSM equivalents first',
			},
		],
	},
];

const encodingOption: Record<string, SegmentOptions['encoding']> = {
	auto: 'auto',
	gsm7: 'GSM-7',
	ucs2: 'UCS-2',
};

/** Previews encoding, parts and characters left, offline: no credentials, no request. */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	return await forEachItem(this, items, async (i) => {
		if (messageTypeOf(directReader(this), i) !== 'text') return analyzeContent(this, i);
		const text = this.getNodeParameter('message', i) as string;
		const encoding = this.getNodeParameter('encoding', i) as string;
		const options = this.getNodeParameter('options', i, {}) as IDataObject;
		if (!(encoding in encodingOption)) {
			throw new NodeOperationError(
				this.getNode(),
				`Item ${i}, field "Encoding": must be one of auto, gsm7, ucs2 (got "${encoding}")`,
				{ itemIndex: i },
			);
		}
		const result = segmentMessage(text, {
			encoding: encodingOption[encoding],
			concatRef: options.concatRef === 16 ? 16 : 8,
			lenientCCedilla: options.lenientCCedilla === true,
			smartEncoding: options.smartEncoding === true,
		});
		return [
			{
				json: {
					encoding: result.encoding,
					characters: [...result.text].length,
					units: result.units,
					partCount: result.parts.length,
					unitsPerPart: result.unitsPerPart,
					remaining: result.remaining,
					parts: result.parts.map((part, index) => ({ index: index + 1, text: part })),
					tooManyParts: result.tooManyParts,
					replacements: result.replacements as unknown as IDataObject[],
					text: result.text,
				},
			},
		];
	});
}

/** A message sent as 8-bit binary SMS: its parts as they would go out, with their sizes. */
function analyzeContent(context: IExecuteFunctions, itemIndex: number): ItemOutput[] {
	const params = directReader(context);
	const read = readMessageContent(context, params, itemIndex);
	if (read === undefined) return [];
	const parts = contentMessageParts(
		'content' in read ? read.content : { type: 'binary', parts: [{ udh: read.binary.udh ?? '', payload: read.binary.hex }] },
	);
	return [
		{
			json: {
				messageType: messageTypeOf(params, itemIndex),
				encoding: 'binary',
				partCount: parts.length,
				octets: parts.reduce((n, part) => n + (part.udh.length + part.payload.length) / 2, 0),
				parts: parts.map((part, index) => ({
					index: index + 1,
					udh: part.udh,
					payload: part.payload,
					udhOctets: part.udh.length / 2,
					payloadOctets: part.payload.length / 2,
					octets: (part.udh.length + part.payload.length) / 2,
				})),
			},
		},
	];
}
