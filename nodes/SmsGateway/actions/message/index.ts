import type { INodeProperties } from 'n8n-workflow';

import type { OperationExecutor } from '../types';
import * as analyze from './analyze.operation';
import * as broadcast from './broadcast.operation';
import * as getStatus from './getStatus.operation';
import * as send from './send.operation';

export const operations: Record<string, OperationExecutor> = {
	analyze: analyze.execute,
	broadcast: broadcast.execute,
	getStatus: getStatus.execute,
	send: send.execute,
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['message'] } },
		options: [
			{
				name: 'Analyze',
				value: 'analyze',
				action: 'Analyze a message',
				description: 'Preview encoding, parts and characters left without sending',
			},
			{
				name: 'Broadcast',
				value: 'broadcast',
				action: 'Broadcast a message',
				description: 'Send one text to many recipients, one output item per recipient (or to BulkSMS groups)',
			},
			{
				name: 'Get Status',
				value: 'getStatus',
				action: 'Get the delivery status of a message',
				description: 'Ask the gateway where a sent message stands, one output item per recipient (BulkSMS, GatewayAPI)',
			},
			{
				name: 'Send',
				value: 'send',
				action: 'Send a message',
				description: 'Send an SMS to one recipient',
			},
		],
		default: 'send',
	},
	...send.description,
	...broadcast.description,
	...analyze.description,
	...getStatus.description,
];
