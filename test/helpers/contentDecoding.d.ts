/** Types of contentDecoding.js: a reader of content messages written from the specifications. */
import type { AcceptedRecord, BinarySmsPart } from '../../simulator';

export interface WspPush {
	tid: number;
	/** Well-known number (0x2E = sic, 0x3E = mms-message) or media type text. */
	contentType: number | string;
	/** Content-type parameters by well-known number (0x01 charset). */
	contentTypeParameters: Record<number, number>;
	/** X-Wap-Application-Id: well-known code (0x04 = mms.ua) or URI. */
	applicationId?: number | string;
	body: Uint8Array;
}

export interface ServiceIndication {
	version: number;
	publicId: number | string;
	charset: number;
	href?: string;
	text: string;
	siId?: string;
	created?: string;
	expires?: string;
	action?: string;
}

export interface MmsNotificationHeaders {
	/** Field codes in order of appearance. */
	order: number[];
	messageType: number;
	transactionId: string;
	version: { major: number; minor: number };
	from?: string;
	subject?: string;
	messageClass: number | string;
	size: number;
	expiry: { relative: boolean; seconds: number };
	contentLocation: string;
}

export interface VcardText {
	text: string;
	/** Property lines as [name with parameters, value]. */
	properties: Array<[string, string]>;
}

export type DecodedContent =
	| { kind: 'wapPushSi'; push: WspPush; si: ServiceIndication }
	| { kind: 'mmsNotification'; push: WspPush; mms: MmsNotificationHeaders }
	| { kind: 'vcard'; vcard: VcardText };

export interface ReceivedMessage {
	to: string;
	/** The ports every part carries (absent when none). */
	ports?: { destination: number; source: number };
	parts: BinarySmsPart[];
	/** The reassembled payload. */
	datagram: Buffer;
}

export function decodeWspPush(datagram: Uint8Array): WspPush;
export function decodeServiceIndication(wbxml: Uint8Array): ServiceIndication;
export function decodeMmsNotificationPdu(pdu: Uint8Array): MmsNotificationHeaders;
export function decodeVcardText(bytes: Uint8Array): VcardText;
export function decodeContentDatagram(destinationPort: number | undefined, datagram: Uint8Array): DecodedContent;
export function receivedMessages(accepted: AcceptedRecord[], to: string): ReceivedMessage[];
export function receivedContent(accepted: AcceptedRecord[], to: string): DecodedContent[];
