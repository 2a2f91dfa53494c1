/**
 * MMS notification (OMA MMS ENC M-Notification.ind) inside a connectionless WSP push for the
 * MMS user agent, sent to port 2948 as binary SMS. The handset fetches the message from
 * `contentLocation` itself.
 */
import { concatBytes, fingerprint, isAscii, utf8 } from './bytes';
import { assertDatagramFits, resolveOptions, segmentDatagram, type ContentEncodeOptions, type ContentMessage } from './datagram';
import { describeValue, fieldError, optionalChoice, optionalText, requireAbsoluteUri, requireFields, requireInteger, type ContentKind } from './fields';
import { WAP_PUSH_PORTS } from './ports';
import {
	APPLICATION_ID_MMS_UA,
	CHARSET_UTF8,
	CONTENT_TYPE_MMS_MESSAGE,
	HEADER_X_WAP_APPLICATION_ID,
	integerValue,
	longInteger,
	pushPdu,
	shortInteger,
	textString,
	withValueLength,
} from './wsp';

export const MMS_MESSAGE_CLASSES = ['personal', 'advertisement', 'informational', 'auto'] as const;
export type MmsMessageClass = (typeof MMS_MESSAGE_CLASSES)[number];

export interface MmsNotificationInput {
	/** URI the handset fetches the message from (ASCII; percent-encode anything else). */
	contentLocation: string;
	/** Default: derived from contentLocation, so a resent notification is byte-identical. */
	transactionId?: string;
	/** +4512345678 (sent as +4512345678/TYPE=PLMN), an e-mail address, or an address with its /TYPE= suffix. */
	from?: string;
	subject?: string;
	/** Size of the message in octets. */
	size: number;
	/** Seconds, relative to the time the handset receives the notification. */
	expiry: number;
	/** Default: personal. */
	messageClass?: MmsMessageClass;
}

const KIND: ContentKind = 'MMS notification';
const FIELDS = ['contentLocation', 'transactionId', 'from', 'subject', 'size', 'expiry', 'messageClass'] as const;
const MAX_UINT32 = 0xffffffff;

const PUSH_TRANSACTION_ID = 0x01;

/** Header field codes (sent with bit 7 set). */
const FIELD_CONTENT_LOCATION = 0x03;
const FIELD_EXPIRY = 0x08;
const FIELD_FROM = 0x09;
const FIELD_MESSAGE_CLASS = 0x0a;
const FIELD_MESSAGE_TYPE = 0x0c;
const FIELD_MMS_VERSION = 0x0d;
const FIELD_MESSAGE_SIZE = 0x0e;
const FIELD_SUBJECT = 0x16;
const FIELD_TRANSACTION_ID = 0x18;

const MESSAGE_TYPE_NOTIFICATION_IND = 0x02;
/** MMS 1.2: major in bits 4-6, minor in bits 0-3. */
const MMS_VERSION_1_2 = (1 << 4) | 2;
const ADDRESS_PRESENT_TOKEN = 0x80;
const RELATIVE_TOKEN = 0x81;
const MESSAGE_CLASS_CODE: Record<MmsMessageClass, number> = {
	personal: 0x00,
	advertisement: 0x01,
	informational: 0x02,
	auto: 0x03,
};

/**
 * Encoded-string-value: a plain Text-string for ASCII; otherwise Value-length, the UTF-8
 * charset and the Text-string (quoted when it starts with a non-ASCII octet).
 */
function encodedStringValue(text: string): Uint8Array {
	const octets = utf8(text);
	if (isAscii(text)) return textString(octets);
	return withValueLength(concatBytes([integerValue(CHARSET_UTF8), textString(octets)]));
}

function header(field: number, value: ArrayLike<number>): Uint8Array {
	return concatBytes([shortInteger(field), value]);
}

const PHONE_NUMBER = /^\+?\d+$/u;
const E_MAIL = /^[^@\s]+@[^@\s]+$/u;
const TYPED_ADDRESS = /^.+\/TYPE=[A-Za-z0-9]+$/u;

