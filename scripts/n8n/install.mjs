#!/usr/bin/env node
// Ensures a pinned, headless n8n (and the Node it needs) in a cache folder
// outside the repository, so end-to-end tests and the demo can run a real n8n.
//
// Why this shape (details in docs/toolchain.md):
// - Replayed, not resolved: each pinned n8n line has a folder scripts/n8n/<version>/
//   with a package.json and a committed package-lock.json, installed with `npm ci`.
//   Nothing is resolved at install time, so the result does not depend on which
//   versions the registry gained that hour. `node scripts/n8n/lock.mjs <version>`
//   regenerates a lockfile and checks that the registry serves every locked version.
// - The Node that runs n8n (n8n 2.38+ refuses anything older than Node 24) is part
//   of the same lockfile: the registry's `node-<platform>-<arch>` package, a complete
//   Node build with headers.
// - npm ci runs with --ignore-scripts (one optional dependency's install script
//   downloads from outside the registry and, when it fails, npm rolls back
//   everything); only sqlite3 needs its native addon, so it alone is rebuilt,
//   against the pinned Node's headers (npm_config_nodedir, which also overrides any
//   `nodedir` set in the user's ~/.npmrc).
// - The whole install happens in a temporary sibling folder that is renamed into
//   place only after it fully succeeded and was verified, so an interrupted run
//   leaves nothing that looks usable; a lock folder keeps two runs from
//   installing at once.
//
// Usage: node scripts/n8n/install.mjs [--force] [--print-dir]
// Env:   SMS_GATEWAY_N8N_CACHE overrides the install folder.
//        SMS_GATEWAY_N8N_VERSION selects a pinned n8n line (default: the 2.x pin).

import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
/** The n8n lines that have a committed lockfile, and the Node each runs on. */
export const PINNED = { '2.41.1': { node: '24.21.0' }, '1.123.81': { node: '22.23.5' } };
export const DEFAULT_N8N_VERSION = '2.41.1';
export const N8N_VERSION = process.env.SMS_GATEWAY_N8N_VERSION || DEFAULT_N8N_VERSION;
if (!PINNED[N8N_VERSION]) {
	throw new Error(
		`SMS_GATEWAY_N8N_VERSION=${N8N_VERSION} has no lockfile; pinned: ${Object.keys(PINNED).join(', ')}`,
	);
}
export const NODE_VERSION = PINNED[N8N_VERSION].node;
/** The folder holding this line's package.json and package-lock.json. */
export const LOCK_DIR = path.join(HERE, N8N_VERSION);
const MARKER = '.install-complete.json';
const LOCK_STALE_MS = 60 * 60 * 1000;

function log(line) {
	process.stderr.write(`[n8n-install] ${line}\n`);
}

export function defaultCacheDir(env = process.env) {
	if (env.SMS_GATEWAY_N8N_CACHE) return path.resolve(env.SMS_GATEWAY_N8N_CACHE);
	const base = env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
	return path.join(base, 'n8n-nodes-sms-gateway', `n8n-${N8N_VERSION}`);
}

function nodePackageName() {
	// The npm registry publishes official Node builds as node-<platform>-<arch>.
	return `node-${process.platform}-${process.arch}`;
}

/** Paths inside an install folder (complete or not). */
export function layout(dir) {
	const nodeDir = path.join(dir, 'node_modules', nodePackageName());
	const nodeBinDir = path.join(nodeDir, 'bin');
	return {
		dir,
		nodeDir,
		nodeBinDir,
		nodeBin: path.join(nodeBinDir, process.platform === 'win32' ? 'node.exe' : 'node'),
		n8nBin: path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n'),
		nodeModules: path.join(dir, 'node_modules'),
		marker: path.join(dir, MARKER),
	};
}

/** A cached install is reused only while it was made from the committed lockfile as it is now. */
function lockHash() {
	const hash = crypto.createHash('sha256');
	for (const name of ['package.json', 'package-lock.json']) hash.update(fs.readFileSync(path.join(LOCK_DIR, name)));
	return hash.digest('hex').slice(0, 16);
}

function readMarker(dir) {
	try {
		const m = JSON.parse(fs.readFileSync(path.join(dir, MARKER), 'utf8'));
		return m && m.n8n === N8N_VERSION && m.node === NODE_VERSION && m.lock === lockHash() ? m : undefined;
	} catch {
		return undefined;
	}
}

