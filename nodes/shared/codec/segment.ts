/**
 * Splitting a text into SMS parts (3GPP TS 23.038 / 23.040).
 *
 * One pass over a flat cost table picks the encoding and counts units; a message that
 * fits one part is returned as is. Longer GSM-7 texts take a second greedy pass that
 * moves an escape pair that would straddle a part end whole into the next part. UCS-2
 * texts are split without a per-character pass: every part is exactly the capacity,
 * one unit shorter when its end would cut a well-formed surrogate pair.
 */
import { UnencodableCharacterError, assertString, invalidArgument } from './errors';
import { gsm7CostTable } from './gsm7';
import { applySmartEncoding, type Replacement } from './smart';
import { MAX_PARTS, SMALL_C_CEDILLA, SMS_CAPACITY } from './tables';
import { assertConcatRef, type ConcatRef } from './udh';

export type SmsEncoding = 'GSM-7' | 'UCS-2';

export interface SegmentOptions {
	/** 'auto' (default) picks GSM-7 when every character allows it, else UCS-2. */
	encoding?: 'auto' | SmsEncoding;
	/** Size of the concatenation reference: 8 (default, 6-octet UDH) or 16 (7-octet UDH). */
	concatRef?: ConcatRef;
	/** Count lowercase c-cedilla as GSM (sent as 0x09, capital C-cedilla). Default false. */
	lenientCCedilla?: boolean;
	/** Replace typographic look-alikes with GSM characters first. Default false. */
	smartEncoding?: boolean;
}

export interface SegmentResult {
	encoding: SmsEncoding;
	/** The text that was split: the input, after smart-encoding replacements if enabled. */
	text: string;
	/** Total units: septets for GSM-7 (extension characters count 2), UTF-16 units for UCS-2. */
	units: number;
	/** The parts, in order; joined they give `text`. One empty part for an empty text. */
	parts: string[];
	/** Units in each part. */
	partUnits: number[];
	/** Capacity of each part: 160/70 for one part, 153/67 (8-bit ref) or 152/66 (16-bit ref) when concatenated. */
	unitsPerPart: number;
	/** Units still free in the last part. */
	remaining: number;
	/** Same as parts.length. */
	partCount: number;
	concatRef: ConcatRef;
	/** Octets of UDH per part: 0 for a single part, 6 or 7 when concatenated. */
	udhOctets: number;
	/** Look-alikes replaced by smart encoding (empty when it is off or found nothing). */
	replacements: Replacement[];
	/** True when more than 255 parts would be needed: such a message cannot be sent as one. */
	tooManyParts: boolean;
	/** Why the message cannot be sent as one concatenated SMS, when tooManyParts is true. */
	error?: string;
}

function validateOptions(options: SegmentOptions | undefined): void {
	if (options === undefined || options === null) return;
	if (typeof options !== 'object') throw invalidArgument('options must be an object');
	const { encoding, concatRef } = options;
	if (encoding !== undefined && encoding !== 'auto' && encoding !== 'GSM-7' && encoding !== 'UCS-2') {
		throw invalidArgument(`encoding must be 'auto', 'GSM-7' or 'UCS-2', got ${String(encoding)}`);
	}
	if (concatRef !== undefined) assertConcatRef(concatRef);
}

/** Greedy GSM-7 split; an extension character (2 septets) never straddles two parts. */
function splitGsm7(text: string, cost: Uint8Array, cap: number, parts: string[], partUnits: number[]): void {
	let start = 0;
	let used = 0;
	for (let i = 0, n = text.length; i < n; i++) {
		const c = cost[text.charCodeAt(i)];
		if (used + c > cap) {
			parts.push(text.slice(start, i));
			partUnits.push(used);
			start = i;
			used = 0;
		}
		used += c;
	}
	parts.push(text.slice(start));
	partUnits.push(used);
}

