// A whole n8n queue-mode installation on loopback, for tests and benchmarks: Redis,
// PostgreSQL, n8n main (editor and API, production webhooks off), N `n8n webhook`
// processes, M `n8n worker`s, and HAProxy in front with the committed
// docs/queue-mode/haproxy.cfg. Our package is installed the community way (npm pack,
// unpacked into each process's own user folder, as on separate hosts); every process
// gets its own user folder and shares only the database, Redis and the encryption key.
//
// Start order and waits (docs/queue-mode.md): services; the CLI imports credentials and
// workflows and publishes them; main starts and registers the published webhooks; then the
// webhook processes and workers; then the load balancer. `stop()` stops everything it
// started by PID, in reverse order, and deletes every temporary folder; it is safe to call
// twice, and the harness kills whatever is left if the process exits early.

import fs from 'node:fs';
import path from 'node:path';

import * as h from '../n8n/harness.mjs';
import * as pg from './pg.mjs';
import * as svc from './services.mjs';

export const HAPROXY_CONFIG = path.join(h.repoRoot, 'docs', 'queue-mode', 'haproxy.cfg');

/**
 * Where binary data lives so that a worker can read what a webhook process stored
 * (docs/queue-mode.md, "Binary data"). 2.x offers `database` and makes it the default in
 * queue mode; 1.x keeps binary data inside the execution data by default (`default` mode),
 * which travels through the database too. SMS_GATEWAY_QUEUE_BINARY_MODE picks another:
 * `filesystem` (each process its own folder, as on separate hosts: the worker cannot read
 * the webhook process's files) or `filesystem-shared` (one folder for all processes).
 */
const BINARY_CHOICE = process.env.SMS_GATEWAY_QUEUE_BINARY_MODE || (h.N8N_MAJOR >= 2 ? 'database' : 'default');
export const BINARY_DATA_MODE = BINARY_CHOICE.replace(/-shared$/, '');

function binaryDataEnv(workDir) {
	const env = { N8N_DEFAULT_BINARY_DATA_MODE: BINARY_DATA_MODE };
	if (BINARY_CHOICE === 'filesystem-shared') {
		const shared = path.join(workDir, 'shared-storage');
		fs.mkdirSync(shared, { recursive: true });
		// 2.x: N8N_STORAGE_PATH (N8N_BINARY_DATA_STORAGE_PATH is deprecated there); 1.x: the latter.
		env[h.N8N_MAJOR >= 2 ? 'N8N_STORAGE_PATH' : 'N8N_BINARY_DATA_STORAGE_PATH'] = shared;
	}
	return env;
}

/**
 * The expression-engine setting the tests run with unless told otherwise: lazy isolate
 * acquisition on 2.x, the non-isolated engine on 1.x (docs/webhook-throughput.md).
 */
export const FAST_ENGINE_ENV =
	h.N8N_MAJOR >= 2 ? { N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE: 'true' } : { N8N_EXPRESSION_ENGINE: 'legacy' };

const log = svc.log;

function n8nOutput(child) {
	return svc.captureOutput(child);
}

