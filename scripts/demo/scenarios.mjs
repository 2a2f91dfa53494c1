// The demo's scripted part: each scenario drives one example workflow in the
// running n8n (a manual run through the editor's API, or a push from the
// simulator to a published trigger), prints what happened, checks it against
// what the simulator recorded, and returns a summary.

import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

import {
	executionError,
	executionSeconds,
	lastExecutionId,
	outputOf,
	ran,
	waitForExecution,
	waitForNextExecution,
} from './n8n-rest.mjs';
import { sunsetPng } from './png.mjs';
import { FAIL, OK, clip, count, detail, heading, line, red } from './print.mjs';
import { manualNode, pushUrl } from './workflows.mjs';

const require = createRequire(import.meta.url);

// Workflow ids and node names of examples/*.json.
const WF = {
	longSms: 'exSendLongSms',
	broadcast: 'exBroadcastSummary',
	analyze: 'exAnalyzeBeforeSend',
	autoReply: 'exAutoReplySms',
	reportLog: 'exDeliveryReportLog',
	mms: 'exSaveInboundMms',
};
const TRIGGER = 'SMS Gateway Trigger';

const HANDSET = '447700900123';
const SHORT_CODE = '58870';

/** Collects failed expectations of one scenario without stopping it. */
class Checks {
	constructor() {
		this.failures = [];
	}

	expect(condition, message) {
		if (!condition) this.failures.push(message);
		return Boolean(condition);
	}
}

function workflowOf(ctx, id) {
	const wf = ctx.workflows[id];
	if (!wf) throw new Error(`example workflow ${id} is missing from examples/`);
	return wf;
}

/** Runs a manual-trigger example as the editor's "Execute workflow" button does. */
async function runManual(ctx, id) {
	const wf = workflowOf(ctx, id);
	const executionId = await ctx.session.run(wf.id, manualNode(wf).name);
	const execution = await waitForExecution(ctx.userFolder, executionId);
	return { wf, execution };
}

function executionLine(wf, execution) {
	const took = executionSeconds(execution);
	return `"${wf.name}", execution ${execution.id} (${execution.mode}, ${execution.status}${took === undefined ? '' : `, ${took.toFixed(2)} s`})`;
}

function failIfErrored(checks, execution) {
	const error = executionError(execution);
	checks.expect(execution.status === 'success', `the execution ended "${execution.status}"${error ? `: ${error}` : ''}`);
}

// ---------------------------------------------------------------------------

async function longUnicodeSms(ctx, checks) {
	heading('A long Unicode SMS');
	const { segmentMessage } = require('../../dist');
	const before = ctx.sim.requests.length;
	const { wf, execution } = await runManual(ctx, WF.longSms);
	detail('workflow', executionLine(wf, execution));
	failIfErrored(checks, execution);
	const [message] = outputOf(execution, 'Message');
	const [item] = outputOf(execution, 'Send SMS');
	checks.expect(message && item, 'the workflow produced no output');
	if (!message || !item) return {};

	const plan = segmentMessage(message.text);
	detail('text', `${[...message.text].length} characters, ${plan.units} UTF-16 units: not GSM-7, so ${plan.encoding}`);
	detail(
		'sent',
		`to ${item.to}: ${item.status}, encoding ${item.encoding}, ${item.parts} parts, message id ${item.messageId}`,
	);
	plan.parts.forEach((part, i) => {
		detail(`part ${i + 1}/${plan.parts.length}`, `${String(plan.partUnits[i]).padStart(2)} units  "${clip(part, 48)}"`);
	});
	const requests = ctx.sim.requests.slice(before).filter((r) => r.endpoint === 'mx.send');
	const decoded = requests.map((r) => r.decoded ?? {});
	const gatewayParts = decoded.reduce((n, d) => n + (d.parts ?? 0), 0);
	const gatewayText = decoded.map((d) => d.text ?? '').join('');
	detail(
		'gateway',
		`${requests.length} request (${requests[0]?.params?.split === '2' ? 'split=2, the gateway joins the parts' : 'own concatenated parts'}), decoded as ${decoded[0]?.encoding}, ${gatewayParts} parts, text ${gatewayText === message.text ? 'identical' : 'DIFFERENT'}`,
	);
	checks.expect(item.status === 'accepted', `the SMS was not accepted: ${JSON.stringify(item)}`);
	checks.expect(item.encoding === 'ucs2', `expected UCS-2, got ${item.encoding}`);
	checks.expect(item.parts === plan.parts.length && item.parts > 1, `parts: node ${item.parts}, codec ${plan.parts.length}`);
	checks.expect(gatewayParts === item.parts, `the gateway counted ${gatewayParts} parts`);
	checks.expect(gatewayText === message.text, 'the gateway decoded a different text');
	return {
		status: item.status,
		encoding: item.encoding,
		parts: item.parts,
		units: plan.units,
		messageId: item.messageId,
		gatewayParts,
		textIntact: gatewayText === message.text,
	};
}

