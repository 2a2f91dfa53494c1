/**
 * Hostile and malformed input, table-driven, on all three sides:
 * - node side: parameters and credentials that must be refused inside n8n before any
 *   request leaves (n8n's NodeOperationError, "Item N, field "X": ..."), plus the inputs
 *   that must NOT be refused (duplicates and blanks collapsed, 10,001+ recipients batched);
 * - gateway side: a client facing broken gateway answers (HTML pages, truncated pipe
 *   answers, unknown codes, JSON with missing fields, 64-bit ids, slow loris);
 * - trigger side: pushes the trigger must refuse with a status, starting nothing. The
 *   cases already in test/trigger/*.test.ts are not repeated here; they are counted (see
 *   EXISTING_TRIGGER_CASES and docs/reliability.md) and this table adds what they lacked.
 * Every case asserts the exact error class and message and what reached the simulator.
 */
import type { ICredentialDataDecryptedObject, INodeParameters } from 'n8n-workflow';

import { request, signJwt, startSimulator, zip, type PushResult, type RespondWithOptions, type Simulator } from '../../simulator';
import {
	createGatewayClient,
	GatewayError,
	type GatewayConfig,
	type ProviderName,
	type RecipientResult,
} from '../../nodes/shared/providers';
import { SmsGateway } from '../../nodes/SmsGateway/SmsGateway.node';
import { runNode } from '../helpers/n8n';
import { startTrigger, type TriggerHarness } from '../helpers/triggerHarness';
import { bulkConfig, gwConfig, mxConfig, rejection } from '../providers/support';
import { credentialsFor } from '../trigger/fixtures';
import { report } from './report';
import { PROVIDER_NAMES, idempotencyKey, msisdns } from './support';

let sim: Simulator;

beforeAll(async () => {
	sim = await startSimulator({ port: 0 });
});
afterAll(async () => {
	await sim.close();
});
beforeEach(() => sim.reset());

const RULE = 'use international format: digits only, an optional leading +, 7 to 15 digits, e.g. +447700900123';
const ORIGINATOR_CHARS = "use letters, digits, spaces and . - _ & + ! ? # @ ' ( ) / : ,";
const NUMERIC_MAX: Record<ProviderName, number> = { mxTelecom: 16, bulkSms: 15, gatewayApi: 15 };

/* ------------------------------------------------------------------------------------------
 * Node side
 * ---------------------------------------------------------------------------------------- */

interface NodeCase {
	name: string;
	providers?: readonly ProviderName[];
	parameters: INodeParameters;
	credentials?: ICredentialDataDecryptedObject;
	/** The whole message of the NodeOperationError, per provider when it differs. */
	message: string | RegExp | ((provider: ProviderName) => string | RegExp);
}

const SEND: INodeParameters = { resource: 'message', operation: 'send', to: '447700900123', message: 'hello' };
const BROADCAST: INodeParameters = { resource: 'message', operation: 'broadcast', recipients: '447700900123', message: 'hello' };
const BINARY: INodeParameters = { ...SEND, encoding: 'binary', hexPayload: '48656C6C6F', udh: '050003CC0201' };
const send = (extra: INodeParameters): INodeParameters => ({ ...SEND, ...extra });
const to = (value: string, reason: string) => `Item 0, field "To": Recipient ${JSON.stringify(value)} (recipient 1) ${reason}; ${RULE}`;
const MX_ONLY = ['mxTelecom'] as const;
const BULK_ONLY = ['bulkSms'] as const;
const GW_ONLY = ['gatewayApi'] as const;

