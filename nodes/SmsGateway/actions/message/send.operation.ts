import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { isRefusal, SendManyItemError } from '../../../shared/providers';
import type { RecipientResult, SendManyOutcome, SendRequest } from '../../../shared/providers/types';
import { gatewayClient } from '../../transport';
import { toNodeError } from '../errors';
import { parameterReader, type ParameterReader } from '../parameters';
import { messageTypeOf } from './content';
import { HIDE_FOR_CONTENT } from './content.description';
import { clientOverrides, messageFields, readMessageRequest } from './fields';
import { recipientItem } from './results';

const show = { resource: ['message'], operation: ['send'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Recipient and Text',
		name: 'mappingMode',
		type: 'options',
		options: [
			{
				name: 'Define Below',
				value: 'defineBelow',
				description: 'Set To and Message on this node (expressions allowed)',
			},
			{
				name: 'From Input Fields',
				value: 'autoMapInputData',
				description:
					"Take each item's recipient and text from its own fields: the fastest way to send a campaign of thousands of rows",
			},
		],
		default: 'defineBelow',
		displayOptions: { show },
	},
	{
		displayName: 'To',
		name: 'to',
		type: 'string',
		default: '',
		required: true,
		placeholder: '447700900123',
		description: 'Recipient phone number in international format (a leading + is allowed)',
		displayOptions: { show: { ...show, mappingMode: ['defineBelow'] } },
	},
	{
		displayName: 'To Field',
		name: 'toField',
		type: 'string',
		default: 'to',
		required: true,
		description: "Name of the input field holding the recipient's phone number (dots reach into nested fields)",
		displayOptions: { show: { ...show, mappingMode: ['autoMapInputData'] } },
	},
	{
		displayName: 'Message Field',
		name: 'messageField',
		type: 'string',
		default: 'message',
		required: true,
		description: 'Name of the input field holding the text (dots reach into nested fields)',
		displayOptions: { show: { ...show, mappingMode: ['autoMapInputData'] }, hide: { encoding: ['binary'], ...HIDE_FOR_CONTENT } },
	},
	...messageFields('send'),
];

/** A field of an item's JSON by name; `a.b` reaches into nested objects. */
function fieldOf(json: IDataObject, name: string): unknown {
	if (name in json) return json[name];
	return name.split('.').reduce<unknown>((value, key) => (value !== null && typeof value === 'object' ? (value as IDataObject)[key] : undefined), json);
}

