/**
 * Secrets: distinctive passwords, tokens and webhook secrets (with characters that get
 * percent-encoded, Latin-1/Latin-9 letters, spaces) are configured everywhere, then the
 * failing scenarios of the other suites are run again (gateway pages echoing request
 * URLs, bodies and headers, auth failures, timeouts, resets, refused connections,
 * validation errors, hostile pushes) for every provider, through the clients, through
 * n8n and through the trigger. Everything they produce is scanned for every spelling of
 * every secret: error messages, descriptions, whole thrown errors (stacks, causes,
 * context), results and output items, n8n's run data, every log line with its metadata,
 * and what n8n's error reporter was handed.
 */
import type { ICredentialDataDecryptedObject, INodeParameters } from 'n8n-workflow';

import { startSimulator, type RespondWithOptions, type Simulator } from '../../simulator';
import { createGatewayClient, type GatewayConfig, type ProviderName } from '../../nodes/shared/providers';
import { SmsGateway } from '../../nodes/SmsGateway/SmsGateway.node';
import { runNode } from '../helpers/n8n';
import { startTrigger, type TriggerHarness } from '../helpers/triggerHarness';
import { allText } from '../providers/support';
import { captureN8n, type N8nCapture } from './capture';
import { report } from './report';
import { PROVIDER_NAMES } from './support';

/* ------------------------------------------------------------------------------------------
 * The secrets and their spellings
 * ---------------------------------------------------------------------------------------- */

const USERS = { mx: 'mx-rel-user', mms: 'mx-rel-mms', bulk: 'bulk-rel-user' };
const SECRETS = {
	mxPassword: 'Qx7 vR$/k+\u20ac&=?#%9w',
	mxMmsPassword: 'Mm5 zP!\u03a9%2F;Lq8',
	bulkPassword: 'Bk3 \u00fc/+&=;\u00e9Ty6w',
	// Two spaces: error snippets collapse white space, so the secret must be found collapsed too.
	gwToken: 'Gt4  =Zx/+&Kp9~Hd',
	webhookSecret: 'Wh2 +sE/&=%\u00e9Nq7',
} as const;
type SecretName = keyof typeof SECRETS;

/** Each provider's secrets (the ones its gateway knows, and so might echo). */
const GATEWAY_SECRETS: Record<ProviderName, SecretName[]> = {
	mxTelecom: ['mxPassword', 'mxMmsPassword'],
	bulkSms: ['bulkPassword'],
	gatewayApi: ['gwToken'],
};

const LATIN9: Record<number, number> = { 0x20ac: 0xa4, 0x160: 0xa6, 0x161: 0xa8, 0x17d: 0xb4, 0x17e: 0xb8, 0x152: 0xbc, 0x153: 0xbd, 0x178: 0xbe };

function percent(bytes: Uint8Array, plus: boolean, lower: boolean): string {
	let out = '';
	for (const b of bytes) {
		const c = String.fromCharCode(b);
		if (/[A-Za-z0-9\-_.~]/.test(c)) out += c;
		else if (b === 0x20 && plus) out += '+';
		else {
			const hex = b.toString(16).padStart(2, '0');
			out += `%${lower ? hex : hex.toUpperCase()}`;
		}
	}
	return out;
}

function singleBytes(text: string, map: (code: number) => number | undefined): Uint8Array | undefined {
	const out: number[] = [];
	for (const ch of text) {
		const b = map(ch.codePointAt(0) as number);
		if (b === undefined) return undefined;
		out.push(b);
	}
	return Uint8Array.from(out);
}

/** Every way a secret can be written in a URL, a form body, a header, a log line. */
function spellings(secret: string, user?: string): Map<string, string> {
	const out = new Map<string, string>([['raw', secret]]);
	const charsets: Array<[string, Uint8Array | undefined]> = [
		['utf8', new TextEncoder().encode(secret)],
		['latin1', singleBytes(secret, (c) => (c <= 0xff ? c : undefined))],
		['latin9', singleBytes(secret, (c) => LATIN9[c] ?? (c <= 0xff && ![0xa4, 0xa6, 0xa8, 0xb4, 0xb8, 0xbc, 0xbd, 0xbe].includes(c) ? c : undefined))],
	];
	for (const [charset, bytes] of charsets) {
		if (!bytes) continue;
		for (const plus of [false, true]) {
			for (const lower of [false, true]) out.set(`percent-${charset}${plus ? '-plus' : ''}${lower ? '-lower' : ''}`, percent(bytes, plus, lower));
		}
	}
	out.set('encodeURIComponent', encodeURIComponent(secret));
	out.set('base64', Buffer.from(secret).toString('base64'));
	out.set('base64(secret:)', Buffer.from(`${secret}:`).toString('base64'));
	if (user) out.set('base64(user:secret)', Buffer.from(`${user}:${secret}`).toString('base64'));
	return out;
}

