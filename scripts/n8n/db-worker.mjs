// Answers read-only SQL queries against n8n's SQLite database, one JSON request
// per stdin line, one JSON answer per stdout line. harness.mjs runs it under the
// Node 24 that runs n8n: n8n's sqlite3 addon is compiled against Node 24 and
// crashes a process of another Node major (the test runner may be the system
// Node), so the addon is only ever loaded here.
//
// argv[2]: n8n's node_modules folder.
// Request: {"id": 1, "file": "<database.sqlite>", "sql": "...", "params": [...]}
// Answer:  {"id": 1, "rows": [...]} or {"id": 1, "error": "..."}

import { createRequire } from 'node:module';
import path from 'node:path';
import readline from 'node:readline';

const sqlite3 = createRequire(path.join(process.argv[2], 'n8n', 'package.json'))('sqlite3');

function query(file, sql, params) {
	return new Promise((resolve, reject) => {
		const db = new sqlite3.Database(file, sqlite3.OPEN_READONLY, (openErr) => {
			if (openErr) return reject(openErr);
			// n8n may be writing; wait for its lock instead of failing
			db.configure('busyTimeout', 10_000);
			db.all(sql, params, (err, rows) => {
				db.close(() => (err ? reject(err) : resolve(rows)));
			});
		});
	});
}

const rl = readline.createInterface({ input: process.stdin });
rl.on('line', async (line) => {
	let req;
	try {
		req = JSON.parse(line);
		const rows = await query(req.file, req.sql, req.params ?? []);
		process.stdout.write(`${JSON.stringify({ id: req.id, rows })}\n`);
	} catch (e) {
		process.stdout.write(`${JSON.stringify({ id: req?.id, error: String(e?.message ?? e) })}\n`);
	}
});
rl.on('close', () => process.exit(0));
