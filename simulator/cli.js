#!/usr/bin/env node
'use strict';
/**
 * `npm run simulator`: starts the gateway simulator on 127.0.0.1 and prints its URL and the
 * credentials it accepts. Options: [--port] N (default 8787), --latency MS, --seed N,
 * --report-url URL, --fault-rate R, --fault-kinds a,b. Stops on Ctrl-C / SIGTERM.
 */
const { startSimulator, DEFAULT_CREDENTIALS } = require('./index');

function parseArgs(argv) {
	const out = {};
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		const m = /^--([a-z-]+)(?:=(.*))?$/.exec(a);
		if (!m) {
			if (/^\d+$/.test(a)) out.port = a;
			else throw new Error(`unknown argument ${a}`);
			continue;
		}
		out[m[1]] = m[2] !== undefined ? m[2] : argv[++i];
	}
	return out;
}

async function main() {
	const args = parseArgs(process.argv.slice(2));
	const port = args.port !== undefined ? Number(args.port) : 8787;
	const options = { port, latencyMs: Number(args.latency || 0), seed: Number(args.seed || 1) };
	if (args['report-url']) options.reportUrl = args['report-url'];
	if (args['fault-rate'])
		options.faults = {
			rate: Number(args['fault-rate']),
			kinds: args['fault-kinds'] ? args['fault-kinds'].split(',') : undefined,
		};
	if (args.record) options.record = args.record === 'false' ? false : args.record;
	const sim = await startSimulator(options);
	const c = DEFAULT_CREDENTIALS;
	process.stdout.write(
		[
			`SMS gateway simulator listening on ${sim.url}`,
			`  MX Telecom   baseUrl ${sim.url}  username ${c.mxTelecom.username}  password ${c.mxTelecom.password}` +
				`  mmsUsername ${c.mxTelecom.mmsUsername}  mmsPassword ${c.mxTelecom.mmsPassword}`,
			`  BulkSMS      baseUrl ${sim.url}  username ${c.bulkSms.username}  password ${c.bulkSms.password}`,
			`               phone-book groups ${[...sim.bulkGroups]
				.map(([id, members]) => `${id} (${members.length} numbers)`)
				.join(', ')}`,
			`  GatewayAPI   baseUrl ${sim.url}  token ${c.gatewayApi.token}`,
			`  webhook secret (GatewayAPI JWT) ${c.webhookSecret}`,
			'Press Ctrl-C to stop.',
			'',
		].join('\n'),
	);
	const stop = async (sig) => {
		process.stdout.write(`\n${sig}: stopping (${sim.stats().requests} requests served)\n`);
		await sim.close();
		process.exit(0);
	};
	process.on('SIGINT', () => stop('SIGINT'));
	process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err) => {
	process.stderr.write(`simulator: ${err.message}\n`);
	process.exit(1);
});