const USER_OF: Partial<Record<SecretName, string>> = { mxPassword: USERS.mx, mxMmsPassword: USERS.mms, bulkPassword: USERS.bulk };
const ALL_SPELLINGS: Array<{ secret: SecretName; spelling: string; text: string }> = Object.entries(SECRETS).flatMap(([name, value]) =>
	[...spellings(value, USER_OF[name as SecretName])].map(([spelling, text]) => ({ secret: name as SecretName, spelling, text })),
);

// Pieces of 10 characters of every non-base64 spelling: a secret cut in half by a
// truncated message is still a leak.
const FRAGMENT = 10;
const FRAGMENTS = ALL_SPELLINGS.filter((s) => !s.spelling.startsWith('base64')).flatMap((s) =>
	Array.from({ length: Math.max(1, s.text.length - FRAGMENT + 1) }, (_, i) => ({ ...s, text: s.text.slice(i, i + FRAGMENT) })),
);

interface Leak {
	where: string;
	secret: SecretName;
	spelling: string;
	excerpt: string;
}

let scannedTexts = 0;
let scannedChars = 0;

/** Every spelling and fragment of every secret found in `text`. */
function findLeaks(where: string, text: string): Leak[] {
	scannedTexts++;
	scannedChars += text.length;
	const leaks: Leak[] = [];
	for (const s of [...ALL_SPELLINGS, ...FRAGMENTS]) {
		const at = text.indexOf(s.text);
		if (at >= 0) leaks.push({ where, secret: s.secret, spelling: s.spelling, excerpt: text.slice(Math.max(0, at - 40), at + s.text.length + 40) });
	}
	return leaks;
}

/** Every string reachable from a value, and its JSON when it has one. */
function textOf(value: unknown): string {
	let json = '';
	try {
		json = JSON.stringify(value) ?? '';
	} catch {
		json = '';
	}
	return `${allText(value)}\n${json}`;
}

/** Everything n8n logged or reported since the last clear. */
function capturedText(capture: N8nCapture): string {
	return [
		...capture.lines.map((l) => `${l.level} ${l.message} ${textOf(l.meta)}`),
		...capture.reported.map((r) => `${textOf(r.error)} ${textOf(r.options)}`),
	].join('\n');
}

/* ------------------------------------------------------------------------------------------
 * Set-up: a simulator that knows the secrets (and one that does not, for auth failures)
 * ---------------------------------------------------------------------------------------- */

let sim: Simulator;
let wrong: Simulator;
let capture: N8nCapture;
const leaks: Leak[] = [];
const scan = (where: string, value: unknown) => leaks.push(...findLeaks(where, typeof value === 'string' ? value : textOf(value)));

const simCredentials = {
	mxTelecom: { username: USERS.mx, password: SECRETS.mxPassword, mmsUsername: USERS.mms, mmsPassword: SECRETS.mxMmsPassword },
	bulkSms: { username: USERS.bulk, password: SECRETS.bulkPassword },
	gatewayApi: { token: SECRETS.gwToken },
	webhookSecret: SECRETS.webhookSecret,
};

beforeAll(async () => {
	sim = await startSimulator({ port: 0, credentials: simCredentials });
	// Knows other credentials, so ours are refused.
	wrong = await startSimulator({ port: 0 });
	capture = captureN8n();
});
afterAll(async () => {
	await sim.close();
	await wrong.close();
});
/** Leaks grouped per place, secret and spelling found (one line each), for readable failures. */
function summary(found: Leak[]): string[] {
	return [...new Set(found.map((l) => `${l.where} | ${l.secret} as ${l.spelling} | ...${l.excerpt}...`))];
}

let totalLeaks = 0;
beforeEach(() => {
	totalLeaks += leaks.length;
	leaks.length = 0;
	sim.reset();
	sim.setFaults(null);
	wrong.reset();
});

const FAST = { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2 };