const nodeCases: NodeCase[] = [
	// MSISDNs
	{ name: 'To with letters', parameters: send({ to: '44abc7700900' }), message: to('44abc7700900', 'is not a valid MSISDN: only digits are allowed') },
	{ name: 'To too short', parameters: send({ to: '123456' }), message: to('123456', 'is too short (6 digits)') },
	{ name: 'To too long', parameters: send({ to: '1234567890123456' }), message: to('1234567890123456', 'is too long (16 digits)') },
	{ name: 'To empty (from an expression)', parameters: send({ to: '={{ "" }}' }), message: `Item 0, field "To": No recipient given; ${RULE}` },
	{ name: 'To only whitespace', parameters: send({ to: '  \t ' }), message: `Item 0, field "To": No recipient given; ${RULE}` },
	{ name: 'To with a 00 prefix', parameters: send({ to: '00447700900123' }), message: to('00447700900123', 'starts with 00: drop the 00 prefix and write the number as +<country code><number>') },
	{ name: 'To in national format', parameters: send({ to: '07700900123' }), message: to('07700900123', 'starts with 0, which looks like a national number') },
	{ name: 'To a lone +', parameters: send({ to: '+' }), message: to('+', 'is not a valid MSISDN: only digits are allowed') },
	{ name: 'To with two +', parameters: send({ to: '++447700900123' }), message: to('++447700900123', 'is not a valid MSISDN: only digits are allowed') },
	{ name: 'To with inner spaces', parameters: send({ to: '44 7700 900123' }), message: to('44 7700 900123', 'is not a valid MSISDN: only digits are allowed') },
	{
		name: 'To in Arabic-Indic digits',
		providers: GW_ONLY,
		parameters: send({ to: '\u0664\u0664\u0667\u0667\u0660\u0660\u0669\u0660\u0660\u0661\u0662\u0663' }),
		message: to('\u0664\u0664\u0667\u0667\u0660\u0660\u0669\u0660\u0660\u0661\u0662\u0663', 'is not a valid MSISDN: only digits are allowed'),
	},
	{
		name: 'Recipients with an invalid number, Invalid Recipients = Stop',
		parameters: { ...BROADCAST, recipients: '447700900123\nnot-a-number', options: { invalidRecipients: 'stop' } },
		message: `Item 0, field "Recipients": Recipient "not-a-number" (recipient 2) is not a valid MSISDN: only digits are allowed; ${RULE}`,
	},
	{ name: 'Recipients only separators and blanks', parameters: { ...BROADCAST, recipients: ' ,; \n , ' }, message: `Item 0, field "Recipients": No recipient given; ${RULE}` },
	{
		name: 'Recipients as an object',
		providers: GW_ONLY,
		parameters: { ...BROADCAST, recipients: '={{ { "to": "447700900123" } }}' },
		message: 'Item 0, field "Recipients": must be text or a list of phone numbers, got object',
	},
	// Originators
	{
		name: 'From alphanumeric, 12 characters',
		parameters: send({ from: 'ABCDEFGHIJKL' }),
		message: (p) => `Item 0, field "From": The alphanumeric originator "ABCDEFGHIJKL" has 12 characters; at most 11 are allowed (or up to ${NUMERIC_MAX[p]} digits for a number)`,
	},
	{
		name: 'From numeric, one digit over the provider limit',
		parameters: {},
		message: (p) =>
			`Item 0, field "From": The numeric originator "${'9'.repeat(NUMERIC_MAX[p] + 1)}" has ${NUMERIC_MAX[p] + 1} digits; ${p} allows at most ${NUMERIC_MAX[p]} digits (or at most 11 letters and digits)`,
	},
	{ name: 'From with markup characters', parameters: send({ from: 'AC<ME>' }), message: `Item 0, field "From": The originator "AC<ME>" contains characters gateways cannot show as a sender; ${ORIGINATOR_CHARS}` },
	{
		name: 'From with an emoji',
		providers: GW_ONLY,
		parameters: send({ from: 'Shop\ud83d\ude00' }),
		message: `Item 0, field "From": The originator "Shop\ud83d\ude00" contains characters gateways cannot show as a sender; ${ORIGINATOR_CHARS}`,
	},
	// Messages
	{ name: 'Message empty (from an expression)', parameters: send({ message: '={{ "" }}' }), message: 'Item 0, field "Message": The message is empty or only whitespace' },
	{ name: 'Message only whitespace', parameters: send({ message: ' \n\t  ' }), message: 'Item 0, field "Message": The message is empty or only whitespace' },
	{
		name: 'Message with a lone high surrogate',
		parameters: send({ message: 'a\ud800b' }),
		message: 'Item 0, field "Message": The message has a lone UTF-16 surrogate (U+D800) at index 1: it is not valid Unicode and cannot be sent',
	},
	{
		name: 'Message ending in a lone low surrogate',
		providers: GW_ONLY,
		parameters: send({ message: 'end\udc00' }),
		message: 'Item 0, field "Message": The message has a lone UTF-16 surrogate (U+DC00) at index 3: it is not valid Unicode and cannot be sent',
	},
	{
		name: 'GSM-7 forced with an emoji',
		parameters: send({ encoding: 'gsm7', message: 'hi \ud83d\ude00' }),
		message: 'Item 0, field "Message": Character "\ud83d\ude00" (U+1F600) at index 3 is not in the GSM 03.38 alphabet; use encoding \'auto\' or \'ucs2\'',
	},
	{
		name: 'GSM-7 forced with a character BulkSMS 7-bit cannot carry',
		providers: BULK_ONLY,
		parameters: send({ encoding: 'gsm7', message: 'Price: 5\u20ac' }),
		message: 'Item 0, field "Message": Character "\u20ac" (U+20AC) at index 8 cannot be sent as BulkSMS 7-bit (ISO-8859-1) text on this gateway; use encoding \'auto\' or \'ucs2\'',
	},
	// Binary
	{
		name: 'Hex payload with non-hex characters',
		parameters: { ...BINARY, hexPayload: '48ZZ' },
		message: 'Item 0, field "Hex Payload": binary.hex is not hex: character "Z" at index 2 is not a hex digit; give two hex digits (0-9, A-F) per octet',
	},
	{
		name: 'Hex payload with a 0x prefix',
		providers: GW_ONLY,
		parameters: { ...BINARY, hexPayload: '0x4865' },
		message: 'Item 0, field "Hex Payload": binary.hex is not hex: character "x" at index 1 is not a hex digit; give two hex digits (0-9, A-F) per octet',
	},
	{
		name: 'Hex payload with an odd number of digits',
		parameters: { ...BINARY, hexPayload: '486' },
		message: 'Item 0, field "Hex Payload": binary.hex is not hex: it has an odd number of digits (3); give two hex digits (0-9, A-F) per octet',
	},
	{
		name: 'UDH whose length octet disagrees',
		parameters: { ...BINARY, udh: '060003CC0201' },
		message: 'Item 0, field "UDH": binary.udh must start with its length octet (UDHL): the header has 5 octets after the first, but the first octet says 6',
	},
	{
		name: 'UDH longer than an SMS',
		parameters: { ...BINARY, udh: `8C${'00'.repeat(140)}` },
		message: 'Item 0, field "UDH": The UDH has 141 octets; with the payload it must fit one SMS of 140 octets',
	},
	{
		name: 'UDH plus payload over 140 octets',
		parameters: { ...BINARY, hexPayload: 'AB'.repeat(135) },
		message: 'Item 0, field "Hex Payload": UDH (6 octets) plus payload (135 octets) is 141 octets; a binary SMS holds at most 140',
	},
	{ name: 'Hex payload empty, no UDH', parameters: { ...BINARY, hexPayload: '={{ "" }}', udh: '' }, message: 'Item 0, field "Hex Payload": The binary payload is empty' },
	{
		name: 'BulkSMS binary without a UDH',
		providers: BULK_ONLY,
		parameters: { ...BINARY, udh: '' },
		message: 'Item 0, field "UDH": BulkSMS sets the UDH indicator on every 8-bit message, so binary.udh is required (start the octets with a UDH)',
	},
	// Parts
	{
		name: 'More than 255 parts',
		parameters: send({ message: 'x'.repeat(153 * 255 + 1) }),
		message: 'Item 0, field "Message": Message needs 256 parts (39016 septets); a concatenated SMS has at most 255 parts of 153',
	},
	{
		name: 'More parts than Max Parts (GSM-7)',
		parameters: send({ message: 'x'.repeat(400), options: { maxParts: 2 } }),
		message: 'Item 0, field "Max Parts": The message needs 3 parts (400 GSM-7 septets) but maxParts is 2; shorten it or raise maxParts',
	},
	{
		name: 'More parts than Max Parts (UCS-2)',
		providers: GW_ONLY,
		parameters: send({ message: '\u0416'.repeat(71), options: { maxParts: 1 } }),
		message: 'Item 0, field "Max Parts": The message needs 2 parts (71 UCS-2 units) but maxParts is 1; shorten it or raise maxParts',
	},
	{ name: 'Max Parts 0', providers: GW_ONLY, parameters: send({ options: { maxParts: 0 } }), message: 'Item 0, field "Max Parts": maxParts must be a whole number from 1 to 255, got 0' },
	{ name: 'Max Parts 256', providers: BULK_ONLY, parameters: send({ options: { maxParts: 256 } }), message: 'Item 0, field "Max Parts": maxParts must be a whole number from 1 to 255, got 256' },
	// Schedules
	{
		name: 'Schedule in the past',
		parameters: send({ options: { scheduleAt: '2001-01-01T00:00:00Z' } }),
		message: 'Item 0, field "Schedule At": The schedule 2001-01-01T00:00:00.000Z is in the past; give a future time, or leave it empty to send now',
	},
	{
		name: 'Schedule badly formatted',
		parameters: send({ options: { scheduleAt: '31/01/2030 10:00' } }),
		message: 'Item 0, field "Schedule At": The schedule "31/01/2030 10:00" is not an ISO 8601 date-time with a time zone; write it like 2030-01-31T09:30:00Z or 2030-01-31T10:30:00+01:00',
	},
	{
		name: 'Schedule on 30 February',
		providers: GW_ONLY,
		parameters: send({ options: { scheduleAt: '2030-02-30T10:00:00Z' } }),
		message: 'Item 0, field "Schedule At": The schedule "2030-02-30T10:00:00Z" is not a real date and time',
	},
	{
		name: 'Schedule at hour 25',
		providers: BULK_ONLY,
		parameters: send({ options: { scheduleAt: '2030-01-31T25:00:00Z' } }),
		message: 'Item 0, field "Schedule At": The schedule "2030-01-31T25:00:00Z" is not a real date and time',
	},
	{
		name: 'Schedule on MX (no scheduling parameter)',
		providers: MX_ONLY,
		parameters: send({ options: { scheduleAt: '2030-01-31T10:00:00Z' } }),
		message: 'Item 0, field "Schedule At": MX Telecom\'s HTTP interface has no scheduling parameter; leave scheduleAt empty for this provider',
	},
	// Validity
	{
		name: 'Validity 0 seconds',
		providers: GW_ONLY,
		parameters: send({ options: { validity: 0 } }),
		message: 'Item 0, field "Validity (Seconds)": The validity must be a whole number of seconds from 1 to 31536000, got 0',
	},
	{
		name: 'Validity on BulkSMS (no such parameter)',
		providers: BULK_ONLY,
		parameters: send({ options: { validity: 3600 } }),
		message: 'Item 0, field "Validity (Seconds)": BulkSMS EAPI has no validity-period parameter; leave validity empty for this provider',
	},
	// Base URLs and credentials
	{ name: 'Base URL ftp://', parameters: SEND, credentials: { baseUrl: 'ftp://127.0.0.1:21' }, message: 'Item 0, field "Credential: Base URL": baseUrl must use http:// or https://, got ftp:' },
	{
		name: 'Base URL javascript:',
		providers: GW_ONLY,
		parameters: SEND,
		credentials: { baseUrl: 'javascript:alert(1)' },
		message: 'Item 0, field "Credential: Base URL": baseUrl must use http:// or https://, got javascript:',
	},
	{
		name: 'Base URL file://',
		providers: MX_ONLY,
		parameters: SEND,
		credentials: { baseUrl: 'file:///etc/passwd' },
		message: 'Item 0, field "Credential: Base URL": baseUrl must use http:// or https://, got file:',
	},
	{
		name: 'Base URL that is not a URL',
		parameters: SEND,
		credentials: { baseUrl: 'gateway dot example' },
		message: 'Item 0, field "Credential: Base URL": baseUrl "gateway dot example" is not a URL; give the gateway root, e.g. https://gatewayapi.com',
	},
	{
		name: 'Base URL with user:password@',
		parameters: SEND,
		credentials: { baseUrl: 'http://user:pw@127.0.0.1:9' },
		message: 'Item 0, field "Credential: Base URL": baseUrl must not contain credentials; put them in the credential fields',
	},
	{
		name: 'Base URL with a query string',
		providers: BULK_ONLY,
		parameters: SEND,
		credentials: { baseUrl: 'http://127.0.0.1:9/?debug=1' },
		message: 'Item 0, field "Credential: Base URL": baseUrl must not contain a query string or fragment',
	},
	{
		name: 'MMS Base URL gopher://',
		providers: MX_ONLY,
		parameters: SEND,
		credentials: { mmsBaseUrl: 'gopher://127.0.0.1:70' },
		message: 'Item 0, field "Credential: MMS Base URL": mmsBaseUrl must use http:// or https://, got gopher:',
	},
	{ name: 'Credential without a password', providers: MX_ONLY, parameters: SEND, credentials: { password: '' }, message: 'Item 0, field "Credential: Password": The mxTelecom credentials have no password' },
	{ name: 'Credential without a username', providers: BULK_ONLY, parameters: SEND, credentials: { username: '' }, message: 'Item 0, field "Credential: Username": The bulkSms credentials have no username' },
	{ name: 'Credential without a token', providers: GW_ONLY, parameters: SEND, credentials: { token: '' }, message: 'Item 0, field "Credential: API Token": The gatewayApi credentials have no token' },
	{
		name: 'Credential with an unknown provider',
		providers: GW_ONLY,
		parameters: SEND,
		credentials: { provider: 'twilio' },
		message: 'Item 0, field "Credential: Provider": Unknown provider "twilio"; use one of \'mxTelecom\', \'bulkSms\', \'gatewayApi\'',
	},
	// Provider options
	{
		name: 'Callback URL that is not http(s)',
		providers: GW_ONLY,
		parameters: send({ gatewayApiOptions: { callbackUrl: 'ftp://example.com/cb' } }),
		message: 'Item 0, field "gatewayApi Options: callbackUrl": callbackUrl must be an http:// or https:// URL',
	},
	{
		name: 'GatewayAPI class outside the list',
		providers: GW_ONLY,
		parameters: send({ gatewayApiOptions: { class: 'vip' } }),
		message: 'Item 0, field "gatewayApi Options: class": class must be one of standard, premium, secret, charge',
	},
	{ name: 'BulkSMS message class 7', providers: BULK_ONLY, parameters: send({ bulkSmsOptions: { msgClass: 7 } }), message: 'Item 0, field "bulkSms Options: msgClass": msgClass must be 0, 1, 2 or 3' },
	{
		name: 'BulkSMS flash with message class 2',
		providers: BULK_ONLY,
		parameters: send({ options: { flash: true }, bulkSmsOptions: { msgClass: 2 } }),
		message: 'Item 0, field "Flash": A flash message is message class 0, but msgClass is 2',
	},
	{
		name: 'BulkSMS sender with repliable',
		providers: BULK_ONLY,
		parameters: send({ from: 'ACME', bulkSmsOptions: { repliable: true } }),
		message: 'Item 0, field "bulkSms Options: repliable": BulkSMS cannot combine a sender with repliable messages; leave from empty or repliable off',
	},
	{
		name: 'MX note over 160 characters',
		providers: MX_ONLY,
		parameters: send({ mxTelecomOptions: { note: 'n'.repeat(161) } }),
		message: 'Item 0, field "mxTelecom Options: note": providerOptions.mxTelecom.note is 161 characters long; MX Telecom allows at most 160',
	},
	{
		name: 'MX subaccount over 10 characters',
		providers: MX_ONLY,
		parameters: send({ mxTelecomOptions: { subaccount: 'sub-account' } }),
		message: 'Item 0, field "mxTelecom Options: subaccount": providerOptions.mxTelecom.subaccount is 11 characters long; MX Telecom allows at most 10',
	},
	{
		name: 'MX client reference over 160 characters',
		providers: MX_ONLY,
		parameters: send({ options: { clientReference: 'r'.repeat(161) } }),
		message: 'Item 0, field "Client Reference": clientReference is 161 characters long; MX Telecom allows at most 160',
	},
	// MMS
	{
		name: 'Send MMS on a provider without MMS',
		providers: ['bulkSms', 'gatewayApi'],
		parameters: { resource: 'mms', operation: 'send', to: '447700900123', from: '58870', text: 'hi' },
		message: (p) => `Item 0: Send MMS is not supported by this provider (${p}); only MX Telecom / OpenMarket offers an MMS interface`,
	},
	{
		name: 'Send MMS without any part',
		providers: MX_ONLY,
		parameters: { resource: 'mms', operation: 'send', to: '447700900123', from: '58870', binaryProperties: '', text: '' },
		message: 'Item 0: an MMS needs at least one part: name binary properties in "Binary Properties" or fill in "Text"',
	},
	{
		name: 'Send MMS to an invalid number',
		providers: MX_ONLY,
		parameters: { resource: 'mms', operation: 'send', to: '12ab', from: '58870', binaryProperties: '', text: 'hi' },
		message: to('12ab', 'is not a valid MSISDN: only digits are allowed').replace(' (recipient 1)', ''),
	},
	{
		name: 'Retrieve MMS with a path as its id',
		providers: MX_ONLY,
		parameters: { resource: 'mms', operation: 'retrieve', messageId: '../../etc/passwd' },
		message: 'Item 0, field "Message ID": The MMS id must be 1-64 letters, digits, ".", "_" or "-"',
	},
];

