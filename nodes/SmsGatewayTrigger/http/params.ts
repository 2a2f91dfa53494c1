/**
 * Form and query parameters read as bytes.
 *
 * MX Telecom percent-encodes Latin-9 bytes (`%A4` is the euro sign) and BulkSMS Latin-1
 * bytes, never UTF-8. n8n's own query parser decodes as UTF-8 and silently keeps the
 * raw `%XX` text when that fails, and it turns text that happens to be valid UTF-8 into
 * the wrong characters. So the trigger re-reads the raw query string (and urlencoded
 * bodies) itself: `+` is a space, `%XX` one byte, and each parameter is decoded later
 * with the charset its gateway uses.
 */
import { HttpRefusal } from './refusal';

/** Parameter name -> every value given for it, as bytes, in order. */
export type RawParams = Map<string, Uint8Array[]>;

/** More parameters than any push carries; a guard against hash-flooding style input. */
const MAX_PARAMETERS = 200;

function hexDigit(code: number): number {
	if (code >= 0x30 && code <= 0x39) return code - 0x30;
	const lower = code | 0x20;
	if (lower >= 0x61 && lower <= 0x66) return lower - 0x61 + 10;
	return -1;
}

/** Percent-decodes one component to bytes; throws a 400 refusal on a malformed escape. */
export function percentDecode(component: string, what: string): Uint8Array {
	const out: number[] = [];
	for (let i = 0; i < component.length; i++) {
		const code = component.charCodeAt(i);
		if (code === 0x2b) {
			out.push(0x20);
		} else if (code === 0x25) {
			const hi = i + 2 < component.length ? hexDigit(component.charCodeAt(i + 1)) : -1;
			const lo = i + 2 < component.length ? hexDigit(component.charCodeAt(i + 2)) : -1;
			if (hi < 0 || lo < 0) {
				throw new HttpRefusal(400, `malformed percent-encoding in ${what}`);
			}
			out.push((hi << 4) | lo);
			i += 2;
		} else if (code < 0x100) {
			// Unescaped bytes above 0x7F are not allowed, but Node hands a raw URL over as one
			// character per byte, so such a character is taken as the byte it was.
			out.push(code);
		} else {
			for (const byte of new TextEncoder().encode(component[i])) out.push(byte);
		}
	}
	return Uint8Array.from(out);
}

/** Parses `a=1&b=2&b=3` into raw parameters (repeated names keep every value). */
export function parseParams(text: string, what: string): RawParams {
	const params: RawParams = new Map();
	if (text === '') return params;
	const pairs = text.split('&');
	if (pairs.length > MAX_PARAMETERS) throw new HttpRefusal(413, `more than ${MAX_PARAMETERS} parameters in ${what}`);
	for (const pair of pairs) {
		if (pair === '') continue;
		const eq = pair.indexOf('=');
		const nameBytes = percentDecode(eq === -1 ? pair : pair.slice(0, eq), what);
		const name = asciiOrRefuse(nameBytes, what);
		const value = percentDecode(eq === -1 ? '' : pair.slice(eq + 1), `parameter "${name}" of ${what}`);
		const list = params.get(name);
		if (list) list.push(value);
		else params.set(name, [value]);
	}
	return params;
}

function asciiOrRefuse(bytes: Uint8Array, what: string): string {
	let name = '';
	for (const byte of bytes) {
		if (byte < 0x20 || byte > 0x7e) throw new HttpRefusal(400, `parameter name with non-printable or non-ASCII characters in ${what}`);
		name += String.fromCharCode(byte);
	}
	if (name.length > 64) throw new HttpRefusal(400, `parameter name longer than 64 characters in ${what}`);
	return name;
}

/** Copies `extra` into `base`; a name given in both keeps the values of `extra` (the body wins). */
export function mergeParams(base: RawParams, extra: RawParams): RawParams {
	const merged: RawParams = new Map(base);
	for (const [name, values] of extra) merged.set(name, values);
	return merged;
}

/** Text decoding of one gateway's parameters. */
export type ByteDecoder = (bytes: Uint8Array) => string;

/**
 * Decoded view of raw parameters with the checks every parser needs: a parameter that
 * must appear once is refused when repeated (two different `smsid`s in one push cannot
 * both be right).
 */
export class Params {
	constructor(
		private readonly raw: RawParams,
		private readonly decode: ByteDecoder,
		private readonly hidden: ReadonlySet<string> = new Set(),
	) {}

	has(name: string): boolean {
		return this.raw.has(name);
	}

	bytes(name: string): Uint8Array | undefined {
		const values = this.raw.get(name);
		if (!values) return undefined;
		if (values.length > 1) throw new HttpRefusal(400, `parameter "${name}" given more than once`);
		return values[0];
	}

	/** The single value of a parameter, decoded; undefined when absent. */
	text(name: string, decode: ByteDecoder = this.decode): string | undefined {
		const bytes = this.bytes(name);
		return bytes === undefined ? undefined : decode(bytes);
	}

	/** Every value of a repeatable parameter, decoded (empty values dropped). */
	list(name: string): string[] {
		return (this.raw.get(name) ?? []).map((b) => this.decode(b)).filter((v) => v !== '');
	}

	/** All parameters decoded, for an item's `raw` (secrets left out; repeated names as arrays). */
	toObject(): Record<string, string | string[]> {
		const out: Record<string, string | string[]> = {};
		for (const [name, values] of this.raw) {
			if (this.hidden.has(name)) continue;
			const decoded = values.map((b) => this.decode(b));
			out[name] = decoded.length === 1 ? decoded[0] : decoded;
		}
		return out;
	}
}