function clientConfig(provider: ProviderName, target: Simulator, extra: Partial<GatewayConfig> = {}): GatewayConfig {
	const base = { provider, baseUrl: target.url, retry: FAST, timeoutMs: 300, ...extra };
	if (provider === 'mxTelecom') return { ...base, username: USERS.mx, password: SECRETS.mxPassword, mmsUsername: USERS.mms, mmsPassword: SECRETS.mxMmsPassword };
	if (provider === 'bulkSms') return { ...base, username: USERS.bulk, password: SECRETS.bulkPassword };
	return { ...base, token: SECRETS.gwToken };
}

function nodeCredentials(provider: ProviderName, target: Simulator): ICredentialDataDecryptedObject {
	const c = clientConfig(provider, target);
	return {
		provider,
		baseUrl: target.url,
		mmsBaseUrl: target.url,
		username: c.username ?? '',
		password: c.password ?? '',
		token: c.token ?? '',
		mmsUsername: c.mmsUsername ?? '',
		mmsPassword: c.mmsPassword ?? '',
		webhookSecret: SECRETS.webhookSecret,
	};
}

const SEND_ENDPOINT: Record<ProviderName, RespondWithOptions['endpoint']> = { mxTelecom: 'mx.send', bulkSms: 'bulksms.send_sms', gatewayApi: 'gatewayapi.mtsms' };
const BULK_ENDPOINT: Record<ProviderName, RespondWithOptions['endpoint']> = { mxTelecom: 'mx.bulksend', bulkSms: 'bulksms.send_sms', gatewayApi: 'gatewayapi.mtsms' };

/** Gateway pages that echo a secret in one spelling, in the places pages put them. */
function echoPages(provider: ProviderName): Array<{ label: string; body: string }> {
	const pages: Array<{ label: string; body: string }> = [];
	for (const name of GATEWAY_SECRETS[provider]) {
		for (const [spelling, text] of spellings(SECRETS[name], USER_OF[name])) {
			pages.push({ label: `${name} ${spelling} first`, body: `${text} is not valid` });
			pages.push({ label: `${name} ${spelling} in a URL`, body: `<html><body><h1>Error</h1><p>GET /sms/v1/send?user=x&pass=${text}&smsto=1</p></body></html>` });
			pages.push({ label: `${name} ${spelling} in a header`, body: `{"code":"0x0229","message":"Authorization: Token ${text} refused"}` });
		}
		// A secret straddling the 200-character cut of error snippets.
		for (const offset of [185, 190, 195, 199]) pages.push({ label: `${name} across the snippet cut at ${offset}`, body: `${'x'.repeat(offset)}${SECRETS[name]} trailing` });
		// And the 500-character cut of GatewayAPI error messages.
		pages.push({ label: `${name} across the JSON message cut`, body: JSON.stringify({ code: '0x0201', message: `${'y'.repeat(495)}${SECRETS[name]}` }) });
	}
	return pages;
}

/* ------------------------------------------------------------------------------------------
 * Scenarios
 * ---------------------------------------------------------------------------------------- */

