import { startSimulator, type Simulator } from '../../simulator';
import { SmsGateway } from '../../nodes/SmsGateway/SmsGateway.node';
import { runNode } from '../helpers/n8n';

let sim: Simulator;

beforeAll(async () => {
	sim = await startSimulator({ port: 0 });
});

afterAll(async () => {
	await sim.close();
});

beforeEach(() => sim.reset());

const mx = () => ({
	provider: 'mxTelecom',
	baseUrl: sim.url,
	mmsBaseUrl: sim.url,
	username: 'mx-user',
	password: 'mx-secret-pass',
	mmsUsername: 'mx-mms-user',
	mmsPassword: 'mx-mms-secret',
});

const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');

describe('SMS Gateway node in n8n: MMS', () => {
	it('sends the chosen binary properties and a text part as one MMS zip with a manifest', async () => {
		const { items, error } = await runNode({
			node: new SmsGateway(),
			credentials: mx(),
			input: [
				{
					json: {},
					binary: {
						photo: { data: png.toString('base64'), mimeType: 'image/png', fileName: 'holiday photo.png' },
					},
				},
			],
			parameters: {
				resource: 'mms',
				operation: 'send',
				to: '447700900123',
				from: '58870',
				subject: 'Greetings',
				binaryProperties: 'photo',
				text: 'Wish you were here \u2600',
				options: { deliveryReport: true },
			},
		});
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ to: '447700900123', status: 'accepted', provider: 'mxTelecom' });
		const request = sim.requests.find((r) => r.endpoint === 'mx.sendmms');
		expect(request?.decoded?.subject).toBe('Greetings');
		const parts = request?.decoded?.parts as unknown as Array<{ name: string; mimeType: string }>;
		expect(parts.map((part) => [part.name, part.mimeType])).toEqual([
			['holiday_photo.png', 'image/png'],
			['text.txt', 'text/plain'],
		]);
	});

	it('refuses Send MMS on a provider without an MMS interface, before any request', async () => {
		const { error } = await runNode({
			node: new SmsGateway(),
			credentials: { provider: 'gatewayApi', baseUrl: sim.url, token: 'gwapi-secret-token' },
			parameters: { resource: 'mms', operation: 'send', to: '447700900123', from: '58870', text: 'hi' },
		});
		expect(error?.message).toMatch(/not supported by this provider \(gatewayApi\)/);
		expect(sim.requests).toHaveLength(0);
	});

	it('retrieves a received MMS: the zip plus each manifest part as binary with its MIME type', async () => {
		const id = sim.addInboundMms({
			from: '447700900999',
			to: '58870',
			subject: 'Look',
			parts: [
				{ name: 'image.png', mimeType: 'image/png', data: png },
				{ name: 'note.txt', mimeType: 'text/plain', data: Buffer.from('caf\u00e9', 'utf8') },
			],
		});
		const { items, error } = await runNode({
			node: new SmsGateway(),
			credentials: mx(),
			parameters: { resource: 'mms', operation: 'retrieve', messageId: id, binaryPropertyName: 'data', unpack: true },
		});
		expect(error).toBeUndefined();
		const item = items[0];
		expect(item.json.parts).toEqual([
			{ name: 'image.png', mimeType: 'image/png', size: png.length, binaryProperty: 'data0' },
			{ name: 'note.txt', mimeType: 'text/plain', size: 5, binaryProperty: 'data1' },
		]);
		expect(item.binary?.data.mimeType).toBe('application/zip');
		expect(item.binary?.data0.mimeType).toBe('image/png');
		expect(item.binary?.data1.fileName).toBe('note.txt');
	});
});
