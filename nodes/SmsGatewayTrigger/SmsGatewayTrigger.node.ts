import {
	NodeConnectionTypes,
	type IHookFunctions,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { WEBHOOK_PATH, properties } from './description';
import { checkExists, create, remove } from './lifecycle';
import { handleWebhook } from './webhook';

export class SmsGatewayTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'SMS Gateway Trigger',
		name: 'smsGatewayTrigger',
		icon: { light: 'file:../../icons/sms-gateway.svg', dark: 'file:../../icons/sms-gateway.dark.svg' },
		group: ['trigger'],
		// Version 2 changes nothing in this node; it exists because n8n 2.41 evaluates a legacy
		// binaryData expression in a fresh sandbox for every push to a version-1 trigger
		// (docs/webhook-throughput.md).
		version: [1, 2],
		defaultVersion: 2,
		subtitle: '={{ ($parameter["events"] || []).join(", ") }}',
		description:
			'Starts the workflow on inbound SMS and MMS, delivery reports and unsubscribes pushed by MX Telecom/OpenMarket, BulkSMS or GatewayAPI',
		defaults: { name: 'SMS Gateway Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'smsGatewayApi', required: true }],
		// One URL for both methods: MX Telecom and BulkSMS push with GET, GatewayAPI and MX's
		// multipart MMS with POST. Only `setup` and `default` may be combined on one path.
		// No expressions here, and an empty responseData, so n8n answers with webhook()'s
		// response body ("OK") once the execution has been created.
		webhooks: [
			{ name: 'setup', httpMethod: 'GET', responseMode: 'onReceived', responseData: '', path: WEBHOOK_PATH },
			{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', responseData: '', path: WEBHOOK_PATH },
		],
		properties,
	};

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return await checkExists.call(this);
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return await create.call(this);
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return await remove.call(this);
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await handleWebhook.call(this);
	}
}
