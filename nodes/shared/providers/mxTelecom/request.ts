/**
 * MX message bodies by encoding (mx-telecom-http.md section 1.3):
 * - GSM-7 text: `smsmsg` as ISO-8859-15 octets, percent-encoded (never UTF-8; the euro
 *   sign is %A4), or `smsia5` as GSM 03.38 octets when a character has no Latin-9 form
 *   (Greek capitals, the currency sign);
 * - UCS-2 text: `smsucs2`, hex of UTF-16BE units;
 * - binary: `smsmsg` (hex payload) + `smsudh` (hex UDH), one request per part;
 * - vCard and MMS notification natively (`vcard_data`, `mms_*`) when asked to;
 * - long text: `split=2` with the whole text (section 1.2), or our own parts, each with a
 *   concatenation UDH in `smsudh` (the OpenMarket example of manual concatenation).
 */
import { buildConcatenatedParts, bytesToHex, encodeGsm7, toLatin9, toUcs2Hex } from '../../codec';
import type { BinaryPlan, ContentPlan } from '../content';
import { GatewayValidationError } from '../errors';
import type { FormPairs } from '../form';
import type { MxTelecomOptions } from '../types';
import { nativeContent } from './nativeContent';

/** Largest part count sent with `split=2`: the only limit seen for it (third-party, section 8 item 27). */
export const GATEWAY_SPLIT_MAX_PARTS = 4;

function latin9(text: string): Uint8Array | undefined {
	try {
		return toLatin9(text);
	} catch {
		return undefined;
	}
}

/**
 * Any other text parameter (originator, note, subaccount, MMS subject): MX reads its
 * parameters as (Modified) Latin-9 (section 1.3, section 8 item 5), so send Latin-9 octets when the
 * text has them, and UTF-8 only for text Latin-9 cannot carry.
 */
export function latin9OrUtf8(text: string): string | Uint8Array {
	return latin9(text) ?? text;
}

function gsmTextPairs(text: string, parameter: 'auto' | 'smsmsg' | 'smsia5'): FormPairs {
	if (parameter !== 'smsia5') {
		const bytes = latin9(text);
		if (bytes) return [['smsmsg', bytes]];
		if (parameter === 'smsmsg') {
			const index = [...text].findIndex((c) => latin9(c) === undefined);
			throw new GatewayValidationError(
				'providerOptions.mxTelecom.textParameter',
				`Character ${JSON.stringify([...text][index])} has no ISO-8859-15 form, so it cannot go in smsmsg; use textParameter 'auto' or 'smsia5'`,
			);
		}
	}
	return [['smsia5', encodeGsm7(text)]];
}

/**
 * Binary SMS: one request per part, `smsmsg` = payload hex, `smsudh` = UDH hex with its
 * length octet (section 1.3). With `contentFormat: 'native'`, MX's own parameters instead
 * where it documents them (nativeContent.ts).
 */
function binaryRequests(plan: BinaryPlan, options: MxTelecomOptions): FormPairs[] {
	const format = options.contentFormat ?? 'binary';
	if (format !== 'binary' && format !== 'native') {
		throw new GatewayValidationError('providerOptions.mxTelecom.contentFormat', "contentFormat must be 'binary' or 'native'");
	}
	if (format === 'native' && plan.content !== undefined && plan.content.type !== 'binary') return [nativeContent(plan, plan.content)];
	return plan.segments.map((segment, k): FormPairs => {
		if (segment.udh.length === 0) {
			const field = plan.content ? `content.parts[${k}].udh` : 'binary.udh';
			throw new GatewayValidationError(field, `MX Telecom marks binary content by its smsudh parameter, so ${field} is required`);
		}
		return [
			['smsmsg', bytesToHex(segment.payload)],
			['smsudh', bytesToHex(segment.udh)],
		];
	});
}

/**
 * The content fields of each request needed for one message: one entry for a message
 * sent whole, one per part when we concatenate ourselves.
 */
export function contentRequests(plan: ContentPlan, options: MxTelecomOptions): FormPairs[] {
	if (plan.kind === 'binary') return binaryRequests(plan, options);
	const parameter = options.textParameter ?? 'auto';
	if (!['auto', 'smsmsg', 'smsia5'].includes(parameter)) {
		throw new GatewayValidationError('providerOptions.mxTelecom.textParameter', "textParameter must be 'auto', 'smsmsg' or 'smsia5'");
	}
	const split = options.split ?? 'auto';
	if (!['auto', 'gateway', 'udh'].includes(split)) {
		throw new GatewayValidationError('providerOptions.mxTelecom.split', "split must be 'auto', 'gateway' or 'udh'");
	}
	const ownParts = plan.parts > 1 && (split === 'udh' || (split === 'auto' && plan.parts > GATEWAY_SPLIT_MAX_PARTS));
	if (!ownParts) {
		const body: FormPairs = plan.encoding === 'gsm7' ? gsmTextPairs(plan.text, parameter) : [['smsucs2', toUcs2Hex(plan.text)]];
		if (plan.parts > 1) body.push(['split', '2']);
		return [body];
	}
	if (plan.encoding === 'gsm7' && parameter === 'smsmsg') {
		throw new GatewayValidationError('providerOptions.mxTelecom.textParameter', "Parts with our own UDH are sent as smsia5; use textParameter 'auto'");
	}
	const built = buildConcatenatedParts(plan.text, { encoding: plan.encoding === 'gsm7' ? 'GSM-7' : 'UCS-2' });
	return built.parts.map((part): FormPairs => {
		const udh: [string, string] = ['smsudh', bytesToHex(part.udh)];
		if (plan.encoding === 'gsm7') return [['smsia5', encodeGsm7(part.text)], udh];
		return [['smsucs2', toUcs2Hex(part.text)], udh];
	});
}