describe.each(PROVIDER_NAMES)('%s: no secret in anything the client produces', (provider) => {
	test('gateway pages echoing the secret, as 200, 400 and 500 answers', async () => {
		const client = createGatewayClient(clientConfig(provider, sim));
		for (const page of echoPages(provider)) {
			for (const status of [200, 400, 500]) {
				for (const method of ['send', 'broadcast'] as const) {
					const endpoint = method === 'send' ? SEND_ENDPOINT[provider] : BULK_ENDPOINT[provider];
					sim.respondWith({ endpoint, status, body: page.body, times: FAST.maxAttempts });
					const results = await client[method]({ to: ['447700900001'], message: 'hi' }).catch((error: unknown) => error);
					scan(`${provider} ${method} ${status} ${page.label}`, results);
					sim.reset();
				}
			}
		}
		expect(summary(leaks)).toEqual([]);
	});

	test('wrong credentials: send, broadcast, credential check (and MMS for MX)', async () => {
		const client = createGatewayClient(clientConfig(provider, wrong));
		scan(`${provider} auth send`, await client.send({ to: '447700900001', message: 'hi' }));
		scan(`${provider} auth broadcast`, await client.broadcast({ to: ['447700900001', '447700900002'], message: 'hi' }));
		scan(`${provider} auth check`, await client.checkCredentials().catch((e: unknown) => e));
		if (provider === 'mxTelecom') {
			scan('mx auth sendMms', await client.sendMms({ to: '447700900001', from: '58870', parts: [{ name: 'a.txt', mimeType: 'text/plain', data: 'x' }] }).catch((e: unknown) => e));
			scan('mx auth retrieveMms', await client.retrieveMms('123').catch((e: unknown) => e));
		}
		expect(summary(leaks)).toEqual([]);
	});

	test('timeouts, resets (before and after accepting), 503s and a refused connection', async () => {
		const client = createGatewayClient(clientConfig(provider, sim));
		for (const kind of ['hang', 'reset', 'reset-after', '503', '500-after'] as const) {
			sim.setFaults({ rate: 1, kinds: [kind], hangMs: 2000, endpoints: 'all' });
			scan(`${provider} ${kind} send`, await client.send({ to: '447700900001', message: 'hi' }));
			scan(`${provider} ${kind} broadcast`, await client.broadcast({ to: ['447700900001'], message: 'hi' }));
			scan(`${provider} ${kind} check`, await client.checkCredentials().catch((e: unknown) => e));
			if (provider === 'mxTelecom') scan(`mx ${kind} retrieveMms`, await client.retrieveMms('123').catch((e: unknown) => e));
		}
		const closed = await startSimulator({ port: 0 });
		const url = closed.url;
		await closed.close();
		const refused = createGatewayClient(clientConfig(provider, sim, { baseUrl: url, mmsBaseUrl: url }));
		scan(`${provider} refused send`, await refused.send({ to: '447700900001', message: 'hi' }));
		scan(`${provider} refused check`, await refused.checkCredentials().catch((e: unknown) => e));
		expect(summary(leaks)).toEqual([]);
	});

	test('validation errors (nothing sent)', async () => {
		const bad: Array<[string, () => unknown]> = [
			['baseUrl with userinfo', () => createGatewayClient(clientConfig(provider, sim, { baseUrl: `http://user:${encodeURIComponent(SECRETS.gwToken)}@127.0.0.1:9` }))],
			['baseUrl with a query', () => createGatewayClient(clientConfig(provider, sim, { baseUrl: `http://127.0.0.1:9/?pass=${encodeURIComponent(SECRETS.mxPassword)}` }))],
		];
		for (const [label, make] of bad) {
			let thrown: unknown;
			try {
				make();
			} catch (e) {
				thrown = e;
			}
			expect(thrown).toBeInstanceOf(Error);
			scan(`${provider} ${label}`, thrown);
		}
		const client = createGatewayClient(clientConfig(provider, sim));
		scan(`${provider} invalid msisdn`, await client.send({ to: 'abc', message: 'hi' }).catch((e: unknown) => e));
		scan(`${provider} empty message`, await client.send({ to: '447700900001', message: ' ' }).catch((e: unknown) => e));
		expect(sim.requests).toEqual([]);
		expect(summary(leaks)).toEqual([]);
	});
});

