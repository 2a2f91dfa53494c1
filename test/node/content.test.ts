/**
 * Message Type in the node (Send, Broadcast, Analyze) inside n8n's real execution engine,
 * against the simulator: WAP Push SI, MMS notification, vCard and binary go out as 8-bit
 * binary SMS on every provider, and what arrived is read back with the decoder written from
 * the specifications for the codec tests (test/helpers/contentDecoder.ts). Bad fields are refused before any
 * request, naming the item and the field.
 */
import type { ICredentialDataDecryptedObject, IDataObject, INodeParameters } from 'n8n-workflow';

import { startSimulator, type Simulator } from '../../simulator';
import { SmsGateway } from '../../nodes/SmsGateway/SmsGateway.node';
import type { ProviderName } from '../../nodes/shared/providers';
import { runNode } from '../helpers/n8n';
import { vcardValues } from '../helpers/contentDecoder';
import { receivedMessages } from '../helpers/contentDecoding';
import { receivedContent } from '../helpers/receivedContent';

let sim: Simulator;

beforeAll(async () => {
	sim = await startSimulator({ port: 0 });
});

afterAll(async () => {
	await sim.close();
});

beforeEach(() => sim.reset());

const credentialsFor = (provider: ProviderName): ICredentialDataDecryptedObject => ({
	mxTelecom: { provider, baseUrl: sim.url, mmsBaseUrl: sim.url, username: 'mx-user', password: 'mx-secret-pass' },
	bulkSms: { provider, baseUrl: sim.url, username: 'bulk-user', password: 'bulk-secret-pass' },
	gatewayApi: { provider, baseUrl: sim.url, token: 'gwapi-secret-token' },
})[provider];

const send = (provider: ProviderName, parameters: INodeParameters, input?: IDataObject[]) =>
	runNode({
		node: new SmsGateway(),
		credentials: credentialsFor(provider),
		parameters: { resource: 'message', operation: 'send', to: '447700900123', ...parameters },
		...(input ? { input } : {}),
	});

const SI: INodeParameters = {
	messageType: 'wapPushSi',
	siUrl: 'https://www.example.com/offer',
	siText: 'Your offer is ready',
	siOptions: { siId: 'offer-7', siAction: 'signal-high', created: '2030-01-31T09:30:00Z', expires: '2030-02-28T00:00:00Z' },
};
const MMS: INodeParameters = {
	messageType: 'mmsNotification',
	mmsContentLocation: 'http://mmsc.example.com/m/1234',
	mmsSize: 23456,
	mmsExpiry: 172800,
	mmsOptions: { transactionId: 'tx-1', from: '+447700900999/TYPE=PLMN', subject: 'Photos', messageClass: 'informational' },
};
const VCARD: INodeParameters = {
	messageType: 'vcard',
	vcardName: 'Jane Doe',
	vcardFields: { n: 'Doe;Jane', tel: '+447700900123, +447700900456', email: 'jane@example.com', org: 'ACME' },
};

const providers: ProviderName[] = ['mxTelecom', 'bulkSms', 'gatewayApi'];