/** UCS-2 split: parts of `cap` units, one less where the cut would fall inside a surrogate pair. */
function splitUcs2(text: string, cap: number, parts: string[], partUnits: number[]): void {
	const n = text.length;
	let start = 0;
	while (n - start > cap) {
		let end = start + cap;
		const before = text.charCodeAt(end - 1);
		if (before >= 0xd800 && before <= 0xdbff) {
			const after = text.charCodeAt(end);
			if (after >= 0xdc00 && after <= 0xdfff) end--;
		}
		parts.push(text.slice(start, end));
		partUnits.push(end - start);
		start = end;
	}
	parts.push(text.slice(start));
	partUnits.push(n - start);
}

/**
 * Splits a text into SMS parts and reports the encoding and the units used.
 * Throws UnencodableCharacterError when GSM-7 is forced and a character is not GSM.
 * A text needing more than 255 parts is returned whole with `tooManyParts: true`.
 */
export function segmentMessage(input: string, options?: SegmentOptions): SegmentResult {
	assertString(input, 'text');
	validateOptions(options);
	const requested = options?.encoding ?? 'auto';
	const concatRef: ConcatRef = options?.concatRef ?? 8;
	const lenient = options?.lenientCCedilla === true;

	let text = input;
	let replacements: Replacement[] = [];
	if (options?.smartEncoding === true) {
		const smart = applySmartEncoding(input);
		text = smart.text;
		replacements = smart.replacements;
	}

	const n = text.length;
	const cost = gsm7CostTable(options);
	let encoding: SmsEncoding;
	let units: number;
	if (requested === 'UCS-2') {
		encoding = 'UCS-2';
		units = n;
	} else {
		let septets = 0;
		let i = 0;
		for (; i < n; i++) {
			const c = cost[text.charCodeAt(i)];
			if (c === 0) break;
			septets += c;
		}
		if (i === n) {
			encoding = 'GSM-7';
			units = septets;
		} else if (requested === 'GSM-7') {
			const hint =
				text.charCodeAt(i) === SMALL_C_CEDILLA && !lenient
					? ' (lowercase c-cedilla is not in the GSM 03.38 alphabet; enable lenientCCedilla to send it as capital C-cedilla)'
					: ' (not in the GSM 03.38 default alphabet or its extension table)';
			throw new UnencodableCharacterError('NOT_GSM7', 'GSM-7', text, i, hint);
		} else {
			encoding = 'UCS-2';
			units = n;
		}
	}

	const gsm = encoding === 'GSM-7';
	const single = gsm ? SMS_CAPACITY.single.gsm7 : SMS_CAPACITY.single.ucs2;
	const parts: string[] = [];
	const partUnits: number[] = [];
	let unitsPerPart: number;
	let udhOctets: number;
	if (units <= single) {
		unitsPerPart = single;
		udhOctets = 0;
		parts.push(text);
		partUnits.push(units);
	} else {
		const capacity = concatRef === 16 ? SMS_CAPACITY.concat16 : SMS_CAPACITY.concat8;
		unitsPerPart = gsm ? capacity.gsm7 : capacity.ucs2;
		udhOctets = concatRef === 16 ? 7 : 6;
		if (gsm) splitGsm7(text, cost, unitsPerPart, parts, partUnits);
		else splitUcs2(text, unitsPerPart, parts, partUnits);
	}

	const partCount = parts.length;
	const tooManyParts = partCount > MAX_PARTS;
	const result: SegmentResult = {
		encoding,
		text,
		units,
		parts,
		partUnits,
		unitsPerPart,
		remaining: unitsPerPart - partUnits[partCount - 1],
		partCount,
		concatRef,
		udhOctets,
		replacements,
		tooManyParts,
	};
	if (tooManyParts) {
		result.error =
			`Message needs ${partCount} parts (${units} ${gsm ? 'septets' : 'UCS-2 units'}); ` +
			`a concatenated SMS has at most ${MAX_PARTS} parts of ${unitsPerPart}`;
	}
	return result;
}
