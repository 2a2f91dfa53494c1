// A small library for driving a real, headless n8n from tests and scripts:
// install our package into an n8n user folder the way n8n installs community
// packages, import credentials and workflows through n8n's CLI, run workflows
// with `n8n execute`, run `n8n start` for webhooks, and read executions back
// from n8n's SQLite database.
//
// Every process started here runs in its own process group and is killed when
// this process exits (normally, by an uncaught error, or by SIGINT/SIGTERM), so
// a failing test leaves no n8n or task runner behind.
//
// See docs/toolchain.md for the why of each step.

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

import { ensureN8n, layout, defaultCacheDir, N8N_VERSION } from './install.mjs';

export { ensureN8n, N8N_VERSION };

/** The pinned n8n line's major version: the few CLI and config differences between lines key on it. */
export const N8N_MAJOR = Number(N8N_VERSION.split('.')[0]);

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

// A fixed key so every CLI call and server of one user folder can read the
// credentials the others wrote (n8n would otherwise generate one per folder).
export const ENCRYPTION_KEY = 'sms-gateway-e2e-not-a-secret-0123456789';

function log(line) {
	process.stderr.write(`[n8n-e2e] ${line}\n`);
}

// ---------------------------------------------------------------------------
// Process bookkeeping: nothing we start may outlive us.

const live = new Set();

// Each child is spawned detached, so it leads its own process group, and n8n's
// task runner (which n8n spawns without `detached`) is in that group. Signalling
// the group also reaches a runner that outlived its n8n parent, which is why this
// runs even after the leader has exited.
function killGroup(child, signal) {
	try {
		process.kill(-child.pid, signal);
	} catch {
		// no such group any more
	}
}

function killAllNow() {
	for (const child of live) killGroup(child, 'SIGKILL');
	live.clear();
}

process.on('exit', killAllNow);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
	process.on(sig, () => {
		killAllNow();
		process.exit(128 + (os.constants.signals[sig] ?? 1));
	});
}

function track(child) {
	live.add(child);
	child.on('exit', () => {
		// whatever the leader left behind in its group goes with it
		killGroup(child, 'SIGKILL');
		live.delete(child);
	});
	return child;
}

/**
 * Spawns a process in its own process group under the same bookkeeping as n8n's: it is
 * killed (with its group) when this process exits, however it exits. For the services
 * a test starts beside n8n (Redis, PostgreSQL, a load balancer) and n8n's queue-mode
 * commands.
 */
export function spawnTracked(command, args, options = {}) {
	return track(spawn(command, args, { ...options, detached: true }));
}

/** Sends `signal` to the process group of a child started by `spawnTracked`. */
export function signalGroup(child, signal) {
	killGroup(child, signal);
}

// ---------------------------------------------------------------------------
// Install and paths

let installed;

/** Installs (or finds in the cache) the pinned n8n; returns its paths. */
export async function n8nInstall() {
	installed ??= await ensureN8n();
	return installed;
}

function n8nPaths() {
	if (installed) return installed;
	const l = layout(defaultCacheDir());
	if (!fs.existsSync(l.marker)) throw new Error('n8n is not installed yet: await n8nInstall() first');
	installed = l;
	return l;
}

/** `require` rooted in n8n's node_modules (sqlite3, flatted, ...). */
function n8nRequire() {
	return createRequire(path.join(n8nPaths().nodeModules, 'n8n', 'package.json'));
}

/** A free loopback TCP port (closed again before returning). */
export function freePort() {
	return new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.unref();
		srv.on('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const { port } = srv.address();
			srv.close(() => resolve(port));
		});
	});
}

/**
 * A fresh user folder under the system temp folder (outside the repo, so that linters
 * and file watchers never walk n8n's caches).
 * `cleanup()` removes it unless SMS_GATEWAY_E2E_KEEP is set (for post-mortems).
 */
export function makeUserFolder(label = 'run') {
	const parent = path.join(os.tmpdir(), 'n8n-nodes-sms-gateway-e2e');
	fs.mkdirSync(parent, { recursive: true });
	const dir = fs.mkdtempSync(path.join(parent, `${label}-`));
	return {
		dir,
		cleanup() {
			if (process.env.SMS_GATEWAY_E2E_KEEP) log(`keeping ${dir}`);
			else fs.rmSync(dir, { recursive: true, force: true });
		},
	};
}

// ---------------------------------------------------------------------------
// Our package, installed the way n8n installs community packages

