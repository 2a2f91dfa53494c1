// Campaign benchmark: Send with one text per row, in a real n8n, against the simulator at a
// simulated gateway latency, side by side in the same run with the peers a user would pick:
//   - Send, Batching "Auto" (the default), per provider, 10,000 rows with distinct texts,
//     recipient and text read from each row's fields ("From Input Fields"), and again with
//     To and Message as expressions (n8n resolves each per row); MX once more with one
//     shared text (its bulksend path);
//   - Send, Batching "One Request per Item" (the old loop), per provider, on fewer rows
//     (at 50 ms a request it takes 500 s per 10,000 rows; the rate is what is compared);
//   - n8n's HTTP Request node, default settings, posting each row as a GatewayAPI message
//     to the simulator's `/rest/mtsms` (what a user without this package would build).
// A baseline workflow without a sender gives n8n's memory for the rows alone.
// Each workflow is Manual -> Set (the rows) -> Split Out -> the sender, run with `n8n
// execute`; the sender's time is its own node execution time from the run data (n8n's
// start-up and the Set/Split Out nodes are not counted). Each run gets a fresh simulator
// on the same port, so requests and peak open connections are that run's own. n8n's peak
// RSS is the `n8n execute` process's own high-water mark (VmHWM), read every 100 ms.
//
// Bars (printed as PASS / MISS; the exit code is 0 unless a run lost or duplicated a row):
//   GatewayAPI and BulkSMS Auto >= 4x the HTTP Request node's messages/s with <= 40 open
//   connections, and >= 100x One Request per Item; MX Auto >= 90% of concurrency / latency
//   for distinct texts; n8n's peak RSS < 500 MB for 10,000 rows.
//
// Usage: npm run build && node bench/send-many.mjs [--rows 10000] [--per-item-rows 500]
//          [--latency 50] [--mx-concurrency 8] [--only gatewayApi,bulkSms,mxTelecom,http]
// The package is packed from dist/ and installed the community way into a fresh n8n user
// folder; the pinned n8n comes from scripts/n8n/install.mjs's cache. About 5 minutes.

import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

import * as h from '../scripts/n8n/harness.mjs';

const require = createRequire(import.meta.url);
const { startSimulator, DEFAULT_CREDENTIALS } = require('../simulator');

function arg(name, fallback) {
	const i = process.argv.indexOf(`--${name}`);
	return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
}

const ROWS = Number(arg('rows', 10_000));
const PER_ITEM_ROWS = Number(arg('per-item-rows', 500));
const LATENCY_MS = Number(arg('latency', 50));
const MX_CONCURRENCY = Number(arg('mx-concurrency', 8));
const ONLY = String(arg('only', 'gatewayApi,bulkSms,mxTelecom,http')).split(',');
const PROVIDERS = ['gatewayApi', 'bulkSms', 'mxTelecom'].filter((p) => ONLY.includes(p));

const PKG = JSON.parse(fs.readFileSync(path.join(h.repoRoot, 'package.json'), 'utf8')).name;
const NODE_TYPE = `${PKG}.smsGateway`;
const CRED_IDS = { mxTelecom: 'benchCampMxTelecom', bulkSms: 'benchCampBulkSms0', gatewayApi: 'benchCampGatewayAp' };
const SEND_ENDPOINTS = ['mx.send', 'mx.bulksend', 'bulksms.send_sms', 'bulksms.send_batch', 'gatewayapi.mtsms'];

/** The rows of a sheet: a number, a name, and the text already written per row. */
const rows = (count, prefix) =>
	Array.from({ length: count }, (_, k) => ({ to: `${prefix}${String(k).padStart(7, '0')}`, name: `Name${k}`, k, message: `Hi Name${k} ${k}, your code is ${k}` }));
const PERSONAL = '={{ "Hi " + $json.name + " " + $json.k + ", your code is " + $json.k }}';

function credential(provider, url) {
	const c = DEFAULT_CREDENTIALS[provider];
	const data = { provider, baseUrl: url };
	if (provider === 'gatewayApi') data.token = c.token;
	else Object.assign(data, { username: c.username, password: c.password });
	return { id: CRED_IDS[provider], name: `Bench ${provider}`, type: 'smsGatewayApi', data };
}

/** Manual -> Set (rows) -> Split Out -> `sender`. */
function workflow(id, rowList, sender) {
	return h.chain(id, [
		h.manualTrigger(),
		h.setJson('Rows', { rows: rowList }),
		h.node('Split', 'n8n-nodes-base.splitOut', { fieldToSplitOut: 'rows', options: {} }),
		sender,
	]);
}

/** Send with To and Message as expressions ("Define Below"), or read from each row's fields. */
const sendNode = (provider, options, { message = PERSONAL, fromFields = true } = {}) =>
	h.node(
		'Sender',
		NODE_TYPE,
		fromFields
			? { resource: 'message', operation: 'send', mappingMode: 'autoMapInputData', options }
			: { resource: 'message', operation: 'send', to: '={{ $json.to }}', message, options },
		{ credentials: { smsGatewayApi: { id: CRED_IDS[provider], name: `Bench ${provider}` } } },
	);

