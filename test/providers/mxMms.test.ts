/**
 * MX MMS contract over real HTTP against the simulator: SendMMS as multipart with an
 * `mms.zip` and its manifest, RetrieveMMS with the MMS account, hostile zips, honest
 * statuses without an idempotency key, and no secret in any error.
 */
import { zip as simZip, type Simulator } from '../../simulator';
import { createGatewayClient, GatewayError, GatewayValidationError, type RetrievedMms } from '../../nodes/shared/providers';
import type { AxiosTransport } from '../helpers/axiosTransport';
import { useSimulator } from '../helpers/useSimulator';
import { MX, expectNoSecrets, mxConfig, rejection } from './support';

let sim: Simulator;
let axiosTransport: AxiosTransport;
useSimulator({ port: 0, seed: 13 }, (started, transport) => {
	sim = started;
	axiosTransport = transport;
});

const jpeg = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00]);
const sendMms = () => sim.requests.filter((r) => r.endpoint === 'mx.sendmms');

describe.each([
	['fetch', false],
	['axios', true],
])('MX MMS over the %s transport', (_name, useAxios) => {
	const client = (extra = {}) => createGatewayClient(mxConfig(sim, extra), useAxios ? axiosTransport.transport : undefined);

	it('sends a multipart mms.zip with its manifest and every option', async () => {
		const result = await client().sendMms({
			to: '+447700900001',
			from: '58870',
			subject: 'Holiday \u20ac',
			parts: [
				{ name: 'photo.jpg', mimeType: 'image/jpeg', data: jpeg },
				{ name: 'note.txt', mimeType: 'text/plain', data: 'Gr\u00fc\u00dfe \ud83c\udf1e' },
			],
			deliveryReport: true,
			readReport: true,
			note: 'mms-1',
			subaccount: 'sales',
		});
		expect(result).toEqual({ to: '447700900001', status: 'accepted', messageId: expect.stringMatching(/^\d+$/), provider: 'mxTelecom' });
		const decoded = sendMms()[0].decoded;
		expect(decoded).toMatchObject({
			to: ['447700900001'],
			from: '58870',
			subject: 'Holiday \u20ac',
			deliveryReport: true,
			readReport: true,
			note: 'mms-1',
			subaccount: 'sales',
			source: 'multipart',
			parts: [
				{ name: 'photo.jpg', mimeType: 'image/jpeg', size: jpeg.length },
				{ name: 'note.txt', mimeType: 'text/plain', text: 'Gr\u00fc\u00dfe \ud83c\udf1e' },
			],
		});
		expect(sim.accepted[0]).toMatchObject({ to: '447700900001', messageId: result.messageId });
	});

	it('retrieves an inbound MMS with the MMS account and lists its parts in manifest order', async () => {
		const id = sim.addInboundMms({
			from: '447700900009',
			to: '58870',
			subject: 'Hi',
			parts: [
				{ name: 'text.txt', mimeType: 'text/plain', data: 'Hello \u20ac' },
				{ name: 'image.gif', mimeType: 'image/gif', data: Buffer.from('GIF89a') },
			],
		});
		const mms: RetrievedMms = await client().retrieveMms(id);
		expect(mms.parts.map((p) => [p.name, p.mimeType])).toEqual([
			['text.txt', 'text/plain'],
			['image.gif', 'image/gif'],
		]);
		expect(new TextDecoder().decode(mms.parts[0].data)).toBe('Hello \u20ac');
		expect(Buffer.from(mms.parts[1].data).toString()).toBe('GIF89a');
		expect(mms.unlisted).toEqual([]);
		expect(Buffer.from(mms.zip).equals(sim.getMms(id)?.zip as Buffer)).toBe(true);
		const query = String(sim.requests[sim.requests.length - 1].query);
		expect(query).toContain(`user=${MX.mmsUsername}`);
		expect(sim.requests[sim.requests.length - 1].path).toBe('/RetrieveMMS');
	});
});

