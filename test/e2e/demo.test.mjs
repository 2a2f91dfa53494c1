// `npm run demo`, non-interactively: the demo script runs its scripted part
// against a real n8n (our package installed as a community package, the example
// workflows imported and published) and the gateway simulator, then exits.
// Asserts the summary it writes and prints, and that it leaves nothing behind.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { repoRoot, N8N_VERSION } from '../../scripts/n8n/harness.mjs';

const DEMO = path.join(repoRoot, 'scripts', 'demo', 'demo.mjs');
const DEMO_DIR = path.join(repoRoot, '.demo');

function listDemoFolders() {
	return fs.existsSync(DEMO_DIR) ? fs.readdirSync(DEMO_DIR).sort() : [];
}

function runDemo(args) {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, [DEMO, ...args], {
			cwd: repoRoot,
			env: { ...process.env, NO_COLOR: '1' },
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (c) => (stdout += c));
		// install progress (first run) and anything unexpected stay visible
		child.stderr.on('data', (c) => {
			stderr += c;
			process.stderr.write(c);
		});
		child.on('error', reject);
		child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
	});
}

test('npm run demo --ci: every scenario passes and is summarised', { timeout: 20 * 60 * 1000 }, async () => {
	const summaryFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sms-demo-')), 'summary.json');
	const foldersBefore = listDemoFolders();
	const args = ['--ci', '--port', '0', '--summary', summaryFile];
	if (process.env.SMS_GATEWAY_E2E_NO_BUILD) args.push('--no-build');
	const t = Date.now();
	const r = await runDemo(args);
	process.stderr.write(`[demo] finished in ${((Date.now() - t) / 1000).toFixed(1)} s\n`);
	// The failed checks lead the message: a CI log that keeps only its first
	// lines must still say what went wrong; the full output follows.
	const summary = fs.existsSync(summaryFile) ? JSON.parse(fs.readFileSync(summaryFile, 'utf8')) : undefined;
	const failed = summary ? summary.failures.map((f) => `  - ${f}`).join('\n') : '  (no summary written: setup failed)';
	assert.equal(r.code, 0, `the demo failed (${r.signal ?? r.code}):\n${failed}\n--- output ---\n${r.stdout}\n${r.stderr}`);

	fs.rmSync(path.dirname(summaryFile), { recursive: true, force: true });
	assert.equal(summary.ok, true, summary.failures.join('\n'));
	assert.deepEqual(summary.failures, []);
	const { longSms, broadcast, analyze, autoReply, deliveryReport, mms } = summary.results;

	// A long Unicode SMS: UCS-2 in several parts, decoded intact by the gateway.
	assert.equal(longSms.status, 'accepted');
	assert.equal(longSms.encoding, 'ucs2');
	assert.ok(longSms.parts > 1, `parts: ${longSms.parts}`);
	assert.equal(longSms.gatewayParts, longSms.parts);
	assert.equal(longSms.textIntact, true);

	// 1,000 recipients, every one accounted for; the list's bad numbers are failed items.
	assert.equal(broadcast.recipients, 1000);
	assert.equal(broadcast.counts.accepted + broadcast.counts.failed, 1000);
	assert.equal(broadcast.counts.failed, 5);
	assert.equal(broadcast.gatewayAccepted, broadcast.counts.accepted);

	// Analyze: the emoji forces UCS-2; the estimate is within budget, so it was sent.
	assert.equal(analyze.encoding, 'UCS-2');
	assert.equal(analyze.parts, 2);
	assert.equal(analyze.estimatedCost, 0.5);
	assert.equal(analyze.decision, 'sent');
	assert.equal(analyze.sentTo, 5);

	// Inbound SMS -> auto-reply recorded by the gateway -> its delivery report logged.
	assert.equal(autoReply.replyTo, autoReply.from);
	assert.equal(autoReply.replyRecorded, true);
	assert.match(autoReply.replyText, /Thanks for your message/);
	assert.equal(deliveryReport.messageId, autoReply.replyMessageId);
	assert.equal(deliveryReport.matchesReply, true);
	assert.equal(deliveryReport.status, 'delivered');

	// Inbound MMS: both parts retrieved and written to disk byte for byte.
	assert.equal(mms.delivery, 'notification');
	assert.deepEqual(
		mms.parts.map((p) => [p.name, p.mimeType, p.saved]),
		[
			['sunset.png', 'image/png', true],
			['note.txt', 'text/plain', true],
		],
	);

	assert.match(summary.editor.url, /^http:\/\/127\.0\.0\.1:\d+$/);
	assert.equal(summary.editor.email, 'demo@example.com');
	assert.equal(summary.n8n.version, N8N_VERSION, 'the pinned n8n line chosen by SMS_GATEWAY_N8N_VERSION');

	// What a user reads: the progress lines and the printed summary.
	for (const expected of [
		/\[5\/5\] n8n start/,
		/published\s+"SMS Gateway: auto-reply to inbound SMS"/,
		/by status\s+accepted 995, failed 5/,
		/matched\s+\u2713 the report is about the auto-reply sent above/,
		/^Summary$/m,
		/every check passed/,
	]) {
		assert.match(r.stdout, expected);
	}

	// Nothing left behind: the demo's n8n user folder is gone (it may also have
	// swept folders of earlier demos that were killed outright).
	const leftOver = listDemoFolders().filter((f) => !foldersBefore.includes(f));
	assert.deepEqual(leftOver, []);
});