async function broadcast(ctx, checks) {
	heading('A broadcast to 1,000 contacts');
	const before = ctx.sim.requests.length;
	const { wf, execution } = await runManual(ctx, WF.broadcast);
	detail('workflow', executionLine(wf, execution));
	failIfErrored(checks, execution);
	const contacts = outputOf(execution, 'Contact list');
	const items = outputOf(execution, 'Broadcast');
	const summary = outputOf(execution, 'Results summary');
	const counts = Object.fromEntries(summary.map((row) => [row.status, row.count_to]));
	const took = executionSeconds(execution);
	detail('contacts', `${count(contacts.length)} from "Contact list" -> ${count(items.length)} result items (one per recipient)`);
	detail('by status', Object.entries(counts).map(([s, n]) => `${s} ${count(n)}`).join(', ') + '   (the "Results summary" node)');
	for (const failed of items.filter((i) => i.status === 'failed').slice(0, 5)) {
		detail('failed', `"${failed.to}": ${clip(failed.error?.message ?? 'no reason', 70)}`);
	}
	const requests = ctx.sim.requests.slice(before).filter((r) => r.provider === 'mxTelecom');
	const gatewayAccepted = requests.reduce((n, r) => n + (r.accepted ?? 0), 0);
	detail(
		'gateway',
		`${requests.length} bulksend request${requests.length === 1 ? '' : 's'}, ${count(gatewayAccepted)} recipients accepted${took === undefined ? '' : `; the broadcast execution took ${took.toFixed(2)} s`}`,
	);
	const sum = Object.values(counts).reduce((a, b) => a + b, 0);
	checks.expect(contacts.length === 1000, `expected 1,000 contacts, got ${contacts.length}`);
	checks.expect(items.length === 1000 && sum === 1000, `expected 1,000 results, got ${items.length} items / ${sum} counted`);
	checks.expect(counts.accepted === gatewayAccepted, `the node says ${counts.accepted} accepted, the gateway ${gatewayAccepted}`);
	checks.expect((counts.failed ?? 0) > 0, 'the invalid numbers in the list were not reported as failed');
	return { recipients: items.length, counts, gatewayAccepted, requests: requests.length, seconds: took };
}

async function analyzePreview(ctx, checks) {
	heading('Analyze: parts and cost before a broadcast');
	const before = ctx.sim.accepted.length;
	const { wf, execution } = await runManual(ctx, WF.analyze);
	detail('workflow', executionLine(wf, execution));
	failIfErrored(checks, execution);
	const [campaign] = outputOf(execution, 'Campaign');
	const [analysis] = outputOf(execution, 'Analyze');
	const [estimate] = outputOf(execution, 'Estimate cost');
	checks.expect(campaign && analysis && estimate, 'the workflow produced no analysis');
	if (!campaign || !analysis || !estimate) return {};
	detail('text', `"${clip(campaign.message, 70)}"`);
	detail(
		'analysis',
		`${analysis.encoding}, ${analysis.characters} characters = ${analysis.units} units, ${analysis.partCount} parts of ${analysis.unitsPerPart}, ${analysis.remaining} left in the last`,
	);
	for (const part of analysis.parts) detail(`part ${part.index}`, `"${clip(part.text, 60)}"`);
	detail(
		'estimate',
		`${estimate.parts} parts x ${estimate.recipients} recipients x ${campaign.pricePerPart} = ${estimate.estimatedCost} (budget ${estimate.budget})`,
	);
	const sent = ran(execution, 'Broadcast');
	const results = outputOf(execution, 'Broadcast');
	const accepted = ctx.sim.accepted.length - before;
	detail(
		'decision',
		sent
			? `within budget -> "Broadcast" sent it: ${results.filter((r) => r.status === 'accepted').length}/${results.length} accepted`
			: 'over budget -> not sent',
	);
	checks.expect(analysis.encoding === 'UCS-2', `expected the emoji to force UCS-2, got ${analysis.encoding}`);
	checks.expect(analysis.partCount === analysis.parts.length, 'partCount and parts disagree');
	checks.expect(sent ? accepted === results.length : accepted === 0, `the gateway accepted ${accepted} messages`);
	return {
		encoding: analysis.encoding,
		units: analysis.units,
		parts: analysis.partCount,
		remaining: analysis.remaining,
		estimatedCost: estimate.estimatedCost,
		budget: estimate.budget,
		decision: sent ? 'sent' : 'over budget',
		sentTo: sent ? results.length : 0,
	};
}