// The numeric-originator case needs the provider's own limit in its parameters.
const paramsFor = (c: NodeCase, provider: ProviderName): INodeParameters =>
	c.name.startsWith('From numeric') ? send({ from: '9'.repeat(NUMERIC_MAX[provider] + 1) }) : c.parameters;

const nodeCredentials = (provider: ProviderName): ICredentialDataDecryptedObject => {
	const c = sim.credentials;
	return {
		mxTelecom: { provider, baseUrl: sim.url, mmsBaseUrl: sim.url, username: c.mxTelecom.username, password: c.mxTelecom.password },
		bulkSms: { provider, baseUrl: sim.url, username: c.bulkSms.username, password: c.bulkSms.password },
		gatewayApi: { provider, baseUrl: sim.url, token: c.gatewayApi.token },
	}[provider];
};

const nodeRows = nodeCases.flatMap((c) => (c.providers ?? PROVIDER_NAMES).map((provider) => [`${provider}: ${c.name}`, provider, c] as const));

describe('node side: refused inside n8n, nothing sent', () => {
	test.each(nodeRows)('%s', async (_label, provider, c) => {
		const { error, items } = await runNode({
			node: new SmsGateway(),
			credentials: { ...nodeCredentials(provider), ...(c.credentials ?? {}) },
			parameters: paramsFor(c, provider),
		});
		const expected = typeof c.message === 'function' ? c.message(provider) : c.message;
		expect(error?.name).toBe('NodeOperationError');
		if (typeof expected === 'string') expect(error?.message).toBe(expected);
		else expect(error?.message).toMatch(expected);
		expect(error?.context).toEqual(expect.objectContaining({ itemIndex: 0 }));
		expect(items).toEqual([]);
		expect(sim.requests).toEqual([]);
	});
});

