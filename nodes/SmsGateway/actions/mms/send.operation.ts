import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import type { GatewayClient, MmsPart } from '../../../shared/providers/types';
import { gatewayClient } from '../../transport';
import { forEachItem } from '../items';
import { requireMmsProvider } from './provider';

const show = { resource: ['mms'], operation: ['send'] };

export const description: INodeProperties[] = [
	{
		displayName: 'To',
		name: 'to',
		type: 'string',
		default: '',
		required: true,
		placeholder: '447700900123',
		displayOptions: { show },
	},
	{
		displayName: 'From',
		name: 'from',
		type: 'string',
		default: '',
		required: true,
		description: 'Originator: your short code or number on the MMS account',
		displayOptions: { show },
	},
	{ displayName: 'Subject', name: 'subject', type: 'string', default: '', displayOptions: { show } },
	{
		displayName: 'Binary Properties',
		name: 'binaryProperties',
		type: 'string',
		default: 'data',
		description:
			'Comma-separated names of the input binary properties to send as parts (images, audio, video). Their MIME types go into the manifest.',
		displayOptions: { show },
	},
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		typeOptions: { rows: 3 },
		default: '',
		description: 'Optional text part, sent as text/plain in UTF-8',
		displayOptions: { show },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show },
		options: [
			{ displayName: 'Delivery Report', name: 'deliveryReport', type: 'boolean', default: false, description: 'Whether to ask for a delivery report' },
			{ displayName: 'Note', name: 'note', type: 'string', default: '', description: 'Billing note, echoed in reports' },
			{ displayName: 'Read Report', name: 'readReport', type: 'boolean', default: false, description: 'Whether to ask for a read report' },
			{ displayName: 'Subaccount', name: 'subaccount', type: 'string', default: '' },
		],
	},
];

/** A zip entry name MX accepts: ASCII letters, digits and `._-`, unique within the message. */
function partName(fileName: string | undefined, fallback: string, taken: Set<string>): string {
	const cleaned = (fileName ?? '').replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+/, '') || fallback;
	let name = cleaned;
	for (let n = 2; taken.has(name.toLowerCase()); n++) name = `${n}_${cleaned}`;
	taken.add(name.toLowerCase());
	return name;
}

async function readParts(context: IExecuteFunctions, itemIndex: number): Promise<MmsPart[]> {
	const properties = String(context.getNodeParameter('binaryProperties', itemIndex, ''))
		.split(',')
		.map((name) => name.trim())
		.filter((name) => name !== '');
	const taken = new Set<string>(['manifest']);
	const parts: MmsPart[] = [];
	for (const property of properties) {
		const binary = context.helpers.assertBinaryData(itemIndex, property);
		const data = await context.helpers.getBinaryDataBuffer(itemIndex, property);
		parts.push({
			name: partName(binary.fileName, property, taken),
			mimeType: binary.mimeType || 'application/octet-stream',
			data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
		});
	}
	const text = context.getNodeParameter('text', itemIndex, '') as string;
	if (text !== '') parts.push({ name: partName('text.txt', 'text.txt', taken), mimeType: 'text/plain', data: text });
	if (parts.length === 0) {
		throw new NodeOperationError(
			context.getNode(),
			`Item ${itemIndex}: an MMS needs at least one part: name binary properties in "Binary Properties" or fill in "Text"`,
			{ itemIndex },
		);
	}
	return parts;
}

/** Sends one MMS per input item through MX Telecom's MMS gateway. */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	let client: GatewayClient | undefined;
	return await forEachItem(this, items, async (i) => {
		client ??= await gatewayClient(this);
		requireMmsProvider(this, client, i, 'Send MMS');
		const options = this.getNodeParameter('options', i, {}) as IDataObject;
		const result = await client.sendMms({
			to: String(this.getNodeParameter('to', i, '')).trim(),
			from: String(this.getNodeParameter('from', i, '')).trim(),
			subject: (this.getNodeParameter('subject', i, '') as string) || undefined,
			parts: await readParts(this, i),
			deliveryReport: options.deliveryReport === true,
			readReport: options.readReport === true,
			note: typeof options.note === 'string' && options.note !== '' ? options.note : undefined,
			subaccount: typeof options.subaccount === 'string' && options.subaccount !== '' ? options.subaccount : undefined,
		});
		if (result.status === 'failed' && !this.continueOnFail()) {
			throw new NodeOperationError(
				this.getNode(),
				`Item ${i}: the MMS gateway did not accept the message: ${result.error?.message ?? 'no reason given'}`,
				{ itemIndex: i },
			);
		}
		return [
			{
				json: {
					to: result.to,
					status: result.status,
					messageId: result.messageId ?? null,
					provider: result.provider,
					error: result.error ? { ...result.error } : null,
				},
			},
		];
	});
}
