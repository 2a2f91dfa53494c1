import type { INodeProperties } from 'n8n-workflow';

import type { OperationExecutor } from '../types';
import * as retrieve from './retrieve.operation';
import * as send from './send.operation';

export const operations: Record<string, OperationExecutor> = {
	retrieve: retrieve.execute,
	send: send.execute,
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['mms'] } },
		options: [
			{
				name: 'Retrieve',
				value: 'retrieve',
				action: 'Retrieve an MMS',
				description: 'Download a received MMS: the zip and its parts',
			},
			{
				name: 'Send',
				value: 'send',
				action: 'Send an MMS',
				description: 'Send images, audio, video and text as one MMS (MX Telecom)',
			},
		],
		default: 'send',
	},
	...send.description,
	...retrieve.description,
];
