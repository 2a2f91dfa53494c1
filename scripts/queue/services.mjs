// The services n8n's queue mode needs beside n8n, started for a test on loopback only, each
// in a temporary folder, each stopped by its PID: Redis (the job queue), PostgreSQL (the
// database every n8n process shares) and HAProxy (the load balancer in front of the webhook
// processes). All three come from Debian's packages; `ensureDebianPackages` installs the
// missing ones with apt-get (CI runs as root on a clean machine).
//
// See docs/queue-mode.md for the recipe this mirrors.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

import * as h from '../n8n/harness.mjs';

function log(line) {
	process.stderr.write(`[queue-rig] ${line}\n`);
}

/** The first existing file among `candidates`, or undefined. */
function firstExisting(candidates) {
	return candidates.find((f) => fs.existsSync(f));
}

/** PostgreSQL's server binaries: Debian keeps them per major version, newest wins. */
export function postgresBinDir() {
	const base = '/usr/lib/postgresql';
	if (!fs.existsSync(base)) return undefined;
	const versions = fs
		.readdirSync(base)
		.filter((v) => fs.existsSync(path.join(base, v, 'bin', 'postgres')))
		.sort((a, b) => Number(b) - Number(a));
	return versions.length ? path.join(base, versions[0], 'bin') : undefined;
}

export const redisBinary = () => firstExisting(['/usr/bin/redis-server', '/usr/local/bin/redis-server']);
export const haproxyBinary = () => firstExisting(['/usr/sbin/haproxy', '/usr/local/sbin/haproxy', '/usr/bin/haproxy']);

const PACKAGES = [
	{ name: 'redis-server', present: () => Boolean(redisBinary()) },
	{ name: 'postgresql', present: () => Boolean(postgresBinDir()) },
	{ name: 'haproxy', present: () => Boolean(haproxyBinary()) },
];

/**
 * Installs whichever of redis-server, postgresql and haproxy is missing (`apt-get update`,
 * then `apt-get install -y`), as root only. Services are not started by the packages: when
 * the machine has no /usr/sbin/policy-rc.d, one that forbids starting services is put in
 * place for the install and removed afterwards (Debian's documented switch), so no Redis or
 * PostgreSQL is left running on their default ports.
 */
