/**
 * Content messages as binary parts over every gateway, against the simulator: each part one
 * 8-bit SMS with its own UDH (ports + concatenation), every recipient one result combining
 * its parts, the parts reassembled as a handset would; malformed parts refused before any
 * request; a recipient who may have received a part never reported failed.
 */
import type { ContentPart } from '../../nodes/shared/codec';
import { createGatewayClient, type GatewayClient, type ProviderName, type SendRequest } from '../../nodes/shared/providers';
import type { GatewayConfig } from '../../nodes/shared/providers/types';
import type { Simulator } from '../../simulator';
import { receivedMessages } from '../helpers/contentDecoding';
import { useSimulator } from '../helpers/useSimulator';
import { bulkConfig, gwConfig, mxConfig, rejection } from './support';

let sim: Simulator;
useSimulator({ port: 0 }, (s) => {
	sim = s;
});

const PORTS = '05040B8423F0';
/** content-messages.md section 9.3: an SI over two segments, concatenation reference 0x2A. */
const SI_TWO_PARTS: ContentPart[] = [
	{
		udh: `0B${PORTS}00032A0201`,
		payload: '010601AE02056A0045C60D036578616D706C650088036E6577732F' + '6E6577732F'.repeat(20) + '6E',
	},
	{ udh: `0B${PORTS}00032A0202`, payload: '6577732F6E6577732F6E6577732F0008010352656164207468652077686F6C652073746F7279000101' },
];
const DATAGRAM = Buffer.concat(SI_TWO_PARTS.map((p) => Buffer.from(p.payload, 'hex')));
/** Section 9.1: an SI in one segment. */
const SI_ONE_PART: ContentPart = {
	udh: `06${PORTS}`,
	payload: '010601AE02056A0045C60F036578616D706C65008503610011033432000AC306202406011230010348656C6C6F000101',
};

const CONFIGS: Record<ProviderName, (s: Simulator, extra?: Partial<GatewayConfig>) => GatewayConfig> = {
	mxTelecom: mxConfig,
	bulkSms: bulkConfig,
	gatewayApi: gwConfig,
};
const PROVIDERS: ProviderName[] = ['mxTelecom', 'bulkSms', 'gatewayApi'];
const client = (provider: ProviderName, extra?: Partial<GatewayConfig>): GatewayClient => createGatewayClient(CONFIGS[provider](sim, extra));
const binary = (parts: ContentPart[]): SendRequest['content'] => ({ type: 'binary', parts });