describe('node side: accepted and normalised, not refused', () => {
	test.each(PROVIDER_NAMES)('%s: duplicates and blanks are collapsed; each number is sent once', async (provider) => {
		const { error, items } = await runNode({
			node: new SmsGateway(),
			credentials: nodeCredentials(provider),
			parameters: { ...BROADCAST, recipients: ' 447700900123 , ,\n\n+447700900123;447700900124,,447700900123\n' },
		});
		expect(error).toBeUndefined();
		expect(items.map((i) => [i.json.to, i.json.status, i.json.duplicates])).toEqual([
			['447700900123', 'accepted', 2],
			['447700900124', 'accepted', undefined],
		]);
		expect(sim.requests).toHaveLength(1);
		expect(sim.accepted.map((a) => a.to).sort()).toEqual(['447700900123', '447700900124']);
	});

	const batches: Record<ProviderName, number> = { mxTelecom: 2, bulkSms: 11, gatewayApi: 2 };
	test.each(PROVIDER_NAMES)('%s: 10,001 recipients are batched, not refused', async (provider) => {
		const recipients = msisdns(10_001);
		const { error, items } = await runNode({
			node: new SmsGateway(),
			credentials: nodeCredentials(provider),
			parameters: { ...BROADCAST, recipients: recipients.join('\n') },
		});
		expect(error).toBeUndefined();
		expect(items).toHaveLength(10_001);
		expect(items.every((i) => i.json.status === 'accepted')).toBe(true);
		expect(sim.requests).toHaveLength(batches[provider]);
		expect(sim.accepted).toHaveLength(10_001);
		expect(sim.duplicates()).toEqual([]);
	});
});

/* ------------------------------------------------------------------------------------------
 * Gateway side
 * ---------------------------------------------------------------------------------------- */

const FAST = { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 5 };
const HTML = '<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\n<body><h1>Bad Gateway</h1><p>nginx</p></body></html>';
const HTML_FLAT = '<!DOCTYPE html> <html><head><title>502 Bad Gateway</title></head> <body><h1>Bad Gateway</h1><p>nginx</p></body></html>';
const NOT_RESENT = (attempts: number) => `; the gateway may or may not have accepted it, so it was not resent blindly (attempts: ${attempts})`;
const NOTHING_ACCEPTED = (attempts: number) => ` (attempts: ${attempts}); nothing was accepted`;

interface GatewayCase {
	name: string;
	provider: ProviderName;
	method?: 'send' | 'broadcast';
	to?: string[];
	/** Answers queued before the call (each `respondWith`). */
	answers: RespondWithOptions[];
	config?: Partial<GatewayConfig>;
	/** Expected results (matched per recipient). */
	expect: Array<Partial<RecipientResult> & { error?: { code: string; message: string; retryable: boolean } }>;
	/** Requests that reached the send endpoint. */
	requests: number;
	/** Recipients the simulator accepted. */
	accepted: number;
	/** The same idempotency key on every attempt. */
	sameKey?: boolean;
	/** The results carry no messageId. */
	noMessageId?: boolean;
}

const configFor = (provider: ProviderName, extra: Partial<GatewayConfig> = {}): GatewayConfig =>
	provider === 'mxTelecom' ? mxConfig(sim, { retry: FAST, ...extra }) : provider === 'bulkSms' ? bulkConfig(sim, { retry: FAST, ...extra }) : gwConfig(sim, { retry: FAST, ...extra });

const ENDPOINT: Record<string, RespondWithOptions['endpoint']> = { mxSingle: 'mx.send', mxBulk: 'mx.bulksend', bulk: 'bulksms.send_sms', gw: 'gatewayapi.mtsms' };
const TWO = ['447700900001', '447700900002'];

