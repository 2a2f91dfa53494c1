// Webhook ingest in n8n's queue mode: the SMS Gateway Trigger against n8n's own Webhook node
// (`n8n-nodes-base.webhook`, GET, respond on received), in the same queue-mode installation
// (scripts/queue/rig.mjs: Redis, PostgreSQL, main, two `n8n webhook` processes, one worker).
//
// For each engine setting (n8n's defaults, and N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true) one
// installation is started with two published one-node workflows: our trigger (MX Telecom
// credential) and the Webhook node. Each side in turn (the order alternates between engines):
//   - `--pushes` distinct MX inbound-SMS GET pushes (a fresh smsid each) at `--concurrency`,
//     alternately to webhook process 1 and 2: answered within 10 s, p50/p99 answer time,
//     answers per second, and the CPU time both webhook processes spent per push (from
//     /proc/<pid>/stat before and after);
//   - then `--redeliveries` of those pushes again to the *other* webhook process, and as many
//     to the *same* one (a gateway's retries, with and without sticky routing);
//   - then it waits until the worker has executed everything, and reads every execution back
//     from the database: lost (a distinct push answered 200 without an execution) and
//     duplicates (executions beyond one per distinct push).
// Our trigger drops a redelivery that reaches the process that answered the first copy; a
// redelivery to the other process starts a second execution (docs/queue-mode.md,
// "Duplicates"). The Webhook node has no duplicate check: every redelivery is an execution.
//
// Bars, printed as PASS / MISS: with n8n's defaults our CPU per push <= 60 ms and >= 99 % of
// our distinct pushes answered within 10 s; with lazy acquisition our CPU per push <= 1.3x
// the Webhook node's. The exit code is 0 unless a push was lost, our trigger started a
// second execution for a same-process redelivery, or n8n failed.
//
// Usage: npm run build && node bench/queue.mjs [--pushes 2000] [--concurrency 100]
//          [--redeliveries 200] [--engine stock,lazy]
// (also `npm run bench -- queue`). Needs what `npm run test:queue` needs: Redis, PostgreSQL
// and HAProxy from Debian (installed when missing, as root). SMS_GATEWAY_N8N_VERSION and
// SMS_GATEWAY_N8N_CACHE work as for the e2e tests.

import os from 'node:os';

import * as h from '../scripts/n8n/harness.mjs';
import * as pg from '../scripts/queue/pg.mjs';
import { startQueueRig } from '../scripts/queue/rig.mjs';
import * as t from '../test/e2e/trigger-helpers.mjs';

function arg(name, fallback) {
	const i = process.argv.indexOf(`--${name}`);
	return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
}

const PUSHES = Number(arg('pushes', 2000));
const CONCURRENCY = Number(arg('concurrency', 100));
const REDELIVERIES = Math.min(Number(arg('redeliveries', 200)), Math.floor(PUSHES / 2));
const ENGINES = String(arg('engine', 'stock,lazy')).split(',').filter(Boolean);
const DEADLINE_MS = 10_000;
const WARMUP = 20;
const STOCK_CPU_BAR_MS = 60;
const STOCK_ANSWERED_BAR = 0.99;
const LAZY_CPU_RATIO_BAR = 1.3;

const ENGINE_ENV = {
	stock: {},
	lazy: h.N8N_MAJOR >= 2 ? { N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE: 'true' } : { N8N_EXPRESSION_ENGINE: 'legacy' },
};

const OURS = { key: 'ours', label: 'SMS Gateway Trigger', workflowId: 'qbenchTrigger', webhookId: '3d5b7c1e-2a4f-4b6d-8e0a-c1d2e3f40001' };
const THEIRS = { key: 'webhook', label: 'n8n Webhook node', workflowId: 'qbenchWebhook', webhookId: '3d5b7c1e-2a4f-4b6d-8e0a-c1d2e3f40002', path: 'qbench-webhook' };

// The credential is only read for its provider: an inbound SMS needs no call to the gateway.
const NO_GATEWAY = { url: 'http://127.0.0.1:9' };

const fmt = (v, d = 0) => (Number.isFinite(v) ? v.toFixed(d) : 'n/a');
const pct = (a, b) => (b > 0 ? `${((100 * a) / b).toFixed(1)} %` : 'n/a');

let idCounter = 0;
/** A fresh MX smsid per distinct push; the two sides never share one. */
const nextId = () => `78${String(++idCounter).padStart(14, '0')}`;
const mxQuery = (id) =>
	`smsfrom=447700900123&smsto=58870&smsid=${id}&smsdate=2024-07-01+12%3A34%3A56&network=UNKNOWN&bits=7&smsmsg=bench+${id}`;

function sideUrl(rig, side, processIndex) {
	const base = rig.webhooks[processIndex].url;
	return side.key === 'ours' ? t.triggerUrl(base, side.webhookId) : `${base}/webhook/${side.path}`;
}

