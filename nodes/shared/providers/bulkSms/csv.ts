/**
 * `send_batch`'s `batch_data` (bulksms-eapi.md section 7): a header line, then one
 * line per message, every value double-quoted. Inside a value a quote is written `\"`
 * and a line break as a backslash before it (backslash escaping, not quote doubling).
 * Built as octets, because 7-bit messages are ISO-8859-1 bytes.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const LF = 0x0a;
const COMMA = 0x2c;

/** One quoted CSV value. A backslash never occurs in 7-bit text (it is not in BulkSMS's list) or in hex, but is escaped anyway. */
function pushQuoted(out: number[], value: Uint8Array | string): void {
	out.push(QUOTE);
	const bytes = typeof value === 'string' ? Uint8Array.from(value, (c) => c.charCodeAt(0) & 0xff) : value;
	for (const b of bytes) {
		// A CR stays as it is: only a line feed ends a line, so only it needs the backslash.
		if (b === QUOTE || b === BACKSLASH || b === LF) out.push(BACKSLASH);
		out.push(b);
	}
	out.push(QUOTE);
}

/** `msisdn,message` rows; `message` is what send_sms would carry in its `message` parameter. */
export function batchCsv(rows: Array<{ msisdn: string; message: Uint8Array | string }>): Uint8Array {
	const out: number[] = Array.from('msisdn,message\n', (c) => c.charCodeAt(0));
	for (const row of rows) {
		pushQuoted(out, row.msisdn);
		out.push(COMMA);
		pushQuoted(out, row.message);
		out.push(LF);
	}
	return Uint8Array.from(out);
}
