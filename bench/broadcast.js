'use strict';
// Broadcast benchmark: 100,000 recipients through each provider's broadcast path against
// the simulator (in its own process) with 20 ms latency per answer. Each scenario runs in
// a fresh process so its peak RSS is its own. Prints messages/s, requests sent, peak RSS,
// and for the per-message path the ratio to its bound (concurrency / latency).
// Bars: per-message path >= 90% of that bound; every scenario under 300 MB peak RSS.
// Always exits 0; the verdict is printed as PASS / MISS.
//
// Usage: npx tsc -p tsconfig.json && node bench/broadcast.js [--recipients N] [--latency MS]
//        [--per-message-concurrency N (default 16)] [--only mx-bulksend,bulksms,gatewayapi,mx-single,baseline]
const { fork } = require('node:child_process');
const http = require('node:http');
const path = require('node:path');
const fs = require('node:fs');

const ROOT = path.join(__dirname, '..');
const CLIENT = path.join(ROOT, 'dist', 'nodes', 'shared', 'providers', 'index.js');
const RSS_BAR_MB = 300;
const RATIO_BAR = 0.9;

function arg(name, fallback) {
	const i = process.argv.indexOf(`--${name}`);
	return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
}

const RECIPIENTS = Number(arg('recipients', 100_000));
const LATENCY_MS = Number(arg('latency', 20));

/** Scenario definitions: config overrides and request extras per provider path. */
const SCENARIOS = [
	{ name: 'mx-bulksend', provider: 'mxTelecom', label: 'MX bulksend (10,000/request, 4 in flight)', config: {}, perMessage: false },
	{ name: 'bulksms', provider: 'bulkSms', label: 'BulkSMS send_sms (1,000/request, 1 in flight)', config: {}, perMessage: false },
	{ name: 'gatewayapi', provider: 'gatewayApi', label: 'GatewayAPI mtsms (10,000/message, 8 in flight)', config: {}, perMessage: false },
	{
		name: 'mx-single',
		provider: 'mxTelecom',
		label: `MX single send, one request per recipient (${arg('per-message-concurrency', 16)} in flight)`,
		config: { concurrency: Number(arg('per-message-concurrency', 16)) },
		perMessage: true,
	},
	{
		name: 'baseline',
		provider: 'mxTelecom',
		label: `(reference) the same requests through the bare transport, no client (${arg('per-message-concurrency', 16)} in flight)`,
		config: { concurrency: Number(arg('per-message-concurrency', 16)) },
		perMessage: true,
		baseline: true,
	},
];

// ---------------------------------------------------------------------------- simulator child
async function runSimulator() {
	const { startSimulator } = require(path.join(ROOT, 'simulator'));
	const sim = await startSimulator({ port: 0, latencyMs: LATENCY_MS, record: false, seed: 1 });
	process.send({ type: 'ready', url: sim.url, credentials: sim.credentials });
	process.on('message', async (msg) => {
		if (msg.type === 'stats') process.send({ type: 'stats', stats: sim.stats() });
		if (msg.type === 'reset') {
			sim.reset();
			process.send({ type: 'reset' });
		}
		if (msg.type === 'close') {
			await sim.close();
			process.exit(0);
		}
	});
}

// ---------------------------------------------------------------------------- transports
/** A lean transport on node's http with keep-alive sockets: what the engine costs, with the least client overhead. */
function httpTransport() {
	const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
	return (options) =>
		new Promise((resolve, reject) => {
			const url = new URL(options.url);
			const req = http.request(
				{ hostname: url.hostname, port: url.port, path: url.pathname + url.search, method: options.method, headers: options.headers, agent, signal: options.abortSignal },
				(res) => {
					const chunks = [];
					res.on('data', (c) => chunks.push(c));
					res.on('error', reject);
					res.on('end', () => {
						const buf = Buffer.concat(chunks);
						resolve({ statusCode: res.statusCode, headers: res.headers, body: options.encoding === 'arraybuffer' ? buf : buf.toString('utf8') });
					});
				},
			);
			req.on('error', reject);
			req.end(options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : Buffer.from(options.body));
		});
}

