/**
 * The normalised items the trigger emits, one per push. Shapes and examples are
 * documented in docs/events.md; the field names are a public contract.
 */
import type { IDataObject } from 'n8n-workflow';

import type { DeliveryStatus, ProviderName } from '../../shared/providers/types';

export type { DeliveryStatus };

export type EventKind = 'inboundSms' | 'inboundMms' | 'deliveryReport' | 'unsubscribe';

export const EVENT_KINDS: readonly EventKind[] = ['inboundSms', 'inboundMms', 'deliveryReport', 'unsubscribe'];

export type InboundEncoding = 'gsm7' | 'ucs2' | 'binary';

export interface ConcatInfo {
	reference: number;
	total: number;
	index: number;
}

export interface InboundSmsItem extends IDataObject {
	event: 'inboundSms';
	provider: ProviderName;
	dedupeKey: string;
	messageId: string;
	from: string;
	to: string;
	/** Decoded text; empty for binary messages (see `payload`). */
	text: string;
	encoding: InboundEncoding;
	receivedAt: string | null;
	network: string | null;
	/** Hex of the user data header, when the message had one. */
	udh: string | null;
	/** Hex of the binary payload (encoding `binary`), else null. */
	payload: string | null;
	/** Part information of one part of a concatenated message, from the UDH. */
	concat: ConcatInfo | null;
	raw: IDataObject;
}

export interface DeliveryReportItem extends IDataObject {
	event: 'deliveryReport';
	provider: ProviderName;
	dedupeKey: string;
	/** The id of the message this report is about (the id the send returned). */
	messageId: string;
	status: DeliveryStatus;
	/** True for a status that will not change any more. */
	final: boolean;
	providerStatus: string;
	reason: string | null;
	to: string | null;
	reference: string | null;
	at: string | null;
	channel: 'sms' | 'mms';
	kind: 'delivery' | 'read';
	raw: IDataObject;
}

export interface UnsubscribeItem extends IDataObject {
	event: 'unsubscribe';
	provider: ProviderName;
	dedupeKey: string;
	msisdn: string;
	shortcodes: string[];
	source: string | null;
	at: string | null;
	raw: IDataObject;
}

export interface MmsPartInfo extends IDataObject {
	name: string;
	mimeType: string;
	size: number;
	/** The binary property holding the part, or null when not unpacked. */
	binaryProperty: string | null;
}

export interface InboundMmsItem extends IDataObject {
	event: 'inboundMms';
	provider: ProviderName;
	dedupeKey: string;
	messageId: string;
	from: string;
	to: string[];
	cc: string[];
	subject: string | null;
	receivedAt: string | null;
	expiry: string | null;
	network: string | null;
	/** How the content arrived: in the push (`multipart`) or fetched after a GET notification. */
	delivery: 'multipart' | 'notification';
	/** Whether the zip is attached (binary property named in `zipProperty`). */
	retrieved: boolean;
	zipProperty: string | null;
	parts: MmsPartInfo[];
	/** Zip entries the manifest does not list (not output as parts). */
	unlisted: string[];
	/** Why the content is missing when a notification's retrieval failed. */
	error: string | null;
	raw: IDataObject;
}

export type EventItem = InboundSmsItem | DeliveryReportItem | UnsubscribeItem | InboundMmsItem;

/**
 * What a provider parser makes of one request: the item, plus for MMS what the trigger
 * still has to attach (a zip to read, or a notification to retrieve).
 */
export type ParsedEvent =
	| { kind: 'inboundSms' | 'deliveryReport' | 'unsubscribe'; item: EventItem }
	| { kind: 'inboundMms'; item: InboundMmsItem; zip: { fileField: string } | { retrieveId: string } };