const webhookCpuMs = (rig) => rig.webhooks.reduce((sum, w) => sum + t.groupCpuMs(w.pid), 0);

/** Sends `ids` with their target process; resolves the load result. */
async function send(rig, side, targets, concurrency) {
	// Fresh connections per block (see bench/trigger.mjs).
	const client = t.makeGetClient({ maxSockets: Math.max(concurrency, 1) });
	try {
		return await t.runLoad(targets.length, concurrency, (i) => client.get(`${sideUrl(rig, side, targets[i].process)}?${mxQuery(targets[i].id)}`));
	} finally {
		client.close();
	}
}

/** The smsid each execution of a workflow started with. */
function startedId(side, execution) {
	const [item] = pg.nodeItems(execution, side.key === 'ours' ? t.TRIGGER_NAME : 'Webhook');
	return side.key === 'ours' ? item?.json?.messageId : item?.json?.query?.smsid;
}

async function runSide(rig, side) {
	const db = rig.executions;
	const afterId = await db.lastId();
	let expectedExecutions = 0;

	// Warm-up (JIT, first isolates): executed, not measured.
	const warm = Array.from({ length: WARMUP }, (_, i) => ({ id: nextId(), process: i % 2 }));
	await send(rig, side, warm, 1);
	expectedExecutions += WARMUP;
	await db.waitForSettled(expectedExecutions, { workflowId: side.workflowId, afterId });

	// Distinct pushes, split across the two webhook processes.
	const distinct = Array.from({ length: PUSHES }, (_, i) => ({ id: nextId(), process: i % 2 }));
	const cpu0 = webhookCpuMs(rig);
	const load = await send(rig, side, distinct, CONCURRENCY);
	const cpuMs = webhookCpuMs(rig) - cpu0;
	const answered = load.results.filter((r) => r.status === 200).length;
	expectedExecutions += answered;
	const drain0 = Date.now();
	await db.waitForSettled(expectedExecutions, { workflowId: side.workflowId, afterId }, { timeoutMs: 900_000 });
	const drainMs = Date.now() - drain0;

	// Redeliveries: to the other process, then to the same one.
	const toOther = distinct.slice(0, REDELIVERIES).map((p) => ({ id: p.id, process: 1 - p.process }));
	const toSame = distinct.slice(REDELIVERIES, 2 * REDELIVERIES).map((p) => ({ ...p }));
	const other = await send(rig, side, toOther, Math.min(CONCURRENCY, REDELIVERIES));
	const same = await send(rig, side, toSame, Math.min(CONCURRENCY, REDELIVERIES));
	// Wait for whatever they started (at most one each), then a moment for stragglers.
	await new Promise((r) => setTimeout(r, 2000));
	const c = await db.counts({ workflowId: side.workflowId, afterId });
	await db.waitForSettled(c.total, { workflowId: side.workflowId, afterId }, { timeoutMs: 300_000 });

	const executions = await db.read({ workflowId: side.workflowId, afterId });
	const byId = new Map();
	for (const e of executions) {
		const id = startedId(side, e);
		byId.set(id, (byId.get(id) ?? 0) + 1);
	}
	const answeredIds = distinct.filter((p, i) => load.results[i].status === 200).map((p) => p.id);
	const lost = answeredIds.filter((id) => !byId.has(id)).length;
	const extra = (list) => list.filter((p) => (byId.get(p.id) ?? 0) > 1).length;
	const failedExecutions = executions.filter((e) => e.status !== 'success').length;
	const lat = load.latencies;
	return {
		side,
		pushes: PUSHES,
		answered,
		within: load.results.filter((r) => r.status === 200 && r.ms <= DEADLINE_MS).length,
		p50: t.quantile(lat, 0.5),
		p99: t.quantile(lat, 0.99),
		rate: answered / (load.ms / 1000),
		loadMs: load.ms,
		drainMs,
		cpuPerPush: cpuMs / PUSHES,
		lost,
		dupOther: extra(toOther),
		dupSame: extra(toSame),
		redeliveriesAnswered: [...other.results, ...same.results].filter((r) => r.status === 200).length,
		executions: executions.length,
		failedExecutions,
		refusals: load.results.filter((r) => r.status !== 200).length,
	};
}

