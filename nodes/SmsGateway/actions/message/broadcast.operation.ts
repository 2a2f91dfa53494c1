import {
	NodeOperationError,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { gatewayClient } from '../../transport';
import { forEachItem } from '../items';
import type { GatewayClient } from '../../../shared/providers/types';
import { clientOverrides, messageFields, readMessageRequest } from './fields';
import { broadcastToGroups, groupIdsField, sendToField, sendsToGroups } from './groups';
import { recipientItem } from './results';

export const description: INodeProperties[] = [
	sendToField,
	groupIdsField,
	{
		displayName: 'Recipients',
		name: 'recipients',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		required: true,
		placeholder: '447700900123, 447700900456',
		description:
			'Phone numbers separated by commas or new lines, or an expression that returns an array of numbers',
		displayOptions: { show: { resource: ['message'], operation: ['broadcast'], sendTo: ['numbers'] } },
	},
	...messageFields('broadcast'),
];

/** The Recipients parameter: text separated by commas, semicolons or line breaks, or a list from an expression. */
function readRecipients(context: IExecuteFunctions, itemIndex: number): string | string[] {
	const value = context.getNodeParameter('recipients', itemIndex);
	if (typeof value === 'string') return value;
	if (typeof value === 'number') return String(value);
	if (Array.isArray(value)) return value.map((entry) => String(entry ?? ''));
	throw new NodeOperationError(
		context.getNode(),
		`Item ${itemIndex}, field "Recipients": must be text or a list of phone numbers, got ${typeof value}`,
		{ itemIndex },
	);
}

/**
 * One text to many recipients over the gateway's bulk path. Every recipient becomes
 * exactly one output item, sent or failed, paired with the input item it came from.
 */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	// Items with the same client options share one client, so Max Messages per Second holds across them.
	const clients = new Map<string, GatewayClient>();
	return await forEachItem(this, items, async (i) => {
		if (sendsToGroups(this, i)) return await broadcastToGroups(this, i);
		const recipients = readRecipients(this, i);
		const { request, options } = readMessageRequest(this, i);
		const overrides = clientOverrides(options);
		const key = JSON.stringify(overrides);
		let client = clients.get(key);
		if (!client) {
			client = await gatewayClient(this, overrides);
			clients.set(key, client);
		}
		const results = await client.broadcast({
			...request,
			to: recipients,
			skipInvalidRecipients: options.invalidRecipients !== 'stop',
		});
		return results.map((result) => ({ json: recipientItem(result) }));
	});
}