describe.each(PROVIDERS)('content parts over %s', (provider) => {
	it('checks the worked example: 128 + 41 payload octets, 140 octets in the first SMS', () => {
		expect(SI_TWO_PARTS[0].payload.length / 2).toBe(128);
		expect((SI_TWO_PARTS[0].udh.length + SI_TWO_PARTS[0].payload.length) / 2).toBe(140);
	});

	it('sends a one-part message as one 8-bit SMS with its ports', async () => {
		const [r] = await client(provider).send({ to: '447700900001', content: binary([SI_ONE_PART]) });
		expect(r).toMatchObject({ to: '447700900001', status: 'accepted', parts: 1, encoding: 'binary', provider });
		const [message] = receivedMessages(sim.accepted, '447700900001');
		expect(message.ports).toEqual({ destination: 2948, source: 9200 });
		expect(message.datagram.toString('hex').toUpperCase()).toBe(SI_ONE_PART.payload);
	});

	it('sends every part of a two-part message to each recipient, one result each, reassembled intact', async () => {
		const to = ['447700900001', '447700900002', '447700900003'];
		const results = await client(provider).broadcast({ to, content: binary(SI_TWO_PARTS) });
		expect(results.map((r) => [r.to, r.status, r.parts, r.encoding])).toEqual(to.map((t) => [t, 'accepted', 2, 'binary']));
		for (const r of results) {
			expect(r.partMessageIds).toHaveLength(2);
			expect(r.messageId).toBe(r.partMessageIds?.[0]);
		}
		for (const t of to) {
			const messages = receivedMessages(sim.accepted, t);
			expect(messages).toHaveLength(1);
			expect(messages[0].ports).toEqual({ destination: 2948, source: 9200 });
			expect(messages[0].parts.map((p) => [p.udh, p.octets])).toEqual([
				[SI_TWO_PARTS[0].udh, 140],
				[SI_TWO_PARTS[1].udh, 12 + 41],
			]);
			expect(messages[0].datagram.equals(DATAGRAM)).toBe(true);
		}
		expect(sim.duplicates()).toEqual([]);
	});

	it('sends a multi-part message with send() too, and honours a dry run without sending', async () => {
		const [sent] = await client(provider).send({ to: '447700900009', content: binary(SI_TWO_PARTS) });
		expect(sent).toMatchObject({ status: 'accepted', parts: 2 });
		expect(receivedMessages(sim.accepted, '447700900009')[0].datagram.equals(DATAGRAM)).toBe(true);
		sim.reset();
		const [dry] = await client(provider).send({ to: '447700900009', content: binary(SI_TWO_PARTS), dryRun: true });
		expect(dry).toMatchObject({ status: 'accepted', parts: 2, dryRun: true });
		expect(sim.accepted).toEqual([]);
	});

	it('sends campaign rows of multi-part content and text together, each row its own results', async () => {
		const outcomes = await client(provider).sendMany([
			{ to: ['447700900011', '447700900012'], content: binary(SI_TWO_PARTS) },
			{ to: '447700900013', message: 'plain text' },
			{ to: '447700900014', content: binary(SI_TWO_PARTS) },
			{ to: '447700900015', content: binary([SI_ONE_PART]) },
		]);
		const results = outcomes.map((o) => ('results' in o ? o.results.map((r) => [r.to, r.status, r.parts, r.encoding]) : o.error.message));
		expect(results).toEqual([
			[
				['447700900011', 'accepted', 2, 'binary'],
				['447700900012', 'accepted', 2, 'binary'],
			],
			[['447700900013', 'accepted', 1, 'gsm7']],
			[['447700900014', 'accepted', 2, 'binary']],
			[['447700900015', 'accepted', 1, 'binary']],
		]);
		for (const to of ['447700900011', '447700900012', '447700900014']) {
			expect(receivedMessages(sim.accepted, to)[0].datagram.equals(DATAGRAM)).toBe(true);
		}
		expect(sim.duplicates()).toEqual([]);
	});

	describe('refuses malformed parts before any request', () => {
		const part = (udh: string, payload = 'AA'): ContentPart => ({ udh, payload });
		const cases: Array<[string, SendRequest['content'], RegExp]> = [
			['no parts', binary([]), /no parts/],
			['a non-hex payload', binary([part(`06${PORTS}`, 'XYZ1')]), /content\.parts\.payload is not hex: character "X"/],
			['an odd-length UDH', binary([part('06050')]), /not hex: it has an odd number of digits/],
			['a UDH whose length octet lies', binary([part(`09${PORTS}`)]), /length octet \(UDHL\)/],
			['an element running past the UDH', binary([part('050504AABBCC')]), /says 4 data octets but only 3 remain/],
			['more than 140 octets', binary([part(`06${PORTS}`, 'AB'.repeat(134))]), /141 octets; one SMS holds at most 140/],
			['a part without concatenation', binary([SI_TWO_PARTS[0], part(`06${PORTS}`)]), /\[1\]\.udh has no concatenation element/],
			['parts out of order', binary([SI_TWO_PARTS[1], SI_TWO_PARTS[0]]), /says part 2 of 2 \(reference 42\); expected part 1 of 2/],
			['a wrong total', binary([part(`0B${PORTS}00032A0301`), part(`0B${PORTS}00032A0302`)]), /says part 1 of 3/],
			['mixed references', binary([SI_TWO_PARTS[0], part(`0B${PORTS}00032B0202`)]), /reference 43\); expected part 2 of 2 with reference 42/],
			['256 parts', binary(Array.from({ length: 256 }, () => SI_ONE_PART)), /256 parts; a concatenated SMS has at most 255/],
			['an unknown type', { type: 'ringtone' } as unknown as SendRequest['content'], /Unknown content type "ringtone"/],
		];
		it.each(cases)('%s', async (_, content, message) => {
			const error = await rejection(client(provider).send({ to: '447700900001', content }));
			expect(error).toMatchObject({ name: 'GatewayValidationError' });
			expect((error as Error).message).toMatch(message);
			expect(sim.requests).toEqual([]);
		});

		it('content with a text message or a forced text encoding', async () => {
			const both = await rejection(client(provider).send({ to: '447700900001', content: binary([SI_ONE_PART]), message: 'hi' }));
			expect((both as Error).message).toMatch(/Give one of message, binary or content, not message and content/);
			const gsm = await rejection(client(provider).send({ to: '447700900001', content: binary([SI_ONE_PART]), encoding: 'gsm7' }));
			expect((gsm as Error).message).toMatch(/sent as 8-bit binary; leave encoding 'auto'/);
			const many = await rejection(client(provider).send({ to: '447700900001', content: binary(SI_TWO_PARTS), maxParts: 1 }));
			expect((many as Error).message).toMatch(/needs 2 parts but maxParts is 1/);
			expect(sim.requests).toEqual([]);
		});
	});

	it('reports a recipient whose second part was refused as unknown (never failed), one refused at part 1 as failed', async () => {
		const refusal: Record<ProviderName, { status: number; body: string; headers?: Record<string, string> }> = {
			mxTelecom: { status: 400, body: 'FAILURE smsmsg: refused\n' },
			bulkSms: { status: 200, body: '22|internal fatal error|' },
			gatewayApi: { status: 422, body: JSON.stringify({ code: '0x0213', message: 'refused' }), headers: { 'Content-Type': 'application/json' } },
		};
		// One send request per part for one recipient: let part 1 through, refuse part 2.
		sim.respondWith({ ...refusal[provider], provider, after: 1 });
		const [second] = await client(provider).send({ to: '447700900021', content: binary(SI_TWO_PARTS) });
		expect(second).toMatchObject({ to: '447700900021', status: 'unknown', parts: 2, error: { retryable: false } });
		expect(second.error?.message).toMatch(/\(1 of 2 parts accepted before this\)/);
		expect(second.partMessageIds).toHaveLength(1);
		sim.reset();
		sim.respondWith({ ...refusal[provider], provider });
		const [first] = await client(provider).send({ to: '447700900022', content: binary(SI_TWO_PARTS) });
		expect(first).toMatchObject({ to: '447700900022', status: 'failed', parts: 2 });
		// Refused at part 1: part 2 never left.
		expect(sim.requests).toHaveLength(1);
		expect(sim.accepted).toEqual([]);
	});
});

