// A real n8n (the pinned headless install) loads our package the way it loads
// community packages and runs the SMS Gateway node's offline Analyze operation
// through `n8n execute`. No gateway, no network: this is the quickest proof that
// what we publish works inside n8n.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

import * as h from '../../scripts/n8n/harness.mjs';

const PKG = JSON.parse(fs.readFileSync(path.join(h.repoRoot, 'package.json'), 'utf8')).name;
const NODE_TYPE = `${PKG}.smsGateway`;
const TRIGGER_TYPE = `${PKG}.smsGatewayTrigger`;

let userFolder;
let env;
const results = new Map();

// Inputs for one Analyze run: one item per case, fed by a Set node.
const CASES = [
	{ name: 'short', text: 'hello' },
	{ name: 'gsm160', text: 'a'.repeat(160) },
	{ name: 'gsm161', text: 'a'.repeat(161) },
	// 80 euro signs: each is an extension character costing 2 septets
	{ name: 'euro80', text: '\u20ac'.repeat(80) },
	// Greek capitals outside the GSM table (lower case) and an emoji outside the BMP
	{ name: 'unicode', text: '\u03b3\u03b5\u03b9\u03ac \u03c3\u03bf\u03c5 \ud83d\ude00' },
	{ name: 'ucs2long', text: '\u0416'.repeat(71) },
];

function analyzeWorkflow() {
	return h.chain('smokeAnalyze', [
		h.manualTrigger(),
		h.setJson('Cases', { cases: CASES }),
		h.node('Split', 'n8n-nodes-base.splitOut', { fieldToSplitOut: 'cases', options: {} }),
		h.node('Analyze', NODE_TYPE, {
			resource: 'message',
			operation: 'analyze',
			message: '={{ $json.text }}',
			encoding: 'auto',
			options: {},
		}),
	]);
}

function smartWorkflow() {
	return h.chain('smokeSmart', [
		h.manualTrigger(),
		h.node('Analyze', NODE_TYPE, {
			resource: 'message',
			operation: 'analyze',
			message: '\u201cquoted\u201d \u2013 text\u2026',
			encoding: 'auto',
			options: { smartEncoding: true },
		}),
	]);
}

before(async () => {
	const t = Date.now();
	await h.n8nInstall();
	const installMs = Date.now() - t;
	userFolder = h.makeUserFolder('smoke');
	await h.packAndInstall(userFolder.dir, { build: !process.env.SMS_GATEWAY_E2E_NO_BUILD });
	env = h.n8nEnv(userFolder.dir, { port: await h.freePort(), brokerPort: await h.freePort() });
	const imp = await h.importWorkflows(env, [analyzeWorkflow(), smartWorkflow()]);
	process.stderr.write(
		`[smoke] install check ${installMs} ms, import (incl. DB migrations) ${imp.ms} ms\n`,
	);
});

after(() => {
	userFolder?.cleanup();
});

test('n8n loads the package as a community package', async () => {
	const types = await h.loadedNodeTypes(env);
	assert.ok(types.length > 500, `n8n exported only ${types.length} node types`);
	assert.ok(types.includes(NODE_TYPE), `${NODE_TYPE} is not among the loaded node types`);
	const pkg = JSON.parse(fs.readFileSync(path.join(h.repoRoot, 'package.json'), 'utf8'));
	if ((pkg.n8n?.nodes ?? []).some((p) => /SmsGatewayTrigger/.test(p))) {
		assert.ok(types.includes(TRIGGER_TYPE), `${TRIGGER_TYPE} is not among the loaded node types`);
	}
});

test('Analyze runs in n8n execute without credentials or network', async () => {
	const r = await h.execute(env, 'smokeAnalyze');
	assert.equal(r.code, 0, `n8n execute failed:\n${r.stdout}\n${r.stderr}`);
	assert.ok(r.result, `no execution JSON in the output:\n${r.stdout}`);
	assert.equal(r.result.status, 'success');
	assert.equal(r.result.data.resultData.lastNodeExecuted, 'Analyze');
	const out = h.nodeOutput(r.result, 'Analyze');
	assert.equal(out.length, CASES.length);
	CASES.forEach((c, i) => results.set(c.name, out[i]));
	process.stderr.write(`[smoke] n8n execute: ${r.ms} ms\n`);
});

test('Analyze reports the encoding, units and parts the SMS spec gives', () => {
	const expect = {
		short: { encoding: 'GSM-7', units: 5, partCount: 1, remaining: 155 },
		gsm160: { encoding: 'GSM-7', units: 160, partCount: 1, remaining: 0 },
		gsm161: { encoding: 'GSM-7', units: 161, partCount: 2, unitsPerPart: 153, remaining: 145 },
		euro80: { encoding: 'GSM-7', units: 160, partCount: 1, remaining: 0 },
		unicode: { encoding: 'UCS-2', units: 11, partCount: 1, remaining: 59 },
		ucs2long: { encoding: 'UCS-2', units: 71, partCount: 2, unitsPerPart: 67, remaining: 63 },
	};
	for (const [name, want] of Object.entries(expect)) {
		const got = results.get(name);
		assert.ok(got, `no output for case ${name}`);
		for (const [k, v] of Object.entries(want)) assert.equal(got[k], v, `${name}.${k}`);
		assert.equal(got.parts.map((p) => p.text).join(''), CASES.find((c) => c.name === name).text, `${name} parts`);
	}
	assert.deepEqual(
		results.get('gsm161').parts.map((p) => p.text.length),
		[153, 8],
	);
});

test('Analyze with smart encoding replaces look-alikes and stays GSM-7', async () => {
	const r = await h.execute(env, 'smokeSmart');
	assert.equal(r.code, 0, `n8n execute failed:\n${r.stdout}\n${r.stderr}`);
	const [item] = h.nodeOutput(r.result, 'Analyze');
	assert.equal(item.encoding, 'GSM-7');
	assert.equal(item.text, '"quoted" - text...');
	assert.ok(Array.isArray(item.replacements) && item.replacements.length >= 3, JSON.stringify(item.replacements));
});
