#!/usr/bin/env node
// Retakes the README's pictures (docs/images/*.png) with Debian's headless
// Chromium against the demo's n8n.
//
//   node scripts/screenshots/take.mjs                 # starts its own demo stack, then stops it
//   node scripts/screenshots/take.mjs --url http://127.0.0.1:5678   # a running `npm run demo`
//   options: --out DIR (default docs/images), --no-build
//
// Needs `chromium` (apt-get install -y chromium) or CHROMIUM=/path/to/chrome.
// Node's global WebSocket (used for the DevTools protocol) is built in from
// Node 22; on Node 20 this launcher re-runs itself with --experimental-websocket.

import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

if (typeof WebSocket === 'undefined') {
	const r = spawnSync(process.execPath, ['--experimental-websocket', fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
		stdio: 'inherit',
	});
	process.exit(r.status ?? 1);
}

const { main } = await import('./shoot.mjs');
await main(process.argv.slice(2));
