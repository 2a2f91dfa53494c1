// Brings up everything the demo (and the screenshot script) needs:
// the built package, the pinned n8n, the gateway simulator, an n8n user folder
// with our package installed the way n8n installs community packages, the
// simulator credentials and the example workflows, a running `n8n start` with an
// owner account, and the trigger workflows published.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { createRequire } from 'node:module';

import * as h from '../n8n/harness.mjs';
import { defaultCacheDir, layout, NODE_VERSION } from '../n8n/install.mjs';
import { N8nSession } from './n8n-rest.mjs';
import { detail, line, seconds, step } from './print.mjs';
import {
	EXAMPLE_CREDENTIAL_ID,
	adaptForDemo,
	loadExamples,
	pushUrl,
	simulatorCredentials,
	triggerNode,
} from './workflows.mjs';

const require = createRequire(import.meta.url);
const { startSimulator } = require('../../simulator');

/** The editor account the demo creates (printed at the end; a local, throw-away instance). */
export const OWNER = Object.freeze({
	email: 'demo@example.com',
	password: 'Sms-Gateway-Demo-1',
	firstName: 'Demo',
	lastName: 'Owner',
});

export const SETUP_STEPS = 5;

function portIsFree(port) {
	return new Promise((resolve) => {
		const srv = net.createServer();
		srv.once('error', () => resolve(false));
		srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
	});
}

async function choosePort(wanted) {
	if (wanted !== 0 && (await portIsFree(wanted))) return { port: wanted, moved: false };
	return { port: await h.freePort(), moved: wanted !== 0 };
}

