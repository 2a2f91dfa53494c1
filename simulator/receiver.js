'use strict';
/**
 * A tiny loopback webhook sink for tests: records every request and answers 200 "OK"
 * (or what it was told). TypeScript tests cannot import `http`, so they use this.
 */
const http = require('http');

async function startReceiver(options = {}) {
	const requests = [];
	const waiters = [];
	const timers = new Set();
	const sockets = new Set();
	const cfg = { status: 200, body: 'OK', headers: {}, delayMs: 0, ...options };

	const notify = () => {
		for (let i = waiters.length - 1; i >= 0; i--)
			if (requests.length >= waiters[i].n) {
				waiters[i].resolve(requests.slice());
				clearTimeout(waiters[i].timer);
				timers.delete(waiters[i].timer);
				waiters.splice(i, 1);
			}
	};

	const server = http.createServer((req, res) => {
		const chunks = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', () => {
			const body = Buffer.concat(chunks);
			const q = req.url.indexOf('?');
			requests.push({
				method: req.method,
				url: req.url,
				path: q < 0 ? req.url : req.url.slice(0, q),
				query: q < 0 ? '' : req.url.slice(q + 1),
				headers: req.headers,
				body,
				text: body.toString('utf8'),
				at: Date.now(),
			});
			const answer = () => {
				const out = Buffer.from(String(cfg.body), 'utf8');
				res.writeHead(cfg.status, {
					'Content-Type': 'text/plain',
					'Content-Length': out.length,
					...cfg.headers,
				});
				res.end(out);
				notify();
			};
			if (cfg.delayMs > 0) {
				const t = setTimeout(() => {
					timers.delete(t);
					answer();
				}, cfg.delayMs);
				timers.add(t);
			} else answer();
		});
	});
	server.on('connection', (s) => {
		sockets.add(s);
		s.on('close', () => sockets.delete(s));
	});
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port || 0, '127.0.0.1', resolve);
	});
	const port = server.address().port;
	return {
		url: `http://127.0.0.1:${port}`,
		port,
		requests,
		/** Resolves with the requests once at least n have arrived; rejects after timeoutMs. */
		waitFor(n, timeoutMs = 5000) {
			if (requests.length >= n) return Promise.resolve(requests.slice());
			return new Promise((resolve, reject) => {
				const timer = setTimeout(() => {
					timers.delete(timer);
					const i = waiters.findIndex((w) => w.timer === timer);
					if (i >= 0) waiters.splice(i, 1);
					reject(
						new Error(`receiver got ${requests.length} of ${n} requests within ${timeoutMs} ms`),
					);
				}, timeoutMs);
				timers.add(timer);
				waiters.push({ n, resolve, timer });
			});
		},
		set(o) {
			Object.assign(cfg, o);
		},
		close() {
			for (const t of timers) clearTimeout(t);
			return new Promise((resolve) => {
				server.close(() => resolve());
				for (const s of sockets) s.destroy();
			});
		},
	};
}

/** Resolves after ms; for TypeScript tests, which may not call timers themselves. */
function delay(ms) {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

module.exports = { startReceiver, delay };
