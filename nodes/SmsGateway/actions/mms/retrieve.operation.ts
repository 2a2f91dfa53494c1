import {
	NodeOperationError,
	type IBinaryKeyData,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import type { GatewayClient } from '../../../shared/providers/types';
import { gatewayClient } from '../../transport';
import { forEachItem } from '../items';
import { requireMmsProvider } from './provider';

const show = { resource: ['mms'], operation: ['retrieve'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Message ID',
		name: 'messageId',
		type: 'string',
		default: '',
		required: true,
		description: 'The ID of a received MMS, as given in the inbound MMS notification',
		displayOptions: { show },
	},
	{
		displayName: 'Put Output File in Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		description: 'The binary property that receives the MMS zip',
		displayOptions: { show },
	},
	{
		displayName: 'Unpack',
		name: 'unpack',
		type: 'boolean',
		default: true,
		description:
			'Whether to also output each part listed in the manifest as its own binary property (named after the zip property plus its index), with its MIME type',
		displayOptions: { show },
	},
];

/** Downloads a received MMS by ID: the zip as binary, plus its parts. */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	let client: GatewayClient | undefined;
	return await forEachItem(this, items, async (i) => {
		const messageId = String(this.getNodeParameter('messageId', i, '')).trim();
		const property = String(this.getNodeParameter('binaryPropertyName', i, 'data')).trim() || 'data';
		const unpack = this.getNodeParameter('unpack', i, true) as boolean;
		if (messageId === '') {
			throw new NodeOperationError(this.getNode(), `Item ${i}, field "Message ID": empty; give the ID of a received MMS`, {
				itemIndex: i,
			});
		}
		client ??= await gatewayClient(this);
		requireMmsProvider(this, client, i, 'Retrieve MMS');
		const mms = await client.retrieveMms(messageId);
		const binary: IBinaryKeyData = {
			[property]: await this.helpers.prepareBinaryData(
				Buffer.from(mms.zip),
				`mms-${messageId.replace(/[^A-Za-z0-9_-]+/g, '_')}.zip`,
				'application/zip',
			),
		};
		const parts = [];
		for (let index = 0; index < mms.parts.length; index++) {
			const part = mms.parts[index];
			const partProperty = unpack ? `${property}${index}` : null;
			if (partProperty) {
				binary[partProperty] = await this.helpers.prepareBinaryData(Buffer.from(part.data), part.name, part.mimeType);
			}
			parts.push({ name: part.name, mimeType: part.mimeType, size: part.data.byteLength, binaryProperty: partProperty });
		}
		return [{ json: { messageId, parts, unlisted: mms.unlisted }, binary }];
	});
}
