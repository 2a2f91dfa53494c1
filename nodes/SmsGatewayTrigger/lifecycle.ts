/**
 * n8n's webhook lifecycle for gateways whose push URLs are set by hand in the gateway's
 * account (MX Telecom by request, BulkSMS in the profile, GatewayAPI in the dashboard).
 * There is no API to register or look up a push URL, so:
 * - checkExists says "no registration" (there never is one to find), so n8n calls create;
 * - create registers nothing: it checks the settings and logs the URL the admin must
 *   give the gateway, and warns when pushes will not be authenticated;
 * - delete removes nothing at the gateway: it forgets this node's dedupe memory and kept
 *   credential and logs that the gateway keeps pushing to a URL that now answers 404
 *   until reactivation.
 */
import type { IHookFunctions } from 'n8n-workflow';

import { CREDENTIAL_TYPE, forgetCredential, providerOf } from './credential';
import { readOptions } from './description';
import { dropScope } from './dedupe';

const PROVIDER_NAMES: Record<string, string> = {
	mxTelecom: 'MX Telecom / OpenMarket',
	bulkSms: 'BulkSMS',
	gatewayApi: 'GatewayAPI',
};

export async function checkExists(this: IHookFunctions): Promise<boolean> {
	return false;
}

export async function create(this: IHookFunctions): Promise<boolean> {
	// A copy kept from before (re)activation may predate an edit: the next push reads afresh.
	forgetCredential(this.getWorkflow().id, this.getNode().id);
	const credentials = await this.getCredentials(CREDENTIAL_TYPE);
	const provider = providerOf(this, credentials);
	// Fails activation on a bad setting (e.g. an invalid IP allowlist entry) instead of at the first push.
	const options = readOptions(this);
	const url = this.getNodeWebhookUrl('default') ?? '(unknown)';
	const name = PROVIDER_NAMES[provider];
	const secretSet = typeof credentials.webhookSecret === 'string' && credentials.webhookSecret !== '';
	let where = url;
	if (provider !== 'gatewayApi' && secretSet) where = `${url}?${options.secretParameter}=<webhook secret>`;
	this.logger.info(
		`SMS Gateway Trigger "${this.getNode().name}": nothing is registered with ${name}; set its push URL (inbound messages and delivery reports) to ${where}`,
	);
	if (!secretSet && provider !== 'mxTelecom') {
		this.logger.warn(
			`SMS Gateway Trigger "${this.getNode().name}": the credential has no webhook secret, so ${name} pushes are accepted without authentication`,
		);
	}
	return true;
}

export async function remove(this: IHookFunctions): Promise<boolean> {
	dropScope(this.getWorkflow().id, this.getNode().id);
	forgetCredential(this.getWorkflow().id, this.getNode().id);
	this.logger.info(
		`SMS Gateway Trigger "${this.getNode().name}": deactivated; nothing was registered, so the gateway keeps pushing to ${this.getNodeWebhookUrl('default') ?? 'the old URL'}, which answers 404 until the workflow is active again`,
	);
	return true;
}
