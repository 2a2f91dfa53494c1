/**
 * GSM 7-bit default alphabet: text <-> unpacked septets (one septet per byte).
 */
import { SmsCodecError, UnencodableCharacterError, assertString } from './errors';
import {
	GSM7_BASIC_CHARS,
	GSM7_COST,
	GSM7_COST_LENIENT,
	GSM7_ESCAPE,
	GSM7_EXTENSION_DECODE,
	GSM7_SEPTET,
	SMALL_C_CEDILLA,
} from './tables';

export interface Gsm7Options {
	/** Map lowercase c-cedilla (not in the alphabet) to 0x09, capital C-cedilla. Default false. */
	lenientCCedilla?: boolean;
}

export function gsm7CostTable(options?: Gsm7Options): Uint8Array {
	return options?.lenientCCedilla === true ? GSM7_COST_LENIENT : GSM7_COST;
}

/** Index of the first UTF-16 unit that is not GSM-7, or -1 when all of the text is. */
export function findFirstNonGsm7(text: string, options?: Gsm7Options): number {
	assertString(text, 'text');
	const cost = gsm7CostTable(options);
	for (let i = 0, n = text.length; i < n; i++) {
		if (cost[text.charCodeAt(i)] === 0) return i;
	}
	return -1;
}

/** True when every character is in the basic or extension table. */
export function isGsm7(text: string, options?: Gsm7Options): boolean {
	return findFirstNonGsm7(text, options) === -1;
}

export interface NonGsmCharacter {
	/** UTF-16 index in the text. */
	index: number;
	/** The character (a whole surrogate pair when well-formed). */
	char: string;
	codePoint: number;
}

/** Every character that is not GSM-7, e.g. to tell a user why a message went UCS-2. */
export function findNonGsm7Characters(text: string, options?: Gsm7Options): NonGsmCharacter[] {
	assertString(text, 'text');
	const cost = gsm7CostTable(options);
	const out: NonGsmCharacter[] = [];
	for (let i = 0, n = text.length; i < n; i++) {
		if (cost[text.charCodeAt(i)] !== 0) continue;
		const codePoint = text.codePointAt(i) as number;
		const width = codePoint > 0xffff ? 2 : 1;
		out.push({ index: i, char: text.slice(i, i + width), codePoint });
		i += width - 1;
	}
	return out;
}

function notGsm(text: string, index: number, lenient: boolean): UnencodableCharacterError {
	const hint =
		text.charCodeAt(index) === SMALL_C_CEDILLA && !lenient
			? ' (lowercase c-cedilla is not in the GSM 03.38 alphabet; enable lenientCCedilla to send it as capital C-cedilla)'
			: ' (not in the GSM 03.38 default alphabet or its extension table)';
	return new UnencodableCharacterError('NOT_GSM7', 'GSM-7', text, index, hint);
}

/** Length in septets (extension characters count 2). Throws on the first non-GSM character. */
export function gsm7Length(text: string, options?: Gsm7Options): number {
	assertString(text, 'text');
	const cost = gsm7CostTable(options);
	let septets = 0;
	for (let i = 0, n = text.length; i < n; i++) {
		const c = cost[text.charCodeAt(i)];
		if (c === 0) throw notGsm(text, i, options?.lenientCCedilla === true);
		septets += c;
	}
	return septets;
}

/**
 * Encodes text as unpacked septets, one per byte; extension characters become the pair
 * 0x1B, code. Throws UnencodableCharacterError naming the first character that is not GSM.
 */
export function encodeGsm7(text: string, options?: Gsm7Options): Uint8Array {
	const out = new Uint8Array(gsm7Length(text, options));
	const cost = gsm7CostTable(options);
	let o = 0;
	for (let i = 0, n = text.length; i < n; i++) {
		const code = text.charCodeAt(i);
		if (cost[code] === 2) out[o++] = GSM7_ESCAPE;
		out[o++] = GSM7_SEPTET[code];
	}
	return out;
}

/**
 * Decodes unpacked septets. Per TS 23.038: ESC + a code the extension table does not
 * define shows the basic-table character for that code; ESC ESC (reserved for a further
 * table) and a trailing ESC show a space.
 */
export function decodeGsm7(septets: ArrayLike<number>): string {
	if (septets === null || typeof septets !== 'object' || typeof septets.length !== 'number') {
		throw new SmsCodecError('INVALID_ARGUMENT', 'septets must be a Uint8Array or an array of numbers');
	}
	let out = '';
	for (let i = 0, n = septets.length; i < n; i++) {
		const s = septets[i];
		if (!Number.isInteger(s) || s < 0 || s > 0x7f) {
			throw new SmsCodecError('INVALID_SEPTETS', `Septet at index ${i} is ${String(s)}; septets are 0 to 127`);
		}
		if (s !== GSM7_ESCAPE) {
			out += GSM7_BASIC_CHARS[s];
			continue;
		}
		if (i + 1 >= n) {
			out += ' ';
			continue;
		}
		const next = septets[++i];
		if (!Number.isInteger(next) || next < 0 || next > 0x7f) {
			throw new SmsCodecError('INVALID_SEPTETS', `Septet at index ${i} is ${String(next)}; septets are 0 to 127`);
		}
		if (next === GSM7_ESCAPE) out += ' ';
		else out += GSM7_EXTENSION_DECODE[next] ?? GSM7_BASIC_CHARS[next];
	}
	return out;
}
