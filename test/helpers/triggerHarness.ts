/**
 * Runs the SMS Gateway Trigger behind a loopback HTTP server, through n8n-core's own
 * WebhookContext (the `this` n8n gives webhook()) and HookContext (the `this` of the
 * activation hooks). The server (webhookServer.js) prepares requests the way n8n's web
 * server does; this file then does what n8n 2.41's webhook-helpers do with webhook()'s
 * result:
 * - `noWebhookResponse`: the node answered itself; nothing more is sent;
 * - no `workflowData`: answer `webhookResponse` (or n8n's default message), no execution;
 * - `workflowData`: one execution starts with those items on its stack and runs in
 *   n8n-core's WorkflowExecute (as n8n starts a webhook execution; `executions` holds the
 *   trigger's output from its run data), then the on-received answer is the description's
 *   `responseData` when truthy, else `webhookResponse`.
 * Credentials are served by an in-memory helper that applies the credential type's own
 * `authenticate`, so MMS retrievals go through n8n's real HTTP helpers. It counts the
 * decryptions n8n asks it for (`credentialReads`: one per getCredentials(), and one per
 * authenticated request made without `credentialsDecrypted`) and lets a test edit the
 * credential as a user would (`editCredentials`).
 */
import { ExecutionLifecycleHooks, HookContext, WebhookContext, WorkflowExecute } from 'n8n-core';
import {
	Workflow,
	createRunExecutionData,
	type ICredentialDataDecryptedObject,
	type INode,
	type INodeExecutionData,
	type INodeParameters,
	type INodeType,
	type INodeTypes,
	type IWebhookData,
	type IWebhookDescription,
	type IWebhookResponseData,
	type IWorkflowExecuteAdditionalData,
	type WorkflowExecuteMode,
} from 'n8n-workflow';

import { SmsGatewayTrigger } from '../../nodes/SmsGatewayTrigger/SmsGatewayTrigger.node';
import { InMemoryCredentialsHelper, additionalDataFor } from './n8nContext';
import { captureLogs, type LogLine } from './n8nLogs';
import { startWebhookServer, type PreparedRequest, type ServerResponseLike } from './webhookServer';

export interface TriggerCall {
	method: string;
	url: string;
	result?: IWebhookResponseData;
	/** Items of the execution this request started, if any. */
	items?: INodeExecutionData[];
	error?: Error;
}

export interface TriggerHarness {
	/** Base URL of the loopback server; push to `${url}/webhook/<id>/sms` (any path works). */
	url: string;
	/** The push URL as n8n would publish it (path of the production URL). */
	pushUrl: string;
	calls: TriggerCall[];
	/** One entry per execution started, with its items. */
	executions: INodeExecutionData[][];
	logs: LogLine[];
	node: INode;
	/** How many times n8n decrypted the credential for this harness so far. */
	readonly credentialReads: number;
	/** Replaces the stored credential, as saving an edit in n8n would. */
	editCredentials(data: ICredentialDataDecryptedObject): void;
	/** Runs one of webhookMethods.default through n8n-core's HookContext. */
	hook(method: 'checkExists' | 'create' | 'delete', mode?: WorkflowExecuteMode): Promise<boolean>;
	close(): Promise<void>;
}

export interface TriggerOptions {
	parameters?: INodeParameters;
	credentials: ICredentialDataDecryptedObject;
	mode?: WorkflowExecuteMode;
	trustProxy?: boolean;
	workflowId?: string;
	nodeId?: string;
	/** The id of the credential the node uses (`cred-1` unless given). */
	credentialId?: string;
}

/** The stored credential, editable, counting each decryption n8n asks for. */
class CountingCredentialsHelper extends InMemoryCredentialsHelper {
	reads = 0;

	constructor(private stored: ICredentialDataDecryptedObject) {
		super(stored);
	}

	edit(data: ICredentialDataDecryptedObject): void {
		this.stored = data;
	}

	async getDecrypted() {
		this.reads += 1;
		// n8n decrypts into a new object on every read.
		return { ...this.stored };
	}
}

const NODE_NAME = 'SMS Gateway Trigger';
let harnessCount = 0;
const WEBHOOK_ID = '5b0c6a1e-0b5a-4c36-9c1e-3f1f5c1d2e7a';

function send(res: ServerResponseLike, status: number, data: unknown): void {
	if (res.headersSent) return;
	res.statusCode = status;
	if (typeof data === 'string') {
		res.setHeader('Content-Type', 'text/html; charset=utf-8');
		res.end(data);
	} else {
		res.setHeader('Content-Type', 'application/json; charset=utf-8');
		res.end(JSON.stringify(data));
	}
}

/** n8n's extractWebhookOnReceivedResponse, for the description's responseData. */
function onReceivedBody(responseData: unknown, result: IWebhookResponseData): unknown {
	if (responseData === 'noData') return undefined;
	if (responseData) return responseData;
	if (result.webhookResponse !== undefined) return result.webhookResponse;
	return { message: 'Workflow was started' };
}

