/**
 * Fetching a notified MMS through the shared MX client, over n8n's HTTP helper (the
 * same path the action node's Retrieve MMS takes). One attempt with a short deadline:
 * it runs before the gateway gets its answer.
 */
import type { ICredentialDataDecryptedObject, IHttpRequestOptions, IWebhookFunctions } from 'n8n-workflow';

import { createGatewayClient } from '../../shared/providers/client';
import type { GatewayTransport, ProviderName, TransportResponse } from '../../shared/providers/types';
import { MMS_RETRIEVE_TIMEOUT_MS } from '../description';
import type { RetrieveMms } from './content';

export const CREDENTIAL_TYPE = 'smsGatewayApi';

const text = (value: unknown): string | undefined =>
	typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;

function transportFor(context: IWebhookFunctions): GatewayTransport {
	return async (options: IHttpRequestOptions): Promise<TransportResponse> => {
		const response = (await context.helpers.httpRequestWithAuthentication.call(context, CREDENTIAL_TYPE, {
			...options,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
		})) as { statusCode: number; headers?: Record<string, unknown>; body: unknown };
		return { statusCode: response.statusCode, headers: response.headers, body: response.body };
	};
}

export function mmsRetriever(context: IWebhookFunctions, credentials: ICredentialDataDecryptedObject): RetrieveMms {
	const client = createGatewayClient(
		{
			provider: credentials.provider as ProviderName,
			baseUrl: text(credentials.baseUrl),
			mmsBaseUrl: text(credentials.mmsBaseUrl),
			username: text(credentials.username),
			password: text(credentials.password),
			mmsUsername: text(credentials.mmsUsername),
			mmsPassword: text(credentials.mmsPassword),
			timeoutMs: MMS_RETRIEVE_TIMEOUT_MS,
			retry: { maxAttempts: 1 },
		},
		transportFor(context),
	);
	return async (id) => await client.retrieveMms(id);
}

/** Removes the credential's secrets from a message before it goes into an item. */
export function redactor(credentials: ICredentialDataDecryptedObject): (message: string) => string {
	const secrets = ['password', 'mmsPassword', 'token', 'webhookSecret']
		.map((key) => text(credentials[key]))
		.filter((s): s is string => s !== undefined && s.length >= 3);
	return (message) => secrets.reduce((out, secret) => out.split(secret).join('***'), message);
}
