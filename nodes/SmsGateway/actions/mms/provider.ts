import { NodeOperationError, type IExecuteFunctions } from 'n8n-workflow';

import type { GatewayClient } from '../../../shared/providers/types';

/** Only MX Telecom / OpenMarket has an MMS interface; say so before any request leaves. */
export function requireMmsProvider(
	context: IExecuteFunctions,
	client: GatewayClient,
	itemIndex: number,
	operation: string,
): void {
	if (client.provider === 'mxTelecom') return;
	throw new NodeOperationError(
		context.getNode(),
		`Item ${itemIndex}: ${operation} is not supported by this provider (${client.provider}); only MX Telecom / OpenMarket offers an MMS interface`,
		{ itemIndex },
	);
}
