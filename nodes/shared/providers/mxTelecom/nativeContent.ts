/**
 * MX's own parameters for content messages (mx-telecom-http.md section 1.3), used with
 * `contentFormat: 'native'`:
 * - vCard: `vcard_data`, the card text with CR LF line ends; MX builds the SMS. The text is
 *   exactly the payload our encoder made (a vCard SMS carries the card as plain text).
 * - MMS notification: `mms_messagelocation`, `mms_transaction_id`, `mms_from`,
 *   `mms_subject`, `mms_expire`; MX builds one binary SMS, and the first four count toward
 *   its 140 octets. Our own encoding of the same notification is the yardstick: when it
 *   needs more than one SMS, MX's cannot fit either, and the request is refused before
 *   sending. `mms_expire` is sent in seconds (MX's example means 24 hours; the unit is NOT
 *   FOUND, docs/providers.md). Size and message class have no MX parameter: MX sets them.
 * - WAP Push SI: MX documents only `push_action`, not the link and text parameters, so it
 *   is refused; send it as binary.
 */
import { toLatin9 } from '../../codec';
import type { BinaryPlan } from '../content';
import { GatewayValidationError } from '../errors';
import type { FormPairs } from '../form';
import type { SendContent } from '../types';

/** MX reads parameters as Latin-9: send Latin-9 octets when the text has them, else UTF-8. */
function latin9OrUtf8(text: string): string | Uint8Array {
	try {
		return toLatin9(text);
	} catch {
		return text;
	}
}

function joinedPayloads(plan: BinaryPlan): Uint8Array {
	const out = new Uint8Array(plan.segments.reduce((n, s) => n + s.payload.length, 0));
	let at = 0;
	for (const { payload } of plan.segments) {
		out.set(payload, at);
		at += payload.length;
	}
	return out;
}

export function nativeContent(plan: BinaryPlan, content: Exclude<SendContent, { type: 'binary' }>): FormPairs {
	if (content.type === 'vcard') {
		return [['vcard_data', latin9OrUtf8(new TextDecoder().decode(joinedPayloads(plan)))]];
	}
	if (content.type === 'mmsNotification') {
		if (plan.segments.length > 1) {
			throw new GatewayValidationError(
				'content',
				`MX Telecom builds its native MMS notification as one SMS, but this one needs ${plan.segments.length}: shorten the content location, subject or from, or use content format 'binary'`,
			);
		}
		const pairs: FormPairs = [];
		const fields: Array<[string, unknown]> = [
			['mms_messagelocation', content.contentLocation],
			['mms_transaction_id', content.transactionId],
			['mms_from', content.from],
			['mms_subject', content.subject],
		];
		for (const [name, value] of fields) {
			// The fields were checked when the notification was encoded: text, or empty.
			const text = typeof value === 'string' ? value.trim() : '';
			if (text !== '') pairs.push([name, latin9OrUtf8(text)]);
		}
		pairs.push(['mms_expire', String(Number(content.expiry))]);
		return pairs;
	}
	throw new GatewayValidationError(
		'providerOptions.mxTelecom.contentFormat',
		"MX Telecom documents no native parameters for a WAP Push SI's link and text; use content format 'binary' for it",
	);
}
