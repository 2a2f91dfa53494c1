// Shared by the SMS Gateway Trigger's end-to-end tests (test/e2e/trigger*.test.mjs) and its
// benchmark (bench/trigger.mjs): workflow and credential builders for a published trigger
// in a real n8n, and a closed-loop load client that records what the gateway got back.
//
// Not a test file itself (no `.test.` in the name), so `node --test test/e2e/*.test.mjs`
// does not run it.

import fs from 'node:fs';
import { spawnSync } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { createRequire } from 'node:module';

import * as h from '../../scripts/n8n/harness.mjs';

const require = createRequire(import.meta.url);
const { DEFAULT_CREDENTIALS } = require('../../simulator');

const PKG = JSON.parse(fs.readFileSync(path.join(h.repoRoot, 'package.json'), 'utf8')).name;
export const TRIGGER_TYPE = `${PKG}.smsGatewayTrigger`;
export const TRIGGER_NAME = 'SMS Gateway Trigger';
export const SINK_NAME = 'Post to sink';
export const PROVIDERS = ['mxTelecom', 'bulkSms', 'gatewayApi'];
export const WEBHOOK_SECRET = DEFAULT_CREDENTIALS.webhookSecret;
/** The trigger runs on loopback: MX's default allowlist (MX's own ranges) would refuse it. */
export const LOOPBACK_ALLOWLIST = '127.0.0.1/32, ::1';

export const CRED_IDS = { mxTelecom: 'e2eTrigCredMx', bulkSms: 'e2eTrigCredBulk', gatewayApi: 'e2eTrigCredGwapi' };

/**
 * One credential per provider, pointing at the simulator. MX gets no webhook secret (its
 * pushes carry none; the allowlist guards it); BulkSMS and GatewayAPI get the simulator's.
 */
export function credential(provider, sim) {
	const c = DEFAULT_CREDENTIALS[provider];
	const data = { provider, baseUrl: sim.url, webhookSecret: provider === 'mxTelecom' ? '' : WEBHOOK_SECRET };
	if (provider === 'gatewayApi') data.token = c.token;
	else Object.assign(data, { username: c.username, password: c.password });
	if (provider === 'mxTelecom') {
		Object.assign(data, { mmsBaseUrl: sim.url, mmsUsername: c.mmsUsername, mmsPassword: c.mmsPassword });
	}
	return { id: CRED_IDS[provider], name: `Simulator ${provider}`, type: 'smsGatewayApi', data };
}

export const credRef = (provider) => ({ smsGatewayApi: { id: CRED_IDS[provider], name: `Simulator ${provider}` } });

/**
 * The trigger's newest typeVersion in the package that gets installed (the editor puts the
 * newest on a new node, so the tests do too). Read from the compiled description.
 */
export function triggerVersion(packageDir = process.env.SMS_GATEWAY_E2E_PACKAGE_DIR || h.repoRoot) {
	const file = path.join(packageDir, 'dist', 'nodes', 'SmsGatewayTrigger', 'SmsGatewayTrigger.node.js');
	const { description } = new (require(file).SmsGatewayTrigger)();
	return description.defaultVersion ?? Math.max(...[].concat(description.version));
}

/** The SMS Gateway Trigger node with a fixed webhookId (URL `/webhook/<webhookId>/sms`). */
export function triggerNode(
	provider,
	webhookId,
	{ events, options = { ipAllowlist: LOOPBACK_ALLOWLIST }, typeVersion = triggerVersion() } = {},
) {
	const parameters = { options };
	if (events) parameters.events = events;
	return h.node(TRIGGER_NAME, TRIGGER_TYPE, parameters, { credentials: credRef(provider), webhookId, typeVersion });
}

/** n8n's own HTTP Request node posting the incoming item's JSON to `url`. */
export function sinkNode(url) {
	return h.node(
		SINK_NAME,
		'n8n-nodes-base.httpRequest',
		{ method: 'POST', url, sendBody: true, specifyBody: 'json', jsonBody: '={{ $json }}', options: {} },
		{ typeVersion: 4.2 },
	);
}

/** n8n's Webhook node: GET, answered as soon as the execution starts ("respond on received"). */
export function webhookNode(webhookPath, webhookId) {
	return h.node(
		'Webhook',
		'n8n-nodes-base.webhook',
		{ httpMethod: 'GET', path: webhookPath, responseMode: 'onReceived', options: {} },
		{ typeVersion: 2, webhookId },
	);
}

/** The production URL of a published trigger with this webhookId. */
export const triggerUrl = (n8nUrl, webhookId) => `${n8nUrl}/webhook/${webhookId}/sms`;

// ---------------------------------------------------------------------------
// Load

