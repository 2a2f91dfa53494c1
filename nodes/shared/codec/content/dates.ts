/** ISO-8601 UTC date-times as the SI dates need them: whole seconds, UTC only. */
import { describeValue, fieldError, type ContentKind } from './fields';

export interface UtcDateTime {
	/** YYYYMMDDhhmmss */
	digits: string;
	/** Milliseconds since 1970-01-01T00:00:00Z, for ordering checks. */
	epochMs: number;
}

const ISO_UTC = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?Z$/u;
const EXAMPLE = '2024-06-01T12:30:00Z';

/**
 * Accepts `YYYY-MM-DDThh:mm:ssZ`; a fraction of a second is accepted only when it is zero
 * (`.000Z` from Date#toISOString), since the wire form has one-second resolution and a silently
 * truncated time would not be the time the caller asked for.
 */
export function parseUtcDateTime(kind: ContentKind, field: string, value: unknown): UtcDateTime {
	if (typeof value !== 'string') {
		throw fieldError(kind, field, `must be an ISO-8601 UTC date-time string such as ${EXAMPLE}, got ${describeValue(value)}`);
	}
	const match = ISO_UTC.exec(value);
	if (!match) {
		throw fieldError(kind, field, `must be an ISO-8601 date-time in UTC with seconds, such as ${EXAMPLE} (other time zones cannot be sent); got ${describeValue(value)}`);
	}
	const [, year, month, day, hour, minute, second, fraction] = match;
	if (fraction !== undefined && /[1-9]/u.test(fraction)) {
		throw fieldError(kind, field, `has a fraction of a second (${describeValue(value)}); it is sent with one-second resolution, so give whole seconds`);
	}
	const [y, mo, d, h, mi, s] = [year, month, day, hour, minute, second].map(Number);
	// setUTCFullYear, unlike Date.UTC, does not map years 0-99 to 1900-1999.
	const date = new Date(0);
	date.setUTCFullYear(y, mo - 1, d);
	date.setUTCHours(h, mi, s, 0);
	const valid = y >= 1 && mo >= 1 && mo <= 12 && h <= 23 && mi <= 59 && s <= 59 && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
	if (!valid) {
		throw fieldError(kind, field, `is not a real date-time: ${describeValue(value)}`);
	}
	return { digits: `${year}${month}${day}${hour}${minute}${second}`, epochMs: date.getTime() };
}