const gatewayCases: GatewayCase[] = [
	// HTML error pages instead of the expected body
	{
		name: 'MX single send: an HTML page with 200',
		provider: 'mxTelecom',
		method: 'send',
		answers: [{ endpoint: ENDPOINT.mxSingle, status: 200, body: HTML, headers: { 'Content-Type': 'text/html' } }],
		expect: [{ status: 'unknown', error: { code: 'UNPARSEABLE_RESPONSE', message: `MX Telecom answered HTTP 200 without an SMS id: ${HTML_FLAT}`, retryable: false } }],
		requests: 1,
		accepted: 0,
	},
	{
		name: 'MX bulksend: an HTML page with 200, every time (retried with the same submitid)',
		provider: 'mxTelecom',
		to: TWO,
		answers: [{ endpoint: ENDPOINT.mxBulk, status: 200, body: HTML, times: 4 }],
		expect: TWO.map(() => ({ status: 'unknown' as const, error: { code: 'UNPARSEABLE_RESPONSE', message: `Unreadable bulksend answer: ${HTML_FLAT}${NOT_RESENT(4)}`, retryable: false } })),
		requests: 4,
		accepted: 0,
		sameKey: true,
	},
	{
		name: 'MX bulksend: an HTML 502 page once, then the real answer',
		provider: 'mxTelecom',
		to: TWO,
		answers: [{ endpoint: ENDPOINT.mxBulk, status: 502, body: HTML }],
		expect: TWO.map(() => ({ status: 'accepted' as const })),
		requests: 2,
		accepted: 2,
		sameKey: true,
	},
	{
		name: 'MX single send: an HTML 403 page',
		provider: 'mxTelecom',
		method: 'send',
		answers: [{ endpoint: ENDPOINT.mxSingle, status: 403, body: HTML }],
		expect: [{ status: 'failed', error: { code: 'AUTH', message: `MX Telecom rejected the credentials (HTTP 403): ${HTML_FLAT}`, retryable: false } }],
		requests: 1,
		accepted: 0,
	},
	{
		name: 'BulkSMS: an HTML page with 200, every time',
		provider: 'bulkSms',
		answers: [{ endpoint: ENDPOINT.bulk, status: 200, body: HTML, times: 4 }],
		expect: [{ status: 'unknown', error: { code: 'UNPARSEABLE_RESPONSE', message: `Unreadable BulkSMS answer: ${HTML_FLAT}${NOT_RESENT(4)}`, retryable: false } }],
		requests: 4,
		accepted: 0,
		sameKey: true,
	},
	{
		name: 'BulkSMS: an HTML 404 page every time (proven not processed)',
		provider: 'bulkSms',
		answers: [{ endpoint: ENDPOINT.bulk, status: 404, body: HTML, times: 4 }],
		expect: [{ status: 'failed', error: { code: 'HTTP_404', message: `BulkSMS answered HTTP 404: ${HTML_FLAT}${NOTHING_ACCEPTED(4)}`, retryable: true } }],
		requests: 4,
		accepted: 0,
		sameKey: true,
	},
	{
		name: 'GatewayAPI: an HTML 502 page (not resent: no idempotency key)',
		provider: 'gatewayApi',
		answers: [{ endpoint: ENDPOINT.gw, status: 502, body: HTML }],
		expect: [{ status: 'unknown', error: { code: 'HTTP_502', message: `The gateway failed (HTTP 502): ${HTML_FLAT}${NOT_RESENT(1)}`, retryable: false } }],
		requests: 1,
		accepted: 0,
	},
	{
		name: 'GatewayAPI: an HTML page with 200 (documented: 200 means accepted, no id)',
		provider: 'gatewayApi',
		answers: [{ endpoint: ENDPOINT.gw, status: 200, body: HTML }],
		expect: [{ status: 'accepted' }],
		noMessageId: true,
		requests: 1,
		accepted: 0,
	},
	// Truncated pipe answers
	{
		name: 'BulkSMS: connection closed in the middle of "0|IN_PROGRESS|..." after accepting; the retry replays it',
		provider: 'bulkSms',
		answers: [{ endpoint: ENDPOINT.bulk, accept: true, status: 200, body: '0|IN_PROG', truncate: true }],
		expect: [{ status: 'accepted', messageId: expect.stringMatching(/^[1-9]\d*$/) as unknown as string }],
		requests: 2,
		accepted: 1,
		sameKey: true,
	},
	{
		name: 'BulkSMS: "0|IN_PROGRESS|" without its batch id, every time',
		provider: 'bulkSms',
		answers: [{ endpoint: ENDPOINT.bulk, accept: true, status: 200, body: '0|IN_PROGRESS|', times: 4 }],
		expect: [{ status: 'accepted' }],
		noMessageId: true,
		requests: 4,
		accepted: 1,
		sameKey: true,
	},
	{
		name: 'BulkSMS: a bare "0" (no pipe), every time',
		provider: 'bulkSms',
		answers: [{ endpoint: ENDPOINT.bulk, status: 200, body: '0', times: 4 }],
		expect: [{ status: 'unknown', error: { code: 'UNPARSEABLE_RESPONSE', message: `Unreadable BulkSMS answer: 0${NOT_RESENT(4)}`, retryable: false } }],
		requests: 4,
		accepted: 0,
		sameKey: true,
	},
	{
		name: 'MX bulksend: the answer is cut mid-line after accepting; the retry replays it',
		provider: 'mxTelecom',
		to: TWO,
		answers: [{ endpoint: ENDPOINT.mxBulk, accept: true, status: 200, body: '447700900001 900719925474', truncate: true }],
		expect: TWO.map(() => ({ status: 'accepted' as const, messageId: expect.stringMatching(/^\d{16,20}$/) as unknown as string })),
		requests: 2,
		accepted: 2,
		sameKey: true,
	},
	{
		name: 'MX bulksend: an answer with a line for only one of two recipients',
		provider: 'mxTelecom',
		to: TWO,
		answers: [{ endpoint: ENDPOINT.mxBulk, status: 200, body: '447700900001 18446744073709551615\n' }],
		expect: [
			{ status: 'accepted', messageId: '18446744073709551615' },
			{ status: 'unknown', error: { code: 'MISSING_IN_RESPONSE', message: 'The bulksend answer has no line for this recipient', retryable: false } },
		],
		requests: 1,
		accepted: 0,
	},
	// Unknown status codes
	{
		name: 'BulkSMS: status code 999',
		provider: 'bulkSms',
		answers: [{ endpoint: ENDPOINT.bulk, status: 200, body: '999|something new|' }],
		expect: [{ status: 'failed', error: { code: 'BULKSMS_999', message: 'BulkSMS status 999 (something new)', retryable: false } }],
		requests: 1,
		accepted: 0,
	},
	{
		name: 'GatewayAPI: HTTP 418 with a JSON error',
		provider: 'gatewayApi',
		answers: [{ endpoint: ENDPOINT.gw, status: 418, body: '{"code":"0x0999","message":"I am a teapot"}' }],
		expect: [{ status: 'failed', error: { code: '0x0999', message: 'GatewayAPI refused the request (HTTP 418): 0x0999, I am a teapot', retryable: false } }],
		requests: 1,
		accepted: 0,
	},
	{
		name: 'MX single send: HTTP 302 to somewhere else',
		provider: 'mxTelecom',
		method: 'send',
		answers: [{ endpoint: ENDPOINT.mxSingle, status: 302, body: '', headers: { Location: 'http://127.0.0.1:9/elsewhere' } }],
		expect: [{ status: 'unknown', error: { code: 'CONNECTION_LOST', message: expect.stringMatching(/^The connection failed \(.+\); the gateway may or may not have accepted it, so it was not resent blindly \(attempts: 1\)$/) as unknown as string, retryable: false } }],
		requests: 1,
		accepted: 0,
	},
	{
		name: 'MX single send: "FAILURE" in a 200',
		provider: 'mxTelecom',
		method: 'send',
		answers: [{ endpoint: ENDPOINT.mxSingle, status: 200, body: 'FAILURE Invalid destination\n' }],
		expect: [{ status: 'failed', error: { code: 'REJECTED', message: 'MX Telecom answered FAILURE: Invalid destination', retryable: false } }],
		requests: 1,
		accepted: 0,
	},
	// JSON with missing fields
	{
		name: 'GatewayAPI: 200 JSON without "ids"',
		provider: 'gatewayApi',
		answers: [{ endpoint: ENDPOINT.gw, status: 200, body: '{"usage":{"currency":"DKK"}}' }],
		expect: [{ status: 'accepted' }],
		noMessageId: true,
		requests: 1,
		accepted: 0,
	},
	{
		name: 'GatewayAPI: 400 with an empty JSON object',
		provider: 'gatewayApi',
		answers: [{ endpoint: ENDPOINT.gw, status: 400, body: '{}' }],
		expect: [{ status: 'failed', error: { code: 'HTTP_400', message: 'GatewayAPI refused the request (HTTP 400): {}', retryable: false } }],
		requests: 1,
		accepted: 0,
	},
	{
		name: 'GatewayAPI: 401 without a code',
		provider: 'gatewayApi',
		answers: [{ endpoint: ENDPOINT.gw, status: 401, body: '{"message":"Invalid token"}' }],
		expect: [{ status: 'failed', error: { code: 'AUTH', message: 'GatewayAPI refused the request (HTTP 401): Invalid token', retryable: false } }],
		requests: 1,
		accepted: 0,
	},
	{
		name: 'GatewayAPI: 422 whose %1 placeholder has no variable',
		provider: 'gatewayApi',
		answers: [{ endpoint: ENDPOINT.gw, status: 422, body: '{"code":"0x0208","message":"Invalid argument %1: %2","variables":["sender"]}' }],
		expect: [{ status: 'failed', error: { code: '0x0208', message: 'GatewayAPI refused the request (HTTP 422): 0x0208, Invalid argument sender: %2', retryable: false } }],
		requests: 1,
		accepted: 0,
	},
	{
		name: 'GatewayAPI: 200 with ids that are not numbers',
		provider: 'gatewayApi',
		answers: [{ endpoint: ENDPOINT.gw, status: 200, body: '{"ids":[null]}' }],
		expect: [{ status: 'accepted' }],
		noMessageId: true,
		requests: 1,
		accepted: 0,
	},
	// 64-bit ids beyond Number.MAX_SAFE_INTEGER
	{
		name: 'GatewayAPI: id 2^64-1 as a JSON number',
		provider: 'gatewayApi',
		answers: [{ endpoint: ENDPOINT.gw, status: 200, body: '{"ids":[18446744073709551615],"usage":{}}' }],
		expect: [{ status: 'accepted', messageId: '18446744073709551615' }],
		requests: 1,
		accepted: 0,
	},
	{
		name: 'GatewayAPI: id MAX_SAFE_INTEGER + 2 (JSON.parse would round it)',
		provider: 'gatewayApi',
		answers: [{ endpoint: ENDPOINT.gw, status: 200, body: '{"ids":[9007199254740993]}' }],
		expect: [{ status: 'accepted', messageId: '9007199254740993' }],
		requests: 1,
		accepted: 0,
	},
	{
		name: 'GatewayAPI: id as a JSON string',
		provider: 'gatewayApi',
		answers: [{ endpoint: ENDPOINT.gw, status: 200, body: '{"ids":["12345678901234567890"]}' }],
		expect: [{ status: 'accepted', messageId: '12345678901234567890' }],
		requests: 1,
		accepted: 0,
	},
	{
		name: 'MX single send: id 2^64-1',
		provider: 'mxTelecom',
		method: 'send',
		answers: [{ endpoint: ENDPOINT.mxSingle, status: 200, body: '18446744073709551615\r\n' }],
		expect: [{ status: 'accepted', messageId: '18446744073709551615' }],
		requests: 1,
		accepted: 0,
	},
	{
		name: 'BulkSMS: a 20-digit batch id, with a BOM and CRLF',
		provider: 'bulkSms',
		answers: [{ endpoint: ENDPOINT.bulk, status: 200, body: '\uFEFF0|IN_PROGRESS|12345678901234567890\r\n' }],
		expect: [{ status: 'accepted', messageId: '12345678901234567890' }],
		requests: 1,
		accepted: 0,
	},
	// Slow loris: a body trickling one byte at a time, never idle, stopped by the total deadline
	{
		name: 'MX bulksend: slow-loris answer on every attempt',
		provider: 'mxTelecom',
		to: TWO,
		config: { timeoutMs: 150 },
		answers: [{ endpoint: ENDPOINT.mxBulk, status: 200, body: `447700900001 1\n447700900002 2\n${' '.repeat(100)}`, dripMs: 25, times: 4 }],
		expect: TWO.map(() => ({ status: 'unknown' as const, error: { code: 'TIMEOUT', message: `The gateway did not answer in time (no complete answer within 150 ms)${NOT_RESENT(4)}`, retryable: false } })),
		requests: 4,
		accepted: 0,
		sameKey: true,
	},
	{
		name: 'BulkSMS: slow-loris answer on every attempt',
		provider: 'bulkSms',
		config: { timeoutMs: 150 },
		answers: [{ endpoint: ENDPOINT.bulk, status: 200, body: `0|IN_PROGRESS|5${' '.repeat(100)}`, dripMs: 25, times: 4 }],
		expect: [{ status: 'unknown', error: { code: 'TIMEOUT', message: `The gateway did not answer in time (no complete answer within 150 ms)${NOT_RESENT(4)}`, retryable: false } }],
		requests: 4,
		accepted: 0,
		sameKey: true,
	},
	{
		name: 'GatewayAPI: slow-loris answer',
		provider: 'gatewayApi',
		config: { timeoutMs: 150 },
		answers: [{ endpoint: ENDPOINT.gw, status: 200, body: `{"ids":[1]}${' '.repeat(100)}`, dripMs: 25 }],
		expect: [{ status: 'unknown', error: { code: 'TIMEOUT', message: `The gateway did not answer in time (no complete answer within 150 ms)${NOT_RESENT(1)}`, retryable: false } }],
		requests: 1,
		accepted: 0,
	},
	{
		name: 'GatewayAPI: an answer of 33 MiB (over the 32 MiB cap)',
		provider: 'gatewayApi',
		answers: [{ endpoint: ENDPOINT.gw, status: 200, body: Buffer.alloc(33 * 1024 * 1024, 0x20) }],
		expect: [{ status: 'unknown', error: { code: 'CONNECTION_LOST', message: `The connection failed (response body larger than 33554432 bytes)${NOT_RESENT(1)}`, retryable: false } }],
		requests: 1,
		accepted: 0,
	},
];

