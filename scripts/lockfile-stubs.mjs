#!/usr/bin/env node
// Adds lockfile entries for optional, platform-specific packages that the npm
// registry this project is built against does not serve (npm then writes no
// entry for them, and `npm ci` refuses a lockfile that lacks one). Each stub
// names its platform, so `npm ci` skips it on every machine it does not fit and
// never tries to download it. Run after `npm install` changes the lockfile.
//
// Usage: node scripts/lockfile-stubs.mjs [path/to/package-lock.json]
// (default: the repository's own; scripts/n8n/lock.mjs passes each n8n line's).
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const LOCK = process.argv[2]
	? pathToFileURL(resolve(process.argv[2]))
	: new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(LOCK, 'utf8'));
const packages = lock.packages;

const CPU = { arm: 'arm', 'arm-eabi': 'arm', arm64: 'arm64', x64: 'x64', ia32: 'ia32', loong64: 'loong64', ppc64: 'ppc64', riscv64: 'riscv64', s390x: 's390x' };

function platformOf(name) {
	const match = /-(android|darwin|freebsd|linux|openharmony|win32)-([a-z0-9]+(?:-eabi)?)(?:-(gnu|musl|gnueabihf|musleabihf|msvc))?$/.exec(name);
	if (!match) return undefined;
	const [, os, arch, abi] = match;
	const platform = { os: [os], cpu: [CPU[arch] ?? arch] };
	if (abi && abi.startsWith('gnu')) platform.libc = ['glibc'];
	if (abi && abi.startsWith('musl')) platform.libc = ['musl'];
	return platform;
}

let added = 0;
for (const [path, entry] of Object.entries(packages)) {
	for (const [dependency, version] of Object.entries(entry.optionalDependencies ?? {})) {
		const base = path === '' ? 'node_modules' : `${path}/node_modules`;
		const nested = `${base}/${dependency}`;
		const hoisted = `node_modules/${dependency}`;
		if (packages[nested] || packages[hoisted]) continue;
		const platform = platformOf(dependency);
		if (!platform || (platform.os[0] === 'linux' && platform.cpu[0] === 'x64')) continue;
		packages[hoisted] = { version, dev: entry.dev, optional: true, ...platform };
		added++;
	}
}
writeFileSync(LOCK, JSON.stringify(lock, null, 2) + '\n');
console.log(`lockfile-stubs: added ${added} platform stub(s)`);
