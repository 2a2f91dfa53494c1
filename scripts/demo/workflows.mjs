// The example workflows (examples/*.json) and the credentials the demo imports
// next to them, adjusted for a loopback gateway simulator.

import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

import { repoRoot } from '../n8n/harness.mjs';

const require = createRequire(import.meta.url);
const { DEFAULT_CREDENTIALS } = require('../../simulator');

export const EXAMPLES_DIR = path.join(repoRoot, 'examples');
export const PACKAGE_NAME = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')).name;
export const ACTION_TYPE = `${PACKAGE_NAME}.smsGateway`;
export const TRIGGER_TYPE = `${PACKAGE_NAME}.smsGatewayTrigger`;
const CREDENTIAL_TYPE = 'smsGatewayApi';

/** The credential id the examples refer to; the demo imports an MX Telecom account under it. */
export const EXAMPLE_CREDENTIAL_ID = 'smsGatewayAccount';

/** The folder n8n 2 lets nodes write to in its Docker image (N8N_RESTRICT_FILE_ACCESS_TO's default, ~/.n8n-files). */
const DOCKER_FILES_DIR = '/home/node/.n8n-files';

/** Every examples/*.json, parsed, in file-name order: `[{ file, workflow }]`. */
export function loadExamples(dir = EXAMPLES_DIR) {
	return fs
		.readdirSync(dir)
		.filter((f) => f.endsWith('.json'))
		.sort()
		.map((file) => ({ file, workflow: JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) }));
}

/**
 * One credential per provider, all pointing at the simulator. The MX Telecom one
 * takes the id the examples use, so they work without re-linking; the other two
 * are there to try in the editor.
 */
export function simulatorCredentials(simUrl) {
	const c = DEFAULT_CREDENTIALS;
	return [
		{
			id: EXAMPLE_CREDENTIAL_ID,
			name: 'SMS Gateway account (simulator, MX Telecom)',
			type: CREDENTIAL_TYPE,
			data: {
				provider: 'mxTelecom',
				baseUrl: simUrl,
				mmsBaseUrl: simUrl,
				username: c.mxTelecom.username,
				password: c.mxTelecom.password,
				mmsUsername: c.mxTelecom.mmsUsername,
				mmsPassword: c.mxTelecom.mmsPassword,
				webhookSecret: '',
			},
		},
		{
			id: 'smsGatewayBulkSms',
			name: 'SMS Gateway (simulator, BulkSMS)',
			type: CREDENTIAL_TYPE,
			data: {
				provider: 'bulkSms',
				baseUrl: simUrl,
				username: c.bulkSms.username,
				password: c.bulkSms.password,
				webhookSecret: c.webhookSecret,
			},
		},
		{
			id: 'smsGatewayGatewayApi',
			name: 'SMS Gateway (simulator, GatewayAPI)',
			type: CREDENTIAL_TYPE,
			data: { provider: 'gatewayApi', baseUrl: simUrl, token: c.gatewayApi.token, webhookSecret: c.webhookSecret },
		},
	];
}

/**
 * A copy of an example adjusted for the demo, and nothing else changed:
 * - credential references carry the imported credential's name;
 * - triggers accept pushes from loopback (with an MX Telecom credential the
 *   trigger otherwise only accepts MX's documented address ranges);
 * - files are written under the demo's own `~/.n8n-files` instead of the
 *   Docker image's.
 */
export function adaptForDemo(workflow, { credentials, filesDir }) {
	const names = Object.fromEntries(credentials.map((c) => [c.id, c.name]));
	const copy = structuredClone(workflow);
	for (const node of copy.nodes) {
		const ref = node.credentials?.[CREDENTIAL_TYPE];
		if (ref && names[ref.id]) ref.name = names[ref.id];
		if (node.type === TRIGGER_TYPE) {
			node.parameters.options = { ...node.parameters.options, ipAllowlist: '127.0.0.1/32, ::1' };
		}
		if (node.type === 'n8n-nodes-base.readWriteFile' && typeof node.parameters.fileName === 'string') {
			node.parameters.fileName = node.parameters.fileName.split(DOCKER_FILES_DIR).join(filesDir);
		}
	}
	return copy;
}

/** The trigger node of a workflow (ours), if it has one. */
export function triggerNode(workflow) {
	return workflow.nodes.find((n) => n.type === TRIGGER_TYPE);
}

/** The Manual Trigger node of a workflow, if it has one. */
export function manualNode(workflow) {
	return workflow.nodes.find((n) => n.type === 'n8n-nodes-base.manualTrigger');
}

/** The production push URL of a workflow's SMS Gateway Trigger (docs/events.md). */
export function pushUrl(baseUrl, workflow) {
	const node = triggerNode(workflow);
	if (!node?.webhookId) throw new Error(`workflow ${workflow.id} has no SMS Gateway Trigger with a webhookId`);
	return `${baseUrl}/webhook/${node.webhookId}/sms`;
}