describe('gateway side: broken answers become honest results', () => {
	test.each(gatewayCases.map((c) => [`${c.provider}: ${c.name}`, c] as const))('%s', async (_label, c) => {
		for (const answer of c.answers) sim.respondWith(answer);
		const client = createGatewayClient(configFor(c.provider, c.config));
		const recipients = c.to ?? ['447700900001'];
		const results = await client[c.method ?? 'broadcast']({ to: recipients, message: 'hello' });
		expect(results).toHaveLength(c.expect.length);
		c.expect.forEach((expected, i) => {
			expect(results[i]).toMatchObject({ to: recipients[i], provider: c.provider, ...expected });
			if (c.noMessageId) expect(results[i]).not.toHaveProperty('messageId');
			if (!expected.error) expect(results[i].error).toBeUndefined();
		});
		const sends = sim.requests.filter((r) => r.endpoint !== 'unknown');
		expect(sends).toHaveLength(c.requests);
		expect(sim.accepted).toHaveLength(c.accepted);
		if (c.sameKey) expect(new Set(sends.map((r) => idempotencyKey(c.provider, r))).size).toBe(1);
	});

	test('BulkSMS credit check: an HTML page with 200 is an error, not a balance', async () => {
		sim.respondWith({ endpoint: 'bulksms.get_credits', status: 200, body: HTML });
		const error = await rejection(createGatewayClient(configFor('bulkSms')).checkCredentials());
		expect(error).toBeInstanceOf(GatewayError);
		expect(error).toMatchObject({ code: 'UNPARSEABLE_RESPONSE', retryable: false, statusCode: 200, message: `BulkSMS answered the credit check with an unreadable body: ${HTML_FLAT}` });
	});

	test('MX retrieve MMS: an HTML page instead of a zip is an INVALID_ZIP error', async () => {
		sim.respondWith({ endpoint: 'mx.retrievemms', status: 200, body: HTML, headers: { 'Content-Type': 'text/html' } });
		const error = await rejection(createGatewayClient(configFor('mxTelecom')).retrieveMms('12345'));
		expect(error).toBeInstanceOf(GatewayError);
		expect(error).toMatchObject({ code: 'INVALID_ZIP', retryable: false });
		expect((error as Error).message).toBe('The retrieved MMS is not a usable zip (ZIP_CORRUPT: Not a zip archive: no end-of-central-directory record)');
	});
});

/* ------------------------------------------------------------------------------------------
 * Trigger side
 * ---------------------------------------------------------------------------------------- */

/**
 * Trigger-side hostile cases that already exist elsewhere and are not repeated here:
 * test/trigger/hostile.test.ts (49: unclassifiable pushes, malformed query strings, wrong
 * media types and charsets, oversize bodies, multipart without mms.zip, corrupt zips, zip
 * bombs by ratio and by declared size, "../"/absolute/drive/backslash entry names, a
 * manifest naming a missing file), test/trigger/gatewayApi.test.ts (8 bad or missing JWTs,
 * 10 non-webhook requests), test/trigger/bulkSms.test.ts (4 bad shared secrets) and
 * test/trigger/mxTelecom.test.ts (3 refused IPs, 1 missing secret).
 */
const EXISTING_TRIGGER_CASES = 49 + 8 + 10 + 4 + 3 + 1;

const SECRET = 'trig-Secret-7';
const PHONE = '447700900123';

interface TriggerCase {
	name: string;
	trigger: 'mxOpen' | 'mxDefault' | 'bulk' | 'bulkNet10' | 'bulkV6' | 'gw' | 'gwNet' | 'mxSecret';
	send: (url: string) => Promise<PushResult>;
	status: number;
	body: string | RegExp;
}

const b64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');
const GW_PAYLOAD = JSON.stringify({ id: 5, msisdn: 4587654321, time: 1000, status: 'DELIVERED' });
const postJson = (body: string, headers: Record<string, string> = {}) => (url: string) =>
	request(url, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body });
const mmsZip = (entries: Array<{ name: string; data: Buffer | string; method?: 'deflate' | 'store' }>) => zip.writeZip(entries);
const manifest = (lines: string[]) => ({ name: 'manifest', data: lines.join('\n') });
const mmsPost = (archive: Buffer) => (url: string) => sim.push.mmsPost(url, { from: PHONE, to: '58870', zip: archive });
const goodPart = { name: 'a.txt', data: 'hello', method: 'store' as const };

