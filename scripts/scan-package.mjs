#!/usr/bin/env node
// Lints what we would publish the way n8n's verification scanner does, without the network.
//
// `npx @n8n/scan-community-package <name>` fetches the published package, checks its npm
// provenance and downloads the attested GitHub source: none of that exists before a release,
// and none of it is reachable here. Its two lint legs are what a release has to survive, and
// the scanner exports the function that runs them (`analyzePackage`, with its own ESLint
// config and `allowInlineConfig: false`). So this script runs that same function, pinned in
// our lockfile, on
//   1. the source leg: this checkout, with the scanner's own source patterns
//      (package.json + nodes/ and credentials/ .ts/.js/.json);
//   2. the tarball leg: `npm pack` of the built package, unpacked, `**/*.js` + package.json.
// Any finding fails the run. Build first (`npm run build`): the tarball ships dist/.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzePackage, SOURCE_FILE_PATTERNS } from '@n8n/scan-community-package/scanner/scanner.mjs';

import { npmPack, repoRoot as root } from './n8n/harness.mjs';

const work = mkdtempSync(join(tmpdir(), 'sms-gateway-scan-'));

function packInto(dir) {
	const { tarball } = npmPack(root, dir);
	execFileSync('tar', ['-xzf', tarball, '-C', dir]);
	return join(dir, 'package');
}

let failed = false;
function report(leg, result, files) {
	if (result.passed) {
		console.log(`[scan] ${leg}: 0 findings (${files})`);
		return;
	}
	failed = true;
	console.error(`[scan] ${leg}: ${result.message}`);
	if (result.details) console.error(result.details);
}

try {
	report('source', await analyzePackage(root, SOURCE_FILE_PATTERNS), SOURCE_FILE_PATTERNS.join(', '));
	const unpacked = packInto(work);
	const shipped = readdirSync(join(unpacked, 'dist'), { recursive: true }).filter((f) => String(f).endsWith('.js')).length;
	report('tarball', await analyzePackage(unpacked, ['**/*.js', 'package.json']), `package.json + ${shipped} .js files`);
} finally {
	rmSync(work, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
