#!/usr/bin/env node
// `npm run demo`: the whole package at work in a real n8n, with no gateway account.
//
// Builds the package, starts the gateway simulator and the pinned headless n8n
// with the package installed as a community package, imports simulator
// credentials and the example workflows, publishes the triggers, then runs the
// scripted part (scenarios.mjs) and prints the n8n editor's URL and sign-in.
// It keeps running until Ctrl-C, then stops everything it started and removes
// its n8n user folder (under .demo/).
//
// Options:
//   --ci, --exit      exit after the scripted part (status 1 if a check failed)
//   --port N          n8n's port (default 5678; 0 or a busy port = a free one)
//   --no-build        use dist/ as it is
//   --keep            keep the n8n user folder (.demo/run-*) afterwards
//   --summary FILE    also write the summary as JSON to FILE
//   --verbose         show the e2e harness's own log lines

import fs from 'node:fs';
import path from 'node:path';

import * as h from '../n8n/harness.mjs';
import { runScenarios } from './scenarios.mjs';
import { OWNER, startDemoStack } from './setup.mjs';
import { FAIL, OK, bold, captureHarnessLogs, clip, count, cyan, dim, line, red, seconds } from './print.mjs';
import { pushUrl } from './workflows.mjs';

function parseArgs(argv) {
	const opts = { ci: false, port: 5678, build: true, keep: false, summary: undefined, verbose: false };
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		const value = () => {
			const v = argv[++i];
			if (v === undefined) throw new Error(`${a} needs a value`);
			return v;
		};
		if (a === '--ci' || a === '--exit') opts.ci = true;
		else if (a === '--port') opts.port = Number(value());
		else if (a.startsWith('--port=')) opts.port = Number(a.slice(7));
		else if (a === '--no-build') opts.build = false;
		else if (a === '--keep') opts.keep = true;
		else if (a === '--summary') opts.summary = path.resolve(value());
		else if (a.startsWith('--summary=')) opts.summary = path.resolve(a.slice(10));
		else if (a === '--verbose') opts.verbose = true;
		else if (a === '--help' || a === '-h') opts.help = true;
		else throw new Error(`unknown option ${a} (try --help)`);
	}
	if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535) throw new Error('--port needs a port number');
	return opts;
}

function printSummary(results, timings, failures) {
	const r = results;
	const row = (label, text) => line(`  ${label.padEnd(16)} ${text}`);
	line('');
	line(bold('Summary'));
	if (r.longSms?.status) {
		row('long SMS', `${r.longSms.status}, ${r.longSms.encoding}, ${r.longSms.parts} parts (the gateway decoded ${r.longSms.gatewayParts} parts, text ${r.longSms.textIntact ? 'identical' : 'different'})`);
	}
	if (r.broadcast?.counts) {
		const byStatus = Object.entries(r.broadcast.counts).map(([s, n]) => `${s} ${count(n)}`).join(', ');
		row('broadcast', `${count(r.broadcast.recipients)} recipients: ${byStatus}`);
	}
	if (r.analyze?.encoding) {
		row('analyze', `${r.analyze.encoding}, ${r.analyze.parts} parts, estimated ${r.analyze.estimatedCost} of budget ${r.analyze.budget} -> ${r.analyze.decision}${r.analyze.sentTo ? ` to ${r.analyze.sentTo}` : ''}`);
	}
	if (r.autoReply?.replyMessageId) {
		row('auto-reply', `${r.autoReply.replyTo} got "${clip(r.autoReply.replyText ?? '', 40)}" (${r.autoReply.replyRecorded ? 'recorded by the gateway' : 'NOT recorded'})`);
	}
	if (r.deliveryReport?.messageId) {
		row('delivery report', `${r.deliveryReport.status} for message ${r.deliveryReport.messageId} (${r.deliveryReport.matchesReply ? 'the auto-reply' : 'NOT the auto-reply'})`);
	}
	if (r.mms?.parts) {
		row('inbound MMS', `${r.mms.parts.length} parts, ${r.mms.savedFiles} saved to disk (${r.mms.parts.map((p) => p.name).join(', ')})`);
	}
	const install = timings.n8nCached ? 'n8n cached' : `n8n installed ${seconds(timings.n8nInstall)}`;
	row(
		'time',
		`setup ${seconds(timings.setup)} (build ${seconds(timings.build)}, ${install}, package+imports ${seconds(timings.install)}, n8n start ${seconds(timings.start)}), scenarios ${seconds(timings.scenarios)}, total ${seconds(timings.total)}`,
	);
	line('');
	if (failures.length === 0) line(`${OK} every check passed`);
	else {
		line(`${FAIL} ${failures.length} check${failures.length === 1 ? '' : 's'} failed:`);
		for (const f of failures) line(red(`  - ${f}`));
	}
}

