// A minimal Chrome DevTools Protocol client: starts Debian's headless Chromium
// and drives one page over the protocol's WebSocket, with no npm dependency
// (Node's global WebSocket: built in from Node 22, behind
// --experimental-websocket on Node 20).

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const CHROMIUM_CANDIDATES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

/** The Chromium binary: $CHROMIUM, or the first of the usual names on PATH. */
export function findChromium() {
	if (process.env.CHROMIUM) return process.env.CHROMIUM;
	for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
		for (const name of CHROMIUM_CANDIDATES) {
			const file = path.join(dir, name);
			if (fs.existsSync(file)) return file;
		}
	}
	throw new Error(
		'Chromium not found. On Debian/Ubuntu: apt-get update && apt-get install -y chromium (or set CHROMIUM=/path/to/chrome)',
	);
}

/**
 * Starts headless Chromium with a fresh profile and resolves
 * `{ browser: Cdp, close() }` once its DevTools endpoint answers.
 */
export async function launchChromium({ width = 1440, height = 900 } = {}) {
	const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'sms-gateway-chromium-'));
	const child = spawn(
		findChromium(),
		[
			'--headless',
			'--no-sandbox',
			'--disable-gpu',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
			'--disable-default-apps',
			'--disable-extensions',
			'--no-first-run',
			'--no-default-browser-check',
			'--hide-scrollbars',
			'--mute-audio',
			`--window-size=${width},${height}`,
			`--user-data-dir=${profile}`,
			'--remote-debugging-address=127.0.0.1',
			'--remote-debugging-port=0',
			'about:blank',
		],
		{ stdio: ['ignore', 'ignore', 'pipe'], detached: true },
	);
	const kill = () => {
		try {
			process.kill(-child.pid, 'SIGKILL');
		} catch {
			// already gone
		}
	};
	process.on('exit', kill);
	const wsUrl = await new Promise((resolve, reject) => {
		let err = '';
		const timer = setTimeout(() => reject(new Error(`Chromium did not start:\n${err}`)), 30_000);
		child.stderr.on('data', (chunk) => {
			err += chunk;
			const m = /DevTools listening on (ws:\/\/\S+)/.exec(err);
			if (m) {
				clearTimeout(timer);
				resolve(m[1]);
			}
		});
		child.on('exit', (code) => {
			clearTimeout(timer);
			reject(new Error(`Chromium exited (${code}):\n${err}`));
		});
	});
	const browser = await Cdp.connect(wsUrl);
	return {
		browser,
		async close() {
			try {
				await browser.send('Browser.close');
			} catch {
				// it may already be closing
			}
			browser.close();
			await new Promise((r) => setTimeout(r, 300));
			kill();
			process.removeListener('exit', kill);
			fs.rmSync(profile, { recursive: true, force: true });
		},
	};
}

/** One WebSocket to the browser; pages are flattened sessions on it. */
export class Cdp {
	static connect(url) {
		return new Promise((resolve, reject) => {
			const ws = new WebSocket(url);
			ws.onopen = () => resolve(new Cdp(ws));
			ws.onerror = (e) => reject(new Error(`DevTools WebSocket: ${e.message ?? 'error'}`));
		});
	}

	constructor(ws) {
		this.ws = ws;
		this.nextId = 1;
		this.pending = new Map();
		this.listeners = new Set();
		ws.onmessage = (event) => {
			const msg = JSON.parse(event.data);
			if (msg.id !== undefined) {
				const p = this.pending.get(msg.id);
				if (!p) return;
				this.pending.delete(msg.id);
				if (msg.error) p.reject(new Error(`${p.method}: ${msg.error.message}`));
				else p.resolve(msg.result);
			} else {
				for (const l of this.listeners) l(msg);
			}
		};
	}

	send(method, params = {}, sessionId) {
		const id = this.nextId++;
		return new Promise((resolve, reject) => {
			this.pending.set(id, { resolve, reject, method });
			this.ws.send(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }));
		});
	}

	/** Resolves the first event `method` (of `sessionId`) that satisfies `predicate`. */
	waitForEvent(method, { sessionId, predicate = () => true, timeoutMs = 30_000 } = {}) {
		return new Promise((resolve, reject) => {
			const timer = setTimeout(() => {
				this.listeners.delete(listener);
				reject(new Error(`timed out waiting for ${method}`));
			}, timeoutMs);
			const listener = (msg) => {
				if (msg.method === method && (!sessionId || msg.sessionId === sessionId) && predicate(msg.params)) {
					clearTimeout(timer);
					this.listeners.delete(listener);
					resolve(msg.params);
				}
			};
			this.listeners.add(listener);
		});
	}

	close() {
		this.ws.close();
	}

	/** Opens a page and resolves a `Page` bound to its session. */
	async newPage({ width = 1440, height = 900 } = {}) {
		const { targetId } = await this.send('Target.createTarget', { url: 'about:blank' });
		const { sessionId } = await this.send('Target.attachToTarget', { targetId, flatten: true });
		const page = new Page(this, sessionId);
		await page.send('Page.enable');
		await page.send('Runtime.enable');
		await page.send('Emulation.setDeviceMetricsOverride', { width, height, deviceScaleFactor: 1, mobile: false });
		return page;
	}
}