export function ensureDebianPackages() {
	const missing = PACKAGES.filter((p) => !p.present()).map((p) => p.name);
	if (missing.length === 0) return;
	if (process.getuid?.() !== 0) {
		throw new Error(`queue mode needs ${missing.join(', ')}; install them (apt-get install -y ${missing.join(' ')}) or run as root`);
	}
	const policy = '/usr/sbin/policy-rc.d';
	const ownPolicy = !fs.existsSync(policy);
	if (ownPolicy) fs.writeFileSync(policy, '#!/bin/sh\n# written by n8n-nodes-sms-gateway test:queue for one apt-get install\nexit 101\n', { mode: 0o755 });
	try {
		const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
		const t = Date.now();
		for (const args of [['update'], ['install', '-y', ...missing]]) {
			const r = spawnSync('apt-get', args, { env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
			if (r.status !== 0) throw new Error(`apt-get ${args.join(' ')} failed (${r.status}):\n${r.stdout.slice(-3000)}\n${r.stderr.slice(-3000)}`);
		}
		log(`installed ${missing.join(', ')} from Debian in ${((Date.now() - t) / 1000).toFixed(0)} s`);
	} finally {
		if (ownPolicy) fs.rmSync(policy, { force: true });
	}
	const still = PACKAGES.filter((p) => !p.present()).map((p) => p.name);
	if (still.length) throw new Error(`still missing after apt-get install: ${still.join(', ')}`);
}

/** Keeps the last `max` characters of a child's stdout and stderr, for error messages. */
function captureOutput(child, max = 200_000) {
	let out = '';
	const add = (c) => {
		out += c;
		if (out.length > max * 2) out = out.slice(-max);
	};
	child.stdout?.on('data', add);
	child.stderr?.on('data', add);
	return () => out.slice(-max);
}

/** Resolves once `child` exited (or at once if it already has). */
function exited(child) {
	if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
	return new Promise((resolve) => child.once('exit', resolve));
}

/**
 * Stops a child by its PID: `signal` first, SIGKILL to its group after `graceMs`. Resolves
 * once it has exited: `{ forced }`, true when it needed the SIGKILL.
 */
export async function stopChild(child, { signal = 'SIGTERM', graceMs = 15_000, pid = child.pid } = {}) {
	if (child.exitCode !== null || child.signalCode !== null) return { forced: false };
	try {
		process.kill(pid, signal);
	} catch {
		// already gone
	}
	let forced = false;
	const timer = setTimeout(() => {
		forced = true;
		h.signalGroup(child, 'SIGKILL');
	}, graceMs);
	await exited(child);
	clearTimeout(timer);
	return { forced };
}

/** Polls `fn` until it resolves truthy; fails early when `child` exits. */
export async function waitUntil(what, fn, { timeoutMs = 60_000, intervalMs = 200, child, output } = {}) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		if (child && (child.exitCode !== null || child.signalCode !== null)) {
			throw new Error(`${what}: the process exited (${child.exitCode ?? child.signalCode})\n${output?.() ?? ''}`);
		}
		try {
			const v = await fn();
			if (v) return v;
		} catch {
			// not yet
		}
		if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}\n${output?.() ?? ''}`);
		await new Promise((r) => setTimeout(r, intervalMs));
	}
}

/** Whether something accepts TCP connections on 127.0.0.1:port. */
function tcpOpen(port) {
	return new Promise((resolve) => {
		const s = net.connect({ host: '127.0.0.1', port });
		s.once('connect', () => {
			s.destroy();
			resolve(true);
		});
		s.once('error', () => resolve(false));
	});
}

/** Redis on 127.0.0.1:`port`, no persistence, its working folder in `dir`. */
export async function startRedis(dir, port) {
	fs.mkdirSync(dir, { recursive: true });
	const child = h.spawnTracked(
		redisBinary(),
		['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--daemonize', 'no'],
		{ stdio: ['ignore', 'pipe', 'pipe'] },
	);
	const output = captureOutput(child);
	await waitUntil(`redis on port ${port}`, () => tcpOpen(port), { child, output });
	return { name: 'redis', port, pid: child.pid, child, output, stop: () => stopChild(child) };
}

function userIds(name) {
	const line = fs
		.readFileSync('/etc/passwd', 'utf8')
		.split('\n')
		.find((l) => l.startsWith(`${name}:`));
	if (!line) return undefined;
	const [, , uid, gid] = line.split(':');
	return { uid: Number(uid), gid: Number(gid) };
}

/**
 * PostgreSQL on 127.0.0.1:`port` in a fresh cluster under `dir` (created here, owned by the
 * postgres user when running as root: PostgreSQL refuses to run as root). Trust
 * authentication on loopback, user `postgres`; durability switched off (a throw-away test
 * cluster). Stopped with SIGINT to the postmaster's PID ("fast" shutdown).
 */
export async function startPostgres(dir, port) {
	const bin = postgresBinDir();
	const asRoot = process.getuid?.() === 0;
	const ids = asRoot ? userIds('postgres') : undefined;
	if (asRoot && !ids) throw new Error('running as root, but there is no postgres user to run PostgreSQL as');
	fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
	const data = path.join(dir, 'data');
	const sock = path.join(dir, 'sock');
	fs.mkdirSync(sock, { recursive: true });
	if (ids) {
		for (const d of [dir, sock]) fs.chownSync(d, ids.uid, ids.gid);
	}
	const spawnAs = ids ? { uid: ids.uid, gid: ids.gid } : {};
	const env = { PATH: process.env.PATH, LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8', HOME: dir };
	const t = Date.now();
	const init = spawnSync(path.join(bin, 'initdb'), ['-D', data, '--auth=trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync'], {
		...spawnAs,
		env,
		encoding: 'utf8',
	});
	if (init.status !== 0) throw new Error(`initdb failed (${init.status}): ${init.stdout}\n${init.stderr}`);
	const child = h.spawnTracked(
		path.join(bin, 'postgres'),
		[
			'-D', data, '-p', String(port), '-k', sock,
			'-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200',
			'-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off',
		],
		{ ...spawnAs, env, stdio: ['ignore', 'pipe', 'pipe'] },
	);
	const output = captureOutput(child);
	await waitUntil(`postgres on port ${port}`, () => tcpOpen(port), { child, output });
	log(`PostgreSQL ${path.basename(path.dirname(bin))} ready on port ${port} in ${((Date.now() - t) / 1000).toFixed(1)} s`);
	return {
		name: 'postgres',
		port,
		pid: child.pid,
		child,
		output,
		stop: () => stopChild(child, { signal: 'SIGINT', graceMs: 20_000 }),
	};
}

/**
 * HAProxy in the foreground with `configFile`; `env` fills the config's "${...}" variables
 * (the committed docs/queue-mode/haproxy.cfg is used as it is). Resolves once `port`
 * accepts connections.
 */
export async function startHaproxy(configFile, env, port) {
	const bin = haproxyBinary();
	const check = spawnSync(bin, ['-c', '-f', configFile], { env: { ...process.env, ...env }, encoding: 'utf8' });
	if (check.status !== 0) throw new Error(`haproxy -c refused ${configFile}:\n${check.stdout}\n${check.stderr}`);
	const child = h.spawnTracked(bin, ['-db', '-f', configFile], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
	const output = captureOutput(child);
	await waitUntil(`haproxy on port ${port}`, () => tcpOpen(port), { child, output });
	return { name: 'haproxy', port, pid: child.pid, child, output, stop: () => stopChild(child, { graceMs: 5_000 }) };
}

/** Whether a PID is alive (signal 0). */
export function pidAlive(pid) {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}

export { captureOutput, exited, log };
