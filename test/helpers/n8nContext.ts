/**
 * What n8n-core needs around a node run in-process: a credentials helper serving one
 * decrypted SMS Gateway API credential (applying the credential type's own
 * `authenticate`), and the plain parts of IWorkflowExecuteAdditionalData.
 */
import type {
	ICredentialDataDecryptedObject,
	IHttpRequestOptions,
	IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';

import { SmsGatewayApi } from '../../credentials/SmsGatewayApi.credentials';

const credentialType = new SmsGatewayApi();

export class InMemoryCredentialsHelper {
	constructor(private readonly data: ICredentialDataDecryptedObject | undefined) {}

	getParentTypes() {
		return [];
	}

	isCredentialUsableByNode() {
		return true;
	}

	async authenticate(credentials: ICredentialDataDecryptedObject, _typeName: string, options: IHttpRequestOptions) {
		const authenticate = credentialType.authenticate;
		return typeof authenticate === 'function' ? await authenticate(credentials, options) : options;
	}

	async preAuthentication() {
		return undefined;
	}

	async runPreAuthentication() {
		return undefined;
	}

	async getDecrypted() {
		if (!this.data) throw new TypeError('No credentials configured for this test run');
		return this.data;
	}

	getCredentialsProperties() {
		return credentialType.properties;
	}
}

/** Additional data for an in-process run: URLs on a made-up local instance, no-op UI hooks. */
export function additionalDataFor(
	credentials: ICredentialDataDecryptedObject | undefined,
	extra: Record<string, unknown> = {},
): IWorkflowExecuteAdditionalData {
	const base = 'http://127.0.0.1:5678';
	return {
		credentialsHelper: new InMemoryCredentialsHelper(credentials),
		currentNodeExecutionIndex: 0,
		userId: 'user',
		variables: {},
		restApiUrl: `${base}/rest`,
		instanceBaseUrl: base,
		webhookBaseUrl: `${base}/webhook`,
		webhookWaitingBaseUrl: `${base}/webhook-waiting`,
		webhookTestBaseUrl: `${base}/webhook-test`,
		formWaitingBaseUrl: `${base}/form-waiting`,
		setExecutionStatus() {},
		sendDataToUI() {},
		logAiEvent() {},
		getRunExecutionData: async () => undefined,
		...extra,
	} as unknown as IWorkflowExecuteAdditionalData;
}