/** n8n's HTTP Request node at its defaults, one GatewayAPI message per item. */
const httpNode = (url) =>
	h.node(
		'Sender',
		'n8n-nodes-base.httpRequest',
		{
			method: 'POST',
			url: `${url}/rest/mtsms`,
			sendHeaders: true,
			headerParameters: { parameters: [{ name: 'Authorization', value: `Token ${DEFAULT_CREDENTIALS.gatewayApi.token}` }] },
			sendBody: true,
			specifyBody: 'json',
			jsonBody: '={{ JSON.stringify({ message: "Hi " + $json.name + " " + $json.k + ", your code is " + $json.k, recipients: [{ msisdn: Number($json.to) }] }) }}',
			options: {},
		},
		{ typeVersion: 4.2 },
	);

/**
 * The n8n process's own peak resident set (VmHWM), in MB. Its process group also holds the
 * JS task runner, which the sender nodes never use; summing the group would count shared
 * pages twice.
 */
function peakRssMb(pid) {
	try {
		const match = /^VmHWM:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
		return match ? Math.round(Number(match[1]) / 1024) : undefined;
	} catch {
		return undefined;
	}
}

/** Runs one workflow against a fresh simulator; returns what the bench prints. */
async function measure(env, port, run) {
	const sim = await startSimulator({ port, latencyMs: LATENCY_MS, record: 'summary' });
	let peakRss = 0;
	let sampler;
	try {
		const r = await h.execute(env, run.id, {
			timeoutMs: 1_800_000,
			onSpawn: (child) => {
				sampler = setInterval(() => {
					const rss = peakRssMb(child.pid);
					if (rss !== undefined && rss > peakRss) peakRss = rss;
				}, 100);
			},
		});
		clearInterval(sampler);
		if (r.code !== 0 || !r.result) {
			const cause = r.result?.data?.resultData?.error;
			throw new Error(`${run.label}: n8n execute failed${cause ? `: ${cause.message} ${cause.description ?? ''}` : ''}\n${r.stdout.slice(-3000)}\n${r.stderr.slice(-3000)}`);
		}
		const nodeRun = r.result.data?.resultData?.runData?.Sender?.[0];
		const items = (nodeRun?.data?.main?.[0] ?? []).map((item) => item.json);
		const ms = nodeRun?.executionTime ?? NaN;
		const accepted = sim.accepted.length;
		const requests = sim.requests.filter((q) => SEND_ENDPOINTS.includes(q.endpoint)).length;
		const stats = sim.stats();
		const ok = run.http ? items.filter((i) => Array.isArray(i.ids)).length : items.filter((i) => i.status === 'accepted').length;
		return {
			...run,
			ms,
			perSecond: (run.rows / ms) * 1000,
			accepted,
			ok,
			requests,
			peakConnections: stats.peakConnections,
			peakRss,
			duplicates: sim.duplicates().length,
			lost: run.rows - accepted,
		};
	} finally {
		clearInterval(sampler);
		await sim.close();
	}
}

const fmt = (v, d = 0) => (Number.isFinite(v) ? v.toFixed(d) : 'n/a');
const verdict = (pass) => (pass ? 'PASS' : 'MISS');

