import type { INodeProperties } from 'n8n-workflow';

import type { OperationExecutor } from '../types';

export const operations: Record<string, OperationExecutor> = {};

export const description: INodeProperties[] = [];
