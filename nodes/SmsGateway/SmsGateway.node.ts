import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import * as account from './actions/account';
import * as message from './actions/message';
import * as mms from './actions/mms';
import { router } from './actions/router';

export class SmsGateway implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'SMS Gateway',
		name: 'smsGateway',
		icon: { light: 'file:../../icons/sms-gateway.svg', dark: 'file:../../icons/sms-gateway.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description:
			'Send SMS and MMS, broadcast to many recipients, preview encoding and cost, and check balance and delivery status through MX Telecom/OpenMarket, BulkSMS or GatewayAPI',
		defaults: { name: 'SMS Gateway' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'smsGatewayApi',
				required: true,
				// Analyze works offline, so it needs no account.
				displayOptions: { hide: { operation: ['analyze'] } },
			},
		],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Account', value: 'account' },
					{ name: 'Message', value: 'message' },
					{ name: 'MMS Message', value: 'mms' },
				],
				default: 'message',
			},
			...account.description,
			...message.description,
			...mms.description,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return router.call(this);
	}
}
