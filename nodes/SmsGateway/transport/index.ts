import type { IExecuteFunctions, IHttpRequestOptions } from 'n8n-workflow';

import { createGatewayClient } from '../../shared/providers';
import type {
	GatewayClient,
	GatewayConfig,
	GatewayTransport,
	ProviderName,
	TransportResponse,
} from '../../shared/providers/types';

export const CREDENTIAL_TYPE = 'smsGatewayApi';

/**
 * The gateway clients' transport on n8n's HTTP helper. The credential type's
 * `authenticate` adds GatewayAPI's token header; MX Telecom and BulkSMS take their
 * credentials as request parameters, which the clients add themselves.
 */
export function n8nTransport(context: IExecuteFunctions): GatewayTransport {
	return async (options: IHttpRequestOptions): Promise<TransportResponse> => {
		const response = (await context.helpers.httpRequestWithAuthentication.call(context, CREDENTIAL_TYPE, {
			...options,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
		})) as { statusCode: number; headers?: Record<string, unknown>; body: unknown };
		return { statusCode: response.statusCode, headers: response.headers, body: response.body };
	};
}

const stringOrUndefined = (value: unknown): string | undefined =>
	typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;

/** Builds a gateway client from the node's credential, talking through n8n. */
export async function gatewayClient(
	context: IExecuteFunctions,
	overrides: Pick<GatewayConfig, 'concurrency' | 'timeoutMs' | 'maxPerSecond'> = {},
): Promise<GatewayClient> {
	const credentials = await context.getCredentials(CREDENTIAL_TYPE);
	const config: GatewayConfig = {
		provider: credentials.provider as ProviderName,
		baseUrl: stringOrUndefined(credentials.baseUrl),
		mmsBaseUrl: stringOrUndefined(credentials.mmsBaseUrl),
		username: stringOrUndefined(credentials.username),
		password: stringOrUndefined(credentials.password),
		token: stringOrUndefined(credentials.token),
		mmsUsername: stringOrUndefined(credentials.mmsUsername),
		mmsPassword: stringOrUndefined(credentials.mmsPassword),
		...overrides,
	};
	return createGatewayClient(config, n8nTransport(context));
}