function runSync(cmd, args, opts) {
	const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...opts });
	if (r.error) throw r.error;
	if (r.status !== 0) {
		throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
	}
	return r.stdout;
}

/** `npm run build` in the repository (tsc + gulp into dist/). */
export function buildPackage(dir = repoRoot) {
	const t = Date.now();
	runSync('npm', ['run', 'build'], { cwd: dir });
	log(`built the package in ${((Date.now() - t) / 1000).toFixed(1)} s`);
}

/**
 * `npm pack` of `packageDir` into `destDir`: what would be published. Resolves npm's own
 * description of the tarball (`name`, `version`, `files`, `entryCount`, ...) plus its path
 * as `tarball`.
 */
export function npmPack(packageDir, destDir) {
	const out = runSync('npm', ['pack', '--json', '--pack-destination', destDir], { cwd: packageDir });
	const info = JSON.parse(out.slice(out.indexOf('[')))[0];
	return { ...info, tarball: path.join(destDir, info.filename) };
}

/**
 * Packs the built repository with `npm pack` and unpacks the tarball into
 * `<userFolder>/.n8n/nodes/node_modules/<name>/`, as n8n's community-package
 * installer does: the published files only, and dev/peer/optional dependencies
 * removed from its package.json. Runtime dependencies (we have none) would be
 * installed the way n8n does it.
 * `packageDir` (default: the repository, or SMS_GATEWAY_E2E_PACKAGE_DIR) is the
 * package folder to pack.
 * Returns `{ name, version, dir, files }`.
 */
export async function packAndInstall(
	userFolder,
	{ build = false, packageDir = process.env.SMS_GATEWAY_E2E_PACKAGE_DIR || repoRoot } = {},
) {
	if (build) buildPackage(packageDir);
	const paths = await n8nInstall();
	const work = fs.mkdtempSync(path.join(os.tmpdir(), 'sms-gateway-pack-'));
	try {
		const info = npmPack(packageDir, work);
		const tarball = info.tarball;
		const nodesDir = path.join(userFolder, '.n8n', 'nodes');
		const dest = path.join(nodesDir, 'node_modules', info.name);
		fs.rmSync(dest, { recursive: true, force: true });
		fs.mkdirSync(dest, { recursive: true });
		runSync('tar', ['-xzf', tarball, '-C', dest, '--strip-components=1']);

		const pkgFile = path.join(dest, 'package.json');
		const pkg = JSON.parse(fs.readFileSync(pkgFile, 'utf8'));
		delete pkg.devDependencies;
		delete pkg.peerDependencies;
		delete pkg.optionalDependencies;
		fs.writeFileSync(pkgFile, JSON.stringify(pkg, null, 2));
		if (pkg.dependencies && Object.keys(pkg.dependencies).length > 0) {
			// n8n's installer runs exactly this in the package folder.
			runSync(
				'npm',
				['install', '--audit=false', '--fund=false', '--bin-links=false', '--install-strategy=shallow', '--ignore-scripts=true', '--package-lock=false'],
				{ cwd: dest, env: { ...process.env, PATH: `${paths.nodeBinDir}${path.delimiter}${process.env.PATH}` } },
			);
		}
		// The manifest n8n keeps beside its installed packages.
		const manifest = path.join(nodesDir, 'package.json');
		const m = fs.existsSync(manifest)
			? JSON.parse(fs.readFileSync(manifest, 'utf8'))
			: { name: 'installed-nodes', private: true, dependencies: {} };
		m.dependencies = { ...m.dependencies, [info.name]: info.version };
		fs.writeFileSync(manifest, JSON.stringify(m, null, 2));
		log(`installed ${info.name}@${info.version} (${info.entryCount} files) into ${path.relative(repoRoot, dest)}`);
		return { name: info.name, version: info.version, dir: dest, files: info.files.map((f) => f.path) };
	} finally {
		fs.rmSync(work, { recursive: true, force: true });
	}
}

// ---------------------------------------------------------------------------
// Environment and CLI

/**
 * The environment of every n8n process for one user folder: loopback only,
 * SQLite, nothing phoning home, a fixed encryption key, info-level logs
 * (`n8n execute` prints its result through the logger).
 * `brokerPort` must differ between processes that run at the same time.
 */
