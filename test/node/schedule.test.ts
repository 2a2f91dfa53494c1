import { withTimeZone } from '../../nodes/SmsGateway/actions/message/schedule';

describe('Schedule At: the date picker value read in the workflow time zone', () => {
	it('keeps a value that already has an offset', () => {
		expect(withTimeZone('2026-12-24T18:00:00+01:00', 'America/New_York')).toBe('2026-12-24T18:00:00+01:00');
		expect(withTimeZone('2026-12-24T18:00:00Z', 'Europe/London')).toBe('2026-12-24T18:00:00Z');
	});

	it('reads wall-clock time in the zone, winter and summer', () => {
		expect(withTimeZone('2026-12-24T18:00:00', 'Europe/Berlin')).toBe('2026-12-24T17:00:00.000Z');
		expect(withTimeZone('2026-07-01T09:30', 'Europe/London')).toBe('2026-07-01T08:30:00.000Z');
		expect(withTimeZone('2026-07-01T09:30:00', 'America/New_York')).toBe('2026-07-01T13:30:00.000Z');
		expect(withTimeZone('2026-07-01T09:30:00', 'UTC')).toBe('2026-07-01T09:30:00.000Z');
	});

	it('leaves text it cannot read for the validation to explain', () => {
		expect(withTimeZone('tomorrow', 'UTC')).toBe('tomorrow');
	});
});