/** Starts `n8n <command>` with `env`; resolves once `readyUrl` answers 200. */
async function startN8n(command, args, env, readyUrl, { timeoutMs = 180_000, onLine } = {}) {
	const paths = await h.n8nInstall();
	const t = Date.now();
	const child = h.spawnTracked(paths.nodeBin, [paths.n8nBin, command, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
	const output = n8nOutput(child);
	if (onLine) {
		let rest = '';
		child.stdout.on('data', (c) => {
			rest += c;
			let nl;
			while ((nl = rest.indexOf('\n')) >= 0) {
				onLine(rest.slice(0, nl));
				rest = rest.slice(nl + 1);
			}
		});
	}
	await svc.waitUntil(`n8n ${command} at ${readyUrl}`, async () => (await fetch(readyUrl)).status === 200, {
		timeoutMs,
		child,
		output,
	});
	return { command, pid: child.pid, child, output, readyMs: Date.now() - t };
}

/**
 * Publishes workflows, a few CLI calls at a time: each call is a cold n8n start (about 2 s of
 * CPU), and `publish:workflow` takes one id. (`import:workflow --activeState=fromJson` would
 * do it in one call in queue mode, but from the CLI it is refused for want of an owner's
 * permissions.) Each call gets its own task-broker port.
 */
async function publishAll(env, ids, parallel = 3) {
	const queue = [...ids];
	async function lane() {
		for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
			await h.publishWorkflow({ ...env, N8N_RUNNERS_BROKER_PORT: String(await h.freePort()) }, id);
		}
	}
	await Promise.all(Array.from({ length: parallel }, lane));
}

/**
 * Starts the rig. Options:
 * - `credentials`, `workflows`: imported through n8n's CLI (as for `n8n import:*`); either may
 *   be a function of the rig (it has `pgPort` by then), for credentials of the database;
 * - `publish`: workflow ids to publish; `waitForWebhooks`: those of them with webhooks
 *   (main must have registered them before the webhook processes start);
 * - `webhookProcesses` (2), `workers` (1), `workerConcurrency` (10);
 * - `env`: extra environment for every n8n process (engine settings and the like);
 * - `beforeMain(rig)`: runs once PostgreSQL is up (database `n8n` created, still empty), before
 *   the CLI imports anything.
 */
export async function startQueueRig({
	label = 'queue',
	credentials = [],
	workflows = [],
	publish = [],
	waitForWebhooks = publish,
	webhookProcesses = 2,
	workers = 1,
	workerConcurrency = 10,
	env: extraEnv = {},
	beforeMain,
} = {}) {
	const t0 = Date.now();
	svc.ensureDebianPackages();
	await h.n8nInstall();

	const work = h.makeUserFolder(label);
	// PostgreSQL runs as its own user, which cannot enter `work` (mode 0700, root's).
	const pgDir = fs.mkdtempSync(path.join(path.dirname(work.dir), `${label}-pg-`));
	const folders = [work.dir, pgDir];
	const processes = [];
	const rig = {
		workDir: work.dir,
		pgDir,
		processes,
		binaryDataMode: BINARY_DATA_MODE,
		binaryDataChoice: BINARY_CHOICE,
		/** Execution ids each worker logged as started ("Worker started execution N"). */
		workerStarted: new Set(),
		stopped: false,
	};
	rig.stop = async () => {
		if (rig.stopped) return rig.stopReport;
		rig.stopped = true;
		const report = [];
		// Reverse start order: the load balancer, workers, webhook processes, main, then Redis
		// and PostgreSQL. Each by its PID; SIGKILL to its group after a grace period.
		for (const p of [...processes].reverse()) {
			const t = Date.now();
			const { forced } = (await p.stop()) ?? {};
			report.push({ name: p.name, pid: p.pid, ms: Date.now() - t, forced: Boolean(forced), alive: svc.pidAlive(p.pid) });
		}
		await rig.db?.end().catch(() => {});
		h.closeDb();
		for (const dir of folders) {
			if (process.env.SMS_GATEWAY_E2E_KEEP) log(`keeping ${dir}`);
			else fs.rmSync(dir, { recursive: true, force: true });
		}
		rig.stopReport = report;
		return report;
	};
	const addProcess = (name, handle, stop) => {
		// n8n stops within a second or two. A webhook process sometimes still counts an
		// execution it handed to the queue as active after a burst and would wait 30 s for it
		// (docs/queue-mode.md); nothing is lost by not waiting.
		const n8nStop = () => svc.stopChild(handle.child, { graceMs: 5_000 });
		const entry = { name, pid: handle.pid, child: handle.child, output: handle.output, stop: stop ?? n8nStop };
		processes.push(entry);
		return entry;
	};

	try {
		// --- services
		const [redisPort, pgPort] = [await h.freePort(), await h.freePort()];
		const [redis, postgres] = await Promise.all([
			svc.startRedis(path.join(work.dir, 'redis'), redisPort),
			svc.startPostgres(pgDir, pgPort),
		]);
		addProcess('redis', redis, redis.stop);
		addProcess('postgres', postgres, postgres.stop);
		await pg.waitForLogin(pgPort);
		const admin = await pg.connect(pgPort);
		await admin.query('create database n8n');
		await admin.end();
		rig.pgPort = pgPort;
		rig.redisPort = redisPort;
		rig.db = await pg.connect(pgPort, 'n8n');
		rig.executions = pg.executionsApi(rig.db);

		// --- ports and environments
		const lbPort = await h.freePort();
		rig.lbUrl = `http://127.0.0.1:${lbPort}`;
		const shared = {
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: '127.0.0.1',
			QUEUE_BULL_REDIS_PORT: String(redisPort),
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(pgPort),
			DB_POSTGRESDB_DATABASE: 'n8n',
			DB_POSTGRESDB_USER: 'postgres',
			DB_POSTGRESDB_PASSWORD: 'unused',
			...binaryDataEnv(work.dir),
			// The public URL is the load balancer's: n8n shows it as the webhook's production URL.
			WEBHOOK_URL: `${rig.lbUrl}/`,
			...extraEnv,
		};
		const folder = (name) => {
			const dir = path.join(work.dir, name);
			fs.mkdirSync(dir, { recursive: true });
			return dir;
		};
		const envFor = async (name, { port, broker = true, extra = {} } = {}) =>
			h.n8nEnv(folder(name), {
				port: port ?? (await h.freePort()),
				brokerPort: broker ? await h.freePort() : undefined,
				extra: { ...shared, ...extra },
			});

		// --- the package, installed the community way into main's folder and copied to the others
		const mainEnv = await envFor('main', { extra: { N8N_DISABLE_PRODUCTION_MAIN_PROCESS: 'true' } });
		await h.packAndInstall(mainEnv.N8N_USER_FOLDER, { build: false });
		const copyPackageTo = (dir) =>
			fs.cpSync(path.join(mainEnv.N8N_USER_FOLDER, '.n8n', 'nodes'), path.join(dir, '.n8n', 'nodes'), { recursive: true });

		// --- CLI: credentials, workflows, publish (the CLI starts a task broker: its own port)
		const cliEnv = { ...mainEnv, N8N_RUNNERS_BROKER_PORT: String(await h.freePort()) };
		let t = Date.now();
		if (beforeMain) await beforeMain(rig);
		const creds = typeof credentials === 'function' ? credentials(rig) : credentials;
		const flows = typeof workflows === 'function' ? workflows(rig) : workflows;
		if (creds.length) await h.importCredentials(cliEnv, creds);
		if (flows.length) await h.importWorkflows(cliEnv, flows);
		await publishAll(cliEnv, publish);
		log(`imported ${creds.length} credentials and ${flows.length} workflows, published ${publish.length} in ${((Date.now() - t) / 1000).toFixed(1)} s`);

		// --- main
		rig.mainUrl = `http://127.0.0.1:${mainEnv.N8N_PORT}`;
		const main = await startN8n('start', [], mainEnv, `${rig.mainUrl}/healthz/readiness`);
		addProcess('main', main);
		t = Date.now();
		for (const id of waitForWebhooks) {
			await svc.waitUntil(`main registering the webhooks of ${id}`, async () => (await rig.executions.webhooks(id)).length > 0, {
				timeoutMs: 120_000,
				child: main.child,
				output: main.output,
			});
		}
		log(`main ready in ${(main.readyMs / 1000).toFixed(1)} s, webhooks registered ${((Date.now() - t) / 1000).toFixed(1)} s later`);

		// --- webhook processes and workers, side by side
		const starting = [];
		for (let i = 1; i <= webhookProcesses; i++) {
			const env = await envFor(`webhook${i}`, { broker: false, extra: { N8N_PROXY_HOPS: '1' } });
			copyPackageTo(env.N8N_USER_FOLDER);
			const url = `http://127.0.0.1:${env.N8N_PORT}`;
			starting.push(
				startN8n('webhook', [], env, `${url}/healthz/readiness`).then((p) => ({ kind: 'webhook', name: `webhook${i}`, url, port: Number(env.N8N_PORT), ...p })),
			);
		}
		for (let i = 1; i <= workers; i++) {
			const healthPort = await h.freePort();
			const env = await envFor(`worker${i}`, {
				extra: { QUEUE_HEALTH_CHECK_ACTIVE: 'true', QUEUE_HEALTH_CHECK_PORT: String(healthPort), QUEUE_HEALTH_CHECK_ADDRESS: '127.0.0.1' },
			});
			copyPackageTo(env.N8N_USER_FOLDER);
			const onLine = (line) => {
				const m = /Worker started execution (\d+)/.exec(line);
				if (m) rig.workerStarted.add(Number(m[1]));
			};
			starting.push(
				startN8n('worker', [`--concurrency=${workerConcurrency}`], env, `http://127.0.0.1:${healthPort}/healthz/readiness`, { onLine }).then((p) => ({
					kind: 'worker',
					name: `worker${i}`,
					...p,
				})),
			);
		}
		// Register each as soon as it is up, so a failure of one still stops the others.
		const settled = await Promise.allSettled(starting.map((p) => p.then((r) => (addProcess(r.name, r), r))));
		const failed = settled.find((s) => s.status === 'rejected');
		if (failed) throw failed.reason;
		const started = settled.map((s) => s.value);
		rig.webhooks = started.filter((p) => p.kind === 'webhook');
		rig.workers = started.filter((p) => p.kind === 'worker');
		rig.main = main;

		// --- the load balancer
		const lbEnv = {
			N8N_LB_BIND: `127.0.0.1:${lbPort}`,
			N8N_MAIN: `127.0.0.1:${mainEnv.N8N_PORT}`,
			...Object.fromEntries(rig.webhooks.map((w, i) => [`N8N_WEBHOOK_${i + 1}`, `127.0.0.1:${w.port}`])),
		};
		const lb = await svc.startHaproxy(HAPROXY_CONFIG, lbEnv, lbPort);
		addProcess('haproxy', lb, lb.stop);
		rig.lb = lb;
		// Ready when the load balancer reaches main (its health check has seen the servers up).
		await svc.waitUntil('the load balancer reaching main', async () => (await fetch(`${rig.lbUrl}/healthz`)).status === 200, {
			child: lb.child,
			output: lb.output,
		});
		rig.startMs = Date.now() - t0;
		log(
			`queue rig up in ${(rig.startMs / 1000).toFixed(1)} s: main ${rig.mainUrl}, ` +
				`${rig.webhooks.map((w) => `${w.name} ${w.url}`).join(', ')}, ${rig.workers.length} worker(s), load balancer ${rig.lbUrl}, ` +
				`binary data ${BINARY_CHOICE}`,
		);
		return rig;
	} catch (error) {
		await rig.stop();
		throw error;
	}
}
