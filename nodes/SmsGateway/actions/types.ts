import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

/** Every operation takes all input items and returns all output items (each with pairedItem). */
export type OperationExecutor = (
	this: IExecuteFunctions,
	items: INodeExecutionData[],
) => Promise<INodeExecutionData[]>;
