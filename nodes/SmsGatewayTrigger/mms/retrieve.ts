/**
 * Fetching a notified MMS through the shared MX client, over n8n's HTTP helper (the
 * same path the action node's Retrieve MMS takes). One attempt with a short deadline:
 * it runs before the gateway gets its answer.
 *
 * The request carries the credential the push already has (`credentialsDecrypted`), so n8n
 * does not read it once more (which would cost another expression isolate). When the gateway
 * rejects the MMS login and that credential was a kept copy, the credential is re-read once
 * and, if it changed, the retrieval is tried again with what time is left.
 */
import type { IHttpRequestOptions, IWebhookFunctions } from 'n8n-workflow';

import { createGatewayClient } from '../../shared/providers/client';
import { GatewayError, GatewayValidationError } from '../../shared/providers/errors';
import type { GatewayTransport, ProviderName, TransportResponse } from '../../shared/providers/types';
import { CREDENTIAL_TYPE, type CredentialData, type PushCredential } from '../credential';
import { MMS_RETRIEVE_TIMEOUT_MS } from '../description';
import type { RetrieveMms } from './content';

/** Below this much time left, a rejected login is not tried again (MX wants its answer within 10 s). */
const MIN_RETRY_MS = 1000;

const text = (value: unknown): string | undefined =>
	typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;

function transportFor(context: IWebhookFunctions, credential: PushCredential, data: CredentialData): GatewayTransport {
	return async (options: IHttpRequestOptions): Promise<TransportResponse> => {
		const response = (await context.helpers.httpRequestWithAuthentication.call(
			context,
			CREDENTIAL_TYPE,
			{ ...options, returnFullResponse: true, ignoreHttpStatusErrors: true },
			{ credentialsDecrypted: credential.decrypted(data) },
		)) as { statusCode: number; headers?: Record<string, unknown>; body: unknown };
		return { statusCode: response.statusCode, headers: response.headers, body: response.body };
	};
}

function retrieverWith(context: IWebhookFunctions, credential: PushCredential, data: CredentialData, timeoutMs: number): RetrieveMms {
	const client = createGatewayClient(
		{
			provider: data.provider as ProviderName,
			baseUrl: text(data.baseUrl),
			mmsBaseUrl: text(data.mmsBaseUrl),
			username: text(data.username),
			password: text(data.password),
			mmsUsername: text(data.mmsUsername),
			mmsPassword: text(data.mmsPassword),
			timeoutMs,
			retry: { maxAttempts: 1 },
		},
		transportFor(context, credential, data),
	);
	return async (id) => await client.retrieveMms(id);
}

/** A failure another version of the credential might not have: a rejected or missing login. */
function isLoginProblem(error: unknown): boolean {
	return (error instanceof GatewayError && error.code === 'AUTH') || error instanceof GatewayValidationError;
}

/** Removes the credentials' secrets from a message before it goes into an item. */
export function redactor(credentials: readonly CredentialData[]): (message: string) => string {
	const secrets = credentials
		.flatMap((c) => ['password', 'mmsPassword', 'token', 'webhookSecret'].map((key) => text(c[key])))
		.filter((s): s is string => s !== undefined && s.length >= 3);
	return (message) => secrets.reduce((out, secret) => out.split(secret).join('***'), message);
}

/** The retrieval for one push, and the redaction of its errors (covering every credential it used). */
export function mmsRetrieval(
	context: IWebhookFunctions,
	credential: PushCredential,
	data: CredentialData,
): { retrieve: RetrieveMms; redact: (message: string) => string } {
	const used: CredentialData[] = [data];
	const retrieve: RetrieveMms = async (id) => {
		const started = Date.now();
		const first = await retrieverWith(context, credential, data, MMS_RETRIEVE_TIMEOUT_MS)(id).then(
			(value) => ({ value }),
			(error: unknown) => ({ error }),
		);
		if ('value' in first) return first.value;
		const left = MMS_RETRIEVE_TIMEOUT_MS - (Date.now() - started);
		const edited = isLoginProblem(first.error) && left >= MIN_RETRY_MS ? await credential.reread() : undefined;
		if (!edited) throw first.error;
		used.push(edited);
		return await retrieverWith(context, credential, edited, left)(id);
	};
	return { retrieve, redact: (message) => redactor(used)(message) };
}