/** Sets a field of every header (local and central) of the entry named `name`. */
function patchEntry(archive: Buffer, name: string, patch: (buf: Buffer, header: number, central: boolean) => void): Buffer {
	const out = Buffer.from(archive);
	for (const [signature, nameAt, central] of [
		[0x04034b50, 26, false],
		[0x02014b50, 28, true],
	] as const) {
		for (let at = 0; at + 4 <= out.length; at++) {
			if (out.readUInt32LE(at) !== signature) continue;
			const nameLength = out.readUInt16LE(at + nameAt);
			const nameStart = at + (central ? 46 : 30);
			if (out.subarray(nameStart, nameStart + nameLength).toString('latin1') === name) patch(out, at, central);
		}
	}
	return out;
}

const triggerCases: TriggerCase[] = [
	// Wrong IP
	{ name: 'BulkSMS with an allowlist of 10.0.0.0/8: loopback is refused', trigger: 'bulkNet10', send: (u) => sim.push.inboundSms('bulkSms', `${u}?secret=${SECRET}`, { from: PHONE, to: '447700900001', text: 'x' }), status: 403, body: "Forbidden: 127.0.0.1 is not in this trigger's IP allowlist" },
	{ name: 'BulkSMS with an IPv6-only allowlist (::1): IPv4 loopback is refused', trigger: 'bulkV6', send: (u) => sim.push.inboundSms('bulkSms', `${u}?secret=${SECRET}`, { from: PHONE, to: '447700900001', text: 'x' }), status: 403, body: "Forbidden: 127.0.0.1 is not in this trigger's IP allowlist" },
	{ name: 'GatewayAPI with an allowlist: a correctly signed push from elsewhere is still refused', trigger: 'gwNet', send: postJson(GW_PAYLOAD, { 'X-Gwapi-Signature': signJwt(GW_PAYLOAD, SECRET) }), status: 403, body: "Forbidden: 127.0.0.1 is not in this trigger's IP allowlist" },
	{ name: 'MX default ranges: a forged X-Forwarded-For is ignored without a trusted proxy', trigger: 'mxDefault', send: (u) => sim.push.inboundSms('mxTelecom', u, { from: PHONE, to: '58870', text: 'x' }, { headers: { 'X-Forwarded-For': '83.166.68.1' } }), status: 403, body: "Forbidden: 127.0.0.1 is not in this trigger's IP allowlist" },
	// Bad JWTs (beyond the eight in test/trigger/gatewayApi.test.ts)
	{ name: 'GatewayAPI: a token not valid yet (nbf in an hour)', trigger: 'gw', send: (u) => { const p = JSON.stringify({ ...JSON.parse(GW_PAYLOAD), nbf: Math.floor(Date.now() / 1000) + 3600 }); return postJson(p, { 'X-Gwapi-Signature': signJwt(p, SECRET) })(u); }, status: 401, body: 'Unauthorized: signature token not valid yet' },
	{ name: 'GatewayAPI: a header segment that is not JSON', trigger: 'gw', send: postJson(GW_PAYLOAD, { 'X-Gwapi-Signature': `${b64url('not json')}.${b64url(GW_PAYLOAD)}.AAAA` }), status: 401, body: 'Unauthorized: malformed signature token header' },
	{ name: 'GatewayAPI: the token sent as "Bearer <jwt>"', trigger: 'gw', send: postJson(GW_PAYLOAD, { 'X-Gwapi-Signature': `Bearer ${signJwt(GW_PAYLOAD, SECRET)}` }), status: 401, body: 'Unauthorized: malformed signature token header' },
	{ name: 'GatewayAPI: a valid signature over a payload that is not JSON', trigger: 'gw', send: postJson(GW_PAYLOAD, { 'X-Gwapi-Signature': signJwt('not json at all', SECRET) }), status: 401, body: 'Unauthorized: malformed signature token payload' },
	{ name: 'GatewayAPI: four segments', trigger: 'gw', send: postJson(GW_PAYLOAD, { 'X-Gwapi-Signature': `${signJwt(GW_PAYLOAD, SECRET)}.extra` }), status: 401, body: 'Unauthorized: malformed signature token' },
	{ name: 'GatewayAPI: an empty signature segment', trigger: 'gw', send: postJson(GW_PAYLOAD, { 'X-Gwapi-Signature': `${signJwt(GW_PAYLOAD, SECRET).split('.').slice(0, 2).join('.')}.` }), status: 401, body: 'Unauthorized: bad signature' },
	// Bad shared secrets (beyond the four in test/trigger/bulkSms.test.ts)
	{ name: 'BulkSMS: an empty secret parameter', trigger: 'bulk', send: (u) => sim.push.inboundSms('bulkSms', `${u}?secret=`, { from: PHONE, to: '447700900001', text: 'x' }), status: 401, body: 'Unauthorized: wrong "secret" query parameter' },
	{ name: 'BulkSMS: the secret in another letter case', trigger: 'bulk', send: (u) => sim.push.inboundSms('bulkSms', `${u}?secret=${SECRET.toUpperCase()}`, { from: PHONE, to: '447700900001', text: 'x' }), status: 401, body: 'Unauthorized: wrong "secret" query parameter' },
	{ name: 'BulkSMS: the secret with a trailing space', trigger: 'bulk', send: (u) => sim.push.inboundSms('bulkSms', `${u}?secret=${SECRET}%20`, { from: PHONE, to: '447700900001', text: 'x' }), status: 401, body: 'Unauthorized: wrong "secret" query parameter' },
	{ name: 'BulkSMS: the parameter name in capitals', trigger: 'bulk', send: (u) => sim.push.inboundSms('bulkSms', `${u}?SECRET=${SECRET}`, { from: PHONE, to: '447700900001', text: 'x' }), status: 401, body: 'Unauthorized: missing "secret" query parameter' },
	{ name: 'BulkSMS: the secret in a form body instead of the URL', trigger: 'bulk', send: (u) => request(u, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: `secret=${SECRET}&msisdn=1&sender=2&message=x&msg_id=5` }), status: 401, body: 'Unauthorized: missing "secret" query parameter' },
	{ name: 'MX with a webhook secret: a wrong one', trigger: 'mxSecret', send: (u) => sim.push.inboundSms('mxTelecom', `${u}?secret=${SECRET}x`, { from: PHONE, to: '58870', text: 'x' }), status: 401, body: 'Unauthorized: wrong "secret" query parameter' },
	// Malformed query strings and wrong charsets (other providers than the existing cases)
	{ name: 'BulkSMS: a malformed percent escape in "message"', trigger: 'bulk', send: (u) => request(`${u}?secret=${SECRET}&msisdn=1&sender=2&message=%G1&dca=7bit&msg_id=5`), status: 400, body: 'Bad Request: malformed percent-encoding in parameter "message" of the query string' },
	{ name: 'BulkSMS: a control character in a parameter name', trigger: 'bulk', send: (u) => request(`${u}?secret=${SECRET}&msisdn=1&sender=2&message=x&dca=7bit&msg_id=5&a%01=1`), status: 400, body: 'Bad Request: parameter name with non-printable or non-ASCII characters in the query string' },
	{ name: 'GatewayAPI: JSON declared windows-1252', trigger: 'gw', send: (u) => request(u, { method: 'POST', headers: { 'Content-Type': 'application/json; charset=windows-1252' }, body: GW_PAYLOAD }), status: 415, body: 'Unsupported Media Type: JSON must be UTF-8, not windows-1252' },
	// Oversize bodies (other providers than the existing cases)
	{ name: 'BulkSMS: a form body over the limit', trigger: 'bulk', send: (u) => request(`${u}?secret=${SECRET}`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: `message=${'x'.repeat(300 * 1024)}` }), status: 413, body: /^Payload Too Large: body of \d+ bytes is over the limit of 262144$/ },
	// Multipart without mms.zip, corrupt zips, zip bombs, entry names, manifests
	{ name: 'MX: a zip with an encrypted entry', trigger: 'mxOpen', send: mmsPost(patchEntry(mmsZip([manifest(['a.txt=text/plain']), goodPart]), 'a.txt', (b, at, central) => b.writeUInt16LE(b.readUInt16LE(at + (central ? 8 : 6)) | 1, at + (central ? 8 : 6)))), status: 400, body: 'Bad Request: mms.zip refused: Zip entry "a.txt" is encrypted' },
	{ name: 'MX: a zip using an unsupported method (bzip2)', trigger: 'mxOpen', send: mmsPost(patchEntry(mmsZip([manifest(['a.txt=text/plain']), goodPart]), 'a.txt', (b, at, central) => b.writeUInt16LE(12, at + (central ? 10 : 8)))), status: 400, body: 'Bad Request: mms.zip refused: Zip entry "a.txt" uses compression method 12; only STORE (0) and DEFLATE (8) are supported' },
	{ name: 'MX: zip bomb by total size (20 entries of 60 KiB, each under the ratio floor)', trigger: 'mxOpen', send: mmsPost(mmsZip([manifest(Array.from({ length: 20 }, (_, i) => `z${i}.bin=application/octet-stream`)), ...Array.from({ length: 20 }, (_, i) => ({ name: `z${i}.bin`, data: Buffer.alloc(60 * 1024) }))])), status: 413, body: 'Payload Too Large: mms.zip refused: The zip unpacks to more than 1048576 bytes' },
	{ name: 'MX: an entry name with a control character', trigger: 'mxOpen', send: mmsPost(mmsZip([manifest(['a.txt=text/plain']), goodPart, { name: 'b\u0001.txt', data: 'x' }])), status: 400, body: 'Bad Request: mms.zip refused: Zip entry "b\\u0001.txt" is refused: the name contains control characters' },
	{ name: 'MX: an entry name with a "./" segment', trigger: 'mxOpen', send: mmsPost(mmsZip([manifest(['a.txt=text/plain']), goodPart, { name: './b.txt', data: 'x' }])), status: 400, body: 'Bad Request: mms.zip refused: Zip entry "./b.txt" is refused: the name contains an empty or "." segment' },
	{ name: 'MX: an entry hidden under a/../../', trigger: 'mxOpen', send: mmsPost(mmsZip([manifest(['a.txt=text/plain']), goodPart, { name: 'a/../../b.txt', data: 'x' }])), status: 400, body: 'Bad Request: mms.zip refused: Zip entry "a/../../b.txt" is refused: the name contains a ".." segment' },
	{ name: 'MX: a manifest naming a part by a path', trigger: 'mxOpen', send: mmsPost(mmsZip([manifest(['../a.txt=text/plain']), goodPart])), status: 400, body: 'Bad Request: mms.zip refused: The manifest lists "../a.txt", which is not in the zip' },
	{ name: 'MX: a manifest naming two missing files', trigger: 'mxOpen', send: mmsPost(mmsZip([manifest(['ghost1.gif=image/gif', 'ghost2.gif=image/gif']), goodPart])), status: 400, body: 'Bad Request: mms.zip refused: The manifest lists "ghost1.gif", which is not in the zip' },
];

