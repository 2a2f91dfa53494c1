'use strict';
/**
 * A loopback HTTP server that prepares each request the way n8n 2.41's webhook server
 * does before a trigger's webhook() runs, then hands it to a handler:
 * - `req.query` parsed by `qs` (express's "extended" query parser, which n8n selects);
 * - the body read into `req.rawBody` (Buffer) and parsed into `req.body` for JSON,
 *   urlencoded and text/plain, as n8n's body parser does;
 * - multipart/form-data parsed into `req.body = { data: fields, files: { field: file } }`
 *   with each file in a temporary file (formidable's file object fields: filepath,
 *   originalFilename, mimetype, size, newFilename, mtime); single values unwrapped from
 *   arrays; the temporary files are deleted once the handler has returned;
 * - `req.ip` is the socket address, or with `trustProxy` the last X-Forwarded-For entry
 *   (express with one proxy hop, i.e. N8N_PROXY_HOPS=1);
 * - `req.contentType` / `req.encoding` as n8n's parseIncomingMessage sets them.
 * It is a test double for n8n's HTTP layer only: the handler runs the trigger through
 * n8n-core's own WebhookContext (see triggerHarness.ts).
 */
const http = require('http');
const fs = require('fs');
const os = require('os');
const path = require('path');
const crypto = require('crypto');
const querystring = require('querystring');
const qs = require('qs');

/** n8n's default N8N_PAYLOAD_SIZE_MAX (MiB). */
const PAYLOAD_SIZE_MAX = 16 * 1024 * 1024;

function parseContentType(header) {
	if (!header) return { type: undefined, charset: 'utf-8' };
	const [type, ...params] = header.split(';');
	let charset = 'utf-8';
	for (const p of params) {
		const m = /^\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(p);
		if (m) charset = m[1].toLowerCase();
	}
	return { type: type.trim().toLowerCase(), charset };
}

function readBody(req, limit) {
	return new Promise((resolve, reject) => {
		const chunks = [];
		let size = 0;
		req.on('data', (chunk) => {
			size += chunk.length;
			if (size > limit) {
				reject(Object.assign(new Error('request entity too large'), { status: 413 }));
				req.destroy();
				return;
			}
			chunks.push(chunk);
		});
		req.on('end', () => resolve(Buffer.concat(chunks)));
		req.on('error', reject);
	});
}

function indexOf(buf, needle, from) {
	return buf.indexOf(needle, from);
}

/** A small multipart/form-data parser producing formidable's shapes. */
async function parseMultipart(body, contentTypeHeader, tmpFiles) {
	const m = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentTypeHeader || '');
	if (!m) throw Object.assign(new Error('multipart without boundary'), { status: 400 });
	const boundary = Buffer.from(`--${m[1] || m[2].trim()}`);
	const data = {};
	const files = {};
	let pos = indexOf(body, boundary, 0);
	if (pos === -1) throw Object.assign(new Error('multipart boundary not found'), { status: 400 });
	for (;;) {
		pos += boundary.length;
		if (body.slice(pos, pos + 2).toString() === '--') break;
		pos += 2; // CRLF
		const headerEnd = indexOf(body, Buffer.from('\r\n\r\n'), pos);
		if (headerEnd === -1) throw Object.assign(new Error('malformed multipart part'), { status: 400 });
		const headers = body.slice(pos, headerEnd).toString('utf8').split('\r\n');
		const next = indexOf(body, boundary, headerEnd + 4);
		if (next === -1) throw Object.assign(new Error('unterminated multipart body'), { status: 400 });
		const content = body.slice(headerEnd + 4, next - 2);
		let name;
		let filename;
		let mimetype = null;
		for (const h of headers) {
			const [k, ...rest] = h.split(':');
			const v = rest.join(':').trim();
			if (k.toLowerCase() === 'content-disposition') {
				const n = /\bname="([^"]*)"/i.exec(v);
				const f = /\bfilename="([^"]*)"/i.exec(v);
				if (n) name = n[1];
				if (f) filename = f[1];
			} else if (k.toLowerCase() === 'content-type') {
				mimetype = v;
			}
		}
		if (name !== undefined) {
			if (filename !== undefined) {
				const newFilename = crypto.randomBytes(12).toString('hex');
				const filepath = path.join(os.tmpdir(), `sms-trigger-test-${newFilename}`);
				await fs.promises.writeFile(filepath, content);
				tmpFiles.push(filepath);
				const file = { size: content.length, filepath, newFilename, mimetype, mtime: new Date(), originalFilename: filename };
				(files[name] = files[name] || []).push(file);
			} else {
				(data[name] = data[name] || []).push(content.toString('utf8'));
			}
		}
		pos = next;
	}
	for (const obj of [data, files]) {
		for (const key of Object.keys(obj)) if (obj[key].length === 1) obj[key] = obj[key][0];
	}
	return { data, files };
}

/**
 * Starts the server. `handle(req, res)` is awaited; if it throws and nothing was sent,
 * the server answers 500 as n8n does for a failing trigger.
 */
function startWebhookServer({ handle, trustProxy = false, payloadSizeMax = PAYLOAD_SIZE_MAX } = {}) {
	const server = http.createServer(async (req, res) => {
		const tmpFiles = [];
		try {
			const { type, charset } = parseContentType(req.headers['content-type']);
			req.contentType = type;
			req.encoding = charset;
			req.originalUrl = req.url;
			const q = req.url.indexOf('?');
			req.query = qs.parse(q === -1 ? '' : req.url.slice(q + 1));
			const forwarded = req.headers['x-forwarded-for'];
			req.ip =
				trustProxy && typeof forwarded === 'string'
					? forwarded.split(',').pop().trim()
					: req.socket.remoteAddress;
			const raw = await readBody(req, payloadSizeMax);
			if (type === 'multipart/form-data') {
				req.body = await parseMultipart(raw, req.headers['content-type'], tmpFiles);
			} else {
				req.rawBody = raw;
				req.body = {};
				if (raw.length > 0) {
					const text = raw.toString(charset === 'utf-8' || charset === 'utf8' ? 'utf8' : 'latin1');
					if (type === 'application/json') {
						try {
							req.body = JSON.parse(text);
						} catch (err) {
							throw Object.assign(new Error('Failed to parse request body'), { status: 422 });
						}
					} else if (type === 'application/x-www-form-urlencoded') {
						req.body = querystring.parse(text, undefined, undefined, { maxKeys: 1000 });
					} else if (type === 'text/plain') {
						req.body = text;
					}
				}
			}
			await handle(req, res);
		} catch (err) {
			if (!res.headersSent) {
				res.statusCode = err && err.status ? err.status : 500;
				res.setHeader('Content-Type', 'application/json');
				res.end(JSON.stringify({ code: 0, message: err && err.status ? err.message : 'Workflow Webhook Error: Workflow could not be started!' }));
			}
		} finally {
			await Promise.all(tmpFiles.map((f) => fs.promises.rm(f, { force: true })));
		}
	});
	return new Promise((resolve, reject) => {
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address();
			resolve({
				url: `http://127.0.0.1:${port}`,
				port,
				close: () =>
					new Promise((r) => {
						server.closeAllConnections?.();
						server.close(() => r());
					}),
			});
		});
	});
}

module.exports = { startWebhookServer };
