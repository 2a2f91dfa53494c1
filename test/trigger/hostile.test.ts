/**
 * Hostile and malformed pushes: each must get a clear status and a one-line reason, start
 * nothing, and never crash the trigger. Table-driven; every case goes over loopback HTTP
 * into the trigger running in n8n-core's WebhookContext.
 */
import { request, startSimulator, zip, type PushResult, type Simulator } from '../../simulator';
import { startTrigger, type TriggerHarness } from '../helpers/triggerHarness';
import { credentialsFor, type Provider } from './fixtures';

let sim: Simulator;
const triggers: Partial<Record<Provider, TriggerHarness>> = {};

beforeAll(async () => {
	sim = await startSimulator({ port: 0 });
	for (const provider of ['mxTelecom', 'bulkSms', 'gatewayApi'] as const) {
		triggers[provider] = await startTrigger({
			credentials: credentialsFor(sim, provider),
			parameters: { options: { ipAllowlist: '*', maxBodySize: 256 } },
		});
	}
});
afterAll(async () => {
	for (const t of Object.values(triggers)) await t?.close();
	await sim.close();
});

interface Case {
	name: string;
	provider: Provider;
	send: (url: string) => Promise<PushResult>;
	status: number;
	body: string | RegExp;
}

const get = (query: string) => (url: string) => request(`${url}?${query}`);
const mo = 'smsfrom=447700900123&smsto=58870&smsid=123&smsdate=2024-01-01+10%3A00%3A00&bits=7';

// An MMS zip with a manifest, built from entries.
const mmsZip = (entries: Array<{ name: string; data: Buffer | string; method?: 'deflate' | 'store' }>) => zip.writeZip(entries);
const manifest = (lines: string[]) => ({ name: 'manifest', data: lines.join('\n') });

/** Rewrites the uncompressed size of the first central-directory entry named `name`. */
function withDeclaredSize(archive: Buffer, name: string, size: number): Buffer {
	const out = Buffer.from(archive);
	let at = out.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
	while (at !== -1) {
		const nameLength = out.readUInt16LE(at + 28);
		if (out.subarray(at + 46, at + 46 + nameLength).toString() === name) {
			out.writeUInt32LE(size, at + 24);
			return out;
		}
		at = out.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]), at + 46);
	}
	throw new TypeError(`no entry ${name}`);
}

const post = (fields: { zip?: Buffer; zipFieldName?: string; omitZip?: boolean }) => (url: string) =>
	sim.push.mmsPost(url, { from: '447700900123', to: '58870', zip: fields.zip, zipFieldName: fields.zipFieldName }, fields.omitZip ? { omit: ['mms.zip'] } : {});

const goodPart = { name: 'a.txt', data: 'hello', method: 'store' as const };