function printEditor(ctx) {
	const autoReply = ctx.workflows.exAutoReplySms;
	line('');
	line(bold(`n8n editor: ${cyan(ctx.baseUrl)}`));
	line(`  sign in as      ${OWNER.email}  /  ${OWNER.password}`);
	line(`  workflows       the ${Object.keys(ctx.workflows).length} examples, with the executions above (Overview -> Executions)`);
	line(`  credentials     ${ctx.credentials.map((c) => `"${c.name}"`).join(', ')}`);
	line(`  simulator       ${ctx.sim.url}`);
	if (autoReply) {
		line('');
		line('Send the auto-reply workflow an SMS yourself (MX Telecom pushes inbound SMS as a GET):');
		line(
			dim(
				`  curl "${pushUrl(ctx.baseUrl, autoReply)}?smsfrom=447700900555&smsto=58870&smsid=$RANDOM$RANDOM&smsdate=2024-07-01+12:00:00&network=UNKNOWN&bits=7&smsmsg=Hello+there"`,
			),
		);
	}
}

/** Prints what the simulator accepts and pushes from now on (messages sent from the editor). */
function watchSimulator(sim) {
	let accepted = sim.accepted.length;
	let pushes = sim.pushes.length;
	const timer = setInterval(() => {
		const now = dim(new Date().toISOString().slice(11, 19));
		const fresh = sim.accepted.slice(accepted);
		if (fresh.length > 3) {
			// a broadcast: one line, not one per recipient
			line(`${now} gateway accepted ${count(fresh.length)} messages (${fresh[0].provider}) to ${fresh[0].to} ... ${fresh.at(-1).to}: "${clip(fresh[0].text ?? '', 50)}"`);
		} else {
			for (const a of fresh) {
				line(`${now} gateway accepted an ${a.endpoint === 'mx.sendmms' ? 'MMS' : 'SMS'} (${a.provider}) to ${a.to}: ${a.text ? `"${clip(a.text, 60)}"` : `${a.parts} part(s)`} id ${a.messageId}`);
			}
		}
		const freshPushes = sim.pushes.slice(pushes);
		if (freshPushes.length > 3) line(`${now} gateway pushed ${count(freshPushes.length)} delivery reports`);
		else for (const p of freshPushes) line(`${now} gateway pushed a ${p.kind} for ${p.messageId}: ${p.status ?? p.error}`);
		accepted = sim.accepted.length;
		pushes = sim.pushes.length;
	}, 500);
	timer.unref();
}

async function main() {
	let opts;
	try {
		opts = parseArgs(process.argv.slice(2));
	} catch (e) {
		process.stderr.write(`demo: ${e.message}\n`);
		process.exit(2);
	}
	if (opts.help) {
		const text = fs.readFileSync(new URL(import.meta.url), 'utf8');
		process.stdout.write(`${text.split('\n').filter((l) => l.startsWith('//')).map((l) => l.slice(3)).join('\n')}\n`);
		return;
	}
	const logs = captureHarnessLogs({ verbose: opts.verbose });
	const t0 = Date.now();
	line(bold(`SMS Gateway demo: n8n ${h.N8N_VERSION} with n8n-nodes-sms-gateway and a loopback gateway simulator`));

	let ctx;
	try {
		ctx = await startDemoStack({ port: opts.port, build: opts.build, keep: opts.keep });
	} catch (e) {
		line(red(`${FAIL} setup failed: ${e.message}`));
		if (logs.lines.length) line(dim(logs.lines.slice(-40).join('\n')));
		process.exit(1);
	}

	// Ctrl-C: the harness kills every process it started (n8n, its task runner,
	// the SQLite helper) on SIGINT/SIGTERM and at exit; the folder goes last.
	const removeFolder = () => {
		if (!opts.keep) fs.rmSync(ctx.userFolder, { recursive: true, force: true });
	};
	process.on('exit', removeFolder);
	const onSignal = () => line(`\nStopping n8n and the simulator${opts.keep ? '' : `, removing ${path.relative(h.repoRoot, ctx.userFolder)}`}.`);
	process.prependListener('SIGINT', onSignal);
	process.prependListener('SIGTERM', onSignal);

	const t1 = Date.now();
	const { ok, results, failures } = await runScenarios(ctx);
	ctx.timings.scenarios = Date.now() - t1;
	ctx.timings.total = Date.now() - t0;
	printSummary(results, ctx.timings, failures);

	const summary = {
		ok,
		failures,
		results,
		timings: Object.fromEntries(Object.entries(ctx.timings).map(([k, v]) => [k, typeof v === 'number' ? v / 1000 : v])),
		n8n: { version: h.N8N_VERSION, url: ctx.baseUrl },
		editor: { url: ctx.baseUrl, email: OWNER.email, password: OWNER.password },
		package: { name: ctx.pkg.name, version: ctx.pkg.version },
	};
	if (opts.summary) fs.writeFileSync(opts.summary, `${JSON.stringify(summary, null, 2)}\n`);
	if (!ok && logs.lines.length) line(dim(logs.lines.slice(-40).join('\n')));

	if (opts.ci) {
		await ctx.stop();
		h.closeDb();
		process.exit(ok ? 0 : 1);
	}

	printEditor(ctx);
	line('');
	line(`Running until Ctrl-C (then n8n and the simulator stop${opts.keep ? '' : ' and the demo folder is removed'}). New gateway traffic is shown below.`);
	watchSimulator(ctx.sim);
	// Keep the process alive: the harness's handlers end it on a signal.
	setInterval(() => {}, 1 << 30);
}

main().catch((e) => {
	process.stderr.write(`demo: ${e.stack ?? e.message}\n`);
	process.exit(1);
});