describe.each(PROVIDER_NAMES)('%s: no secret in anything n8n shows, stores or logs', (provider) => {
	const run = async (label: string, target: Simulator, parameters: INodeParameters, continueOnFail = false) => {
		capture.clear();
		const result = await runNode({ node: new SmsGateway(), credentials: nodeCredentials(provider, target), parameters, continueOnFail });
		scan(`n8n ${provider} ${label}: run data`, result.run);
		scan(`n8n ${provider} ${label}: error`, result.error);
		scan(`n8n ${provider} ${label}: items`, result.items);
		scan(`n8n ${provider} ${label}: logs`, capturedText(capture));
		return result;
	};
	const SEND = { resource: 'message', operation: 'send', to: '447700900001', message: 'hi' };
	const BROADCAST = { resource: 'message', operation: 'broadcast', recipients: '447700900001\n447700900002', message: 'hi' };

	test('wrong credentials', async () => {
		const { error } = await run('auth send', wrong, SEND);
		expect(error).toBeDefined();
		// What is scanned is real: n8n logged the run and was handed the error.
		expect(capture.lines.length).toBeGreaterThan(0);
		await run('auth broadcast', wrong, BROADCAST);
		await run('auth send, continue on fail', wrong, SEND, true);
		if (provider === 'mxTelecom') {
			await run('auth retrieve MMS', wrong, { resource: 'mms', operation: 'retrieve', messageId: '123' });
			await run('auth send MMS', wrong, { resource: 'mms', operation: 'send', to: '447700900001', from: '58870', binaryProperties: '', text: 'x' });
		}
		expect(summary(leaks)).toEqual([]);
	});

	// Answers the clients take as final (no retry, so no back-off at n8n's default policy).
	const FINAL_ANSWERS: Record<ProviderName, { send: number[]; broadcast: number[] }> = {
		mxTelecom: { send: [400, 500], broadcast: [400] },
		bulkSms: { send: [200], broadcast: [200] },
		gatewayApi: { send: [400, 500], broadcast: [400, 500] },
	};
	// BulkSMS answers HTTP 200 and puts its reason after an unknown status code.
	const answerBody = (body: string) => (provider === 'bulkSms' ? `999|${body}|` : body);

	test('gateway pages echoing the secret', async () => {
		const pages = echoPages(provider);
		for (const page of pages.filter((_p, i) => i % 3 === 0 || i >= pages.length - 5)) {
			for (const [operation, parameters] of [
				['send', SEND],
				['broadcast', BROADCAST],
			] as const) {
				for (const status of FINAL_ANSWERS[provider][operation]) {
					sim.respondWith({ endpoint: operation === 'send' ? SEND_ENDPOINT[provider] : BULK_ENDPOINT[provider], status, body: answerBody(page.body) });
					const { error, items } = await run(`${operation} ${status} ${page.label}`, sim, parameters);
					// Send throws for a refusal and outputs "unknown"; a broadcast always outputs one item per recipient.
					expect(items.length + (error ? 1 : 0)).toBe(operation === 'send' ? 1 : 2);
					sim.reset();
				}
			}
		}
		expect(summary(leaks)).toEqual([]);
	});

	test('resets, before and after the gateway accepted', async () => {
		for (const accept of [false, true]) {
			sim.respondWith({ endpoint: SEND_ENDPOINT[provider], reset: true, accept });
			await run(`reset (accept: ${accept}) send`, sim, SEND);
			sim.respondWith({ endpoint: BULK_ENDPOINT[provider], reset: true, accept });
			await run(`reset (accept: ${accept}) broadcast`, sim, BROADCAST);
			if (provider === 'mxTelecom') {
				sim.respondWith({ endpoint: 'mx.retrievemms', reset: true });
				await run('reset retrieve MMS', sim, { resource: 'mms', operation: 'retrieve', messageId: '123' });
			}
		}
		expect(summary(leaks)).toEqual([]);
	});

	test('validation errors', async () => {
		await run('invalid To', sim, { ...SEND, to: '00447700900001' });
		await run('originator too long', sim, { ...SEND, from: 'ABCDEFGHIJKLMNOP' });
		await run('schedule in the past', sim, { ...SEND, options: { scheduleAt: '2001-01-01T00:00:00Z' } });
		capture.clear();
		const { error } = await runNode({
			node: new SmsGateway(),
			credentials: { ...nodeCredentials(provider, sim), baseUrl: `http://u:${encodeURIComponent(SECRETS.webhookSecret)}@127.0.0.1:9` },
			parameters: SEND,
		});
		expect(error?.message).toBe('Item 0, field "Credential: Base URL": baseUrl must not contain credentials; put them in the credential fields');
		scan(`n8n ${provider} baseUrl with userinfo`, [error, capturedText(capture)]);
		expect(sim.requests).toEqual([]);
		expect(summary(leaks)).toEqual([]);
	});
});

