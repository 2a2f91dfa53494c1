import {
	NodeOperationError,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import type { GatewayClient } from '../../../shared/providers/types';
import { gatewayClient } from '../../transport';
import { forEachItem } from '../items';
import { messageFields, readMessageRequest, timeoutMs } from './fields';
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
	// One client per timeout value: items usually share it, and a client reads the credential once.
	const clients = new Map<number | undefined, GatewayClient>();
	return await forEachItem(this, items, async (i) => {
		const to = String(this.getNodeParameter('to', i, '')).trim();
		const { request, options } = readMessageRequest(this, i);
		const timeout = timeoutMs(options);
		let client = clients.get(timeout);
		if (!client) {
			client = await gatewayClient(this, { timeoutMs: timeout });
			clients.set(timeout, client);
		}
		const results = await client.send({ ...request, to });
		const refused = results.find((result) => result.status === 'failed');
		if (refused && !this.continueOnFail()) {
			throw new NodeOperationError(
				this.getNode(),
				`Item ${i}: the gateway did not accept the message to ${refused.to}: ${refused.error?.message ?? 'no reason given'}`,
				{ itemIndex: i, description: refused.error ? `Gateway code: ${refused.error.code}` : undefined },
			);
		}
		return results.map((result) => ({ json: recipientItem(result) }));
	});
}