async function autoReplyAndReport(ctx, checks) {
	heading('An inbound SMS, its auto-reply, and the reply\'s delivery report');
	const wf = workflowOf(ctx, WF.autoReply);
	const logWf = workflowOf(ctx, WF.reportLog);
	const after = await lastExecutionId(ctx.userFolder);
	const inbound = { from: HANDSET, to: SHORT_CODE, text: 'Hi! Are you open on Sunday?' };
	const url = pushUrl(ctx.baseUrl, wf);
	const push = await ctx.sim.push.inboundSms('mxTelecom', url, inbound);
	detail('push', `the simulator (as MX Telecom) GETs ${url.replace(ctx.baseUrl, '')}: ${push.status} ${push.body.trim()}`);
	detail('inbound', `${inbound.from} -> ${inbound.to}: "${inbound.text}"`);
	checks.expect(push.status === 200, `the trigger answered ${push.status} ${push.body}`);
	const execution = await waitForNextExecution(ctx.userFolder, wf.id, after);
	detail('workflow', executionLine(wf, execution));
	failIfErrored(checks, execution);
	const [event] = outputOf(execution, TRIGGER);
	const [reply] = outputOf(execution, 'Reply');
	checks.expect(event && reply, 'the auto-reply workflow produced no reply');
	if (!event || !reply) return {};
	detail('trigger', `event ${event.event}, messageId ${event.messageId}, encoding ${event.encoding}, received ${event.receivedAt}`);
	const recorded = ctx.sim.accepted.find((a) => String(a.messageId) === String(reply.messageId));
	detail('reply', `${reply.status}: ${reply.to}, message id ${reply.messageId}`);
	detail('gateway', recorded ? `recorded the reply to ${recorded.to}: "${clip(recorded.text, 64)}"` : red('did not record the reply'));
	checks.expect(event.event === 'inboundSms' && event.text === inbound.text, `trigger item: ${JSON.stringify(event)}`);
	checks.expect(reply.status === 'accepted' && reply.to === HANDSET, `reply item: ${JSON.stringify(reply)}`);
	checks.expect(recorded && recorded.to === HANDSET && recorded.text.includes(inbound.text.slice(0, 20)), 'the gateway has no such reply');
	const autoReply = {
		from: inbound.from,
		text: inbound.text,
		replyTo: reply.to,
		replyMessageId: reply.messageId,
		replyText: recorded?.text,
		replyRecorded: Boolean(recorded),
	};

	// The reply asked for a delivery report; the simulator pushes it to the
	// report-logging workflow's trigger (its reportUrl).
	line();
	const reportExecution = await waitForNextExecution(ctx.userFolder, logWf.id, after);
	const reportPush = ctx.sim.pushes.find((p) => p.kind === 'deliveryReport' && String(p.messageId) === String(reply.messageId));
	detail('push', `the simulator reports on message ${reply.messageId}: ${reportPush?.status ?? '?'}`);
	detail('workflow', executionLine(logWf, reportExecution));
	failIfErrored(checks, reportExecution);
	const [entry] = outputOf(reportExecution, 'Log entry');
	checks.expect(entry, 'the report-logging workflow produced no log entry');
	if (!entry) return { autoReply, deliveryReport: {} };
	const matches = String(entry.messageId) === String(reply.messageId);
	detail('log entry', `message ${entry.messageId} to ${entry.to}: ${entry.status} (${entry.providerStatus}, final ${entry.final}), reference ${entry.reference}`);
	detail('matched', matches ? `${OK} the report is about the auto-reply sent above` : `${FAIL} a different message`);
	checks.expect(matches, `the report names message ${entry.messageId}, the reply was ${reply.messageId}`);
	checks.expect(entry.status === 'delivered' && entry.final === true, `report status ${entry.status}`);
	checks.expect(entry.reference === `auto-reply-${event.messageId}`, `reference ${entry.reference}`);
	return {
		autoReply,
		deliveryReport: {
			messageId: entry.messageId,
			status: entry.status,
			final: entry.final,
			reference: entry.reference,
			matchesReply: matches,
		},
	};
}

