import { NodeApiError, NodeOperationError, type IExecuteFunctions } from 'n8n-workflow';

/**
 * Turns whatever an operation threw into the error n8n shows, tied to its item.
 * Errors from our own code already carry a message that names the field and what
 * is allowed; we only prefix the item so a user can find the row at fault.
 */
export function toNodeError(
	context: IExecuteFunctions,
	error: unknown,
	itemIndex: number,
): NodeOperationError | NodeApiError {
	if (error instanceof NodeOperationError || error instanceof NodeApiError) return error;
	const message = error instanceof Error ? error.message : String(error);
	return new NodeOperationError(context.getNode(), `Item ${itemIndex}: ${message}`, { itemIndex });
}