describe('no secret in anything the trigger answers, outputs or logs', () => {
	const push = encodeURIComponent(SECRETS.webhookSecret);
	const open: TriggerHarness[] = [];
	const trigger = async (provider: ProviderName): Promise<TriggerHarness> => {
		const t = await startTrigger({ credentials: nodeCredentials(provider, sim), parameters: { options: { ipAllowlist: '*' } } });
		open.push(t);
		// After startTrigger, which installs the harness's own logger.
		capture = captureN8n();
		return t;
	};
	afterEach(async () => {
		for (const t of open.splice(0)) await t.close();
	});

	test('BulkSMS and MX pushes with the right, a wrong and no secret', async () => {
		for (const provider of ['bulkSms', 'mxTelecom'] as const) {
			const t = await trigger(provider);
			const fields = { from: '447700900123', to: provider === 'bulkSms' ? '447700900001' : '58870', text: 'hello' };
			const answers = [
				await sim.push.inboundSms(provider, `${t.pushUrl}?secret=${push}`, fields),
				await sim.push.inboundSms(provider, `${t.pushUrl}?secret=${push}x`, fields),
				await sim.push.inboundSms(provider, `${t.pushUrl}?secret=${push}&secret=${push}`, fields),
				await sim.push.inboundSms(provider, t.pushUrl, fields),
				await sim.push.inboundSms(provider, `${t.pushUrl}?secret=${SECRETS.webhookSecret.slice(0, -1)}`, fields),
			];
			// The last one is the secret minus a character, unencoded: its "&=%" break the query string (400).
			expect(answers.map((a) => a.status)).toEqual([200, 401, 401, 401, 400]);
			expect(t.executions).toHaveLength(1);
			await t.hook('create');
			expect(capture.lines.filter((l) => l.level === 'warn' && l.message.includes('refused a push with 401'))).toHaveLength(3);
			scan(`trigger ${provider}: answers`, answers);
			scan(`trigger ${provider}: items`, t.executions);
			scan(`trigger ${provider}: calls`, t.calls.map((c) => [c.result, c.error]));
			scan(`trigger ${provider}: logs`, capturedText(capture));
		}
		expect(summary(leaks)).toEqual([]);
	});

	test('GatewayAPI signed pushes, and a wrongly signed one', async () => {
		const t = await trigger('gatewayApi');
		const ok = await sim.push.deliveryReport('gatewayApi', t.pushUrl, { messageId: 5, to: '4587654321' }, { secret: SECRETS.webhookSecret });
		const bad = await sim.push.inboundSms('gatewayApi', t.pushUrl, { from: '4587654321', to: '4512345678', text: 'x' }, { secret: `${SECRETS.webhookSecret}x` });
		expect([ok.status, bad.status]).toEqual([200, 401]);
		await t.hook('create');
		scan('trigger gatewayApi', [ok, bad, t.executions, t.calls.map((c) => [c.result, c.error]), capturedText(capture)]);
		expect(summary(leaks)).toEqual([]);
	});

	test('MX MMS notification whose retrieval meets a page echoing the MMS password', async () => {
		const t = await trigger('mxTelecom');
		for (const page of echoPages('mxTelecom').filter((p) => p.label.startsWith('mxMmsPassword'))) {
			for (const status of [200, 403, 500]) {
				sim.respondWith({ endpoint: 'mx.retrievemms', status, body: page.body });
				const res = await sim.push.mmsNotification(`${t.pushUrl}?secret=${push}`, { from: '447700900123', to: ['58870'] });
				expect(res.status).toBe(200);
				sim.reset();
			}
		}
		const items = t.executions.map((e) => e[0].json);
		expect(items.length).toBeGreaterThan(0);
		expect(items.every((i) => typeof i.error === 'string' && (i.error as string).startsWith('Retrieving the MMS failed: '))).toBe(true);
		scan('trigger MMS retrieval', [items, t.calls.map((c) => [c.result, c.error]), capturedText(capture)]);
		expect(summary(leaks)).toEqual([]);
	});
});

test('the scanner finds what it looks for, and reports how much it read', () => {
	const before = { texts: scannedTexts, chars: scannedChars };
	// Positive controls: each kind of spelling is detected.
	expect(findLeaks('control', `pass=${encodeURIComponent(SECRETS.mxPassword)}`).length).toBeGreaterThan(0);
	expect(findLeaks('control', `Basic ${Buffer.from(`${USERS.bulk}:${SECRETS.bulkPassword}`).toString('base64')}`).map((l) => l.spelling)).toContain('base64(user:secret)');
	expect(findLeaks('control', `x${SECRETS.gwToken.slice(0, 10)}...`).length).toBeGreaterThan(0);
	expect(findLeaks('control', 'pass=%A4').length).toBe(0);
	expect(findLeaks('control', `${percent(Uint8Array.from([0x51, 0x78, 0x37, 0x20, 0x76, 0x52, 0x24, 0x2f, 0x6b, 0x2b, 0xa4]), true, false)}`).map((l) => l.spelling)).toContain('percent-latin9-plus');
	report(`secrets: ${Object.keys(SECRETS).length} secrets x ${ALL_SPELLINGS.length / Object.keys(SECRETS).length} spellings (+ ${FRAGMENT}-character fragments); scanned ${before.texts} texts, ${before.chars} characters; leaks: ${totalLeaks + leaks.length}`);
	expect(before.texts).toBeGreaterThan(500);
});
