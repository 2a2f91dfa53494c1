// `npm run bench`: every benchmark in turn, on the compiled package in dist/.
// Benchmarks print ratios against named peers; they never fail on timings.
// `npm run bench -- <name>` runs the ones whose file name starts with <name>. The queue-mode
// benchmark (queue.mjs) runs only when named (`npm run bench -- queue`): it starts Redis,
// PostgreSQL and HAProxy from Debian beside n8n (installing them, as root, when missing).
const { spawnSync } = require('node:child_process');
const path = require('node:path');
const fs = require('node:fs');

const only = process.argv.slice(2);
const ALL = ['codec.js', 'broadcast.js', 'trigger.mjs', 'send-many.mjs'];
const ON_REQUEST = ['queue.mjs'];
const benches = (only.length === 0 ? ALL : [...ALL, ...ON_REQUEST]).filter(
	(file) => fs.existsSync(path.join(__dirname, file)) && (only.length === 0 || only.some((name) => file.startsWith(name))),
);
let failed = false;
for (const file of benches) {
	console.log(`\n=== bench/${file}`);
	const result = spawnSync(process.execPath, ['--expose-gc', path.join(__dirname, file)], { stdio: 'inherit' });
	if (result.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