describe.each(providers)('Message Type on %s', (provider) => {
	it('sends a WAP Push SI the handset reads back: link, text, id, action and dates', async () => {
		const { items, error } = await send(provider, SI);
		expect(error).toBeUndefined();
		expect(items).toHaveLength(1);
		expect(items[0].json).toMatchObject({ to: '447700900123', status: 'accepted', encoding: 'binary', parts: 1, provider });
		const [message] = receivedContent(sim.accepted, '447700900123');
		expect(message).toMatchObject({
			kind: 'si',
			push: { contentType: { media: 'application/vnd.wap.sic' } },
			si: {
				href: 'https://www.example.com/offer',
				text: 'Your offer is ready',
				siId: 'offer-7',
				action: 'signal-high',
				created: '2030-01-31T09:30:00Z',
				expires: '2030-02-28T00:00:00Z',
			},
		});
		expect(receivedMessages(sim.accepted, '447700900123')[0].ports).toEqual({ destination: 2948, source: 9200 });
	});

	it('broadcasts a long WAP Push in several parts: every recipient one item and the whole link', async () => {
		const href = `https://www.example.com/${'campaign/'.repeat(30)}`;
		const recipients = ['447700900001', '447700900002', '447700900003'];
		const { items, error } = await runNode({
			node: new SmsGateway(),
			credentials: credentialsFor(provider),
			parameters: { resource: 'message', operation: 'broadcast', recipients: recipients.join(','), ...SI, siUrl: href, siOptions: {} },
		});
		expect(error).toBeUndefined();
		expect(items.map((item) => [item.json.to, item.json.status])).toEqual(recipients.map((to) => [to, 'accepted']));
		const parts = items[0].json.parts as number;
		expect(parts).toBeGreaterThan(1);
		for (const to of recipients) {
			const messages = receivedMessages(sim.accepted, to);
			expect(messages).toHaveLength(1);
			expect(messages[0].parts).toHaveLength(parts);
			expect(messages[0].parts.every((part) => part.octets <= 140 && part.ports?.destination === 2948)).toBe(true);
			expect(receivedContent(sim.accepted, to)[0]).toMatchObject({ si: { href, text: 'Your offer is ready' } });
		}
		expect(sim.duplicates()).toEqual([]);
	});

	it('sends an MMS notification the handset reads back', async () => {
		const { items, error } = await send(provider, MMS);
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ status: 'accepted', encoding: 'binary' });
		const [message] = receivedContent(sim.accepted, '447700900123');
		expect(message).toMatchObject({
			kind: 'mms-notification',
			push: { contentType: { media: 'application/vnd.wap.mms-message' }, applicationId: 'x-wap-application:mms.ua' },
			notification: {
				messageType: 'm-notification-ind',
				transactionId: 'tx-1',
				from: '+447700900999/TYPE=PLMN',
				subject: 'Photos',
				messageClass: 'informational',
				size: 23456,
				expiry: { relative: true, value: 172800 },
				contentLocation: 'http://mmsc.example.com/m/1234',
			},
		});
	});

	it('sends a vCard built from fields on the vCard port', async () => {
		const { items, error } = await send(provider, VCARD);
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ status: 'accepted', encoding: 'binary' });
		expect(receivedMessages(sim.accepted, '447700900123')[0].ports).toEqual({ destination: 9204, source: 0 });
		const [message] = receivedContent(sim.accepted, '447700900123');
		if (message.kind !== 'vcard') throw new Error(`expected a vCard, got ${message.kind}`);
		expect(message.vcard.crlf).toBe(true);
		expect(vcardValues(message.vcard, 'FN')).toEqual(['Jane Doe']);
		expect(vcardValues(message.vcard, 'N')).toEqual(['Doe;Jane']);
		expect(vcardValues(message.vcard, 'TEL')).toEqual(['+447700900123', '+447700900456']);
		expect(vcardValues(message.vcard, 'EMAIL')).toEqual(['jane@example.com']);
		expect(vcardValues(message.vcard, 'ORG')).toEqual(['ACME']);
	});

	it('sends vCard text typed with bare line ends as CR LF lines', async () => {
		const vcardText = 'BEGIN:VCARD\nVERSION:2.1\nFN:John Smith\nTEL;CELL:+447700900777\nEND:VCARD';
		const { error } = await send(provider, { messageType: 'vcard', vcardSource: 'text', vcardText });
		expect(error).toBeUndefined();
		const [message] = receivedContent(sim.accepted, '447700900123');
		if (message.kind !== 'vcard') throw new Error(`expected a vCard, got ${message.kind}`);
		expect(message.vcard.crlf).toBe(true);
		expect(vcardValues(message.vcard, 'FN')).toEqual(['John Smith']);
		expect(message.vcard.properties.find((p) => p.name === 'TEL')).toMatchObject({ params: { TYPE: ['CELL'] }, value: '+447700900777' });
	});

	it('sends Message Type Binary, and Encoding Binary of workflows made before Message Type', async () => {
		const binary = await send(provider, { messageType: 'binary', hexPayload: '48 65 6C 6C 6F', udh: '06050415811581' });
		expect(binary.error).toBeUndefined();
		expect(binary.items[0].json).toMatchObject({ status: 'accepted', encoding: 'binary', parts: 1 });
		const legacy = await send(provider, { to: '447700900124', encoding: 'binary', hexPayload: '576F726C64', udh: '06050415811581' });
		expect(legacy.error).toBeUndefined();
		const payloads = ['447700900123', '447700900124'].map((to) => receivedMessages(sim.accepted, to)[0]);
		expect(payloads.map((m) => [m.datagram.toString(), m.ports?.destination])).toEqual([
			['Hello', 0x1581],
			['World', 0x1581],
		]);
	});

	it('sends each campaign row its own WAP Push link (From Input Fields, URL by expression)', async () => {
		const rows = [1, 2, 3].map((k) => ({ to: `44770090020${k}`, url: `https://example.com/r/${k}` }));
		const { items, error } = await send(
			provider,
			{ mappingMode: 'autoMapInputData', messageType: 'wapPushSi', siUrl: '={{ $json.url }}', siText: '={{ "Row " + $json.url.slice(-1) }}' },
			rows,
		);
		expect(error).toBeUndefined();
		expect(items.map((item) => [item.json.to, item.json.status, item.pairedItem])).toEqual(
			rows.map((row, k) => [row.to, 'accepted', { item: k }]),
		);
		for (const [k, row] of rows.entries()) {
			expect(receivedContent(sim.accepted, row.to)[0]).toMatchObject({ si: { href: row.url, text: `Row ${k + 1}` } });
		}
	});

	describe('refuses bad fields before any request, naming the item and the field', () => {
		const cases: Array<[string, INodeParameters, RegExp]> = [
			['an SI without URL', { ...SI, siUrl: '  ' }, /^Item 0, field "URL": content\.href is required/],
			['an SI without text', { ...SI, siText: ' ' }, /^Item 0, field "Text": content\.text is required/],
			['an SI date without a real date', { ...SI, siOptions: { created: 'next week' } }, /^Item 0, field "WAP Push Options: Created": .*ISO 8601/],
			['an MMS size that is not whole', { ...MMS, mmsSize: 12.5 }, /^Item 0, field "Message Size \(Bytes\)": .*whole number/],
			['an MMS location with spaces', { ...MMS, mmsContentLocation: 'http://x/a b' }, /^Item 0, field "Content Location": .*without spaces/],
			['a vCard without a name', { ...VCARD, vcardName: ' ' }, /^Item 0, field "Full Name": content\.vcard\.fn is required/],
			['vCard text that is no vCard', { messageType: 'vcard', vcardSource: 'text', vcardText: 'Jane, +4477' }, /^Item 0, field "vCard Text": .*BEGIN:VCARD/],
			['an SI text the encoder refuses (a control character)', { ...SI, siText: 'a\u0001b' }, /^Item 0, field "Text": WAP push SI: text contains the control character/],
			['a vCard phone the encoder refuses', { ...VCARD, vcardFields: { tel: '+44\u0007' } }, /^Item 0, field "vCard Fields: Phone": vCard: tel/],
			['binary that is not hex', { messageType: 'binary', hexPayload: '48ZZ', udh: '0605040B8423F0' }, /^Item 0, field "Hex Payload": .*not hex/],
			['a binary UDH whose length octet lies', { messageType: 'binary', hexPayload: '48', udh: '0705040B8423F0' }, /^Item 0, field "UDH": .*length octet/],
		];
		it.each(cases)('%s', async (_, parameters, message) => {
			const { error } = await send(provider, parameters);
			expect(error?.message).toMatch(message);
			expect(sim.requests).toEqual([]);
		});
	});
});