async function inboundMms(ctx, checks) {
	heading('An inbound MMS, saved part by part');
	const wf = workflowOf(ctx, WF.mms);
	const after = await lastExecutionId(ctx.userFolder);
	const parts = [
		{ name: 'sunset.png', mimeType: 'image/png', data: sunsetPng() },
		{ name: 'note.txt', mimeType: 'text/plain', data: Buffer.from('Greetings from the beach! Back on Monday.\n') },
	];
	const url = pushUrl(ctx.baseUrl, wf);
	const push = await ctx.sim.push.mmsNotification(url, { from: HANDSET, to: [SHORT_CODE], subject: 'Holiday', parts });
	detail('push', `MX Telecom notifies MMS ${push.id} (GET ${url.replace(ctx.baseUrl, '')}): ${push.status} ${push.body.trim()}`);
	checks.expect(push.status === 200, `the trigger answered ${push.status} ${push.body}`);
	const execution = await waitForNextExecution(ctx.userFolder, wf.id, after);
	detail('workflow', executionLine(wf, execution));
	failIfErrored(checks, execution);
	const [event] = outputOf(execution, TRIGGER);
	checks.expect(event, 'the MMS workflow produced no item');
	if (!event) return {};
	detail(
		'trigger',
		`${event.delivery}, content ${event.retrieved ? 'retrieved with the MMS account' : 'NOT retrieved'}, from ${event.from}, subject "${event.subject}"`,
	);
	const saved = [];
	for (const part of event.parts) {
		const file = path.join(ctx.filesDir, `mms-${event.messageId}-${part.name}`);
		const original = parts.find((p) => p.name === part.name);
		const onDisk = fs.existsSync(file) ? fs.readFileSync(file) : undefined;
		const same = Boolean(onDisk && original && Buffer.compare(onDisk, Buffer.from(original.data)) === 0);
		saved.push({ name: part.name, mimeType: part.mimeType, size: part.size, binaryProperty: part.binaryProperty, saved: same });
		detail(
			'part',
			`${part.name.padEnd(11)} ${part.mimeType.padEnd(11)} ${String(part.size).padStart(5)} bytes  binary "${part.binaryProperty}"  ${same ? `${OK} saved to ${path.relative(ctx.userFolder, file)}` : `${FAIL} not saved intact`}`,
		);
	}
	checks.expect(String(event.messageId) === String(push.id), `messageId ${event.messageId}, pushed ${push.id}`);
	checks.expect(event.retrieved === true, `the content was not retrieved: ${event.error}`);
	checks.expect(event.parts.length === parts.length, `expected ${parts.length} parts, got ${event.parts.length}`);
	checks.expect(saved.every((s) => s.saved), 'a part was not written to disk byte for byte');
	return { messageId: event.messageId, delivery: event.delivery, parts: saved, savedFiles: saved.filter((s) => s.saved).length };
}

export const SCENARIOS = [
	['longSms', longUnicodeSms],
	['broadcast', broadcast],
	['analyze', analyzePreview],
	['autoReply+deliveryReport', autoReplyAndReport],
	['mms', inboundMms],
];

/** Runs every scenario; resolves `{ ok, results, failures }`. */
export async function runScenarios(ctx) {
	const results = {};
	const failures = [];
	for (const [name, scenario] of SCENARIOS) {
		const checks = new Checks();
		const t = Date.now();
		try {
			const result = await scenario(ctx, checks);
			if (name === 'autoReply+deliveryReport') Object.assign(results, result);
			else results[name] = result;
		} catch (e) {
			checks.failures.push(e.message);
		}
		for (const f of checks.failures) {
			failures.push(`${name}: ${f}`);
			detail(red('problem'), red(f));
		}
		if (checks.failures.length === 0) detail('', `${OK} ${((Date.now() - t) / 1000).toFixed(1)} s`);
	}
	return { ok: failures.length === 0, results, failures };
}
