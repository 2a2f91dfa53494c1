/**
 * n8n's date picker yields wall-clock time without an offset ("2026-12-24T18:00:00"),
 * meant in the workflow's time zone. The gateway clients refuse times without a zone
 * (they could not know which one), so the node supplies it here.
 */
const LOCAL_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?$/;

/** Offset of `timeZone` from UTC at the instant `utcMs`, in ms (positive east of Greenwich). */
function zoneOffsetMs(utcMs: number, timeZone: string): number {
	const parts = new Intl.DateTimeFormat('en-US', {
		timeZone,
		hourCycle: 'h23',
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
		hour: '2-digit',
		minute: '2-digit',
		second: '2-digit',
	}).formatToParts(new Date(utcMs));
	const field = (type: string) => Number(parts.find((part) => part.type === type)?.value);
	const wallAsUtc = Date.UTC(field('year'), field('month') - 1, field('day'), field('hour'), field('minute'), field('second'));
	return wallAsUtc - Math.floor(utcMs / 1000) * 1000;
}

/** An ISO 8601 instant for `value`: unchanged when it has an offset, else read in `timeZone`. */
export function withTimeZone(value: string, timeZone: string): string {
	const match = LOCAL_TIME.exec(value.trim());
	if (!match) return value;
	const [, year, month, day, hour, minute, second = '0', millis = '0'] = match;
	const wall = Date.UTC(+year, +month - 1, +day, +hour, +minute, +second, +millis.padEnd(3, '0'));
	let utc: number;
	try {
		// Two passes settle the offset on the right side of a daylight-saving change.
		utc = wall - zoneOffsetMs(wall, timeZone);
		utc = wall - zoneOffsetMs(utc, timeZone);
	} catch {
		return value; // an unknown zone: let the client's validation explain the value
	}
	return new Date(utc).toISOString();
}
