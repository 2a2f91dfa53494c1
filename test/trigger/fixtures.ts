/** Shared setup of the trigger tests: credentials pointing at the simulator. */
import type { ICredentialDataDecryptedObject, IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { Simulator } from '../../simulator';

export type Provider = 'mxTelecom' | 'bulkSms' | 'gatewayApi';

export function credentialsFor(
	sim: Simulator,
	provider: Provider,
	extra: ICredentialDataDecryptedObject = {},
): ICredentialDataDecryptedObject {
	const c = sim.credentials;
	const base: ICredentialDataDecryptedObject = { provider, baseUrl: sim.url, webhookSecret: '' };
	if (provider === 'mxTelecom') {
		Object.assign(base, {
			mmsBaseUrl: sim.url,
			username: c.mxTelecom.username,
			password: c.mxTelecom.password,
			mmsUsername: c.mxTelecom.mmsUsername,
			mmsPassword: c.mxTelecom.mmsPassword,
		});
	} else if (provider === 'bulkSms') {
		Object.assign(base, { username: c.bulkSms.username, password: c.bulkSms.password });
	} else {
		Object.assign(base, { token: c.gatewayApi.token });
	}
	return { ...base, ...extra };
}

/** The json of the only item of the only execution. */
export function onlyItem(executions: INodeExecutionData[][]): IDataObject {
	expect(executions).toHaveLength(1);
	expect(executions[0]).toHaveLength(1);
	return executions[0][0].json;
}

/** Bytes of an item's binary property (n8n's in-memory binary mode keeps them as base64). */
export function binaryBytes(item: INodeExecutionData, property: string): Buffer {
	const binary = item.binary?.[property];
	if (!binary) throw new TypeError(`no binary property ${property}`);
	return Buffer.from(binary.data, 'base64');
}
