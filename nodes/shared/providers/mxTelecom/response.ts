/**
 * Reading MX answers. The reference has no official response layout (mx-telecom-http.md
 * section 1.4, section 2 "NOT FOUND"); what is parsed here is the decision in docs/providers.md:
 * single send: the bare 64-bit SMS id; bulksend: one `<msisdn> <id>` or
 * `<msisdn> FAILURE <reason>` line per recipient; errors: `FAILURE <reason>`. Parsing
 * is tolerant of other separators, CRLF, and bare ids in request order.
 */

export type LineOutcome = { id: string } | { failure: string };

/** A decimal SMS id (up to 20 digits = 64 bits), kept as a string. */
const ID = /^[0-9]{1,20}$/;

/** Single send: the trimmed body is the SMS id. */
export function parseSingle(text: string): { id: string } | { failure: string } | undefined {
	const body = text.trim();
	if (ID.test(body)) return { id: body };
	const failure = /^FAILURE\b[\s:]*(.*)$/is.exec(body);
	if (failure) return { failure: failure[1].trim() || 'FAILURE' };
	return undefined;
}

/**
 * Bulksend: per-recipient outcomes keyed by MSISDN. Returns undefined when the body has
 * no line this parser understands.
 */
export function parseBulk(text: string, recipients: readonly string[]): Map<string, LineOutcome> | undefined {
	const lines = text
		.split(/\r\n|\r|\n/)
		.map((l) => l.trim())
		.filter((l) => l !== '');
	if (lines.length === 0) return undefined;
	const out = new Map<string, LineOutcome>();
	if (lines.every((l) => ID.test(l))) {
		// Bare ids only: usable only if they map one to one, in request order.
		if (lines.length !== recipients.length) return undefined;
		recipients.forEach((to, i) => out.set(to, { id: lines[i] }));
		return out;
	}
	for (const line of lines) {
		const match = /^\+?([0-9]{5,20})[\s,;|:=]+(.+)$/.exec(line);
		if (!match) continue;
		const rest = match[2].trim();
		if (ID.test(rest)) out.set(match[1], { id: rest });
		else {
			const failure = /^FAILURE\b[\s:]*(.*)$/i.exec(rest);
			if (failure) out.set(match[1], { failure: failure[1].trim() || 'FAILURE' });
		}
	}
	return out.size > 0 ? out : undefined;
}
