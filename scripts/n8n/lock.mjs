#!/usr/bin/env node
// Regenerates, or only checks, the committed lockfile of a pinned n8n line
// (scripts/n8n/<version>/package-lock.json), which install.mjs replays with `npm ci`.
//
//   node scripts/n8n/lock.mjs <version>            resolve anew, add the platform stubs, check
//   node scripts/n8n/lock.mjs <version> --check    only check the committed lockfile
//
// The check asks the registry (the one npm is configured with) for every package in the
// lockfile and fails if any locked version is not served: a lockfile is committed only
// when `npm ci` can replay it here. Platform stubs (entries with os/cpu that npm skips
// on this machine) are not checked, since they are never downloaded on it.
// To pin a new line: create scripts/n8n/<version>/package.json (dependencies: n8n and the
// node-<platform>-<arch> build it runs on, plus any overrides it needs, with the reason in
// docs/toolchain.md), run this script, and add the version to PINNED in install.mjs.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const [version, flag] = process.argv.slice(2);
if (!version) {
	console.error('usage: node scripts/n8n/lock.mjs <n8n version> [--check]');
	process.exit(2);
}
const dir = path.join(here, version);
if (!fs.existsSync(path.join(dir, 'package.json'))) {
	console.error(`${dir}/package.json is missing`);
	process.exit(2);
}

if (flag !== '--check') {
	fs.rmSync(path.join(dir, 'package-lock.json'), { force: true });
	console.error(`resolving n8n ${version} (npm install --package-lock-only) ...`);
	execFileSync('npm', ['install', '--package-lock-only', '--ignore-scripts', '--no-audit', '--no-fund'], {
		cwd: dir,
		stdio: ['ignore', 'inherit', 'inherit'],
	});
	execFileSync(process.execPath, [path.join(here, '..', 'lockfile-stubs.mjs'), path.join(dir, 'package-lock.json')], {
		stdio: 'inherit',
	});
}

const lock = JSON.parse(fs.readFileSync(path.join(dir, 'package-lock.json'), 'utf8'));
const wanted = new Map(); // name -> Set of versions
for (const [where, entry] of Object.entries(lock.packages)) {
	if (!where || entry.link || (entry.os && !entry.os.includes(process.platform))) continue;
	if (entry.cpu && !entry.cpu.includes(process.arch)) continue;
	const name = entry.name ?? where.slice(where.lastIndexOf('node_modules/') + 'node_modules/'.length);
	if (!wanted.has(name)) wanted.set(name, new Set());
	wanted.get(name).add(entry.version);
}

const registry = execFileSync('npm', ['config', 'get', 'registry'], { encoding: 'utf8' }).trim().replace(/\/$/, '');
const missing = [];
const names = [...wanted.keys()];
let next = 0;
async function worker() {
	while (next < names.length) {
		const name = names[next++];
		const url = `${registry}/${name.replace('/', '%2F')}`;
		let served = new Set();
		for (let attempt = 0; attempt < 3; attempt++) {
			try {
				const res = await fetch(url, { headers: { accept: 'application/vnd.npm.install-v1+json' } });
				if (res.status === 404) break;
				if (!res.ok) throw new Error(`HTTP ${res.status}`);
				served = new Set(Object.keys((await res.json()).versions ?? {}));
				break;
			} catch (e) {
				if (attempt === 2) throw new Error(`${name}: ${e.message}`);
			}
		}
		for (const v of wanted.get(name)) if (!served.has(v)) missing.push(`${name}@${v}`);
	}
}
await Promise.all(Array.from({ length: 16 }, worker));
if (missing.length) {
	console.error(`not served by the registry (${missing.length}): ${missing.sort().join(', ')}`);
	process.exit(1);
}
console.error(`lock check: all ${names.length} packages of n8n ${version}'s lockfile are served by the registry`);