export function n8nEnv(userFolder, { port = 5678, brokerPort, extra = {} } = {}) {
	const paths = n8nPaths();
	const tmp = path.join(userFolder, 'tmp');
	fs.mkdirSync(tmp, { recursive: true });
	const env = {
		// A minimal inherited environment: nothing from the caller's n8n setup leaks in.
		HOME: userFolder,
		LANG: process.env.LANG ?? 'C.UTF-8',
		PATH: `${paths.nodeBinDir}${path.delimiter}${process.env.PATH ?? ''}`,
		TMPDIR: tmp,
		TZ: 'UTC',
		N8N_USER_FOLDER: userFolder,
		N8N_ENCRYPTION_KEY: ENCRYPTION_KEY,
		DB_TYPE: 'sqlite',
		N8N_HOST: '127.0.0.1',
		N8N_PORT: String(port),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_PROTOCOL: 'http',
		WEBHOOK_URL: `http://127.0.0.1:${port}/`,
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_SECURE_COOKIE: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
		// mcp-registry exists from 2.x on; 1.x refuses to start on a module name it does not know.
		...(N8N_MAJOR >= 2 ? { N8N_DISABLED_MODULES: 'mcp-registry' } : {}),
		N8N_LOG_LEVEL: 'info',
		GENERIC_TIMEZONE: 'UTC',
		...extra,
	};
	if (brokerPort !== undefined) env.N8N_RUNNERS_BROKER_PORT = String(brokerPort);
	return env;
}

/**
 * Runs `n8n <args>` under Node 24 and resolves `{ code, stdout, stderr, ms }`
 * (it does not throw on a non-zero exit; see `cli()` for that). `onSpawn(child)` is
 * called once the process started (its pid leads its own process group).
 */
export function runCli(args, env, { timeoutMs = 180_000, onSpawn } = {}) {
	const paths = n8nPaths();
	const t = Date.now();
	return new Promise((resolve, reject) => {
		const child = track(
			spawn(paths.nodeBin, [paths.n8nBin, ...args], { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] }),
		);
		let stdout = '';
		let stderr = '';
		// Benchmarks sample the process group (its peak memory) while it runs.
		onSpawn?.(child);
		child.stdout.on('data', (c) => (stdout += c));
		child.stderr.on('data', (c) => (stderr += c));
		const timer = setTimeout(() => {
			log(`n8n ${args[0]} timed out after ${timeoutMs} ms; killing it`);
			killGroup(child, 'SIGKILL');
		}, timeoutMs);
		child.on('error', (e) => {
			clearTimeout(timer);
			reject(e);
		});
		child.on('close', (code, signal) => {
			clearTimeout(timer);
			// `n8n execute` leaves its task runner to exit on its own; make sure it did.
			killGroup(child, 'SIGKILL');
			resolve({ code: code ?? 128, signal, stdout, stderr, ms: Date.now() - t });
		});
	});
}

/** `runCli` that throws with the output when n8n exits non-zero. */
export async function cli(args, env, opts) {
	const r = await runCli(args, env, opts);
	if (r.code !== 0) {
		throw new Error(`n8n ${args.join(' ')} exited ${r.code}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`);
	}
	return r;
}

function writeJsonFiles(userFolder, kind, docs) {
	const dir = fs.mkdtempSync(path.join(userFolder, `import-${kind}-`));
	docs.forEach((doc, i) => {
		fs.writeFileSync(path.join(dir, `${String(i).padStart(4, '0')}.json`), JSON.stringify(doc, null, 2));
	});
	return dir;
}

/**
 * Imports credentials in one CLI call. Each is `{ id, name, type, data }` with
 * `data` in plain text: n8n encrypts it with the user folder's key on import.
 */
