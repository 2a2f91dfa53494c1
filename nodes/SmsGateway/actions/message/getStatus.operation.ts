import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { GatewayClient, MessageStatus } from '../../../shared/providers/types';
import { gatewayClient } from '../../transport';
import { forEachItem } from '../items';

const show = { resource: ['message'], operation: ['getStatus'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Message ID',
		name: 'messageId',
		type: 'string',
		default: '',
		required: true,
		placeholder: '421332671',
		description:
			'The messageId a Send or Broadcast returned (BulkSMS: the batch ID, GatewayAPI: the message ID). MX Telecom has no status query: use the SMS Gateway Trigger\'s delivery reports.',
		displayOptions: { show },
	},
	{
		displayName: 'Recipient',
		name: 'recipient',
		type: 'string',
		default: '',
		placeholder: '447700900123',
		description: 'Only this recipient of the message; empty for every recipient',
		displayOptions: { show },
	},
];

/** The same keys on every item, with the trigger's delivery report names. */
function statusItem(status: MessageStatus): INodeExecutionData {
	return {
		json: {
			messageId: status.messageId,
			to: status.to,
			status: status.status,
			final: status.final,
			providerStatus: status.providerStatus,
			reason: status.reason,
			at: status.at,
			provider: status.provider,
		},
	};
}

/**
 * Asks the gateway where a sent message stands: one output item per recipient, with the
 * status names the trigger's delivery reports use (docs/events.md).
 */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	let client: GatewayClient | undefined;
	return await forEachItem(this, items, async (i) => {
		const messageId = String(this.getNodeParameter('messageId', i, '')).trim();
		const recipient = String(this.getNodeParameter('recipient', i, '')).trim();
		client ??= await gatewayClient(this);
		const statuses = await client.getStatus(messageId, recipient === '' ? {} : { to: recipient });
		return statuses.map(statusItem);
	});
}