describe('MX Telecom Options: Content Format MX Native', () => {
	const native = { mxTelecomOptions: { contentFormat: 'native' } };

	it("sends a vCard as MX's vcard_data with CR LF lines", async () => {
		const { items, error } = await send('mxTelecom', { ...VCARD, ...native });
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ status: 'accepted', encoding: 'binary' });
		const [record] = sim.accepted;
		expect(record.encoding).toBe('vcard');
		expect(record.binary).toBeUndefined();
		expect(record.vcard).toMatch(/^BEGIN:VCARD\r\n/);
		expect(record.vcard).toContain('\r\nFN:Jane Doe\r\n');
	});

	it("sends an MMS notification as MX's mms_* parameters", async () => {
		const { error } = await send('mxTelecom', { ...MMS, ...native });
		expect(error).toBeUndefined();
		expect(sim.accepted[0]).toMatchObject({
			encoding: 'mmsNotification',
			mms: { messageLocation: 'http://mmsc.example.com/m/1234', transactionId: 'tx-1', from: '+447700900999/TYPE=PLMN', subject: 'Photos', expire: 172800 },
		});
	});

	it('refuses a WAP Push (MX documents no native link and text parameters) and a notification too long for one SMS', async () => {
		const si = await send('mxTelecom', { ...SI, ...native });
		expect(si.error?.message).toMatch(/^Item 0, field "MX Telecom Options: Content Format": .*no native parameters for a WAP Push SI/);
		const long = await send('mxTelecom', { ...MMS, mmsContentLocation: `http://mmsc.example.com/${'m'.repeat(120)}`, ...native });
		expect(long.error?.message).toMatch(/native MMS notification as one SMS, but this one needs 2/);
		expect(sim.requests).toEqual([]);
	});
});