export async function importCredentials(env, credentials) {
	const dir = writeJsonFiles(env.N8N_USER_FOLDER, 'credentials', credentials);
	try {
		return await cli(['import:credentials', '--separate', `--input=${dir}`], env);
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
}

/** Imports workflows in one CLI call (imported workflows are never active). */
export async function importWorkflows(env, workflows) {
	const dir = writeJsonFiles(env.N8N_USER_FOLDER, 'workflows', workflows);
	try {
		return await cli(['import:workflow', '--separate', `--input=${dir}`], env);
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
}

/** Activates a workflow's current version; do it before `start()` (n8n reads it at start). */
export async function publishWorkflow(env, id) {
	// n8n 2.x publishes a version; 1.x has no versions and only flips the active flag.
	return cli(N8N_MAJOR >= 2 ? ['publish:workflow', `--id=${id}`] : ['update:workflow', `--id=${id}`, '--active=true'], env);
}

/**
 * Extracts the execution JSON that `n8n execute --rawOutput` prints, indented,
 * after its log lines: the block from a line that is exactly `{` to the line
 * that is exactly `}`.
 */
export function extractExecutionJson(stdout) {
	const lines = stdout.split(/\r?\n/);
	const start = lines.indexOf('{');
	if (start < 0) return undefined;
	for (let end = lines.length - 1; end > start; end--) {
		if (lines[end] !== '}') continue;
		try {
			return JSON.parse(lines.slice(start, end + 1).join('\n'));
		} catch {
			// a later '}' may belong to trailing output; try the next one up
		}
	}
	return undefined;
}

/**
 * `n8n execute --id=<id>`: resolves `{ code, result, stdout, stderr, ms }` where
 * `result` is the parsed execution (`status`, `data.resultData.runData`, ...)
 * or undefined when n8n printed none (`crashedAtExit` is set when n8n crashed
 * while exiting after a complete execution, see below).
 */
export async function execute(env, id, opts) {
	const userFolder = env.N8N_USER_FOLDER;
	const [{ last }] = await dbQuery(userFolder, 'select coalesce(max(id), 0) as last from execution_entity');
	const r = await runCli(['execute', `--id=${id}`, '--rawOutput'], env, opts);
	const result = extractExecutionJson(r.stdout);
	// `n8n execute` asks for the execution's result only after starting it; an execution that
	// finished in between is gone from its active list ("No active execution found"), although
	// it ran and was stored. Read it from the database then.
	if (!result && /No active execution found/.test(`${r.stdout}\n${r.stderr}`)) {
		const [row] = await readFinishedExecutions(userFolder, { workflowId: id, afterId: Number(last) });
		if (row) {
			log(`n8n execute --id=${id} lost track of its finished execution ${row.id} (${row.status}); read it from the database`);
			const stored = { data: row.data, status: row.status, finished: row.finished, mode: row.mode, startedAt: row.startedAt, stoppedAt: row.stoppedAt };
			return { ...r, code: row.status === 'success' ? 0 : 1, readFromDatabase: true, result: stored };
		}
	}
	// n8n 2.41.1 on Node 24 sometimes (about 1 run in 10 here) dies of SIGSEGV while
	// exiting, after it printed and stored the finished execution: its expression
	// engine's isolated-vm thread pool is joined while one of its isolates still
	// allocates (core dump: ivm::thread_pool_t::resize on the main thread, V8 heap
	// code on the isolate's thread). The execution itself is complete, so report
	// the exit code n8n would have given and say what happened.
	if (r.signal === 'SIGSEGV' && result && typeof result.finished === 'boolean' && result.status) {
		log(`n8n execute --id=${id} crashed (SIGSEGV) while exiting after a complete execution (${result.status}); known n8n/isolated-vm exit crash, result kept`);
		return { ...r, code: result.status === 'success' ? 0 : 1, crashedAtExit: r.signal, result };
	}
	return { ...r, result };
}

/** The output items (json only) of a node in a parsed execution. */
export function nodeOutput(result, nodeName, { run = 0, output = 0 } = {}) {
	const runs = result?.data?.resultData?.runData?.[nodeName];
	if (!runs || !runs[run]) return undefined;
	return (runs[run].data?.main?.[output] ?? []).map((item) => item.json);
}

/** The error of a node in a parsed execution, if it failed. */
export function nodeError(result, nodeName, { run = 0 } = {}) {
	return result?.data?.resultData?.runData?.[nodeName]?.[run]?.error;
}

/** `n8n export:nodes`: the names of all node types the instance loaded. */
export async function loadedNodeTypes(env) {
	const file = path.join(env.N8N_USER_FOLDER, 'tmp', `nodes-${process.pid}-${Date.now()}.json`);
	await cli(['export:nodes', `--output=${file}`], env);
	try {
		return JSON.parse(fs.readFileSync(file, 'utf8')).map((n) => n.name);
	} finally {
		fs.rmSync(file, { force: true });
	}
}

// ---------------------------------------------------------------------------
// SQLite

// n8n's sqlite3 addon only loads under the Node 24 that runs n8n (it crashes the
// system Node 20), so queries go through one long-lived helper process under
// Node 24 (db-worker.mjs), started on first use.
let dbWorker;

function startDbWorker() {
	const paths = n8nPaths();
	const child = track(
		spawn(paths.nodeBin, [path.join(path.dirname(fileURLToPath(import.meta.url)), 'db-worker.mjs'), paths.nodeModules], {
			detached: true,
			stdio: ['pipe', 'pipe', 'pipe'],
		}),
	);
	const pending = new Map();
	let nextId = 1;
	let buffer = '';
	let stderr = '';
	// Idle, the worker must not keep the caller's event loop alive.
	const setRef = (on) => {
		for (const h of [child, child.stdin, child.stdout, child.stderr]) (on ? h.ref : h.unref)?.call(h);
	};
	child.stdout.on('data', (chunk) => {
		buffer += chunk;
		let nl;
		while ((nl = buffer.indexOf('\n')) >= 0) {
			const line = buffer.slice(0, nl);
			buffer = buffer.slice(nl + 1);
			const msg = JSON.parse(line);
			const p = pending.get(msg.id);
			if (!p) continue;
			pending.delete(msg.id);
			if (msg.error) p.reject(new Error(`${msg.error} (query: ${p.sql})`));
			else p.resolve(msg.rows);
		}
		if (pending.size === 0) setRef(false);
	});
	child.stderr.on('data', (c) => (stderr += c));
	child.on('exit', (code) => {
		if (dbWorker?.child === child) dbWorker = undefined;
		for (const p of pending.values()) p.reject(new Error(`the SQLite helper exited (${code}): ${stderr}`));
		pending.clear();
	});
	setRef(false);
	return {
		child,
		query(file, sql, params) {
			return new Promise((resolve, reject) => {
				const id = nextId++;
				pending.set(id, { resolve, reject, sql });
				setRef(true);
				child.stdin.write(`${JSON.stringify({ id, file, sql, params })}\n`);
			});
		},
	};
}

/**
 * Holds a write lock on the database of `userFolder` (db-lock.mjs) until `release()`:
 * while it is held, n8n cannot store anything, so creating an execution fails.
 */
export async function holdWriteLock(userFolder) {
	const paths = n8nPaths();
	const child = track(
		spawn(
			paths.nodeBin,
			[path.join(path.dirname(fileURLToPath(import.meta.url)), 'db-lock.mjs'), paths.nodeModules, path.join(userFolder, '.n8n', 'database.sqlite')],
			{ detached: true, stdio: ['pipe', 'pipe', 'pipe'] },
		),
	);
	let out = '';
	let err = '';
	child.stderr.on('data', (c) => (err += c));
	const saw = (word) =>
		new Promise((resolve, reject) => {
			const check = () => out.includes(`${word}\n`) && resolve();
			child.stdout.on('data', (c) => {
				out += c;
				check();
			});
			child.on('exit', (code) => (out.includes(`${word}\n`) ? resolve() : reject(new Error(`db-lock exited (${code}): ${err}`))));
			check();
		});
	await saw('locked');
	return {
		async release() {
			const done = saw('released');
			child.stdin.end('release\n');
			await done;
		},
	};
}

/** Runs a read-only SQL query on n8n's database of `userFolder`; resolves the rows. */
export function dbQuery(userFolder, sql, params = []) {
	dbWorker ??= startDbWorker();
	return dbWorker.query(path.join(userFolder, '.n8n', 'database.sqlite'), sql, params);
}

/**
 * Executions stored by n8n, oldest first, with their run data decoded (n8n
 * stores it flatted-encoded). Filters: `workflowId`, `afterId` (exclusive),
 * `status`, `mode`.
 * Each row: `{ id, workflowId, mode, status, finished, startedAt, stoppedAt, data }`.
 */
export async function readExecutions(userFolder, { workflowId, afterId = 0, status, mode, decode = true } = {}) {
	const { parse } = n8nRequire()('flatted');
	const where = ['e.id > ?'];
	const params = [afterId];
	if (workflowId) where.push('e.workflowId = ?'), params.push(workflowId);
	if (status) where.push('e.status = ?'), params.push(status);
	if (mode) where.push('e.mode = ?'), params.push(mode);
	const rows = await dbQuery(
		userFolder,
		`select e.id, e.workflowId, e.mode, e.status, e.finished, e.startedAt, e.stoppedAt${decode ? ', d.data' : ''}
			 from execution_entity e ${decode ? 'left join execution_data d on d.executionId = e.id' : ''}
		 where ${where.join(' and ')} order by e.id`,
		params,
	);
	return rows.map((r) => ({
		...r,
		id: Number(r.id),
		finished: Boolean(r.finished),
		data: decode && r.data ? parse(r.data) : undefined,
	}));
}

/** Counts executions, same filters as `readExecutions` (cheap: no data read). */
export async function countExecutions(userFolder, { workflowId, afterId = 0, status, mode } = {}) {
	const where = ['id > ?'];
	const params = [afterId];
	if (workflowId) where.push('workflowId = ?'), params.push(workflowId);
	if (status) where.push('status = ?'), params.push(status);
	if (mode) where.push('mode = ?'), params.push(mode);
	const [row] = await dbQuery(userFolder, `select count(*) as n from execution_entity where ${where.join(' and ')}`, params);
	return Number(row.n);
}

/** Whether n8n marked the execution as done (its row in execution_entity). */
export function isSettled(row) {
	return row.finished || !['new', 'running', 'waiting'].includes(row.status);
}

/**
 * Whether a settled, decoded execution also carries its final run data. n8n
 * 1.x on SQLite without a pool (its default) stores a finished execution in two
 * writes, the status row first and the run data after it
 * (ExecutionRepository.updateExistingExecution), so a reader can see "success"
 * beside the data the execution started with. Final data names the last node
 * that ran, or the error; data from before the run has neither.
 */
export function hasFinalData(row) {
	if (row.status !== 'success' && row.status !== 'error') return true;
	const result = row.data?.resultData;
	return Boolean(result && (result.lastNodeExecuted !== undefined || result.error !== undefined));
}

/**
 * `readExecutions` for executions known to be settled: reads again (up to
 * `timeoutMs`) until each one also has its final run data (`hasFinalData`).
 */
export async function readFinishedExecutions(userFolder, filters = {}, { timeoutMs = 30_000 } = {}) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const rows = await readExecutions(userFolder, filters);
		const pending = rows.filter((r) => !isSettled(r) || !hasFinalData(r));
		if (pending.length === 0) return rows;
		if (Date.now() > deadline) {
			throw new Error(`executions ${pending.slice(0, 5).map((r) => `${r.id} (${r.status})`).join(', ')} have no final run data`);
		}
		await new Promise((r) => setTimeout(r, 100));
	}
}

