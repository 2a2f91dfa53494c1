/**
 * Runs one of our nodes inside n8n's real execution engine (n8n-core's
 * WorkflowExecute), in-process: Start -> <node under test>. Credentials are
 * served by a small in-memory credentials helper that applies the credential
 * type's own `authenticate`, so requests go through n8n's real HTTP helpers.
 */
import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import {
	Workflow,
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type INodeExecutionData,
	type INodeParameters,
	type INodeType,
	type INodeTypes,
	type IRun,
} from 'n8n-workflow';

import { additionalDataFor } from './n8nContext';

/** Stand-in for the Manual Trigger; n8n calls execute() with its own `this`, hence the closure. */
function startNode(items: INodeExecutionData[]): INodeType {
	const description = {
		displayName: 'Start',
		name: 'start',
		group: ['trigger'],
		version: 1,
		description: 'Emits the test input',
		defaults: { name: 'Start' },
		inputs: [],
		outputs: ['main'],
		properties: [],
	} as unknown as INodeType['description'];
	return { description, execute: async () => [items] };
}

export interface RunNodeOptions {
	node: INodeType;
	parameters: INodeParameters;
	credentials?: ICredentialDataDecryptedObject;
	input?: Array<IDataObject | INodeExecutionData>;
	continueOnFail?: boolean;
}

export interface RunNodeResult {
	run: IRun;
	items: INodeExecutionData[];
	error?: Error & { description?: string; context?: IDataObject };
}

export async function runNode(options: RunNodeOptions): Promise<RunNodeResult> {
	const input = (options.input ?? [{}]).map((item) =>
		'json' in item && typeof item.json === 'object' ? (item as INodeExecutionData) : { json: item as IDataObject },
	);
	const types: Record<string, INodeType> = { 'test.start': startNode(input), 'test.node': options.node };
	const nodeTypes: INodeTypes = {
		getByName: (type: string) => types[type],
		getByNameAndVersion: (type: string) => types[type],
		getKnownTypes: () => ({}),
	} as unknown as INodeTypes;

	const nodeName = 'Under Test';
	const workflow = new Workflow({
		id: 'wf',
		active: false,
		nodeTypes,
		nodes: [
			{ id: '1', name: 'Start', type: 'test.start', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				id: '2',
				name: nodeName,
				type: 'test.node',
				typeVersion: 1,
				position: [200, 0],
				parameters: options.parameters,
				continueOnFail: options.continueOnFail,
				credentials: options.credentials ? { smsGatewayApi: { id: 'cred', name: 'test' } } : undefined,
			},
		],
		connections: { Start: { main: [[{ node: nodeName, type: 'main', index: 0 }]] } },
	});

	const additionalData = additionalDataFor(options.credentials, {
		hooks: new ExecutionLifecycleHooks('manual', 'exec-1', {
			id: 'wf',
			name: 'wf',
			nodes: [],
			connections: {},
			active: false,
		} as never),
		executionId: 'exec-1',
		executeWorkflow: async () => {
			throw new TypeError('sub-workflows are not supported in these tests');
		},
	});

	const start = workflow.getNode('Start');
	if (!start) throw new TypeError('Start node missing');
	const run = await new WorkflowExecute(additionalData, 'manual').run({ workflow, startNode: start });
	const nodeRun = run.data.resultData.runData[nodeName]?.[0];
	return {
		run,
		items: nodeRun?.data?.main?.[0] ?? [],
		error: (nodeRun?.error ?? run.data.resultData.error) as RunNodeResult['error'],
	};
}