describe('content parts to BulkSMS phone-book groups', () => {
	it('sends each part once to the groups, in order; the groups get one combined result and every member the whole message', async () => {
		sim.setGroups({ '7': ['447700900071', '447700900072'], '8': ['447700900072', '447700900073'] });
		const result = await client('bulkSms').broadcastToGroups({ groupIds: '7,8', content: binary(SI_TWO_PARTS) });
		expect(result).toMatchObject({ addressedAs: 'group', groupIds: ['7', '8'], status: 'accepted', parts: 2, encoding: 'binary', provider: 'bulkSms' });
		expect(sim.requests.filter((q) => q.endpoint === 'bulksms.send_sms')).toHaveLength(2);
		for (const to of ['447700900071', '447700900072', '447700900073']) {
			const [message] = receivedMessages(sim.accepted, to);
			expect(message.datagram.equals(DATAGRAM)).toBe(true);
		}
	});

	it('reports the groups unknown when a later part is refused, failed when the first is', async () => {
		sim.setGroups({ '7': ['447700900071'] });
		sim.respondWith({ provider: 'bulkSms', after: 1, status: 200, body: '22|internal fatal error|' });
		const later = await client('bulkSms').broadcastToGroups({ groupIds: '7', content: binary(SI_TWO_PARTS) });
		expect(later).toMatchObject({ status: 'unknown', parts: 2, error: { retryable: false } });
		expect(later.error?.message).toMatch(/1 of 2 parts accepted before this/);
		sim.reset();
		sim.setGroups({ '7': ['447700900071'] });
		sim.respondWith({ provider: 'bulkSms', status: 200, body: '22|internal fatal error|' });
		const first = await client('bulkSms').broadcastToGroups({ groupIds: '7', content: binary(SI_TWO_PARTS) });
		expect(first).toMatchObject({ status: 'failed', parts: 2 });
		expect(sim.requests).toHaveLength(1);
	});
});
