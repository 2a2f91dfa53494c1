import type {
	IAuthenticate,
	ICredentialTestRequest,
	ICredentialType,
	Icon,
	INodeProperties,
} from 'n8n-workflow';

/**
 * One credential type for every supported gateway. The provider decides which of
 * the fields below apply; each field is shown only for the providers that use it.
 *
 * The gateway clients put MX Telecom's and BulkSMS's credentials into the request
 * themselves (those gateways expect them as ordinary form or query parameters, next
 * to the message), so `authenticate` only adds GatewayAPI's token header.
 */
export class SmsGatewayApi implements ICredentialType {
	name = 'smsGatewayApi';

	displayName = 'SMS Gateway API';

	icon: Icon = { light: 'file:../icons/sms-gateway.svg', dark: 'file:../icons/sms-gateway.dark.svg' };

	documentationUrl =
		'https://github.com/n8n-nodes-sms-gateway/n8n-nodes-sms-gateway#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'Provider',
			name: 'provider',
			type: 'options',
			options: [
				{ name: 'BulkSMS', value: 'bulkSms' },
				{ name: 'GatewayAPI', value: 'gatewayApi' },
				{ name: 'MX Telecom / OpenMarket', value: 'mxTelecom' },
			],
			default: 'mxTelecom',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://sms.openmarket.com',
			description:
				'Root of the SMS HTTP interface (scheme, host and port). Change it for a white-label host or a test gateway.',
			displayOptions: { show: { provider: ['mxTelecom'] } },
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://bulksms.vsms.net',
			description:
				'Root of the EAPI host your account was registered on (scheme, host and port), without the /eapi path',
			displayOptions: { show: { provider: ['bulkSms'] } },
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://gatewayapi.com',
			description: 'Use https://gatewayapi.eu for EU accounts, or a test gateway',
			displayOptions: { show: { provider: ['gatewayApi'] } },
		},
		{
			displayName: 'MMS Base URL',
			name: 'mmsBaseUrl',
			type: 'string',
			default: 'https://mms.mxtelecom.com',
			description:
				'Root of the MMS HTTP interface (SendMMS, RetrieveMMS). MX Telecom serves MMS from a different host than SMS.',
			displayOptions: { show: { provider: ['mxTelecom'] } },
		},
		{
			displayName: 'Username',
			name: 'username',
			type: 'string',
			default: '',
			displayOptions: { show: { provider: ['mxTelecom', 'bulkSms'] } },
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			displayOptions: { show: { provider: ['mxTelecom', 'bulkSms'] } },
		},
		{
			displayName: 'API Token',
			name: 'token',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			displayOptions: { show: { provider: ['gatewayApi'] } },
		},
		{
			displayName: 'MMS Username',
			name: 'mmsUsername',
			type: 'string',
			default: '',
			description: 'The inbound MMS account, used to retrieve received MMS messages',
			displayOptions: { show: { provider: ['mxTelecom'] } },
		},
		{
			displayName: 'MMS Password',
			name: 'mmsPassword',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			displayOptions: { show: { provider: ['mxTelecom'] } },
		},
		{
			displayName: 'Webhook Secret',
			name: 'webhookSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'Used by the SMS Gateway Trigger: the GatewayAPI webhook secret (verifies the X-Gwapi-Signature JWT), or for BulkSMS the value of the secret query parameter you add to the push URL',
		},
	];

	authenticate: IAuthenticate = async (credentials, requestOptions) => {
		if (credentials.provider !== 'gatewayApi') return requestOptions;
		return {
			...requestOptions,
			headers: { ...requestOptions.headers, Authorization: `Token ${credentials.token as string}` },
		};
	};

	// Each provider's cheapest check that sends nothing (docs/providers.md, "Credential checks").
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{ $credentials.baseUrl.replace(/\\/+$/, "") }}',
			url: '={{ {"mxTelecom": "/sms/v1/send", "bulkSms": "/eapi/user/get_credits/1/1.1", "gatewayApi": "/rest/me"}[$credentials.provider] }}',
			method: 'GET',
			qs: {
				user: '={{ $credentials.provider === "mxTelecom" ? $credentials.username : undefined }}',
				pass: '={{ $credentials.provider === "mxTelecom" ? $credentials.password : undefined }}',
				username: '={{ $credentials.provider === "bulkSms" ? $credentials.username : undefined }}',
				password: '={{ $credentials.provider === "bulkSms" ? $credentials.password : undefined }}',
			},
		},
		// GatewayAPI answers a bad token with 401 and MX a bad username or password with 403;
		// n8n reports any non-2xx answer as a failed test. n8n takes one kind of rule per test.
		rules: [
			// BulkSMS answers HTTP 200 with "status_code|description"; any code but 0 is a failure
			// (23 = authentication failure). The first character of the body is enough to tell.
			{
				type: 'responseSuccessBody',
				properties: { key: '0', value: '2', message: 'BulkSMS rejected the username or password' },
			},
			{
				type: 'responseSuccessBody',
				properties: { key: '0', value: '4', message: 'BulkSMS is temporarily unavailable (40)' },
			},
		],
	};
}
