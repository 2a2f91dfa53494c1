// The few calls of n8n's own REST API (the one its editor uses) that the demo and
// the screenshot script need on a running `n8n start`: create the instance owner,
// sign in, publish a workflow, run a workflow the way the editor's "Execute
// workflow" button does, and wait for that execution in n8n's database.
//
// Why the editor's API and not the CLI: one `n8n start` serves everything, so a
// manual run takes a fraction of a second instead of a cold `n8n execute`
// process (3-4 s each), and the executions show up in the editor exactly as if
// the user had clicked the buttons. The internal API can change between n8n
// versions; this file speaks the one of the pinned n8n (scripts/n8n/install.mjs).

import * as h from '../n8n/harness.mjs';

/** A signed-in session: keeps the `n8n-auth` cookie n8n sets. */
export class N8nSession {
	constructor(baseUrl) {
		this.baseUrl = baseUrl;
		this.cookie = '';
	}

	async request(method, path, body) {
		const res = await fetch(`${this.baseUrl}${path}`, {
			method,
			headers: {
				...(body === undefined ? {} : { 'content-type': 'application/json' }),
				...(this.cookie ? { cookie: this.cookie } : {}),
			},
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const setCookies = res.headers.getSetCookie?.() ?? [];
		const auth = setCookies.map((c) => c.split(';')[0]).find((c) => c.startsWith('n8n-auth='));
		if (auth) this.cookie = auth;
		const text = await res.text();
		let json;
		try {
			json = text ? JSON.parse(text) : undefined;
		} catch {
			json = undefined;
		}
		if (!res.ok) {
			const message = json?.message ?? text.slice(0, 300);
			throw new Error(`n8n ${method} ${path} answered ${res.status}: ${message}`);
		}
		return json?.data ?? json;
	}

	/**
	 * Creates the instance owner (only possible once per instance, before anyone
	 * signed up) and keeps the session it opens.
	 */
	async setupOwner({ email, password, firstName, lastName }) {
		return this.request('POST', '/rest/owner/setup', { email, password, firstName, lastName });
	}

	async login(email, password) {
		return this.request('POST', '/rest/login', { emailOrLdapLoginId: email, password });
	}

	async getWorkflow(id) {
		return this.request('GET', `/rest/workflows/${encodeURIComponent(id)}`);
	}

	/** Publishes (activates) the workflow's current version, as the editor's Publish button does. */
	async publish(id) {
		const wf = await this.getWorkflow(id);
		return this.request('POST', `/rest/workflows/${encodeURIComponent(id)}/activate`, { versionId: wf.versionId });
	}

	/** Starts a manual run from the named trigger node; resolves the execution id. */
	async run(id, triggerName) {
		// n8n 1.x runs the workflow the request carries (it reads body.workflowData);
		// 2.x loads the saved one itself.
		const workflowData = h.N8N_MAJOR >= 2 ? undefined : await this.getWorkflow(id);
		const r = await this.request('POST', `/rest/workflows/${encodeURIComponent(id)}/run`, {
			...(workflowData ? { workflowData } : {}),
			triggerToStartFrom: { name: triggerName },
		});
		if (!r?.executionId) throw new Error(`n8n did not start workflow ${id}: ${JSON.stringify(r)}`);
		return String(r.executionId);
	}
}

/**
 * Waits for one execution (by id) to settle and resolves it decoded
 * (`{ id, workflowId, mode, status, startedAt, stoppedAt, data }`).
 */
export async function waitForExecution(userFolder, executionId, { timeoutMs = 60_000 } = {}) {
	const id = Number(executionId);
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const [row] = await h.readExecutions(userFolder, { afterId: id - 1, decode: false });
		if (row && row.id === id && h.isSettled(row)) {
			// n8n 1.x may store the status before the run data (h.hasFinalData)
			const [full] = await h.readExecutions(userFolder, { afterId: id - 1 });
			if (full.id === id && h.hasFinalData(full)) return full;
		}
		if (Date.now() > deadline) throw new Error(`execution ${id} did not finish within ${timeoutMs / 1000} s`);
		await new Promise((r) => setTimeout(r, 100));
	}
}

/** The highest execution id so far (0 when none), to wait for the ones that follow. */
export async function lastExecutionId(userFolder) {
	const [row] = await h.dbQuery(userFolder, 'select max(id) as id from execution_entity');
	return Number(row?.id ?? 0);
}

/**
 * Waits for the first settled execution of `workflowId` after `afterId`
 * (executions that a webhook starts have no id to wait for up front).
 */
export async function waitForNextExecution(userFolder, workflowId, afterId, { timeoutMs = 30_000 } = {}) {
	const [row] = await h.waitForExecutions(userFolder, 1, { workflowId, afterId }, { timeoutMs });
	return row;
}

/** The output items (json) of a node in a decoded execution, or []. */
export function outputOf(execution, nodeName, output = 0) {
	const runs = execution?.data?.resultData?.runData?.[nodeName];
	return (runs?.[0]?.data?.main?.[output] ?? []).map((item) => item.json);
}

/** Whether a node ran in the execution. */
export function ran(execution, nodeName) {
	return Boolean(execution?.data?.resultData?.runData?.[nodeName]);
}

/** The error message of a failed execution, if any. */
export function executionError(execution) {
	const e = execution?.data?.resultData?.error;
	return e ? `${e.node?.name ? `${e.node.name}: ` : ''}${e.message}${e.description ? ` (${e.description})` : ''}` : undefined;
}

/** Seconds an execution took, from n8n's own timestamps. */
export function executionSeconds(execution) {
	const start = Date.parse(execution?.startedAt);
	const stop = Date.parse(execution?.stoppedAt);
	return Number.isFinite(start) && Number.isFinite(stop) ? (stop - start) / 1000 : undefined;
}