/** axios with a keep-alive agent: the HTTP client under n8n's httpRequestWithAuthentication. */
function axiosTransport() {
	const axios = require('axios');
	const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
	return async (options) => {
		const res = await axios.request({
			url: options.url,
			method: options.method,
			headers: options.headers,
			data: options.body,
			timeout: options.timeout,
			signal: options.abortSignal,
			httpAgent: agent,
			responseType: options.encoding === 'arraybuffer' ? 'arraybuffer' : 'text',
			transformResponse: (d) => d,
			validateStatus: () => true,
		});
		return { statusCode: res.status, headers: res.headers, body: res.data };
	};
}

// ---------------------------------------------------------------------------- scenario child
async function runScenario() {
	const scenario = SCENARIOS.find((s) => s.name === arg('scenario'));
	const url = arg('url');
	const credentials = JSON.parse(arg('credentials'));
	const { createGatewayClient, fetchTransport } = require(CLIENT);
	const transportName = arg('transport', 'http');
	const base = transportName === 'fetch' ? fetchTransport : transportName === 'axios' ? axiosTransport() : httpTransport();
	let requests = 0;
	const counting = async (options) => {
		requests++;
		return await base(options);
	};
	const creds =
		scenario.provider === 'mxTelecom'
			? { username: credentials.mxTelecom.username, password: credentials.mxTelecom.password }
			: scenario.provider === 'bulkSms'
				? { username: credentials.bulkSms.username, password: credentials.bulkSms.password }
				: { token: credentials.gatewayApi.token };
	const client = createGatewayClient({ provider: scenario.provider, baseUrl: url, ...creds, ...scenario.config }, counting);
	const to = Array.from({ length: RECIPIENTS }, (_, i) => String(447000000000 + i));
	let peakRss = process.memoryUsage.rss();
	const sampler = setInterval(() => {
		peakRss = Math.max(peakRss, process.memoryUsage.rss());
	}, 50);
	const cpuBefore = process.cpuUsage();
	const started = performance.now();
	const results = await client.broadcast({
		to,
		message: 'Benchmark broadcast \u20ac',
		providerOptions: scenario.perMessage ? { mxTelecom: { perMessage: true } } : undefined,
	});
	const ms = performance.now() - started;
	const cpu = process.cpuUsage(cpuBefore);
	clearInterval(sampler);
	peakRss = Math.max(peakRss, process.memoryUsage.rss(), process.resourceUsage().maxRSS * 1024);
	const counts = {};
	for (const r of results) counts[r.status] = (counts[r.status] || 0) + 1;
	process.send({ ms, requests, peakRss, counts, results: results.length, concurrency: scenario.config.concurrency ?? null, cpuMs: (cpu.user + cpu.system) / 1000 });
}

// ---------------------------------------------------------------------------- transport baseline
/**
 * The same single-send requests straight through the same transport, with the same number
 * in flight but no client: the ceiling this machine allows, to separate the engine's cost
 * from the HTTP stack's and the simulator's.
 */
async function runBaseline() {
	const url = arg('url');
	const credentials = JSON.parse(arg('credentials'));
	const concurrency = Number(arg('per-message-concurrency', 16));
	const transport = httpTransport();
	const body = `user=${encodeURIComponent(credentials.mxTelecom.username)}&pass=${encodeURIComponent(credentials.mxTelecom.password)}&smsmsg=Benchmark+broadcast+%A4`;
	let next = 0;
	let requests = 0;
	const started = performance.now();
	await Promise.all(
		Array.from({ length: concurrency }, async () => {
			while (next < RECIPIENTS) {
				const i = next++;
				requests++;
				await transport({
					url: `${url}/sms/v1/send`,
					method: 'POST',
					headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'text/plain' },
					body: `${body}&smsto=${447000000000 + i}`,
					abortSignal: new AbortController().signal,
				});
			}
		}),
	);
	const ms = performance.now() - started;
	process.send({ ms, requests, peakRss: process.resourceUsage().maxRSS * 1024, counts: { accepted: RECIPIENTS }, concurrency, cpuMs: 0 });
}

// ---------------------------------------------------------------------------- orchestration
function ask(child, type) {
	return new Promise((resolve) => {
		const onMessage = (msg) => {
			if (msg.type === type) {
				child.off('message', onMessage);
				resolve(msg);
			}
		};
		child.on('message', onMessage);
		child.send({ type });
	});
}

