/** The trigger's pure building blocks: CIDR matching, London time, JWT, secrets, query bytes. */
import { HttpRefusal } from '../../nodes/SmsGatewayTrigger/http/refusal';
import { parseParams } from '../../nodes/SmsGatewayTrigger/http/params';
import { CidrSyntaxError, isAllowed, parseAddress, parseAllowlist, parseCidr } from '../../nodes/SmsGatewayTrigger/security/cidr';
import { verifyHs256 } from '../../nodes/SmsGatewayTrigger/security/jwt';
import { secretsMatch } from '../../nodes/SmsGatewayTrigger/security/secret';
import { SeenKeys } from '../../nodes/SmsGatewayTrigger/dedupe';
import {
	bulkSmsTimeToIso,
	londonOffsetAt,
	londonTextToIso,
	mxMmsDateToIso,
} from '../../nodes/SmsGatewayTrigger/events/time';
import { signJwt } from '../../simulator';

describe('CIDR', () => {
	test.each([
		['83.166.68.0/23', '83.166.69.255', true],
		['83.166.68.0/23', '83.166.70.0', false],
		['10.0.0.0/8', '::ffff:10.1.2.3', true],
		['10.0.0.0/8', '::ffff:a01:203', true],
		['0.0.0.0/0', '203.0.113.9', true],
		['2001:db8::/32', '2001:db8:ffff::1', true],
		['2001:db8::/32', '2001:db9::1', false],
		['::ffff:0:0/96', '192.0.2.1', true],
		['127.0.0.1', '127.0.0.1', true],
		['127.0.0.1', '127.0.0.2', false],
		['fe80::1', 'fe80::1%eth0', true],
	])('%s contains %s: %s', (rule, ip, expected) => {
		expect(isAllowed(ip, [parseCidr(rule)])).toBe(expected);
	});

	test.each(['1.2.3', '1.2.3.4.5', '256.1.1.1', '01.2.3.4', '1.2.3.4/33', '1.2.3.4/x', '2001:db8::/129', '1:::2', 'host.example', '::g'])(
		'%s is refused',
		(rule) => {
			expect(() => parseCidr(rule)).toThrow(CidrSyntaxError);
		},
	);

	test('lists are split on commas, semicolons and white space; garbage addresses match nothing', () => {
		expect(parseAllowlist(' 10.0.0.0/8,\n192.168.0.0/16 ;fd00::/8 ').map((r) => r.source)).toEqual(['10.0.0.0/8', '192.168.0.0/16', 'fd00::/8']);
		expect(isAllowed('not an ip', parseAllowlist('0.0.0.0/0'))).toBe(false);
		expect(isAllowed(undefined, parseAllowlist('0.0.0.0/0'))).toBe(false);
		expect(parseAddress('[::1]')).toEqual({ family: 6, value: 1n });
	});
});

describe('London time', () => {
	test.each([
		['2024-01-15 08:30:00', '2024-01-15T08:30:00+00:00'],
		['2024-07-01 12:00:00', '2024-07-01T12:00:00+01:00'],
		// Spring forward (31 March 2024, 01:00 GMT -> 02:00 BST): the skipped hour is read as GMT.
		['2024-03-31 00:59:59', '2024-03-31T00:59:59+00:00'],
		['2024-03-31 01:30:00', '2024-03-31T01:30:00+00:00'],
		['2024-03-31 02:00:00', '2024-03-31T02:00:00+01:00'],
		// Fall back (27 October 2024, 02:00 BST -> 01:00 GMT): the repeated hour is read as BST.
		['2024-10-27 00:59:59', '2024-10-27T00:59:59+01:00'],
		['2024-10-27 01:30:00', '2024-10-27T01:30:00+01:00'],
		['2024-10-27 02:00:00', '2024-10-27T02:00:00+00:00'],
		['2002-04-30 21:58:00', '2002-04-30T21:58:00+01:00'],
	])('%s -> %s', (local, iso) => {
		expect(londonTextToIso(local)).toBe(iso);
	});

	test.each(['2024-02-30 10:00:00', '2024-13-01 10:00:00', '2024-01-01 24:00:00', '2024-01-01', 'yesterday'])('%s is not a date', (text) => {
		expect(londonTextToIso(text)).toBeUndefined();
	});

	test('the offset switches at 01:00 UTC', () => {
		expect(londonOffsetAt(Date.UTC(2024, 2, 31, 0, 59, 59))).toBe(0);
		expect(londonOffsetAt(Date.UTC(2024, 2, 31, 1, 0, 0))).toBe(60);
		expect(londonOffsetAt(Date.UTC(2024, 9, 27, 0, 59, 59))).toBe(60);
		expect(londonOffsetAt(Date.UTC(2024, 9, 27, 1, 0, 0))).toBe(0);
	});

	test('MX MMS dates in their three shapes, and BulkSMS two-digit years', () => {
		expect(mxMmsDateToIso('2010-08-21 17:32:21 +0000')).toBe('2010-08-21T17:32:21+00:00');
		expect(mxMmsDateToIso('2010-08-21 17:32:21+0100')).toBe('2010-08-21T17:32:21+01:00');
		expect(mxMmsDateToIso('2010-08-21 17:32:21 -0500')).toBe('2010-08-21T17:32:21-05:00');
		expect(mxMmsDateToIso('2010-08-21 17:32:21')).toBe('2010-08-21T17:32:21+01:00');
		expect(mxMmsDateToIso('2010-08-21 17:32:21 +9900')).toBeUndefined();
		expect(bulkSmsTimeToIso('24-07-01 10:11:12')).toBe('2024-07-01T10:11:12+00:00');
	});
});

