import type { IBinaryKeyData, IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { toNodeError } from './errors';

/** What one input item produced, before it is paired with that item. */
export interface ItemOutput {
	json: IDataObject;
	binary?: IBinaryKeyData;
}

/**
 * Runs `perItem` for every input item with n8n's conventions: each output item is
 * paired with the input item it came from, and with Continue On Fail a failing item
 * becomes one output item carrying the error instead of stopping the node.
 */
export async function forEachItem(
	context: IExecuteFunctions,
	items: INodeExecutionData[],
	perItem: (itemIndex: number) => Promise<ItemOutput[]>,
): Promise<INodeExecutionData[]> {
	const returnData: INodeExecutionData[] = [];
	for (let i = 0; i < items.length; i++) {
		try {
			for (const output of await perItem(i)) returnData.push({ ...output, pairedItem: { item: i } });
		} catch (error) {
			const nodeError = toNodeError(context, error, i);
			if (!context.continueOnFail()) throw nodeError;
			returnData.push({ json: { error: nodeError.message }, pairedItem: { item: i } });
		}
	}
	return returnData;
}
