/**
 * Broadcast to BulkSMS phone-book groups: the "Send To" choice and Group IDs of Broadcast,
 * and the one output item such a request gives (the gateway expands the groups, so the
 * recipients are known only to it; Get Status lists them by the batch ID).
 */
import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';

import type { GroupSendResult } from '../../../shared/providers/types';
import { gatewayClient } from '../../transport';
import type { ItemOutput } from '../items';
import { clientOverrides, readMessageRequest } from './fields';

const show = { resource: ['message'], operation: ['broadcast'] };

export const sendToField: INodeProperties = {
	displayName: 'Send To',
	name: 'sendTo',
	type: 'options',
	noDataExpression: true,
	options: [
		{
			name: 'BulkSMS Groups',
			value: 'groups',
			description:
				'Phone-book groups kept at BulkSMS; the gateway expands them, so the output is one item for the whole request',
		},
		{
			name: 'Phone Numbers',
			value: 'numbers',
			description: 'The numbers in Recipients, one output item each',
		},
	],
	default: 'numbers',
	displayOptions: { show },
};

export const groupIdsField: INodeProperties = {
	displayName: 'Group IDs',
	name: 'groupIds',
	type: 'string',
	default: '',
	required: true,
	placeholder: '12, 15',
	description: 'BulkSMS phone-book group IDs separated by commas, or an expression that returns a list of IDs',
	displayOptions: { show: { ...show, sendTo: ['groups'] } },
};

export function sendsToGroups(context: IExecuteFunctions, itemIndex: number): boolean {
	return context.getNodeParameter('sendTo', itemIndex, 'numbers') === 'groups';
}

function readGroupIds(context: IExecuteFunctions, itemIndex: number): string | number | Array<string | number> {
	const value = context.getNodeParameter('groupIds', itemIndex, '');
	if (typeof value === 'string' || typeof value === 'number') return value;
	if (Array.isArray(value)) return value.map((entry) => (typeof entry === 'number' ? entry : String(entry ?? '')));
	throw new NodeOperationError(
		context.getNode(),
		`Item ${itemIndex}, field "Group IDs": must be text or a list of group IDs, got ${typeof value}`,
		{ itemIndex },
	);
}

/** The same keys on every group item; `addressedAs` tells it from a per-recipient item. */
export function groupItem(result: GroupSendResult): IDataObject {
	return {
		addressedAs: result.addressedAs,
		groupIds: result.groupIds,
		status: result.status,
		messageId: result.messageId ?? null,
		parts: result.parts,
		encoding: result.encoding,
		provider: result.provider,
		error: result.error ? { ...result.error } : null,
		...(result.dryRun ? { dryRun: true } : {}),
	};
}

/** One request to the groups of one input item; providers other than BulkSMS are refused before it leaves. */
export async function broadcastToGroups(context: IExecuteFunctions, itemIndex: number): Promise<ItemOutput[]> {
	const groupIds = readGroupIds(context, itemIndex);
	const { request, options } = readMessageRequest(context, itemIndex);
	const client = await gatewayClient(context, clientOverrides(options));
	const result = await client.broadcastToGroups({ ...request, groupIds });
	return [{ json: groupItem(result) }];
}
