import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { GatewayClient } from '../../../shared/providers/types';
import { gatewayClient } from '../../transport';
import { forEachItem } from '../items';

/** Get Balance needs nothing but the credential. */
export const description: INodeProperties[] = [
	{
		displayName:
			'BulkSMS reports message credits, GatewayAPI money in the account currency. MX Telecom / OpenMarket has no balance query.',
		name: 'balanceNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { resource: ['account'], operation: ['getBalance'] } },
	},
];

/**
 * The account's balance, one item per input item: `{ provider, balance, unit, currency }`,
 * `unit` saying whether `balance` counts the gateway's credits or money in `currency`.
 */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	let client: GatewayClient | undefined;
	return await forEachItem(this, items, async () => {
		client ??= await gatewayClient(this);
		const balance = await client.getBalance();
		return [{ json: { ...balance } }];
	});
}
