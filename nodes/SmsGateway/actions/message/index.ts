import type { INodeProperties } from 'n8n-workflow';

import type { OperationExecutor } from '../types';
import * as analyze from './analyze.operation';

export const operations: Record<string, OperationExecutor> = {
	analyze: analyze.execute,
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
		],
		default: 'analyze',
	},
	...analyze.description,
];
