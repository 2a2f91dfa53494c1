/**
 * The credential type's declarative Test, run the way n8n's credential tester runs it:
 * a throwaway declarative node whose one property routes `test.request`, executed by
 * n8n-core's engine (RoutingNode), then the test's rules read against the answer.
 */
import type {
	ICredentialDataDecryptedObject,
	IAuthenticateRuleResponseSuccessBody,
	INodeType,
} from 'n8n-workflow';

import { startSimulator, type Simulator } from '../../simulator';
import { SmsGatewayApi } from '../../credentials/SmsGatewayApi.credentials';
import { runNode } from '../helpers/n8n';

const credentialType = new SmsGatewayApi();

const probeNode: INodeType = {
	description: {
		displayName: 'Probe',
		name: 'probe',
		group: ['transform'],
		version: 1,
		description: 'Runs the credential test request',
		defaults: { name: 'Probe' },
		inputs: ['main'],
		outputs: ['main'],
		credentials: [{ name: 'smsGatewayApi', required: true }],
		properties: [
			{ displayName: 'Temp', name: 'temp', type: 'string', default: '', routing: { request: credentialType.test.request } },
		],
	} as unknown as INodeType['description'],
};

/** n8n reads rule keys with lodash's get; our keys are single indexes into a text body. */
const at = (body: unknown, key: string): unknown =>
	typeof body === 'string' ? body[Number(key)] : (body as Record<string, unknown> | undefined)?.[key];

/** 'OK', or the message n8n would show. */
async function testCredentials(credentials: ICredentialDataDecryptedObject): Promise<string> {
	const { items, error } = await runNode({ node: probeNode, parameters: {}, credentials });
	if (error) {
		const status = (error as { httpCode?: string }).httpCode ?? '';
		return `HTTP ${status}`;
	}
	for (const rule of (credentialType.test.rules ?? []) as IAuthenticateRuleResponseSuccessBody[]) {
		if (at(items[0]?.json, rule.properties.key) === rule.properties.value) return rule.properties.message;
	}
	return 'OK';
}

let sim: Simulator;
beforeAll(async () => {
	sim = await startSimulator({ port: 0 });
});
afterAll(async () => {
	await sim.close();
});

describe('SMS Gateway API credential: the Test button', () => {
	it('GatewayAPI: a good token passes, a bad one fails with 401', async () => {
		expect(await testCredentials({ provider: 'gatewayApi', baseUrl: sim.url, token: 'gwapi-secret-token' })).toBe('OK');
		expect(await testCredentials({ provider: 'gatewayApi', baseUrl: sim.url, token: 'nope' })).toBe('HTTP 401');
	});

	it('BulkSMS: good credentials pass, bad ones fail with a clear message although HTTP says 200', async () => {
		const good = { provider: 'bulkSms', baseUrl: sim.url, username: 'bulk-user', password: 'bulk-secret-pass' };
		expect(await testCredentials(good)).toBe('OK');
		expect(await testCredentials({ ...good, password: 'wrong' })).toBe('BulkSMS rejected the username or password');
	});

	it('MX Telecom: a wrong password is told apart (403) from a probe refused for lack of a recipient', async () => {
		const good = { provider: 'mxTelecom', baseUrl: sim.url, username: 'mx-user', password: 'mx-secret-pass' };
		expect(await testCredentials({ ...good, password: 'wrong' })).toBe('HTTP 403');
		expect(await testCredentials(good)).toBe('HTTP 400');
		expect(sim.accepted).toHaveLength(0);
	});
});