/** The recipient and text of item `i` in From Input Fields mode; a missing field names the item and the field. */
function fromInputFields(context: IExecuteFunctions, params: ParameterReader, item: INodeExecutionData, i: number): { to: string; message?: string } {
	const read = (parameter: string, label: string, fallback: string): string => {
		const name = String(params.get(parameter, i, fallback)).trim();
		const value = fieldOf(item.json, name);
		if (typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint') return String(value);
		throw new NodeOperationError(
			context.getNode(),
			`Item ${i}, field "${label}": the input item has no text or number in its field "${name}"`,
			{ itemIndex: i },
		);
	};
	const to = read('toField', 'To Field', 'to').trim();
	if (params.get('encoding', i, 'auto') === 'binary' || messageTypeOf(params, i) !== 'text') return { to };
	return { to, message: read('messageField', 'Message Field', 'message') };
}

/** An item whose parameters could not be read: the error n8n shows for it. */
type ReadItem = { request: SendRequest } | { error: NodeOperationError };


/**
 * One SMS per input item (each its own text: the rows of a campaign). Every item is read
 * and validated before anything is sent; then all items go out together over the
 * gateway's bulk path (Batching: Auto) or one request at a time (One Request per Item),
 * through the providers' one engine (docs/batching.md). Output: one item per recipient,
 * paired with its input item, in input order.
 */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const continueOnFail = this.continueOnFail();
	const params = parameterReader(this);
	const fromFields = params.get('mappingMode', 0, 'defineBelow') === 'autoMapInputData';
	// 1. Read every item's parameters; without Continue On Fail the first bad one stops the node.
	const read: ReadItem[] = items.map((item, i) => {
		try {
			if (fromFields) {
				const { to, message } = fromInputFields(this, params, item, i);
				return { request: { ...readMessageRequest(this, i, params, message).request, to } };
			}
			const to = String(params.get('to', i, '')).trim();
			return { request: { ...readMessageRequest(this, i, params).request, to } };
		} catch (error) {
			const nodeError = toNodeError(this, error, i);
			if (!continueOnFail) throw nodeError;
			return { error: nodeError as NodeOperationError };
		}
	});
	const sendable = read.flatMap((entry, i) => ('request' in entry ? [{ index: i, request: entry.request }] : []));
	const outcomes = new Map<number, SendManyOutcome>();
	if (sendable.length > 0) {
		// The client-wide options shape one run: they are read from the first item.
		const options = params.get('options', sendable[0].index, {}) as IDataObject;
		let answered: SendManyOutcome[];
		try {
			// A credential the client refuses (say, its Base URL) is reported on the first item, as the loop always did.
			const client = await gatewayClient(this, clientOverrides(options));
			answered = await client.sendMany(
				sendable.map((s) => s.request),
				{
					batching: options.batching === 'perItem' ? 'perItem' : 'auto',
					stopOnRefusal: !continueOnFail,
					invalidRequests: continueOnFail ? 'report' : 'stop',
				},
			);
		} catch (error) {
			// Nothing was sent: name the item and the field at fault, as the per-item loop always did.
			const itemError = error instanceof SendManyItemError;
			throw toNodeError(this, itemError ? error.reason : error, itemError ? sendable[error.itemIndex].index : sendable[0].index);
		}
		answered.forEach((outcome, k) => outcomes.set(sendable[k].index, outcome));
	}
	if (!continueOnFail) throwOnRefusal(this, outcomes);

	// 2. Back to n8n's items, in input order, each paired with the item it came from.
	const returnData: INodeExecutionData[] = [];
	read.forEach((entry, i) => {
		const pairedItem = { item: i };
		const outcome = outcomes.get(i);
		const error = 'error' in entry ? entry.error : outcome && 'error' in outcome ? toNodeError(this, outcome.error, i) : undefined;
		if (error) {
			returnData.push({ json: { error: error.message }, pairedItem });
			return;
		}
		const results = outcome && 'results' in outcome ? outcome.results : [];
		for (const result of results) returnData.push({ json: recipientItem(result), pairedItem });
	});
	return returnData;
}

/**
 * Without Continue On Fail a refusal stops the node, as it always has. Batched, other items
 * may have gone out meanwhile (the engine stopped dispatching after the refusal): the error
 * says how many, so the user knows not to simply run the whole list again.
 */
function throwOnRefusal(context: IExecuteFunctions, outcomes: Map<number, SendManyOutcome>): void {
	let refused: { index: number; result: RecipientResult } | undefined;
	let taken = 0;
	for (const [index, outcome] of outcomes) {
		if (!('results' in outcome)) continue;
		for (const result of outcome.results) {
			if (!refused && isRefusal(result)) refused = { index, result };
			else if (result.status !== 'failed') taken++;
		}
	}
	if (!refused) return;
	const { index, result } = refused;
	const others = taken === 0 ? 'No other message was sent.' : `${taken} other message${taken === 1 ? '' : 's'} may have been sent (accepted, scheduled or unknown) before the run stopped.`;
	throw new NodeOperationError(
		context.getNode(),
		`Item ${index}: the gateway did not accept the message to ${result.to}: ${result.error?.message ?? 'no reason given'}`,
		{ itemIndex: index, description: `${result.error ? `Gateway code: ${result.error.code}. ` : ''}${others}` },
	);
}