/**
 * Waits until at least `count` executions match the filters, none of them is
 * still running and each has its final run data; resolves them (decoded).
 */
export async function waitForExecutions(userFolder, count, filters = {}, { timeoutMs = 60_000 } = {}) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const rows = await readExecutions(userFolder, { ...filters, decode: false });
		const settled = rows.filter(isSettled);
		if (rows.length >= count && settled.length === rows.length) {
			return readFinishedExecutions(userFolder, filters, { timeoutMs: Math.max(0, deadline - Date.now()) });
		}
		if (Date.now() > deadline) {
			throw new Error(`timed out waiting for ${count} executions (${rows.length} seen, ${settled.length} settled)`);
		}
		await new Promise((r) => setTimeout(r, 250));
	}
}

/** Stops the SQLite helper process (it is also killed at exit). */
export function closeDb() {
	if (!dbWorker) return;
	dbWorker.child.stdin.end();
	dbWorker = undefined;
}

/** Webhook rows n8n registered for a workflow: `[{ webhookPath, method, node }]`. */
export async function webhookRows(userFolder, workflowId) {
	return dbQuery(userFolder, 'select webhookPath, method, node from webhook_entity where workflowId = ?', [workflowId]);
}

// ---------------------------------------------------------------------------
// n8n start

async function waitFor(what, fn, { timeoutMs, intervalMs = 200, child }) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		if (child && (child.exitCode !== null || child.signalCode !== null)) {
			throw new Error(`n8n exited (${child.exitCode ?? child.signalCode}) while waiting for ${what}`);
		}
		try {
			const v = await fn();
			if (v) return v;
		} catch {
			// not yet
		}
		if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
		await new Promise((r) => setTimeout(r, intervalMs));
	}
}