/** A page: navigation, script evaluation, waiting, typing, clicking, screenshots. */
export class Page {
	constructor(cdp, sessionId) {
		this.cdp = cdp;
		this.sessionId = sessionId;
	}

	send(method, params) {
		return this.cdp.send(method, params, this.sessionId);
	}

	async goto(url) {
		const loaded = this.cdp.waitForEvent('Page.loadEventFired', { sessionId: this.sessionId });
		await this.send('Page.navigate', { url });
		await loaded;
	}

	/** Evaluates an expression (or a function's source called with `args`) in the page. */
	async evaluate(fn, ...args) {
		const expression = typeof fn === 'function' ? `(${fn})(...${JSON.stringify(args)})` : fn;
		const r = await this.send('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true });
		if (r.exceptionDetails) {
			throw new Error(`in page: ${r.exceptionDetails.exception?.description ?? r.exceptionDetails.text}`);
		}
		return r.result.value;
	}

	/** Waits until `fn(...args)` returns something truthy in the page; resolves it. */
	async waitFor(fn, args = [], { timeoutMs = 30_000, what = String(fn).slice(0, 80) } = {}) {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const v = await this.evaluate(fn, ...args).catch(() => undefined);
			if (v) return v;
			if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
			await new Promise((r) => setTimeout(r, 150));
		}
	}

	/** Waits for a CSS selector to match a visible element. */
	waitForSelector(selector, opts = {}) {
		return this.waitFor(
			(sel) => {
				const el = document.querySelector(sel);
				if (!el) return false;
				const r = el.getBoundingClientRect();
				return r.width > 0 && r.height > 0;
			},
			[selector],
			{ what: selector, ...opts },
		);
	}

	/** Clicks the centre of the first element matching `selector` with real mouse events. */
	async click(selector) {
		const box = await this.evaluate((sel) => {
			const el = document.querySelector(sel);
			if (!el) return null;
			el.scrollIntoView({ block: 'center', inline: 'center' });
			const r = el.getBoundingClientRect();
			return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
		}, selector);
		if (!box) throw new Error(`nothing matches ${selector}`);
		for (const type of ['mouseMoved', 'mousePressed', 'mouseReleased']) {
			await this.send('Input.dispatchMouseEvent', { type, x: box.x, y: box.y, button: 'left', clickCount: 1 });
		}
	}

	/** Double-clicks a point with real mouse events (the canvas opens a node this way). */
	async doubleClickAt({ x, y }) {
		await this.send('Input.dispatchMouseEvent', { type: 'mouseMoved', x, y });
		for (const clickCount of [1, 2]) {
			await this.send('Input.dispatchMouseEvent', { type: 'mousePressed', x, y, button: 'left', clickCount });
			await this.send('Input.dispatchMouseEvent', { type: 'mouseReleased', x, y, button: 'left', clickCount });
		}
	}

	/** Focuses `selector` and types `text` as keyboard input. */
	async type(selector, text) {
		await this.evaluate((sel) => document.querySelector(sel)?.focus(), selector);
		await this.send('Input.insertText', { text });
	}

	async press(key, code = key, keyCode) {
		const base = { key, code, ...(keyCode ? { windowsVirtualKeyCode: keyCode, nativeVirtualKeyCode: keyCode } : {}) };
		await this.send('Input.dispatchKeyEvent', { type: 'keyDown', ...base });
		await this.send('Input.dispatchKeyEvent', { type: 'keyUp', ...base });
	}

	/** A PNG of the viewport (or of `clip`: `{ x, y, width, height }`). */
	async screenshot(file, clip) {
		const { data } = await this.send('Page.captureScreenshot', {
			format: 'png',
			...(clip ? { clip: { ...clip, scale: 1 } } : {}),
		});
		fs.mkdirSync(path.dirname(file), { recursive: true });
		fs.writeFileSync(file, Buffer.from(data, 'base64'));
	}
}
