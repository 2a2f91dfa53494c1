/**
 * The trigger's parameters, and the one function that reads them. Defaults are chosen
 * for a production push URL: everything on, duplicates dropped for a day.
 */
import { NodeOperationError, type INode, type INodeProperties } from 'n8n-workflow';

import { EVENT_KINDS, type EventKind } from './events/types';
import { CidrSyntaxError } from './security/cidr';
import { parseAllowlistSetting, type AllowlistSetting } from './security';

export const WEBHOOK_PATH = 'sms';

export const properties: INodeProperties[] = [
	{
		displayName:
			'These gateways are configured by hand: give your gateway account the Production URL above (GET and POST both arrive there). For BulkSMS add <code>?secret=</code> and the credential\'s Webhook Secret to it; for GatewayAPI enter the same secret as the webhook\'s authentication token. Activating the workflow registers nothing with the gateway.',
		name: 'notice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Events',
		name: 'events',
		type: 'multiOptions',
		required: true,
		options: [
			{ name: 'Delivery Report', value: 'deliveryReport', description: 'A status report for a message sent earlier (SMS or MMS)' },
			{ name: 'Inbound MMS', value: 'inboundMms', description: 'An MMS received (MX Telecom)' },
			{ name: 'Inbound SMS', value: 'inboundSms', description: 'An SMS received' },
			{ name: 'Unsubscribe', value: 'unsubscribe', description: 'A number removed from a short code (MX Telecom)' },
		],
		default: ['inboundSms', 'inboundMms', 'deliveryReport', 'unsubscribe'],
		description: 'Events that start the workflow. Other pushes are answered with 200 and dropped.',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Binary Property',
				name: 'binaryPropertyName',
				type: 'string',
				default: 'data',
				description:
					'Binary property for an inbound MMS zip; with Unpack MMS, the parts follow as this name plus their index (data0, data1, ...)',
			},
			{
				displayName: 'Dedupe Window (Seconds)',
				name: 'dedupeWindow',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 86400,
				description:
					'A push repeating one answered within this many seconds is acknowledged and dropped. 0 turns it off. Kept in the memory of each n8n process.',
			},
			{
				displayName: 'Ignore Stale Reports',
				name: 'ignoreStaleReports',
				type: 'boolean',
				default: true,
				description:
					'Whether to drop a non-final delivery report that arrives after a final one for the same message and recipient (reports may arrive out of order)',
			},
			{
				displayName: 'IP Allowlist',
				name: 'ipAllowlist',
				type: 'string',
				default: '',
				placeholder: '83.166.68.0/23, 83.166.72.0/24',
				description:
					'Addresses or CIDR ranges allowed to push, separated by commas. Empty: the ranges MX Telecom documents for MX, anyone for other providers. * allows anyone.',
			},
			{
				displayName: 'Max Body Size (KB)',
				name: 'maxBodySize',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 5120,
				description: 'Larger pushes are refused with 413',
			},
			{
				displayName: 'Retrieve Notified MMS',
				name: 'retrieveMms',
				type: 'boolean',
				default: true,
				description:
					'Whether to fetch the content of an MMS announced by a GET notification, with the credential\'s MMS account, before answering the gateway',
			},
			{
				displayName: 'Secret Query Parameter',
				name: 'authQueryParameter',
				type: 'string',
				default: 'secret',
				description:
					'Query parameter of the push URL that carries the Webhook Secret (BulkSMS, and MX Telecom when the credential has a secret)',
			},
			{
				displayName: 'Unpack MMS',
				name: 'unpack',
				type: 'boolean',
				default: true,
				description: 'Whether to output each part listed in an MMS zip\'s manifest as its own binary property',
			},
		],
	},
];

export interface TriggerOptions {
	events: EventKind[];
	binaryPropertyName: string;
	dedupeWindowMs: number;
	ignoreStaleReports: boolean;
	/** Resolved against the credential's provider only when the option is empty. */
	allowlist: AllowlistSetting;
	maxBytes: number;
	retrieveMms: boolean;
	secretParameter: string;
	unpack: boolean;
}

/** How long a retrieval may take: it runs before the gateway's answer, which MX wants within 10 s. */
export const MMS_RETRIEVE_TIMEOUT_MS = 7000;

/** What readOptions needs: webhook() and the activation hooks both provide it. */
export interface ParameterSource {
	getNode(): INode;
	getNodeParameter(parameterName: string, fallbackValue?: unknown): unknown;
}

/**
 * Reads and checks the parameters; a bad setting is a workflow error, not the sender's.
 * Needs no credential, so webhook() can refuse a push before reading one.
 */
export function readOptions(context: ParameterSource): TriggerOptions {
	const events = (context.getNodeParameter('events', []) as string[]).filter((e): e is EventKind =>
		(EVENT_KINDS as readonly string[]).includes(e),
	);
	const o = context.getNodeParameter('options', {}) as {
		binaryPropertyName?: string;
		dedupeWindow?: number;
		ignoreStaleReports?: boolean;
		ipAllowlist?: string;
		maxBodySize?: number;
		retrieveMms?: boolean;
		authQueryParameter?: string;
		unpack?: boolean;
	};
	let allowlist: AllowlistSetting;
	try {
		allowlist = parseAllowlistSetting(o.ipAllowlist ?? '');
	} catch (error) {
		if (error instanceof CidrSyntaxError) {
			throw new NodeOperationError(context.getNode(), `IP Allowlist: ${error.message}`);
		}
		throw new NodeOperationError(context.getNode(), error as Error);
	}
	const secretParameter = (o.authQueryParameter ?? 'secret').trim() || 'secret';
	const binaryPropertyName = (o.binaryPropertyName ?? 'data').trim() || 'data';
	const dedupeSeconds = Number(o.dedupeWindow ?? 86400);
	const maxKb = Number(o.maxBodySize ?? 5120);
	return {
		events,
		binaryPropertyName,
		dedupeWindowMs: Number.isFinite(dedupeSeconds) && dedupeSeconds > 0 ? dedupeSeconds * 1000 : 0,
		ignoreStaleReports: o.ignoreStaleReports !== false,
		allowlist,
		maxBytes: Number.isFinite(maxKb) && maxKb > 0 ? Math.floor(maxKb * 1024) : 5120 * 1024,
		retrieveMms: o.retrieveMms !== false,
		secretParameter,
		unpack: o.unpack !== false,
	};
}