function isComplete(dir) {
	const l = layout(dir);
	return Boolean(readMarker(dir)) && fs.existsSync(l.nodeBin) && fs.existsSync(l.n8nBin);
}

// The lock folder of the running install; each npm child's process group id is
// written there so that a later run can end the children of an installer that
// was killed outright (SIGKILL leaves them running).
let lockDirInUse;

function killGroup(pgid) {
	try {
		process.kill(-pgid, 'SIGKILL');
	} catch {
		// already gone
	}
}

function run(cmd, args, { cwd, env }) {
	return new Promise((resolve, reject) => {
		// detached: npm and everything it starts form one process group
		const child = spawn(cmd, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
		if (lockDirInUse) fs.writeFileSync(path.join(lockDirInUse, 'child-pgid'), String(child.pid));
		const onExit = () => killGroup(child.pid);
		process.once('exit', onExit);
		// npm's own output goes to stderr with a prefix so progress stays readable
		// and stdout stays free for callers (node --test parses its children's stdout).
		const relay = (chunk) => {
			for (const line of chunk.toString().split('\n')) if (line.trim()) log(`  ${line}`);
		};
		child.stdout.on('data', relay);
		child.stderr.on('data', relay);
		const onSignal = () => {
			try {
				process.kill(-child.pid, 'SIGTERM');
			} catch {
				// already gone
			}
		};
		process.once('SIGINT', onSignal);
		process.once('SIGTERM', onSignal);
		child.on('error', reject);
		child.on('close', (code, signal) => {
			process.removeListener('SIGINT', onSignal);
			process.removeListener('SIGTERM', onSignal);
			process.removeListener('exit', onExit);
			killGroup(child.pid);
			if (code === 0) resolve();
			else reject(new Error(`${cmd} ${args.join(' ')} failed (${signal ?? `exit ${code}`})`));
		});
	});
}

function capture(cmd, args, env) {
	return new Promise((resolve, reject) => {
		const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
		let out = '';
		child.stdout.on('data', (c) => (out += c));
		child.stderr.on('data', (c) => (out += c));
		child.on('error', reject);
		child.on('close', (code) =>
			code === 0 ? resolve(out.trim()) : reject(new Error(`${cmd} ${args.join(' ')}: ${out.trim()}`)),
		);
	});
}

function pidAlive(pid) {
	try {
		process.kill(pid, 0);
		return true;
	} catch (e) {
		return e.code === 'EPERM';
	}
}

async function acquireLock(lockDir) {
	fs.mkdirSync(path.dirname(lockDir), { recursive: true });
	let announced = false;
	for (;;) {
		try {
			fs.mkdirSync(lockDir);
			fs.writeFileSync(path.join(lockDir, 'pid'), String(process.pid));
			lockDirInUse = lockDir;
			return () => {
				lockDirInUse = undefined;
				fs.rmSync(lockDir, { recursive: true, force: true });
			};
		} catch (e) {
			if (e.code !== 'EEXIST') throw e;
		}
		let holder = NaN;
		try {
			holder = Number(fs.readFileSync(path.join(lockDir, 'pid'), 'utf8'));
		} catch {
			// the holder may be between mkdir and writing its pid
		}
		let age = 0;
		try {
			age = Date.now() - fs.statSync(lockDir).mtimeMs;
		} catch {
			continue;
		}
		if ((Number.isInteger(holder) && !pidAlive(holder)) || age > LOCK_STALE_MS) {
			log(`removing a stale lock left by pid ${holder}`);
			try {
				// an installer killed outright leaves its npm running: end it
				killGroup(Number(fs.readFileSync(path.join(lockDir, 'child-pgid'), 'utf8')));
			} catch {
				// no child recorded
			}
			fs.rmSync(lockDir, { recursive: true, force: true });
			continue;
		}
		if (!announced) log(`another install (pid ${holder}) is running; waiting for it`);
		announced = true;
		await new Promise((r) => setTimeout(r, 1000));
	}
}

async function installInto(tmp) {
	const started = Date.now();
	const step = (name) => {
		const t = Date.now();
		log(`${name} ...`);
		return () => log(`${name}: done in ${((Date.now() - t) / 1000).toFixed(1)} s`);
	};
	fs.mkdirSync(tmp, { recursive: true });
	for (const name of ['package.json', 'package-lock.json']) fs.copyFileSync(path.join(LOCK_DIR, name), path.join(tmp, name));
	const l = layout(tmp);
	const baseEnv = { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };

	let done = step(`npm ci: n8n@${N8N_VERSION} and ${nodePackageName()}@${NODE_VERSION} from ${path.relative(process.cwd(), LOCK_DIR) || LOCK_DIR}/package-lock.json (--ignore-scripts; 2-5 minutes from an empty npm cache)`);
	await run('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: tmp, env: baseEnv });
	done();
	if (!fs.existsSync(l.nodeBin)) throw new Error(`${l.nodeBin} is missing after npm ci`);

	// From here on npm runs under the pinned Node and node-gyp compiles against its headers.
	const pinnedNodeEnv = {
		...baseEnv,
		PATH: `${l.nodeBinDir}${path.delimiter}${process.env.PATH ?? ''}`,
		npm_config_nodedir: l.nodeDir,
	};
	const nodeVersion = await capture(l.nodeBin, ['--version'], pinnedNodeEnv);
	log(`node: ${nodeVersion}`);
	if (nodeVersion !== `v${NODE_VERSION}`) throw new Error(`the lockfile installed Node ${nodeVersion}, expected v${NODE_VERSION}`);

	done = step('rebuilding sqlite3 against the pinned Node (compiles SQLite when no prebuilt binary is reachable)');
	// Explicitly on: the repo's .npmrc (and `npm run`, which passes it on as npm_config_*)
	// turns install scripts off, and a rebuild without scripts compiles nothing.
	await run('npm', ['rebuild', 'sqlite3', '--ignore-scripts=false'], { cwd: tmp, env: pinnedNodeEnv });
	done();

	done = step('verifying');
	const version = await capture(l.nodeBin, [l.n8nBin, '--version'], pinnedNodeEnv);
	if (!version.split('\n').includes(N8N_VERSION)) throw new Error(`n8n --version printed ${JSON.stringify(version)}`);
	await capture(l.nodeBin, ['-e', "require('sqlite3'); require('flatted')"], { ...pinnedNodeEnv, NODE_PATH: l.nodeModules });
	done();

	fs.writeFileSync(
		l.marker,
		JSON.stringify(
			{ n8n: N8N_VERSION, node: NODE_VERSION, lock: lockHash(), installedAt: new Date().toISOString(), seconds: (Date.now() - started) / 1000 },
			null,
			2,
		) + '\n',
	);
	return (Date.now() - started) / 1000;
}

/**
 * Makes sure the pinned n8n is installed and returns its paths.
 * Safe to call from several processes at once.
 */
export async function ensureN8n({ dir = defaultCacheDir(), force = false } = {}) {
	if (!force && isComplete(dir)) return layout(dir);

	const release = await acquireLock(`${dir}.lock`);
	try {
		// Another process may have finished while this one waited for the lock.
		if (!force && isComplete(dir)) return layout(dir);

		// Leftovers of interrupted runs are never reused.
		const parent = path.dirname(dir);
		const base = path.basename(dir);
		for (const name of fs.existsSync(parent) ? fs.readdirSync(parent) : []) {
			if (name.startsWith(`${base}.tmp-`)) {
				log(`removing an unfinished install: ${name}`);
				fs.rmSync(path.join(parent, name), { recursive: true, force: true });
			}
		}
		if (fs.existsSync(dir)) {
			log(force ? `--force: removing ${dir}` : `removing an incomplete install at ${dir}`);
			fs.rmSync(dir, { recursive: true, force: true });
		}

		const tmp = `${dir}.tmp-${process.pid}`;
		log(`installing n8n ${N8N_VERSION} on Node ${NODE_VERSION} into ${dir}`);
		try {
			const seconds = await installInto(tmp);
			fs.renameSync(tmp, dir);
			log(`installed in ${seconds.toFixed(1)} s`);
		} catch (e) {
			fs.rmSync(tmp, { recursive: true, force: true });
			throw e;
		}
		return layout(dir);
	} finally {
		release();
	}
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
	const args = new Set(process.argv.slice(2));
	const t = Date.now();
	ensureN8n({ force: args.has('--force') })
		.then((l) => {
			if (args.has('--print-dir')) process.stdout.write(`${l.dir}\n`);
			else log(`ready: n8n ${N8N_VERSION} at ${l.dir} (${((Date.now() - t) / 1000).toFixed(1)} s)`);
		})
		.catch((e) => {
			log(`FAILED: ${e.message}`);
			process.exit(1);
		});
}