describe('GatewayAPI Options: UDH Length Octet', () => {
	it('omits the length octet by default and includes it when asked', async () => {
		await send('gatewayApi', SI);
		await send('gatewayApi', { ...SI, to: '447700900124', gatewayApiOptions: { udhLengthOctet: 'include' } });
		const forms = sim.accepted.map((record) => [record.to, record.binary?.udhForm, record.binary?.udh]);
		expect(forms).toEqual([
			['447700900123', 'withoutLength', '0605040B8423F0'],
			['447700900124', 'withLength', '0605040B8423F0'],
		]);
	});
});

describe('Analyze with a Message Type', () => {
	const analyze = (parameters: INodeParameters) => runNode({ node: new SmsGateway(), parameters: { resource: 'message', operation: 'analyze', ...parameters } });

	it('previews the parts of a WAP Push: UDH, payload and octets of each, nothing sent', async () => {
		const { items, error } = await analyze({ ...SI, siUrl: `https://www.example.com/${'campaign/'.repeat(30)}` });
		expect(error).toBeUndefined();
		const json = items[0].json as { messageType: string; partCount: number; parts: Array<{ index: number; udh: string; payload: string; octets: number; udhOctets: number; payloadOctets: number }> };
		expect(json).toMatchObject({ messageType: 'wapPushSi', encoding: 'binary' });
		expect(json.partCount).toBeGreaterThan(1);
		expect(json.parts).toHaveLength(json.partCount);
		for (const part of json.parts) {
			expect(part.udh).toMatch(/^0B05040B8423F00003/);
			expect(part.octets).toBe(part.udhOctets + part.payloadOctets);
			expect(part.octets).toBeLessThanOrEqual(140);
		}
		expect(sim.requests).toEqual([]);
	});

	it('previews a binary message and names a bad field', async () => {
		const { items } = await analyze({ messageType: 'binary', hexPayload: '48656C6C6F', udh: '06050415811581' });
		expect(items[0].json).toMatchObject({ partCount: 1, octets: 12, parts: [{ index: 1, udh: '06050415811581', payload: '48656C6C6F', udhOctets: 7, payloadOctets: 5 }] });
		const { error } = await analyze({ messageType: 'mmsNotification', mmsContentLocation: ' ', mmsSize: 1, mmsExpiry: 60 });
		expect(error?.message).toMatch(/^Item 0, field "Content Location"/);
	});
});