async function runEngine(engine, engineIndex) {
	let rig;
	try {
		rig = await startQueueRig({
			label: `bench-queue-${engine}`,
			credentials: [t.credential('mxTelecom', NO_GATEWAY)],
			workflows: [
				h.chain(OURS.workflowId, [t.triggerNode('mxTelecom', OURS.webhookId)]),
				h.chain(THEIRS.workflowId, [t.webhookNode(THEIRS.path, THEIRS.webhookId)]),
			],
			publish: [OURS.workflowId, THEIRS.workflowId],
			env: ENGINE_ENV[engine],
		});
		const order = engineIndex % 2 === 0 ? [OURS, THEIRS] : [THEIRS, OURS];
		const results = {};
		for (const side of order) {
			results[side.key] = await runSide(rig, side);
			const r = results[side.key];
			process.stderr.write(
				`  [${engine}] ${side.label}: ${PUSHES} at ${CONCURRENCY} in ${fmt(r.loadMs)} ms, executed ${fmt(r.drainMs)} ms after the last answer\n`,
			);
		}
		return { engine, results };
	} finally {
		await rig?.stop();
	}
}

function report({ engine, results }) {
	const ours = results.ours;
	const theirs = results.webhook;
	console.log(`\n--- engine: ${engine}${engine === 'lazy' ? ` (${JSON.stringify(ENGINE_ENV.lazy)})` : ' (n8n defaults)'}`);
	console.log(
		`| | answered 200 | within ${DEADLINE_MS / 1000} s | p50 ms | p99 ms | answers/s | webhook-process CPU ms per push | lost | duplicates: redelivered to the other process / the same | executions (not success) |`,
	);
	console.log('|---|---|---|---|---|---|---|---|---|---|');
	for (const r of [ours, theirs]) {
		console.log(
			`| ${r.side.label} | ${r.answered} / ${r.pushes} | ${r.within} (${pct(r.within, r.pushes)}) | ${fmt(r.p50)} | ${fmt(r.p99)} | ${fmt(r.rate, 1)} | ` +
				`${fmt(r.cpuPerPush, 1)} | ${r.lost} | ${r.dupOther} / ${REDELIVERIES}, ${r.dupSame} / ${REDELIVERIES} | ${r.executions} (${r.failedExecutions}) |`,
		);
	}
	const cpuRatio = ours.cpuPerPush / theirs.cpuPerPush;
	console.log(
		`ratios ours/webhook: CPU per push ${fmt(cpuRatio, 2)}x, answers/s ${fmt(ours.rate / theirs.rate, 2)}x, p99 ${fmt(ours.p99 / theirs.p99, 2)}x`,
	);
	if (engine === 'stock') {
		console.log(`  our CPU per push <= ${STOCK_CPU_BAR_MS} ms: ${ours.cpuPerPush <= STOCK_CPU_BAR_MS ? 'PASS' : 'MISS'} (${fmt(ours.cpuPerPush, 1)} ms)`);
		const share = ours.within / ours.pushes;
		console.log(`  our answers within 10 s >= ${STOCK_ANSWERED_BAR * 100} %: ${share >= STOCK_ANSWERED_BAR ? 'PASS' : 'MISS'} (${pct(ours.within, ours.pushes)})`);
	}
	if (engine === 'lazy') {
		console.log(`  our CPU per push <= ${LAZY_CPU_RATIO_BAR}x the Webhook node's: ${cpuRatio <= LAZY_CPU_RATIO_BAR ? 'PASS' : 'MISS'} (${fmt(cpuRatio, 2)}x)`);
	}
	const problems = [];
	for (const r of [ours, theirs]) {
		if (r.lost) problems.push(`${r.side.label}: ${r.lost} pushes answered 200 without an execution`);
		if (r.failedExecutions) problems.push(`${r.side.label}: ${r.failedExecutions} executions did not succeed`);
	}
	if (ours.dupSame) problems.push(`${ours.side.label}: ${ours.dupSame} redeliveries to the same process started a second execution`);
	for (const p of problems) console.log(`  PROBLEM: ${p}`);
	console.log(`  redeliveries answered 200: ours ${ours.redeliveriesAnswered}, webhook ${theirs.redeliveriesAnswered} of ${2 * REDELIVERIES} each`);
	return problems.length === 0;
}

async function main() {
	console.log(
		`SMS Gateway Trigger vs n8n Webhook node in queue mode, n8n ${h.N8N_VERSION}: 2 webhook processes, 1 worker; ` +
			`${PUSHES} distinct pushes at ${CONCURRENCY} concurrent per side and engine, then ${REDELIVERIES} redeliveries to the other process and ${REDELIVERIES} to the same`,
	);
	console.log(`machine: ${os.cpus().length} cores, load average at start ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
	await h.n8nInstall();
	console.log(`SMS Gateway Trigger typeVersion used: ${t.triggerVersion()}`);
	let ok = true;
	for (const [i, engine] of ENGINES.entries()) {
		if (!ENGINE_ENV[engine]) throw new Error(`unknown engine ${engine} (stock, lazy)`);
		ok = report(await runEngine(engine, i)) && ok;
	}
	console.log(`\nload average at the end ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
	process.exitCode = ok ? 0 : 1;
}

main().catch((error) => {
	console.error(error);
	process.exitCode = 1;
});
