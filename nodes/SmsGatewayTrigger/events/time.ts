/**
 * Timestamps in pushes, turned into ISO 8601 with the right offset.
 *
 * MX Telecom writes `smsdate` as London wall-clock time (GMT in winter, BST in summer)
 * with no offset (reference mx-telecom-http sections 4 and 8 item 12). London's offset follows the
 * rule in force since 1996: BST (+01:00) from 01:00 UTC on the last Sunday of March to
 * 01:00 UTC on the last Sunday of October. The rule is coded here rather than read from
 * the platform's time-zone data, so the result does not depend on how the runtime was
 * built. The two edge cases of wall-clock time are decided explicitly:
 * - the repeated hour in October (01:00-01:59 happens twice): the first occurrence (BST);
 * - the skipped hour in March (01:00-01:59 does not exist): read with GMT, the offset
 *   before the change, i.e. 01:30 becomes 01:30+00:00 (= 02:30 BST).
 */

export interface WallClock {
	year: number;
	month: number;
	day: number;
	hour: number;
	minute: number;
	second: number;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

function isValid(w: WallClock): boolean {
	if (w.month < 1 || w.month > 12 || w.day < 1 || w.hour > 23 || w.minute > 59 || w.second > 59) return false;
	const daysInMonth = new Date(Date.UTC(w.year, w.month, 0)).getUTCDate();
	return w.day <= daysInMonth;
}

/** `yyyy-MM-dd HH:mm:ss` (also with `T`); undefined when malformed or impossible. */
export function parseWallClock(text: string): WallClock | undefined {
	const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/.exec(text.trim());
	if (!m) return undefined;
	const w = { year: +m[1], month: +m[2], day: +m[3], hour: +m[4], minute: +m[5], second: +m[6] };
	return isValid(w) ? w : undefined;
}

/** Milliseconds (UTC) of 01:00 UTC on the last Sunday of a month. */
function lastSundayAt0100Utc(year: number, month: number): number {
	const lastDay = new Date(Date.UTC(year, month, 0));
	const day = lastDay.getUTCDate() - lastDay.getUTCDay();
	return Date.UTC(year, month - 1, day, 1, 0, 0);
}

/** London's UTC offset in minutes at an instant (0 or 60). */
export function londonOffsetAt(utcMs: number): number {
	const year = new Date(utcMs).getUTCFullYear();
	const start = lastSundayAt0100Utc(year, 3);
	const end = lastSundayAt0100Utc(year, 10);
	return utcMs >= start && utcMs < end ? 60 : 0;
}

function formatWithOffset(w: WallClock, offsetMinutes: number): string {
	const sign = offsetMinutes < 0 ? '-' : '+';
	const abs = Math.abs(offsetMinutes);
	return (
		`${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}` +
		`${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
	);
}

/** London wall-clock time -> ISO 8601 with its offset (see the module comment for edge cases). */
export function londonToIso(w: WallClock): string {
	const wallAsUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
	for (const offset of [60, 0]) {
		if (londonOffsetAt(wallAsUtc - offset * 60_000) === offset) return formatWithOffset(w, offset);
	}
	return formatWithOffset(w, 0);
}

/** Parses London wall-clock text; undefined when malformed. */
export function londonTextToIso(text: string | undefined): string | undefined {
	if (text === undefined) return undefined;
	const w = parseWallClock(text);
	return w && londonToIso(w);
}

/**
 * MX MMS `date` comes in three shapes (reference section 8 item 14): no offset (London time),
 * `yyyy-MM-dd HH:mm:ss+0100` and `yyyy-MM-dd HH:mm:ss +0100`.
 */
export function mxMmsDateToIso(text: string | undefined): string | undefined {
	if (text === undefined) return undefined;
	const m = /^(\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}) ?([+-])(\d{2}):?(\d{2})$/.exec(text.trim());
	if (!m) return londonTextToIso(text);
	const w = parseWallClock(m[1]);
	if (!w) return undefined;
	const minutes = Number(m[3]) * 60 + Number(m[4]);
	if (Number(m[3]) > 14 || Number(m[4]) > 59) return undefined;
	return formatWithOffset(w, m[2] === '-' ? -minutes : minutes);
}

/** BulkSMS `completed_time`: `yy-MM-dd HH:mm:ss`, zone unstated; read as UTC (docs/events.md). */
export function bulkSmsTimeToIso(text: string | undefined): string | undefined {
	if (text === undefined) return undefined;
	const m = /^(\d{2})-(\d{2}-\d{2} \d{2}:\d{2}:\d{2})$/.exec(text.trim());
	const w = m ? parseWallClock(`20${m[1]}-${m[2]}`) : parseWallClock(text);
	return w && formatWithOffset(w, 0);
}

/** An instant as ISO 8601 in UTC, in the same shape as the other times (`...+00:00`, whole seconds). */
export function utcIso(ms: number): string {
	const d = new Date(ms);
	const w = {
		year: d.getUTCFullYear(),
		month: d.getUTCMonth() + 1,
		day: d.getUTCDate(),
		hour: d.getUTCHours(),
		minute: d.getUTCMinutes(),
		second: d.getUTCSeconds(),
	};
	return formatWithOffset(w, 0);
}

/** Unix seconds -> ISO 8601 in UTC; undefined when out of range. */
export function unixToIso(seconds: number | undefined): string | undefined {
	if (seconds === undefined || !Number.isFinite(seconds)) return undefined;
	const ms = Math.floor(seconds) * 1000;
	if (ms < 0 || ms > 253402300799000) return undefined;
	return utcIso(ms);
}