function build() {
	const r = spawnSync('npm', ['run', 'build'], { cwd: h.repoRoot, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
	if (r.error) throw r.error;
	if (r.status !== 0) throw new Error(`npm run build failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
}

function pidAlive(pid) {
	try {
		process.kill(pid, 0);
		return true;
	} catch (e) {
		return e.code === 'EPERM';
	}
}

function makeDemoFolder() {
	const parent = path.join(h.repoRoot, '.demo');
	fs.mkdirSync(parent, { recursive: true });
	// A demo killed outright (SIGKILL) cannot remove its folder: the next one does.
	for (const name of fs.readdirSync(parent)) {
		const dir = path.join(parent, name);
		let owner;
		try {
			owner = Number(fs.readFileSync(path.join(dir, 'demo.pid'), 'utf8'));
		} catch {
			continue;
		}
		if (Number.isInteger(owner) && owner > 0 && !pidAlive(owner)) fs.rmSync(dir, { recursive: true, force: true });
	}
	// realpath: n8n compares file paths with its allowed folder after resolving links
	const dir = fs.realpathSync(fs.mkdtempSync(path.join(parent, 'run-')));
	fs.writeFileSync(path.join(dir, 'demo.pid'), String(process.pid));
	return dir;
}

/**
 * Starts the whole stack. Options: `port` (n8n's; 0 = any free port; a busy
 * port falls back to a free one), `build` (run `npm run build` first), `keep`
 * (leave the user folder behind on stop). Resolves a context used by the
 * scenarios, with `stop()`.
 */
export async function startDemoStack({ port: wantedPort = 5678, build: doBuild = true, keep = false } = {}) {
	const timings = {};
	const started = Date.now();
	// undone last to first; the SQLite helper goes last
	const cleanups = [() => h.closeDb()];
	const ctx = {
		timings,
		async stop() {
			while (cleanups.length) {
				try {
					await cleanups.pop()();
				} catch {
					// keep cleaning up the rest
				}
			}
		},
	};
	try {
		// 1. build
		let t = Date.now();
		if (doBuild) {
			build();
			step(1, SETUP_STEPS, 'build', `npm run build ${seconds(Date.now() - t)}`);
		} else step(1, SETUP_STEPS, 'build', 'skipped (--no-build): using dist/ as it is');
		timings.build = Date.now() - t;

		// 2. n8n, cached outside the repository after the first run
		t = Date.now();
		const cached = fs.existsSync(layout(defaultCacheDir()).marker);
		if (!cached) {
			step(2, SETUP_STEPS, 'n8n', `installing n8n ${h.N8N_VERSION} on Node ${NODE_VERSION} into ${defaultCacheDir()}`);
			detail('', 'first run only: about 3 to 5 minutes and 2.9 GB; progress follows');
		}
		// `npm run demo` exports the repository's npm settings to us as npm_config_*;
		// with ignore-scripts among them, the installer's `npm rebuild sqlite3` would
		// silently build nothing. n8n's own folder is not this repository: drop it.
		delete process.env.npm_config_ignore_scripts;
		await h.n8nInstall();
		timings.n8nInstall = Date.now() - t;
		timings.n8nCached = cached;
		if (cached) step(2, SETUP_STEPS, 'n8n', `n8n ${h.N8N_VERSION} on Node ${NODE_VERSION}, cached in ${defaultCacheDir()}`);
		else detail('', `installed in ${seconds(timings.n8nInstall)} (cached for the next runs)`);

		// 3. simulator; delivery reports go to the report-logging workflow
		const { port, moved } = await choosePort(wantedPort);
		const baseUrl = `http://127.0.0.1:${port}`;
		const userFolder = makeDemoFolder();
		cleanups.push(() => {
			if (!keep) fs.rmSync(userFolder, { recursive: true, force: true });
		});
		// ~/.n8n-files (HOME is the user folder): the only place n8n 2 lets nodes write files
		const filesDir = path.join(userFolder, '.n8n-files');
		fs.mkdirSync(filesDir);
		const examples = loadExamples();
		const reportWorkflow = examples.find(({ workflow }) =>
			triggerNode(workflow)?.parameters?.events?.includes('deliveryReport'),
		)?.workflow;
		const sim = await startSimulator({
			port: 0,
			record: 'full',
			reportUrl: reportWorkflow ? { mxTelecom: pushUrl(baseUrl, reportWorkflow) } : undefined,
			reportDelayMs: 100,
		});
		cleanups.push(() => sim.close());
		step(3, SETUP_STEPS, 'simulator', `${sim.url} (MX Telecom, BulkSMS and GatewayAPI on loopback)`);

		// 4. user folder: our package as a community package, credentials, examples
		t = Date.now();
		const pkg = await h.packAndInstall(userFolder, { build: false });
		const env = h.n8nEnv(userFolder, { port, brokerPort: await h.freePort() });
		const credentials = simulatorCredentials(sim.url);
		const workflows = examples.map(({ file, workflow }) => ({
			file,
			workflow: adaptForDemo(workflow, { credentials, filesDir }),
		}));
		await h.importCredentials(env, credentials);
		await h.importWorkflows(
			env,
			workflows.map((w) => w.workflow),
		);
		timings.install = Date.now() - t;
		step(
			4,
			SETUP_STEPS,
			'install',
			`${pkg.name}@${pkg.version} into ${path.relative(h.repoRoot, pkg.dir)} ${seconds(timings.install)}`,
		);
		detail('', 'npm pack + unpack into ~/.n8n/nodes/node_modules, as n8n\'s Community Nodes installer does');
		detail('imported', `${credentials.length} credentials (simulator accounts), ${workflows.length} workflows from examples/`);

		// 5. n8n start, owner, publish the trigger workflows
		t = Date.now();
		const server = await h.start(env);
		cleanups.push(() => server.stop());
		const session = new N8nSession(baseUrl);
		await session.setupOwner(OWNER);
		const triggers = workflows.filter((w) => triggerNode(w.workflow));
		for (const { workflow } of triggers) {
			await session.publish(workflow.id);
			await server.waitForWebhook(workflow.id, 30_000);
		}
		timings.start = Date.now() - t;
		step(5, SETUP_STEPS, 'n8n start', `${baseUrl} ready ${seconds(timings.start)}${moved ? ` (port ${wantedPort} was busy)` : ''}`);
		detail('owner', `${OWNER.email} created`);
		for (const { workflow } of triggers) detail('published', `"${workflow.name}"`);
		timings.setup = Date.now() - started;

		Object.assign(ctx, {
			baseUrl,
			sim,
			userFolder,
			filesDir,
			env,
			server,
			session,
			credentials,
			credentialId: EXAMPLE_CREDENTIAL_ID,
			workflows: Object.fromEntries(workflows.map((w) => [w.workflow.id, w.workflow])),
			files: Object.fromEntries(workflows.map((w) => [w.workflow.id, w.file])),
			pkg,
		});
		return ctx;
	} catch (e) {
		line();
		await ctx.stop();
		throw e;
	}
}