export async function startTrigger(options: TriggerOptions): Promise<TriggerHarness> {
	const trigger = new SmsGatewayTrigger();
	const types: Record<string, INodeType> = { 'test.smsGatewayTrigger': trigger };
	const nodeTypes = {
		getByName: (type: string) => types[type],
		getByNameAndVersion: (type: string) => types[type],
		getKnownTypes: () => ({}),
	} as unknown as INodeTypes;
	// Each harness is its own workflow, so the trigger's per-node memory (dedupe) starts empty.
	harnessCount += 1;
	const workflowId = options.workflowId ?? `wf-trigger-${harnessCount}`;
	const workflow = new Workflow({
		id: workflowId,
		active: true,
		nodeTypes,
		nodes: [
			{
				id: options.nodeId ?? 'node-1',
				name: NODE_NAME,
				type: 'test.smsGatewayTrigger',
				typeVersion: 1,
				position: [0, 0],
				webhookId: WEBHOOK_ID,
				parameters: options.parameters ?? {},
				credentials: { smsGatewayApi: { id: options.credentialId ?? 'cred-1', name: 'SMS Gateway' } },
			},
		],
		connections: {},
	});
	const node = workflow.getNode(NODE_NAME) as INode;
	const logs = captureLogs();
	const mode = options.mode ?? 'webhook';
	const calls: TriggerCall[] = [];
	const executions: INodeExecutionData[][] = [];
	let requestCount = 0;

	const credentialsHelper = new CountingCredentialsHelper(options.credentials);
	const additionalData = (extra: Record<string, unknown>): IWorkflowExecuteAdditionalData =>
		additionalDataFor(options.credentials, { credentialsHelper, ...extra });

	const description = (method: string): IWebhookDescription => {
		const found = trigger.description.webhooks?.find((w) => w.httpMethod === method);
		if (!found) throw new TypeError(`no webhook for ${method}`);
		return found;
	};
	const webhookData = (method: string, data: IWorkflowExecuteAdditionalData): IWebhookData => ({
		httpMethod: method as IWebhookData['httpMethod'],
		node: NODE_NAME,
		path: description(method).path as string,
		webhookDescription: description(method),
		workflowId,
		workflowExecuteAdditionalData: data,
		webhookId: WEBHOOK_ID,
	});

	/** Runs the workflow with n8n-core's WorkflowExecute, starting from the trigger's output. */
	const execute = async (workflowData: INodeExecutionData[][], n: number): Promise<INodeExecutionData[]> => {
		const executionId = `exec-${n}`;
		const runExecutionData = createRunExecutionData({
			executionData: { nodeExecutionStack: [{ node, data: { main: workflowData }, source: null }] },
		});
		const data = additionalData({
			executionId,
			hooks: new ExecutionLifecycleHooks('webhook', executionId, {
				id: workflowId,
				name: workflowId,
				nodes: [],
				connections: {},
				active: true,
			} as never),
		});
		const run = await new WorkflowExecute(data, mode, runExecutionData).processRunExecutionData(workflow);
		if (run.status !== 'success') throw new TypeError(`execution ${executionId} ended ${run.status}`);
		return run.data.resultData.runData[NODE_NAME]?.[0]?.data?.main?.[0] ?? [];
	};

	const server = await startWebhookServer({
		trustProxy: options.trustProxy,
		handle: async (req: PreparedRequest, res: ServerResponseLike) => {
			const method = (req.method ?? 'GET').toUpperCase();
			const call: TriggerCall = { method, url: req.url ?? '' };
			calls.push(call);
			requestCount += 1;
			const data = additionalData({ httpRequest: req, httpResponse: res, executionId: `exec-${requestCount}` });
			const context = new WebhookContext(workflow, node, data, mode, webhookData(method, data), [], null);
			// A throw reaches the server, which answers 500 as n8n does; the call keeps the error.
			const result = await trigger.webhook!.call(context).catch(async (error: Error) => {
				call.error = error;
				return await Promise.reject(error);
			});
			call.result = result;
			if (result.noWebhookResponse === true) return;
			if (result.workflowData === undefined) {
				send(res, 200, result.webhookResponse !== undefined ? result.webhookResponse : { message: 'Webhook call received' });
				return;
			}
			// Start the execution as n8n does for a webhook: the trigger's items on the stack.
			const items = await execute(result.workflowData, requestCount);
			call.items = items;
			executions.push(items);
			const body = onReceivedBody(description(method).responseData ?? 'firstEntryJson', result);
			send(res, 200, body ?? '');
		},
	});

	return {
		url: server.url,
		pushUrl: `${server.url}/webhook/${WEBHOOK_ID}/sms`,
		calls,
		executions,
		logs,
		node,
		get credentialReads() {
			return credentialsHelper.reads;
		},
		editCredentials: (data) => credentialsHelper.edit(data),
		async hook(method, hookMode = mode) {
			const data = additionalData({});
			const context = new HookContext(workflow, node, data, hookMode, 'activate', webhookData('POST', data));
			const methods = trigger.webhookMethods?.default;
			if (!methods) throw new TypeError('webhookMethods.default missing');
			return await methods[method].call(context);
		},
		close: async () => await server.close(),
	};
}
