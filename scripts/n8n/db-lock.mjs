// Holds a write lock on n8n's SQLite database until told to let go: the way to make n8n fail
// to create an execution on purpose (n8n sets no busy timeout, so its INSERT fails at once
// with SQLITE_BUSY while another connection holds the lock). Readers are not blocked.
// Runs under n8n's Node 24 for the same reason as db-worker.mjs.
//
// argv[2]: n8n's node_modules folder; argv[3]: the database file.
// Prints "locked" once the lock is held; on a "release" line (or stdin closing) rolls back,
// prints "released" and exits.

import { createRequire } from 'node:module';
import path from 'node:path';
import readline from 'node:readline';

const sqlite3 = createRequire(path.join(process.argv[2], 'n8n', 'package.json'))('sqlite3');
const db = new sqlite3.Database(process.argv[3], sqlite3.OPEN_READWRITE, (openErr) => {
	if (openErr) fail(openErr);
	db.configure('busyTimeout', 10_000);
	db.exec('BEGIN IMMEDIATE', (err) => {
		if (err) fail(err);
		process.stdout.write('locked\n');
	});
});

function fail(error) {
	process.stderr.write(`${error.message}\n`);
	process.exit(1);
}

let released = false;
function release() {
	if (released) return;
	released = true;
	db.exec('ROLLBACK', () => db.close(() => {
		process.stdout.write('released\n');
		process.exit(0);
	}));
}

const rl = readline.createInterface({ input: process.stdin });
rl.on('line', (line) => line.trim() === 'release' && release());
rl.on('close', release);