async function main() {
	await h.n8nInstall();
	const port = await h.freePort();
	const url = `http://127.0.0.1:${port}`;
	const userFolder = h.makeUserFolder('bench-send-many');
	const runs = [];
	PROVIDERS.forEach((provider, p) => {
		const prefix = `447${p + 1}`;
		const concurrency = provider === 'mxTelecom' ? { concurrency: MX_CONCURRENCY } : {};
		runs.push({ id: `bcAuto${provider}`, label: `Send, Auto, ${provider}`, provider, mode: 'auto', rows: ROWS, workflow: workflow(`bcAuto${provider}`, rows(ROWS, prefix), sendNode(provider, concurrency)) });
		runs.push({
			id: `bcExpr${provider}`,
			label: `Send, Auto, expressions, ${provider}`,
			provider,
			mode: 'expressions',
			rows: ROWS,
			workflow: workflow(`bcExpr${provider}`, rows(ROWS, prefix), sendNode(provider, concurrency, { fromFields: false })),
		});
		if (provider === 'mxTelecom') {
			runs.push({
				id: 'bcAutoMxShared',
				label: 'Send, Auto, mxTelecom, one shared text',
				provider,
				mode: 'shared',
				rows: ROWS,
				workflow: workflow('bcAutoMxShared', rows(ROWS, prefix).map((row) => ({ ...row, message: 'Our shop opens at 9 tomorrow' })), sendNode(provider, concurrency)),
			});
		}
		runs.push({ id: `bcItem${provider}`, label: `Send, One Request per Item, ${provider}`, provider, mode: 'perItem', rows: PER_ITEM_ROWS, workflow: workflow(`bcItem${provider}`, rows(PER_ITEM_ROWS, prefix), sendNode(provider, { ...concurrency, batching: 'perItem' })) });
	});
	runs.unshift({ id: 'bcRowsOnly', label: 'rows only (Set -> Split Out -> No Op)', baseline: true, rows: ROWS, workflow: workflow('bcRowsOnly', rows(ROWS, '4470'), h.node('Sender', 'n8n-nodes-base.noOp')) });
	if (ONLY.includes('http')) {
		runs.push({ id: 'bcHttpRequest', label: 'HTTP Request node -> GatewayAPI /rest/mtsms', http: true, rows: ROWS, workflow: workflow('bcHttpRequest', rows(ROWS, '4479'), httpNode(url)) });
	}
	try {
		await h.packAndInstall(userFolder.dir, { build: false });
		const env = h.n8nEnv(userFolder.dir, { port: await h.freePort(), brokerPort: await h.freePort() });
		await h.importCredentials(env, PROVIDERS.map((provider) => credential(provider, url)));
		await h.importWorkflows(env, runs.map((run) => run.workflow));
		console.log(`send-many bench: n8n ${h.N8N_VERSION}, ${ROWS} rows (One Request per Item: ${PER_ITEM_ROWS}), simulator latency ${LATENCY_MS} ms, MX concurrency ${MX_CONCURRENCY}`);
		const results = [];
		for (const run of runs) {
			const m = await measure(env, port, run);
			results.push(m);
			console.log(
				`  ${m.label.padEnd(46)} ${fmt(m.perSecond, 1).padStart(9)} msg/s  ${String(m.rows).padStart(6)} rows in ${fmt(m.ms).padStart(7)} ms  ` +
					`requests ${String(m.requests).padStart(6)}  peak connections ${String(m.peakConnections).padStart(5)}  n8n peak RSS ${m.peakRss} MB  ` +
					`accepted ${m.accepted}${m.duplicates ? `  DUPLICATES ${m.duplicates}` : ''}`,
			);
		}
		console.log('');
		const by = (mode, provider) => results.find((r) => r.mode === mode && r.provider === provider);
		const baselineRss = results.find((r) => r.baseline)?.peakRss;
		const http = results.find((r) => r.http);
		let failed = false;
		for (const r of results) {
			if (!r.baseline && (r.duplicates > 0 || r.lost !== 0)) {
				failed = true;
				console.log(`  ${r.label}: lost ${r.lost}, duplicated ${r.duplicates}  MISS`);
			}
		}
		for (const provider of PROVIDERS) {
			const auto = by('auto', provider);
			const perItem = by('perItem', provider);
			if (!auto) continue;
			const vsItem = auto.perSecond / perItem.perSecond;
			const rss = auto.peakRss < 500;
			if (provider === 'mxTelecom') {
				const bound = (MX_CONCURRENCY / LATENCY_MS) * 1000;
				const shared = by('shared', provider);
				console.log(`  mxTelecom distinct texts: ${fmt(auto.perSecond, 1)} msg/s = ${fmt((auto.perSecond / bound) * 100, 1)}% of concurrency/latency (${fmt(bound)} msg/s; bar 90%)  ${verdict(auto.perSecond >= 0.9 * bound)}`);
				if (shared) console.log(`  mxTelecom one shared text (bulksend): ${fmt(shared.perSecond, 1)} msg/s in ${shared.requests} requests = ${fmt(shared.perSecond / auto.perSecond, 1)}x distinct texts  INFO`);
				console.log(`  mxTelecom Auto vs One Request per Item: ${fmt(vsItem, 1)}x  INFO (no bulk path for distinct texts)`);
			} else {
				const vsHttp = http ? auto.perSecond / http.perSecond : NaN;
				console.log(
					`  ${provider}: ${fmt(vsHttp, 1)}x the HTTP Request node (bar 4x), ${auto.peakConnections} open connections (bar <= 40)  ${verdict(vsHttp >= 4 && auto.peakConnections <= 40)}`,
				);
				console.log(`  ${provider}: ${fmt(vsItem, 1)}x One Request per Item (bar 100x)  ${verdict(vsItem >= 100)}`);
			}
			const over = baselineRss === undefined ? '' : ` = the rows alone ${baselineRss} + ${auto.peakRss - baselineRss} MB`;
			console.log(`  ${provider}: n8n peak RSS ${auto.peakRss} MB${over} for ${auto.rows} rows (bar < 500 MB)  ${verdict(rss)}`);
		}
		for (const provider of PROVIDERS) {
			const expr = by('expressions', provider);
			if (expr && http && provider !== 'mxTelecom') console.log(`  ${provider} with To and Message as expressions: ${fmt(expr.perSecond / http.perSecond, 1)}x the HTTP Request node  INFO (n8n resolves two expressions per row)`);
		}
		if (http) console.log(`  HTTP Request node: ${fmt(http.perSecond, 1)} msg/s, ${http.peakConnections} peak open connections, n8n peak RSS ${http.peakRss} MB  INFO`);
		if (baselineRss !== undefined) console.log(`  n8n peak RSS with the rows alone (no sender): ${baselineRss} MB  INFO`);
		process.exitCode = failed ? 1 : 0;
	} finally {
		userFolder.cleanup();
	}
}

await main();
