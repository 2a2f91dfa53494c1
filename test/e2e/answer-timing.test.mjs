// When n8n answers a push, on each maintained n8n line, shown by making n8n fail to create
// the execution: a second connection holds SQLite's write lock while the gateway pushes.
//
// n8n 2.41 creates the execution first and answers after, so the push that could not start
// a workflow is not answered 200 and the gateway sends it again. n8n 1.123 answers 200
// before it creates the execution: the push is acknowledged, its execution never exists,
// and the gateway's retry is answered as a duplicate. docs/events.md ("n8n 1.123") states
// this difference; this test keeps that statement true.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

import * as h from '../../scripts/n8n/harness.mjs';
import * as t from './trigger-helpers.mjs';

const require = createRequire(import.meta.url);
const { startSimulator } = require('../../simulator');

const WEBHOOK = '5a7e2c90-3d1f-4b6a-8e2d-9f0a1b2c0101';
const WF = 'e2eAnswerTiming';
const HOLD_AFTER_ANSWER_MS = 5000;

let sim;
let userFolder;
let n8n;

before(async () => {
	await h.n8nInstall();
	sim = await startSimulator({ port: 0 });
	userFolder = h.makeUserFolder('answer-timing');
	await h.packAndInstall(userFolder.dir, { build: !process.env.SMS_GATEWAY_E2E_NO_BUILD });
	const env = h.n8nEnv(userFolder.dir, { port: await h.freePort(), brokerPort: await h.freePort() });
	await h.importCredentials(env, [t.credential('mxTelecom', sim)]);
	await h.importWorkflows(env, [h.chain(WF, [t.triggerNode('mxTelecom', WEBHOOK)])]);
	await h.publishWorkflow(env, WF);
	n8n = await h.start(env, { waitForWebhooks: [WF] });
});

after(async () => {
	await n8n?.stop();
	h.closeDb();
	await sim?.close();
	userFolder?.cleanup();
});

test(`n8n ${h.N8N_VERSION}: a push whose execution n8n cannot create`, async () => {
	const push = (id) =>
		sim.push.inboundSms('mxTelecom', t.triggerUrl(n8n.url, WEBHOOK), { from: '447700900123', to: '58870', text: 'hold on', id, date: '2024-07-01 12:00:00' });
	const executions = () => h.countExecutions(userFolder.dir, { workflowId: WF });

	// Control: with the database free, a push is answered 200 and has its execution.
	assert.equal((await push('9007199254745001')).status, 200);
	await h.waitForExecutions(userFolder.dir, 1, { workflowId: WF });

	const lock = await h.holdWriteLock(userFolder.dir);
	let first;
	try {
		first = await push('9007199254745002');
		// Hold on past the answer: n8n 1.123 creates the execution only after answering.
		await new Promise((r) => setTimeout(r, HOLD_AFTER_ANSWER_MS));
	} finally {
		await lock.release();
	}
	// The gateway's retry of the same event, once the database is free again.
	const retry = await push('9007199254745002');
	await new Promise((r) => setTimeout(r, 2000));
	const count = await executions();
	process.stderr.write(
		`[answer-timing] n8n ${h.N8N_VERSION}: push during the lock answered ${first.status} ${JSON.stringify(first.body.slice(0, 80))}; ` +
			`retry answered ${retry.status} ${JSON.stringify(retry.body)}; executions ${count - 1} for that event\n`,
	);

	if (h.N8N_MAJOR >= 2) {
		// Exactly-once: not acknowledged while it could not start, started once by the retry.
		assert.notEqual(first.status, 200, 'n8n 2.x does not acknowledge a push it could not start');
		assert.equal(retry.status, 200);
		assert.equal(count, 2, 'the retry started the one execution of that event');
	} else {
		// At-most-once (docs/events.md, "n8n 1.123"): acknowledged, never started, and the
		// retry is answered as a duplicate.
		assert.equal(first.status, 200, 'n8n 1.123 acknowledges before it creates the execution');
		assert.equal(retry.status, 200);
		assert.equal(count, 1, 'on 1.123 that event has no execution: n8n lost it after its 200');
	}
});