/**
 * Starts `n8n start` for the env's user folder and waits until it is ready and
 * (if given) the webhooks of `waitForWebhooks` (workflow ids) are registered.
 * Publish those workflows first. Resolves
 * `{ url, pid, log(), stop(), waitForWebhook(id) }`; `stop()` sends SIGTERM to
 * the process group and waits (SIGKILL after `stopTimeoutMs`).
 */
export async function start(env, { waitForWebhooks = [], timeoutMs = 120_000, stopTimeoutMs = 15_000 } = {}) {
	const paths = n8nPaths();
	const t = Date.now();
	const url = `http://127.0.0.1:${env.N8N_PORT}`;
	const child = track(
		spawn(paths.nodeBin, [paths.n8nBin, 'start'], { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] }),
	);
	let output = '';
	child.stdout.on('data', (c) => (output += c));
	child.stderr.on('data', (c) => (output += c));
	const exited = new Promise((resolve) => child.on('exit', resolve));

	const handle = {
		url,
		pid: child.pid,
		log: () => output,
		async waitForWebhook(workflowId, ms = 60_000) {
			return waitFor(
				`the webhook of workflow ${workflowId}`,
				async () => {
					const rows = await webhookRows(env.N8N_USER_FOLDER, workflowId);
					return rows.length > 0 ? rows : undefined;
				},
				{ timeoutMs: ms, child },
			);
		},
		async stop() {
			if (child.exitCode !== null || child.signalCode !== null) return;
			killGroup(child, 'SIGTERM');
			const timer = setTimeout(() => killGroup(child, 'SIGKILL'), stopTimeoutMs);
			await exited;
			clearTimeout(timer);
			// the task runner may linger for a moment after its parent left
			killGroup(child, 'SIGKILL');
		},
	};
	try {
		await waitFor(
			`${url}/healthz/readiness`,
			async () => (await fetch(`${url}/healthz/readiness`)).status === 200,
			{ timeoutMs, child },
		);
		// Readiness only means the database is migrated: n8n 1.x answers it before its REST
		// controllers are mounted (a POST to /rest/owner/setup then gets 404). The public
		// settings route is mounted with them.
		await waitFor(
			`${url}/rest/settings`,
			async () => (await fetch(`${url}/rest/settings`)).status === 200,
			{ timeoutMs, child },
		);
		for (const id of waitForWebhooks) await handle.waitForWebhook(id);
	} catch (e) {
		await handle.stop();
		e.message += `\n--- n8n output\n${output}`;
		throw e;
	}
	log(`n8n start ready at ${url} in ${((Date.now() - t) / 1000).toFixed(1)} s`);
	return handle;
}