/** The q-quantile (0..1) of numbers, nearest-rank. */
export function quantile(values, q) {
	if (values.length === 0) return NaN;
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/**
 * Runs `send(i)` for i in 0..count-1 with at most `concurrency` in flight (closed loop:
 * each finished request starts the next). `send` resolves `{ status, body }` (it may add
 * fields). Resolves `{ results, ms, latencies }` where results[i] has `status`, `body`,
 * `ms` (answer time) and `error` when the request failed on the network.
 */
export async function runLoad(count, concurrency, send) {
	const results = new Array(count);
	let next = 0;
	const t0 = performance.now();
	async function lane() {
		for (;;) {
			const i = next++;
			if (i >= count) return;
			const t = performance.now();
			try {
				const r = await send(i);
				results[i] = { ...r, ms: performance.now() - t };
			} catch (error) {
				results[i] = { status: 0, body: '', error: String(error?.message ?? error), ms: performance.now() - t };
			}
		}
	}
	await Promise.all(Array.from({ length: Math.min(concurrency, count) }, lane));
	const ms = performance.now() - t0;
	return { results, ms, latencies: results.map((r) => r.ms) };
}

/** A keep-alive GET client for loopback URLs: resolves `{ status, body }`. */
export function makeGetClient({ maxSockets = 256, timeoutMs = 60_000 } = {}) {
	const agent = new http.Agent({ keepAlive: true, maxSockets });
	function get(url) {
		return new Promise((resolve, reject) => {
			const u = new URL(url);
			if (u.hostname !== '127.0.0.1') {
				reject(new Error(`refusing to send to ${u.hostname}: loopback only`));
				return;
			}
			const req = http.request(u, { method: 'GET', agent }, (res) => {
				const chunks = [];
				res.on('data', (c) => chunks.push(c));
				res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString('utf8') }));
				res.on('error', reject);
			});
			req.setTimeout(timeoutMs, () => req.destroy(new Error(`timed out after ${timeoutMs} ms`)));
			req.on('error', reject);
			req.end();
		});
	}
	return { get, close: () => agent.destroy() };
}

/** A summary line of a load run's answers. */
export function describeLoad(label, { results, ms }) {
	const lat = results.map((r) => r.ms);
	const ok = results.filter((r) => r.status === 200).length;
	const within10s = results.filter((r) => r.status === 200 && r.ms <= 10_000).length;
	return (
		`${label}: ${results.length} pushes in ${(ms / 1000).toFixed(1)} s, ${ok} answered 200, ` +
		`${within10s} within 10 s, p50 ${quantile(lat, 0.5).toFixed(0)} ms, p99 ${quantile(lat, 0.99).toFixed(0)} ms, ` +
		`max ${Math.max(...lat).toFixed(0)} ms`
	);
}

/**
 * Waits until `count` executions of a workflow (after `afterId`) are settled, reading only
 * the counts (cheap while n8n is busy). Resolves `{ total, byStatus, ms }`.
 */
export async function waitForSettled(userFolder, workflowId, count, { afterId = 0, timeoutMs = 300_000 } = {}) {
	const t0 = Date.now();
	for (;;) {
		const rows = await h.dbQuery(
			userFolder,
			'select status, finished, count(*) as n from execution_entity where workflowId = ? and id > ? group by status, finished',
			[workflowId, afterId],
		);
		const byStatus = {};
		let total = 0;
		let unsettled = 0;
		for (const r of rows) {
			const n = Number(r.n);
			byStatus[r.status] = (byStatus[r.status] ?? 0) + n;
			total += n;
			if (!r.finished && ['new', 'running', 'waiting'].includes(r.status)) unsettled += n;
		}
		if (total >= count && unsettled === 0) return { total, byStatus, ms: Date.now() - t0 };
		if (Date.now() - t0 > timeoutMs) {
			throw new Error(`timed out: ${total} executions of ${workflowId} (${unsettled} unsettled), wanted ${count}`);
		}
		await new Promise((r) => setTimeout(r, 250));
	}
}

/** The highest execution id so far (to count only what follows). */
export async function lastExecutionId(userFolder) {
	const [row] = await h.dbQuery(userFolder, 'select max(id) as id from execution_entity');
	return Number(row?.id ?? 0);
}

/** Polls `fn` until it returns something truthy; resolves that. */
export async function waitUntil(what, fn, { timeoutMs = 120_000, intervalMs = 200 } = {}) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const v = await fn();
		if (v) return v;
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((r) => setTimeout(r, intervalMs));
	}
}

/**
 * CPU time (user + system, ms) used so far by the live processes of a process group (n8n
 * and its task runner; isolated-vm's isolates are threads of n8n, so they are included).
 * Linux only (/proc); undefined elsewhere. Used to compare the CPU cost per push, which a
 * busy shared machine disturbs far less than wall-clock times.
 */
export function groupCpuMs(pgid) {
	const ps = spawnSync('ps', ['-o', 'pid=', '-g', String(pgid)], { encoding: 'utf8' });
	if (ps.status !== 0) return undefined;
	const ticks = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;
	let total = 0;
	for (const pid of ps.stdout.split('\n').map((l) => l.trim()).filter(Boolean)) {
		try {
			const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
			// Fields after the command name (which may contain spaces) start after the last ')'.
			const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			total += Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15)
		} catch {
			// the process ended in between
		}
	}
	return (total * 1000) / ticks;
}