describe('HS256 JWT', () => {
	const now = 1_700_000_000;
	test('accepts the simulator\'s signature and returns the payload', () => {
		const result = verifyHs256(signJwt('{"id":1,"status":"DELIVERED"}', 'k'), 'k', now);
		expect(result).toEqual({ ok: true, payload: { id: 1, status: 'DELIVERED' } });
	});

	test.each([
		['not yet valid', '{"nbf":1800000000}', 'signature token not valid yet'],
		['an array payload', '[1]', 'malformed signature token payload'],
		['payload not JSON', 'nope', 'malformed signature token payload'],
	])('refuses %s', (_label, payload, reason) => {
		expect(verifyHs256(signJwt(payload, 'k'), 'k', now)).toEqual({ ok: false, reason });
	});

	test('a token longer than 64 KiB is refused before any work', () => {
		expect(verifyHs256('a'.repeat(70_000), 'k', now)).toEqual({ ok: false, reason: 'signature token too long' });
	});
});

test('secrets compare equal only when identical, and an empty expected secret never matches', () => {
	expect(secretsMatch('s3cret', 's3cret')).toBe(true);
	expect(secretsMatch('s3cre', 's3cret')).toBe(false);
	expect(secretsMatch('s3cret ', 's3cret')).toBe(false);
	expect(secretsMatch('', '')).toBe(false);
});

describe('query bytes', () => {
	test('percent escapes are bytes, + is a space, repeats are kept in order', () => {
		const params = parseParams('smsmsg=Test+%A4&shortcode=1&shortcode=2&flag', 'q');
		expect([...params.get('smsmsg')![0]]).toEqual([0x54, 0x65, 0x73, 0x74, 0x20, 0xa4]);
		expect(params.get('shortcode')!.map((b) => Buffer.from(b).toString())).toEqual(['1', '2']);
		expect(params.get('flag')![0]).toHaveLength(0);
	});

	test('a malformed escape is a 400 naming the parameter', () => {
		expect(() => parseParams('a=%4', 'the query string')).toThrow(new HttpRefusal(400, 'malformed percent-encoding in parameter "a" of the query string'));
	});
});

describe('dedupe memory', () => {
	test('a claim is a duplicate only once settled ok; a failed one frees the key; waiters learn the outcome', async () => {
		const seen = new SeenKeys();
		const first = seen.claim('k', 0, 60_000);
		expect(first.outcome).toBe('new');
		const second = seen.claim('k', 1, 60_000);
		expect(second.outcome).toBe('inFlight');
		if (first.outcome !== 'new' || second.outcome !== 'inFlight') return;
		first.settle(false);
		await expect(second.settled).resolves.toBe(false);
		const third = seen.claim('k', 2, 60_000);
		expect(third.outcome).toBe('new');
		if (third.outcome === 'new') third.settle(true);
		expect(seen.claim('k', 3, 60_000).outcome).toBe('duplicate');
	});

	test('the memory is bounded', () => {
		const seen = new SeenKeys(100);
		for (let i = 0; i < 1000; i++) {
			const claim = seen.claim(`k${i}`, i, 1e9);
			if (claim.outcome === 'new') claim.settle(true);
		}
		expect(seen.size).toBeLessThanOrEqual(101);
	});
});