/** Resident set size in MB of a process group's members (Linux `ps`), for reports. */
export function groupRssMb(pid) {
	const r = spawnSync('ps', ['-o', 'rss=', '-g', String(pid)], { encoding: 'utf8' });
	if (r.status !== 0) return undefined;
	return Math.round(r.stdout.split('\n').reduce((s, l) => s + (Number(l.trim()) || 0), 0) / 1024);
}

// ---------------------------------------------------------------------------
// Building blocks for workflow JSON

let nodeCounter = 0;

/** A node object for a workflow. */
export function node(name, type, parameters = {}, { typeVersion = 1, credentials, position, webhookId } = {}) {
	nodeCounter += 1;
	const n = {
		id: `e2e-${String(nodeCounter).padStart(6, '0')}-${name.replace(/[^a-z0-9]/gi, '').slice(0, 20)}`,
		name,
		type,
		typeVersion,
		position: position ?? [nodeCounter * 220, 0],
		parameters,
	};
	if (credentials) n.credentials = credentials;
	if (webhookId) n.webhookId = webhookId;
	return n;
}

/**
 * A workflow whose nodes run in the given order (each connected to the next).
 * `id` must be at most 21 characters.
 */
export function chain(id, nodes, { name = id } = {}) {
	if (id.length > 21) throw new Error(`workflow id ${id} is longer than 21 characters`);
	const connections = {};
	for (let i = 0; i + 1 < nodes.length; i++) {
		connections[nodes[i].name] = { main: [[{ node: nodes[i + 1].name, type: 'main', index: 0 }]] };
	}
	return { id, name, active: false, nodes, connections, settings: { executionOrder: 'v1' }, pinData: {} };
}

/** A Manual Trigger node. */
export const manualTrigger = (name = 'Manual') => node(name, 'n8n-nodes-base.manualTrigger');

/** A Set node (raw mode) emitting the JSON of `value` (an expression string or an object). */
export function setJson(name, value) {
	const jsonOutput = typeof value === 'string' ? value : JSON.stringify(value);
	return node(name, 'n8n-nodes-base.set', { mode: 'raw', jsonOutput, options: {} }, { typeVersion: 3.4 });
}