describe('trigger side: refused with a status, nothing started', () => {
	const triggers = {} as Record<TriggerCase['trigger'], TriggerHarness>;

	beforeAll(async () => {
		const open = { ipAllowlist: '*', maxBodySize: 256 };
		triggers.mxOpen = await startTrigger({ credentials: credentialsFor(sim, 'mxTelecom'), parameters: { options: open } });
		triggers.mxDefault = await startTrigger({ credentials: credentialsFor(sim, 'mxTelecom'), parameters: { options: { maxBodySize: 256 } } });
		triggers.mxSecret = await startTrigger({ credentials: credentialsFor(sim, 'mxTelecom', { webhookSecret: SECRET }), parameters: { options: open } });
		triggers.bulk = await startTrigger({ credentials: credentialsFor(sim, 'bulkSms', { webhookSecret: SECRET }), parameters: { options: open } });
		triggers.bulkNet10 = await startTrigger({ credentials: credentialsFor(sim, 'bulkSms', { webhookSecret: SECRET }), parameters: { options: { ipAllowlist: '10.0.0.0/8' } } });
		triggers.bulkV6 = await startTrigger({ credentials: credentialsFor(sim, 'bulkSms', { webhookSecret: SECRET }), parameters: { options: { ipAllowlist: '::1' } } });
		triggers.gw = await startTrigger({ credentials: credentialsFor(sim, 'gatewayApi', { webhookSecret: SECRET }), parameters: { options: open } });
		triggers.gwNet = await startTrigger({ credentials: credentialsFor(sim, 'gatewayApi', { webhookSecret: SECRET }), parameters: { options: { ipAllowlist: '192.0.2.0/24' } } });
	});
	afterAll(async () => {
		for (const t of Object.values(triggers)) await t.close();
	});

	test.each(triggerCases.map((c) => [c.name, c] as const))('%s', async (_label, c) => {
		const t = triggers[c.trigger];
		const before = t.executions.length;
		const res = await c.send(t.pushUrl);
		if (typeof c.body === 'string') expect(res.body).toBe(c.body);
		else expect(res.body).toMatch(c.body);
		expect(res.status).toBe(c.status);
		expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
		expect(t.executions.length).toBe(before);
		expect(t.calls.every((call) => call.error === undefined)).toBe(true);
		// Nothing was fetched from the gateway on behalf of a refused push either.
		expect(sim.requests).toEqual([]);
	});

	test('every trigger still takes a good push afterwards', async () => {
		const good: Array<[TriggerCase['trigger'], () => Promise<PushResult>]> = [
			['mxOpen', () => sim.push.inboundSms('mxTelecom', triggers.mxOpen.pushUrl, { from: PHONE, to: '58870', text: 'ok' })],
			['mxSecret', () => sim.push.inboundSms('mxTelecom', `${triggers.mxSecret.pushUrl}?secret=${SECRET}`, { from: PHONE, to: '58870', text: 'ok' })],
			['bulk', () => sim.push.inboundSms('bulkSms', `${triggers.bulk.pushUrl}?secret=${SECRET}`, { from: PHONE, to: '447700900001', text: 'ok' })],
			['gw', () => sim.push.deliveryReport('gatewayApi', triggers.gw.pushUrl, { messageId: 77, to: '4587654321' }, { secret: SECRET })],
		];
		for (const [name, push] of good) {
			const before = triggers[name].executions.length;
			const res = await push();
			expect(res.status).toBe(200);
			expect(triggers[name].executions.length).toBe(before + 1);
		}
	});
});

test('the table is complete: at least 60 cases, counted by side', () => {
	const node = nodeRows.length + 2 * PROVIDER_NAMES.length;
	const gateway = gatewayCases.length + 2;
	const trigger = triggerCases.length;
	report(
		`hostile cases: node side ${node} (${nodeCases.length} rows x providers + ${2 * PROVIDER_NAMES.length} accepted inputs), gateway side ${gateway}, ` +
			`trigger side ${trigger} here + ${EXISTING_TRIGGER_CASES} in test/trigger = ${trigger + EXISTING_TRIGGER_CASES}; total ${node + gateway + trigger + EXISTING_TRIGGER_CASES}`,
	);
	expect(node + gateway + trigger).toBeGreaterThanOrEqual(60);
});