const cases: Case[] = [
	// Unclassifiable
	{ name: 'MX: empty GET', provider: 'mxTelecom', send: (u) => request(u), status: 400, body: /^Bad Request: not an MX Telecom push/ },
	{ name: 'MX: unrelated parameters', provider: 'mxTelecom', send: get('foo=bar&baz=1'), status: 400, body: /^Bad Request: not an MX Telecom push/ },
	{ name: 'BulkSMS: empty GET', provider: 'bulkSms', send: (u) => request(u), status: 400, body: /^Bad Request: not a BulkSMS push/ },
	{ name: 'BulkSMS: status without batch', provider: 'bulkSms', send: get('status=11&msisdn=1'), status: 400, body: /^Bad Request: not a BulkSMS push/ },
	{ name: 'GatewayAPI: GET with parameters', provider: 'gatewayApi', send: get('id=1&status=DELIVERED'), status: 400, body: 'Bad Request: GatewayAPI webhooks are JSON POST requests' },
	// Malformed query strings
	{ name: 'MX: bad percent escape', provider: 'mxTelecom', send: get(`${mo}&smsmsg=100%ZZ`), status: 400, body: 'Bad Request: malformed percent-encoding in parameter "smsmsg" of the query string' },
	{ name: 'MX: truncated percent escape', provider: 'mxTelecom', send: get(`${mo}&smsmsg=abc%E`), status: 400, body: 'Bad Request: malformed percent-encoding in parameter "smsmsg" of the query string' },
	{ name: 'MX: control character in a parameter name', provider: 'mxTelecom', send: get(`${mo}&smsmsg=x&a%00b=1`), status: 400, body: 'Bad Request: parameter name with non-printable or non-ASCII characters in the query string' },
	{ name: 'MX: two different smsid values', provider: 'mxTelecom', send: get(`${mo}&smsmsg=x&smsid=124`), status: 400, body: 'Bad Request: parameter "smsid" given more than once' },
	{ name: 'MX: non-numeric smsid', provider: 'mxTelecom', send: get('smsfrom=1&smsto=2&smsid=12ab&smsmsg=x'), status: 400, body: 'Bad Request: MX Telecom inbound SMS: "smsid" must be a decimal id, not "12ab"' },
	{ name: 'MX: 21-digit smsid', provider: 'mxTelecom', send: get('smsfrom=1&smsto=2&smsid=123456789012345678901&smsmsg=x'), status: 400, body: /"smsid" must be a decimal id/ },
	{ name: 'MX: bits=9', provider: 'mxTelecom', send: get(`${mo.replace('bits=7', 'bits=9')}&smsmsg=x`), status: 400, body: 'Bad Request: MX Telecom inbound SMS: "bits" must be 7, 8 or 16, not "9"' },
	{ name: 'MX: smsucs2 not hex', provider: 'mxTelecom', send: get(`${mo.replace('bits=7', 'bits=16')}&smsmsg=x&smsucs2=00G1`), status: 400, body: 'Bad Request: MX Telecom inbound SMS: "smsucs2" is not UCS-2 hex' },
	{ name: 'MX: smsucs2 of odd length', provider: 'mxTelecom', send: get(`${mo.replace('bits=7', 'bits=16')}&smsmsg=x&smsucs2=004`), status: 400, body: 'Bad Request: MX Telecom inbound SMS: "smsucs2" is not UCS-2 hex' },
	{ name: 'MX: binary that is not hex', provider: 'mxTelecom', send: get(`${mo.replace('bits=7', 'bits=8')}&smsmsg=hello`), status: 400, body: 'Bad Request: MX Telecom inbound SMS: "smsmsg" is not hex' },
	{ name: 'MX: missing sender', provider: 'mxTelecom', send: get('smsto=2&smsid=1&smsmsg=x&bits=7'), status: 400, body: 'Bad Request: MX Telecom inbound SMS: parameter "smsfrom" is missing' },
	{ name: 'MX: sender with a newline', provider: 'mxTelecom', send: get('smsfrom=1%0A2&smsto=2&smsid=1&smsmsg=x&bits=7'), status: 400, body: 'Bad Request: MX Telecom inbound SMS: "smsfrom" is not a valid address' },
	{ name: 'MX: unsubscribe without shortcode value', provider: 'mxTelecom', send: get('msisdn=447700900123&shortcode='), status: 400, body: 'Bad Request: MX Telecom unsubscribe: parameter "shortcode" is missing' },
	{ name: 'MX: MMS report of unknown type', provider: 'mxTelecom', send: get('id=1&requestid=2&type=3&status=3&from=1&to=2'), status: 400, body: 'Bad Request: MX Telecom MMS report: "type" must be 1 or 2' },
	{ name: 'MX: MMS id with a path in it', provider: 'mxTelecom', send: get('id=..%2Fetc&from=1&to=2'), status: 400, body: 'Bad Request: MX Telecom inbound MMS: "id" is not a valid id' },
	{ name: 'MX: too many parameters', provider: 'mxTelecom', send: get(Array.from({ length: 201 }, (_, i) => `p${i}=1`).join('&')), status: 413, body: 'Payload Too Large: more than 200 parameters in the query string' },
	{ name: 'BulkSMS: unknown dca', provider: 'bulkSms', send: get('msisdn=1&sender=2&message=x&dca=32bit&msg_id=5'), status: 400, body: 'Bad Request: BulkSMS inbound SMS: "dca" must be 7bit, 8bit or 16bit' },
	{ name: 'BulkSMS: 16bit that is not UCS-2', provider: 'bulkSms', send: get('msisdn=1&sender=2&message=00410&dca=16bit&msg_id=5'), status: 400, body: 'Bad Request: BulkSMS inbound SMS: "message" is not UCS-2 hex' },
	{ name: 'BulkSMS: status that is not a number', provider: 'bulkSms', send: get('msisdn=1&batch_id=5&status=OK'), status: 400, body: 'Bad Request: BulkSMS status report: "status" must be a number' },
	{ name: 'BulkSMS: negative batch id', provider: 'bulkSms', send: get('msisdn=1&batch_id=-5&status=11'), status: 400, body: 'Bad Request: BulkSMS status report: "batch_id" must be a decimal id, not "-5"' },
	// Wrong media types and charsets
	{ name: 'MX: JSON body', provider: 'mxTelecom', send: (u) => request(u, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"smsmsg":"x"}' }), status: 415, body: 'Unsupported Media Type: MX Telecom pushes are GET requests or multipart MMS posts, not JSON' },
	{ name: 'MX: XML body', provider: 'mxTelecom', send: (u) => request(u, { method: 'POST', headers: { 'Content-Type': 'application/xml' }, body: '<a/>' }), status: 415, body: 'Unsupported Media Type: MX Telecom pushes are GET requests or multipart MMS posts, not application/xml' },
	{ name: 'BulkSMS: JSON body', provider: 'bulkSms', send: (u) => request(u, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' }), status: 415, body: 'Unsupported Media Type: BulkSMS pushes are GET requests with query parameters' },
	{ name: 'GatewayAPI: UTF-16 JSON', provider: 'gatewayApi', send: (u) => request(u, { method: 'POST', headers: { 'Content-Type': 'application/json; charset=utf-16' }, body: '{}' }), status: 415, body: 'Unsupported Media Type: JSON must be UTF-8, not utf-16' },
	// Oversize
	{ name: 'GatewayAPI: body over the limit', provider: 'gatewayApi', send: (u) => request(u, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ pad: 'x'.repeat(300 * 1024) }) }), status: 413, body: /^Payload Too Large: body of \d+ bytes is over the limit of 262144$/ },
	{ name: 'MX: form body over the limit', provider: 'mxTelecom', send: (u) => request(u, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: `smsmsg=${'x'.repeat(300 * 1024)}` }), status: 413, body: /^Payload Too Large: body of \d+ bytes is over the limit of 262144$/ },
	{ name: 'MX: mms.zip over the limit', provider: 'mxTelecom', send: post({ zip: mmsZip([manifest(['a.bin=application/octet-stream']), { name: 'a.bin', data: Buffer.alloc(300 * 1024, 7), method: 'store' }]) }), status: 413, body: /^Payload Too Large: body of \d+ bytes is over the limit of 262144$/ },
	// Multipart MMS without a usable zip
	{ name: 'MX: multipart without mms.zip', provider: 'mxTelecom', send: post({ omitZip: true }), status: 400, body: 'Bad Request: MX Telecom inbound MMS: multipart request without an mms.zip part' },
	{ name: 'MX: multipart that is not an MMS push', provider: 'mxTelecom', send: (u) => sim.push.mmsPost(u, { from: '1', to: '2' }, { omit: ['id'] }), status: 400, body: /^Bad Request: multipart request is not an MX Telecom MMS push/ },
	{ name: 'MX: mms.zip that is not a zip', provider: 'mxTelecom', send: post({ zip: Buffer.from('this is not a zip archive at all') }), status: 400, body: 'Bad Request: mms.zip refused: Not a zip archive: no end-of-central-directory record' },
	{ name: 'MX: empty mms.zip', provider: 'mxTelecom', send: post({ zip: Buffer.alloc(0) }), status: 400, body: 'Bad Request: mms.zip refused: Not a zip archive: only 0 bytes' },
	{ name: 'MX: truncated mms.zip', provider: 'mxTelecom', send: post({ zip: mmsZip([manifest(['a.txt=text/plain']), goodPart]).subarray(0, 60) }), status: 400, body: /^Bad Request: mms\.zip refused: Not a zip archive/ },
	{ name: 'MX: zip without manifest', provider: 'mxTelecom', send: post({ zip: mmsZip([goodPart]) }), status: 400, body: 'Bad Request: mms.zip refused: The MMS zip has no "manifest" file' },
	{ name: 'MX: manifest naming a missing file', provider: 'mxTelecom', send: post({ zip: mmsZip([manifest(['a.txt=text/plain', 'ghost.gif=image/gif']), goodPart]) }), status: 400, body: 'Bad Request: mms.zip refused: The manifest lists "ghost.gif", which is not in the zip' },
	{ name: 'MX: entry named ../', provider: 'mxTelecom', send: post({ zip: mmsZip([manifest(['a.txt=text/plain']), goodPart, { name: '../../etc/passwd', data: 'x' }]) }), status: 400, body: 'Bad Request: mms.zip refused: Zip entry "../../etc/passwd" is refused: the name contains a ".." segment' },
	{ name: 'MX: absolute entry name', provider: 'mxTelecom', send: post({ zip: mmsZip([manifest(['a.txt=text/plain']), goodPart, { name: '/etc/passwd', data: 'x' }]) }), status: 400, body: 'Bad Request: mms.zip refused: Zip entry "/etc/passwd" is refused: the name is an absolute path' },
	{ name: 'MX: drive-letter entry name', provider: 'mxTelecom', send: post({ zip: mmsZip([manifest(['a.txt=text/plain']), goodPart, { name: 'C:evil.txt', data: 'x' }]) }), status: 400, body: /the name starts with a drive letter$/ },
	{ name: 'MX: backslash entry name', provider: 'mxTelecom', send: post({ zip: mmsZip([manifest(['a.txt=text/plain']), goodPart, { name: '..\\evil.txt', data: 'x' }]) }), status: 400, body: /the name contains a backslash$/ },
	{ name: 'MX: CRC mismatch', provider: 'mxTelecom', send: (u) => {
		const archive = Buffer.from(mmsZip([manifest(['a.txt=text/plain']), goodPart]));
		archive[archive.indexOf('hello')] = 0x48;
		return post({ zip: archive })(u);
	}, status: 400, body: 'Bad Request: mms.zip refused: Zip entry "a.txt" fails its CRC-32 check' },
	{ name: 'MX: zip bomb by ratio', provider: 'mxTelecom', send: post({ zip: mmsZip([manifest(['z.bin=application/octet-stream']), { name: 'z.bin', data: Buffer.alloc(900 * 1024) }]) }), status: 413, body: /^Payload Too Large: mms\.zip refused: Zip entry "z\.bin" expands \d+-fold; at most 100-fold is accepted$/ },
	{ name: 'MX: zip bomb by declared size', provider: 'mxTelecom', send: post({ zip: withDeclaredSize(mmsZip([manifest(['z.bin=application/octet-stream']), { name: 'z.bin', data: 'x'.repeat(100), method: 'store' }]), 'z.bin', 0x7fffffff) }), status: 413, body: /^Payload Too Large: mms\.zip refused: Zip entry "z\.bin" is 2147483647 bytes; at most \d+ are accepted$/ },
	{ name: 'MX: entry inflating past its declared size', provider: 'mxTelecom', send: post({ zip: withDeclaredSize(mmsZip([manifest(['z.bin=application/octet-stream']), { name: 'z.bin', data: Buffer.alloc(50000, 1) }]), 'z.bin', 1000) }), status: 413, body: /^Payload Too Large: mms\.zip refused: Zip entry "z\.bin" inflates past 1000 bytes/ },
	{ name: 'MX: too many entries', provider: 'mxTelecom', send: post({ zip: mmsZip([manifest([]), ...Array.from({ length: 150 }, (_, i) => ({ name: `f${i}.txt`, data: 'x', method: 'store' as const }))]) }), status: 413, body: 'Payload Too Large: mms.zip refused: The zip has 151 entries; at most 100 are accepted' },
	{ name: 'MX: duplicate entry names', provider: 'mxTelecom', send: post({ zip: mmsZip([manifest(['a.txt=text/plain']), goodPart, goodPart]) }), status: 400, body: 'Bad Request: mms.zip refused: The zip holds "a.txt" twice' },
];

describe.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
	test(`answers ${c.status} and starts nothing`, async () => {
		const t = triggers[c.provider]!;
		const executionsBefore = t.executions.length;
		const res = await c.send(t.pushUrl);
		if (typeof c.body === 'string') expect(res.body).toBe(c.body);
		else expect(res.body).toMatch(c.body);
		expect(res.status).toBe(c.status);
		expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
		expect(t.executions.length).toBe(executionsBefore);
	});
});

test(`${cases.length} hostile cases, and the trigger still works afterwards`, async () => {
	expect(cases.length).toBeGreaterThanOrEqual(45);
	for (const provider of ['mxTelecom', 'bulkSms', 'gatewayApi'] as const) {
		const t = triggers[provider]!;
		const before = t.executions.length;
		const res = await sim.push.inboundSms(provider, t.pushUrl, { from: '447700900123', to: '447700900001', text: 'still alive' });
		expect(res.status).toBe(200);
		expect(t.executions.length).toBe(before + 1);
		expect(t.calls.every((c) => c.error === undefined)).toBe(true);
	}
});
