import { SmsGateway } from '../../nodes/SmsGateway/SmsGateway.node';
import { runNode } from '../helpers/n8n';

const analyze = (message: string, extra: Record<string, unknown> = {}) =>
	runNode({
		node: new SmsGateway(),
		parameters: { resource: 'message', operation: 'analyze', message, encoding: 'auto', ...extra },
	});

describe('SMS Gateway node: Message > Analyze (in n8n, no credentials, no network)', () => {
	it('previews a GSM-7 message with an extension character', async () => {
		const { items, error } = await analyze('Price: 10\u20ac [net]');
		expect(error).toBeUndefined();
		expect(items).toHaveLength(1);
		expect(items[0].json).toMatchObject({
			encoding: 'GSM-7',
			units: 19,
			partCount: 1,
			unitsPerPart: 160,
			remaining: 141,
		});
		expect(items[0].pairedItem).toEqual({ item: 0 });
	});

	it('switches to UCS-2 for emoji and counts the surrogate pair as two units', async () => {
		const { items } = await analyze('Hi \ud83d\ude00');
		expect(items[0].json).toMatchObject({ encoding: 'UCS-2', units: 5, remaining: 65, partCount: 1 });
	});

	it('splits a long Unicode message into 67-unit parts and lists them', async () => {
		const text = '\u0416'.repeat(140);
		const { items } = await analyze(text);
		const json = items[0].json as { parts: Array<{ index: number; text: string }>; partCount: number };
		expect(json.partCount).toBe(3);
		expect(json.parts.map((part) => part.text.length)).toEqual([67, 67, 6]);
	});

	it('reports smart-encoding replacements and stays in GSM-7', async () => {
		const { items } = await analyze('\u201cquoted\u201d \u2013 ok\u2026', { options: { smartEncoding: true } });
		expect(items[0].json).toMatchObject({ encoding: 'GSM-7', text: '"quoted" - ok...' });
		expect((items[0].json.replacements as unknown[]).length).toBe(4);
	});

	it('fails with an error that names the item when GSM-7 is forced on an emoji', async () => {
		const { error } = await analyze('\ud83d\ude00', { encoding: 'gsm7' });
		expect(error?.message).toMatch(/^Item 0, field "Message": Character .* cannot be encoded in GSM-7/);
	});
});