describe('MX MMS round trip and failures', () => {
	it('retrieves what it sent (simulator convenience), byte for byte', async () => {
		const client = createGatewayClient(mxConfig(sim));
		const sent = await client.sendMms({ to: '447700900001', from: '58870', parts: [{ name: 'a.jpg', mimeType: 'image/jpeg', data: jpeg }] });
		const got = await client.retrieveMms(sent.messageId as string);
		expect([...got.parts[0].data]).toEqual([...jpeg]);
	});

	it('throws NOT_FOUND for an unknown id and AUTH for a wrong MMS account, without secrets', async () => {
		const notFound = await rejection(createGatewayClient(mxConfig(sim)).retrieveMms('424242'));
		expect(notFound).toBeInstanceOf(GatewayError);
		expect(notFound).toMatchObject({ code: 'NOT_FOUND', statusCode: 404 });
		const id = sim.addInboundMms({ from: '447700900009', to: '58870', parts: [{ name: 'a.txt', mimeType: 'text/plain', data: 'x' }] });
		const auth = await rejection(createGatewayClient(mxConfig(sim, { mmsPassword: 'wrong-mms-secret' })).retrieveMms(id));
		expect(auth).toMatchObject({ code: 'AUTH', statusCode: 403 });
		expectNoSecrets([notFound, auth], ['wrong-mms-secret', MX.mmsPassword, MX.password]);
	});

	it('refuses a hostile zip from the gateway with a clear error', async () => {
		const bomb = simZip.writeZip([
			{ name: 'manifest', data: 'big.bin=application/octet-stream\n' },
			{ name: 'big.bin', data: Buffer.alloc(8 * 1024 * 1024) },
		]);
		sim.respondWith({ endpoint: 'mx.retrievemms', status: 200, body: bomb, headers: { 'Content-Type': 'application/zip' } });
		const error = await rejection(createGatewayClient(mxConfig(sim)).retrieveMms('1'));
		expect(error).toMatchObject({ code: 'INVALID_ZIP' });
		expect((error as Error).message).toMatch(/ZIP_RATIO/);

		const traversal = simZip.writeZip([
			{ name: 'manifest', data: '../../x=text/plain\n' },
			{ name: '../../x', data: 'x' },
		]);
		sim.respondWith({ endpoint: 'mx.retrievemms', status: 200, body: traversal });
		const bad = await rejection(createGatewayClient(mxConfig(sim)).retrieveMms('1'));
		expect((bad as Error).message).toMatch(/ZIP_BAD_NAME/);
	});

	it('retries a retrieval after a reset (reading is idempotent)', async () => {
		const id = sim.addInboundMms({ from: '447700900009', to: '58870', parts: [{ name: 'a.txt', mimeType: 'text/plain', data: 'x' }] });
		sim.respondWith({ endpoint: 'mx.retrievemms', reset: true });
		const mms = await createGatewayClient(mxConfig(sim)).retrieveMms(id);
		expect(mms.parts).toHaveLength(1);
	});

	it('reports a SendMMS lost after acceptance as unknown and does not resend', async () => {
		sim.respondWith({ endpoint: 'mx.sendmms', accept: true, reset: true });
		const result = await createGatewayClient(mxConfig(sim)).sendMms({ to: '447700900001', from: '58870', parts: [{ name: 'a.txt', mimeType: 'text/plain', data: 'x' }] });
		expect(result).toMatchObject({ status: 'unknown', error: { retryable: false } });
		expect(sendMms()).toHaveLength(1);
	});

	it('reports rejected credentials as failed without the password', async () => {
		const result = await createGatewayClient(mxConfig(sim, { password: 'bad-mx-secret', mmsPassword: 'bad-mms-secret' })).sendMms({
			to: '447700900001',
			from: '58870',
			parts: [{ name: 'a.txt', mimeType: 'text/plain', data: 'x' }],
		});
		expect(result).toMatchObject({ status: 'failed', error: { code: 'AUTH', retryable: false } });
		expectNoSecrets(result, ['bad-mx-secret', 'bad-mms-secret']);
	});

	const invalid: Array<[string, Record<string, unknown>, string, RegExp]> = [
		['no parts', { to: '447700900001', from: '58870', parts: [] }, 'parts', /at least one part/],
		['a path in a part name', { to: '447700900001', from: '58870', parts: [{ name: '../x.txt', mimeType: 'text/plain', data: 'x' }] }, 'parts[0].name', /ASCII letters/],
		['a reserved part name', { to: '447700900001', from: '58870', parts: [{ name: 'manifest', mimeType: 'text/plain', data: 'x' }] }, 'parts[0].name', /reserved/],
		['a bad MIME type', { to: '447700900001', from: '58870', parts: [{ name: 'a.txt', mimeType: 'text', data: 'x' }] }, 'parts[0].mimeType', /MIME type/],
		['duplicate part names', { to: '447700900001', from: '58870', parts: [{ name: 'a.txt', mimeType: 'text/plain', data: 'x' }, { name: 'a.txt', mimeType: 'text/plain', data: 'y' }] }, 'parts[1].name', /Two MMS parts/],
		['no originator', { to: '447700900001', parts: [{ name: 'a.txt', mimeType: 'text/plain', data: 'x' }] }, 'from', /needs an originator/],
		['a bad recipient', { to: '0044770', from: '58870', parts: [{ name: 'a.txt', mimeType: 'text/plain', data: 'x' }] }, 'to', /00 prefix/],
		['a long subaccount', { to: '447700900001', from: '58870', subaccount: 'x'.repeat(11), parts: [{ name: 'a.txt', mimeType: 'text/plain', data: 'x' }] }, 'subaccount', /at most 10/],
	];
	it.each(invalid)('refuses %s before sending', async (_label, request, field, message) => {
		const error = await rejection(createGatewayClient(mxConfig(sim)).sendMms(request as never));
		expect(error).toBeInstanceOf(GatewayValidationError);
		expect(error).toMatchObject({ field });
		expect((error as Error).message).toMatch(message);
		expect(sim.requests).toHaveLength(0);
	});

	it('refuses a malformed MMS id before sending', async () => {
		await expect(createGatewayClient(mxConfig(sim)).retrieveMms('../etc')).rejects.toThrow(GatewayValidationError);
		expect(sim.requests).toHaveLength(0);
	});
});
