import {
	NodeOperationError,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import type { GatewayClient } from '../../../shared/providers/types';
import { gatewayClient } from '../../transport';
import { toNodeError } from '../errors';
import { messageFields, readMessageRequest } from './fields';
import { recipientItem } from './results';

export const description: INodeProperties[] = [
	{
		displayName: 'To',
		name: 'to',
		type: 'string',
		default: '',
		required: true,
		placeholder: '447700900123',
		description: 'Recipient phone number in international format (a leading + is allowed)',
		displayOptions: { show: { resource: ['message'], operation: ['send'] } },
	},
	...messageFields('send'),
];

/** Sends one SMS per input item, to one recipient. */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const returnData: INodeExecutionData[] = [];
	let client: GatewayClient | undefined;
	for (let i = 0; i < items.length; i++) {
		try {
			const to = String(this.getNodeParameter('to', i, '')).trim();
			const { request } = readMessageRequest(this, i);
			client ??= await gatewayClient(this);
			const results = await client.send({ ...request, to });
			for (const result of results) {
				if (result.status === 'failed' && !this.continueOnFail()) {
					throw new NodeOperationError(
						this.getNode(),
						`Item ${i}: the gateway did not accept the message to ${result.to}: ${result.error?.message ?? 'no reason given'}`,
						{ itemIndex: i, description: result.error ? `Gateway code: ${result.error.code}` : undefined },
					);
				}
				returnData.push({ json: recipientItem(result), pairedItem: { item: i } });
			}
		} catch (error) {
			if (this.continueOnFail()) {
				returnData.push({ json: { error: toNodeError(this, error, i).message }, pairedItem: { item: i } });
				continue;
			}
			throw toNodeError(this, error, i);
		}
	}
	return returnData;
}
