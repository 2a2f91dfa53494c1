import type { INodeProperties } from 'n8n-workflow';

import type { OperationExecutor } from '../types';
import * as getBalance from './getBalance.operation';

export const operations: Record<string, OperationExecutor> = {
	getBalance: getBalance.execute,
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['account'] } },
		options: [
			{
				name: 'Get Balance',
				value: 'getBalance',
				action: 'Get the account balance',
				description: 'Credits or money left on the gateway account (BulkSMS, GatewayAPI)',
			},
		],
		default: 'getBalance',
	},
	...getBalance.description,
];