function runChild(args) {
	return new Promise((resolve) => {
		const child = fork(__filename, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
		let report;
		child.on('message', (msg) => {
			report = msg;
		});
		child.on('exit', (code) => resolve(report ?? { error: `scenario exited with code ${code}` }));
	});
}

async function main() {
	if (!fs.existsSync(CLIENT)) {
		console.log(`broadcast bench: ${path.relative(ROOT, CLIENT)} is missing; build first (npx tsc -p tsconfig.json). MISS`);
		return;
	}
	const only = arg('only', '')
		.split(',')
		.filter(Boolean);
	const simChild = fork(__filename, ['--simulator', '--latency', String(LATENCY_MS)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
	const ready = await new Promise((resolve) => simChild.once('message', resolve));
	console.log(
		`broadcast bench: ${RECIPIENTS.toLocaleString('en')} recipients per scenario, simulator latency ${LATENCY_MS} ms, ` +
			`transport ${arg('transport', 'http')}, node ${process.version}`,
	);
	const rows = [];
	for (const scenario of SCENARIOS.filter((s) => only.length === 0 || only.includes(s.name))) {
		await ask(simChild, 'reset');
		const report = await runChild([
			scenario.baseline ? '--baseline' : '--scenario', scenario.name,
			'--url', ready.url,
			'--credentials', JSON.stringify(ready.credentials),
			'--recipients', String(RECIPIENTS),
			'--per-message-concurrency', arg('per-message-concurrency', '16'),
			'--transport', arg('transport', 'http'),
		]);
		const { stats } = await ask(simChild, 'stats');
		if (report.error) {
			console.log(`${scenario.label}: ${report.error} MISS`);
			continue;
		}
		const rate = (RECIPIENTS / report.ms) * 1000;
		const rssMb = report.peakRss / 1024 / 1024;
		const row = {
			scenario: scenario.label,
			'msg/s': Math.round(rate),
			seconds: (report.ms / 1000).toFixed(2),
			requests: report.requests,
			'peak RSS MB': rssMb.toFixed(1),
			statuses: Object.entries(report.counts).map(([k, v]) => `${k} ${v}`).join(', '),
			'sim accepted': stats.accepted,
			'client CPU ms': Math.round(report.cpuMs),
		};
		let pass = rssMb < RSS_BAR_MB && report.counts.accepted === RECIPIENTS && stats.accepted === RECIPIENTS;
		if (scenario.baseline) row.statuses = 'not checked';
		if (scenario.perMessage) {
			const bound = report.concurrency / (LATENCY_MS / 1000);
			const ratio = rate / bound;
			row['bound msg/s'] = Math.round(bound);
			row.ratio = `${(ratio * 100).toFixed(1)}%`;
			pass = pass && ratio >= RATIO_BAR;
		}
		row.verdict = scenario.baseline ? 'INFO' : pass ? 'PASS' : 'MISS';
		rows.push(row);
		console.log(
			`${row.verdict}  ${scenario.label}: ${row['msg/s']} msg/s in ${row.seconds} s, ${row.requests} requests, peak RSS ${row['peak RSS MB']} MB` +
				(row.ratio ? `, ${row.ratio} of the ${row['bound msg/s']} msg/s bound` : '') +
				(scenario.baseline ? '' : `, client CPU ${row['client CPU ms']} ms`) +
				` [${row.statuses}; simulator accepted ${row['sim accepted']}]`,
		);
	}
	const exited = new Promise((resolve) => simChild.once('exit', resolve));
	simChild.send({ type: 'close' });
	await exited;
	console.log(`\nbars: per-message paths >= ${RATIO_BAR * 100}% of concurrency/latency; peak RSS < ${RSS_BAR_MB} MB; every recipient accepted exactly once`);
	const judged = rows.filter((r) => r.verdict !== 'INFO');
	console.log(judged.every((r) => r.verdict === 'PASS') && judged.length > 0 ? 'broadcast bench: PASS' : 'broadcast bench: MISS');
}

if (process.argv.includes('--simulator')) runSimulator();
else if (process.argv.includes('--baseline')) runBaseline();
else if (process.argv.includes('--scenario')) runScenario();
else main().finally(() => process.exit(0));