/** The From address in MMS addressing form: phone numbers get /TYPE=PLMN. */
function fromAddress(value: unknown): string | undefined {
	const from = optionalText(KIND, 'from', value, { example: '+4512345678' });
	if (from === undefined) return undefined;
	if (/\s/u.test(from)) throw fieldError(KIND, 'from', `must not contain white space, got ${describeValue(from)}`);
	if (PHONE_NUMBER.test(from)) return `${from}/TYPE=PLMN`;
	if (TYPED_ADDRESS.test(from) || E_MAIL.test(from)) return from;
	throw fieldError(
		KIND,
		'from',
		`must be a phone number (+4512345678), an e-mail address, or an address with its type (+4512345678/TYPE=PLMN, 192.0.2.1/TYPE=IPv4); got ${describeValue(from)}`,
	);
}

function transactionIdFor(contentLocation: string): string {
	return `T${fingerprint(utf8(contentLocation)).toString(16).padStart(8, '0')}`;
}

interface Notification {
	contentLocation: string;
	transactionId: string;
	from?: string;
	subject?: string;
	size: number;
	expiry: number;
	messageClass: MmsMessageClass;
}

function notification(input: unknown): Notification {
	const fields = requireFields(KIND, input, FIELDS);
	const contentLocation = requireAbsoluteUri(KIND, 'contentLocation', fields.contentLocation, true);
	const transactionId = optionalText(KIND, 'transactionId', fields.transactionId, { example: '"T1"' });
	if (transactionId !== undefined && !isAscii(transactionId)) {
		throw fieldError(KIND, 'transactionId', `must be ASCII, got ${describeValue(transactionId)}`);
	}
	return {
		contentLocation,
		transactionId: transactionId ?? transactionIdFor(contentLocation),
		from: fromAddress(fields.from),
		subject: optionalText(KIND, 'subject', fields.subject, { example: '"Holiday photos"' }),
		size: requireInteger(KIND, 'size', fields.size, 0, MAX_UINT32, 'octets'),
		expiry: requireInteger(KIND, 'expiry', fields.expiry, 1, MAX_UINT32, 'seconds'),
		messageClass: optionalChoice(KIND, 'messageClass', fields.messageClass, MMS_MESSAGE_CLASSES) ?? 'personal',
	};
}

/** The M-Notification.ind headers; type, transaction id and version first, in that order. */
function notificationPdu(n: Notification): Uint8Array {
	const headers: Uint8Array[] = [
		header(FIELD_MESSAGE_TYPE, shortInteger(MESSAGE_TYPE_NOTIFICATION_IND)),
		header(FIELD_TRANSACTION_ID, textString(utf8(n.transactionId))),
		header(FIELD_MMS_VERSION, shortInteger(MMS_VERSION_1_2)),
	];
	if (n.from !== undefined) {
		headers.push(header(FIELD_FROM, withValueLength(concatBytes([[ADDRESS_PRESENT_TOKEN], encodedStringValue(n.from)]))));
	}
	if (n.subject !== undefined) headers.push(header(FIELD_SUBJECT, encodedStringValue(n.subject)));
	headers.push(
		header(FIELD_MESSAGE_CLASS, shortInteger(MESSAGE_CLASS_CODE[n.messageClass])),
		header(FIELD_MESSAGE_SIZE, longInteger(n.size)),
		// Delta-seconds as a Long-integer even when small: common parsers read only that form.
		header(FIELD_EXPIRY, withValueLength(concatBytes([[RELATIVE_TOKEN], longInteger(n.expiry)]))),
		header(FIELD_CONTENT_LOCATION, textString(utf8(n.contentLocation))),
	);
	return concatBytes(headers);
}

/**
 * Encodes an MMS notification as binary SMS parts (UDH with ports 2948 <- 9200, plus a
 * concatenation element when it needs several parts).
 */
export function mmsNotification(input: MmsNotificationInput, options?: ContentEncodeOptions): ContentMessage {
	const n = notification(input);
	const { concatRef } = resolveOptions(options);
	const datagram = pushPdu({
		transactionId: PUSH_TRANSACTION_ID,
		contentType: shortInteger(CONTENT_TYPE_MMS_MESSAGE),
		headers: header(HEADER_X_WAP_APPLICATION_ID, shortInteger(APPLICATION_ID_MMS_UA)),
		body: notificationPdu(n),
	});
	assertDatagramFits(KIND, datagram, concatRef, {
		contentLocation: n.contentLocation.length,
		subject: n.subject === undefined ? 0 : utf8(n.subject).length,
		from: n.from === undefined ? 0 : utf8(n.from).length,
		transactionId: n.transactionId.length,
	});
	return segmentDatagram(datagram, WAP_PUSH_PORTS, options);
}
