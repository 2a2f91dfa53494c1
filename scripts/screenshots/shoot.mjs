// The pictures themselves: sign in to the demo's n8n as its owner and capture
// the node panel with our node, a configured Send after a run, the trigger
// with its production URL, and a broadcast workflow after a run.
// Started through take.mjs (which makes sure a WebSocket exists).

import fs from 'node:fs';
import path from 'node:path';

import { repoRoot } from '../n8n/harness.mjs';
import { OWNER, startDemoStack } from '../demo/setup.mjs';
import { runScenarios } from '../demo/scenarios.mjs';
import { captureHarnessLogs } from '../demo/print.mjs';
import { launchChromium } from './cdp.mjs';

const WIDTH = 1440;
const HEIGHT = 900;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function log(line) {
	process.stdout.write(`[screenshots] ${line}\n`);
}

function parseArgs(argv) {
	const opts = { url: undefined, out: path.join(repoRoot, 'docs', 'images'), build: true };
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		if (a === '--url') opts.url = argv[++i];
		else if (a === '--out') opts.out = path.resolve(argv[++i]);
		else if (a === '--no-build') opts.build = false;
		else throw new Error(`unknown option ${a}`);
	}
	return opts;
}

function exampleNode(workflowFile, nodeName) {
	const wf = JSON.parse(fs.readFileSync(path.join(repoRoot, 'examples', workflowFile), 'utf8'));
	const node = wf.nodes.find((n) => n.name === nodeName);
	if (!node) throw new Error(`${workflowFile} has no node "${nodeName}"`);
	return { workflowId: wf.id, nodeId: node.id };
}

async function signIn(page, baseUrl) {
	await page.goto(`${baseUrl}/signin`);
	await page.waitForSelector('input[name=emailOrLdapLoginId]');
	await page.type('input[name=emailOrLdapLoginId]', OWNER.email);
	await page.type('input[name=password]', OWNER.password);
	await page.click('[data-test-id=form-submit-button]');
	await page.waitFor(() => !location.pathname.startsWith('/signin'), [], { what: 'the sign-in to finish' });
}

/** Opens a workflow on the canvas and waits for its nodes to render. */
async function openWorkflow(page, baseUrl, id) {
	await page.goto(`${baseUrl}/workflow/${id}`);
	await page.waitForSelector('[data-test-id=canvas-node]');
	await sleep(800);
}

/** Clicks "Execute workflow" and waits until `nodes` nodes show success. */
async function executeInEditor(page, nodes) {
	await page.click('[data-test-id=execute-workflow-button]');
	await page.waitFor(
		(n) => document.querySelectorAll('[data-test-id=canvas-node-status-success]').length >= n,
		[nodes],
		{ what: `${nodes} nodes to succeed`, timeoutMs: 60_000 },
	);
	await sleep(500);
}

async function dismissToasts(page) {
	await page.evaluate(() => {
		for (const el of document.querySelectorAll('.el-notification')) el.remove();
	});
}

async function openNodeOnCanvas(page, nodeName) {
	const point = await page.evaluate((name) => {
		const el = [...document.querySelectorAll('[data-test-id=canvas-node]')].find(
			(n) => n.textContent.trim().startsWith(name) || n.querySelector('[data-test-id=canvas-node-label]')?.textContent === name,
		) ?? [...document.querySelectorAll('[data-test-id=canvas-node]')].find((n) => n.textContent.includes(name));
		if (!el) return null;
		const r = el.getBoundingClientRect();
		return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
	}, nodeName);
	if (!point) throw new Error(`no node "${nodeName}" on the canvas`);
	await page.doubleClickAt(point);
	await page.waitForSelector('[data-test-id=ndv]');
	await sleep(800);
}

// ---------------------------------------------------------------------------

async function nodePanel(page, baseUrl, out) {
	await openWorkflow(page, baseUrl, 'exAutoReplySms');
	await page.click('[data-test-id=node-creator-plus-button]');
	await page.waitForSelector('[data-test-id=node-creator-search-bar]');
	await page.send('Input.insertText', { text: 'SMS Gateway' });
	await page.waitForSelector('[data-test-id=item-iterator-item]');
	await sleep(500);
	await page.click('[data-test-id=item-iterator-item]');
	await page.waitForSelector('[data-test-id=node-creator-action-item], [data-test-id=node-creator-category-item]');
	await sleep(800);
	const file = path.join(out, 'node-panel.png');
	await page.screenshot(file);
	return file;
}

async function configuredSend(page, baseUrl, out) {
	await openWorkflow(page, baseUrl, 'exSendLongSms');
	await executeInEditor(page, 3);
	await dismissToasts(page);
	await openNodeOnCanvas(page, 'Send SMS');
	// the output item reads best as JSON
	await page.click('[data-test-id=output-panel] [data-test-id=radio-button-json]').catch(() => {});
	await sleep(600);
	await dismissToasts(page);
	const file = path.join(out, 'send-configured.png');
	await page.screenshot(file);
	return file;
}

async function triggerUrl(page, baseUrl, out) {
	const { workflowId, nodeId } = exampleNode('auto-reply-inbound-sms.json', 'SMS Gateway Trigger');
	await page.goto(`${baseUrl}/workflow/${workflowId}/${nodeId}`);
	await page.waitForSelector('[data-test-id=ndv] .webhooks .headline');
	await sleep(500);
	await page.click('[data-test-id=ndv] .webhooks .headline');
	await page.waitForSelector('[data-test-id=radio-button-production]');
	await page.click('[data-test-id=radio-button-production]');
	await page.waitFor(() => /\/webhook\/[^/]+\/sms/.test(document.querySelector('[data-test-id=ndv] .webhooks')?.innerText ?? ''), [], {
		what: 'the production URL',
	});
	await sleep(500);
	const file = path.join(out, 'trigger-url.png');
	await page.screenshot(file);
	return file;
}

async function broadcastRun(page, baseUrl, out) {
	await openWorkflow(page, baseUrl, 'exBroadcastSummary');
	await executeInEditor(page, 5);
	await dismissToasts(page);
	await page.click('[data-test-id=zoom-to-fit]').catch(() => {});
	await sleep(800);
	const file = path.join(out, 'broadcast-run.png');
	await page.screenshot(file);
	return file;
}

export async function main(argv) {
	const opts = parseArgs(argv);
	let stack;
	let baseUrl = opts.url?.replace(/\/+$/, '');
	if (!baseUrl) {
		captureHarnessLogs();
		// n8n's usual port when it is free, so the pictures show the URL a reader expects
		stack = await startDemoStack({ port: 5678, build: opts.build });
		const { ok, failures } = await runScenarios(stack);
		if (!ok) throw new Error(`the demo's scenarios failed: ${failures.join('; ')}`);
		baseUrl = stack.baseUrl;
	}
	const chromium = await launchChromium({ width: WIDTH, height: HEIGHT });
	try {
		const page = await chromium.browser.newPage({ width: WIDTH, height: HEIGHT });
		await signIn(page, baseUrl);
		log(`signed in to ${baseUrl} as ${OWNER.email}`);
		for (const shot of [nodePanel, configuredSend, triggerUrl, broadcastRun]) {
			const file = await shot(page, baseUrl, opts.out);
			log(`wrote ${path.relative(repoRoot, file)}`);
		}
	} finally {
		await chromium.close();
		await stack?.stop();
	}
}
