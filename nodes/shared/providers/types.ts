/**
 * The normalised vocabulary shared by the three gateway clients: what a caller asks for,
 * what comes back per recipient, and how HTTP reaches a gateway. Provider modules turn
 * these into each gateway's wire format; nothing here knows about a particular gateway.
 */
import type { IHttpRequestOptions } from 'n8n-workflow';

import type { ContentPart, MmsNotificationInput, VcardInput, WapPushSiInput } from '../codec';

export type ProviderName = 'mxTelecom' | 'bulkSms' | 'gatewayApi';

export const PROVIDERS: readonly ProviderName[] = ['mxTelecom', 'bulkSms', 'gatewayApi'];

/** How a request's text is encoded; `binary` sends caller-made octets (hex payload + UDH). */
export type RequestEncoding = 'auto' | 'gsm7' | 'ucs2' | 'binary';

/** The encoding that was actually used on the wire for a message. */
export type WireEncoding = 'gsm7' | 'ucs2' | 'binary';

export type RecipientStatus = 'accepted' | 'scheduled' | 'failed' | 'unknown';

export interface RetryConfig {
	/** Attempts per request including the first (default 4, at most 10). */
	maxAttempts?: number;
	/** First back-off delay in ms (default 500); doubles per attempt, with jitter. */
	baseDelayMs?: number;
	/** Upper bound of one back-off delay in ms (default 8,000). */
	maxDelayMs?: number;
}

export interface GatewayConfig {
	provider: ProviderName;
	/** Gateway root: scheme, host, optional port (and path prefix). Default per provider. */
	baseUrl?: string;
	/** MX only: root of the MMS gateway (SendMMS / RetrieveMMS). Default: `baseUrl` when that is set, else MX's MMS host. */
	mmsBaseUrl?: string;
	username?: string;
	password?: string;
	token?: string;
	mmsUsername?: string;
	mmsPassword?: string;
	/** Bound on one HTTP exchange (connect to last body byte), ms. Default 60,000 for MX (its advice), 30,000 otherwise. */
	timeoutMs?: number;
	/** Requests in flight at once during a broadcast. Defaults: MX 4, BulkSMS 1, GatewayAPI 8 (capped at 40). */
	concurrency?: number;
	/** Recipients per request on bulk paths. Defaults: MX 10,000, BulkSMS 1,000, GatewayAPI 10,000 (each also the cap). */
	batchSize?: number;
	/** BulkSMS `send_batch`: CSV rows per request (sendMany). Default 30,000, at most 50,000 (reference A1). */
	batchRows?: number;
	/** Messages per second at most, over every request of this client (accounts have throughput caps). */
	maxPerSecond?: number;
	retry?: RetryConfig;
}

export interface BinaryContent {
	/** Payload octets as hex (either case, no separators). */
	hex: string;
	/** Optional user data header as hex, including its length octet (UDHL). */
	udh?: string;
}

/** WAP Push Service Indication (WAP-167): a link with a text, shown by the handset's browser. Dates: ISO 8601 with a zone (sent in UTC). */
export type WapPushSiContent = { type: 'wapPushSi' } & WapPushSiInput;

/** MMS notification (M-Notification.ind over WAP Push): tells the handset where to fetch an MMS. `expiry` in seconds. */
export type MmsNotificationContent = { type: 'mmsNotification' } & MmsNotificationInput;

/** A business card on the vCard port: vCard text, or fields to build one from. */
export interface VcardContent {
	type: 'vcard';
	vcard: VcardInput;
}

/** Octets made by the caller, one or more SMS (several: each with a concatenation element). */
export interface BinaryPartsContent {
	type: 'binary';
	parts: ContentPart[];
}

/** A message sent as 8-bit binary SMS (every part with its own UDH), on every gateway. */
export type SendContent = WapPushSiContent | MmsNotificationContent | VcardContent | BinaryPartsContent;

export type SendContentType = SendContent['type'];

export interface MxTelecomOptions {
	/** Billing-record note, echoed in delivery reports (max 160). Defaults to `clientReference`. */
	note?: string;
	/** Billing sub-account (max 10). */
	subaccount?: string;
	/** Raw `report` bitmask (overrides `deliveryReport`; 7 = all report types). */
	report?: number;
	/**
	 * Long text: `gateway` sends it whole with `split=2`; `udh` sends our own concatenated
	 * parts (one request per part); `auto` (default) uses `gateway` up to 4 parts (the only
	 * limit seen for `split=2`) and `udh` above that.
	 */
	split?: 'auto' | 'gateway' | 'udh';
	/** Text parameter for GSM-7 text: `auto` (default) = `smsmsg` in Latin-9 when every character fits, else `smsia5`. */
	textParameter?: 'auto' | 'smsmsg' | 'smsia5';
	/** `v1` = /sms/v1/send + /sms/v1/bulksend, `legacy` = /SMSSend (one request per recipient). Default: from the base URL. */
	endpoint?: 'auto' | 'v1' | 'legacy';
	/** Broadcast only: use the single-send path (one request per recipient) even where bulksend exists. */
	perMessage?: boolean;
	/**
	 * Content messages: `binary` (default) sends our own parts in `smsmsg` + `smsudh`;
	 * `native` uses MX's own parameters where MX documents them (`vcard_data`, the `mms_*`
	 * notification parameters). A WAP Push SI has none documented, so `native` refuses it.
	 */
	contentFormat?: 'binary' | 'native';
}

export interface BulkSmsOptions {
	routingGroup?: string;
	/** Client id echoed in status reports; defaults to `clientReference`. */
	sourceId?: string;
	repliable?: boolean;
	/** Message class 0-3 (`flash` sets 0). */
	msgClass?: number;
	replaceMsgId?: string;
	protocolId?: string;
	schedulingDescription?: string;
	/** Dry runs send `test_always_succeed=1` (default) or `test_always_fail=1`. */
	testMode?: 'succeed' | 'fail';
	/** Also retry status 26/28 (upstream credits/quota), within the retry budget. Default true. */
	retryUpstream?: boolean;
	/** Send Greek capitals in 7-bit text using the byte map of BulkSMS's own sample code. Default false (UCS-2 instead). */
	greekByteMap?: boolean;
	/** Send the schedule as `send_time_unixtime` (default) or as `send_time` (`yyyy-MM-dd HH:mm:ss`, UTC). */
	scheduleFormat?: 'unixtime' | 'datetime';
}

export interface GatewayApiOptions {
	/** `standard` (default), `premium`, `secret`. */
	class?: string;
	label?: string;
	callbackUrl?: string;
	priority?: 'BULK' | 'NORMAL' | 'URGENT' | 'VERY_URGENT';
	/** Placeholders substituted per recipient from `tagValues`. */
	tags?: string[];
	/** Tag values per recipient MSISDN (as given in `to`, normalised): same count and order as `tags`. */
	tagValues?: Record<string, string[]>;
	/** Ask for per-recipient part counts in the answer. */
	recipientsUsage?: boolean;
	/**
	 * Binary SMS: whether `udh` carries its length octet (UDHL). `omit` (default) follows
	 * GatewayAPI's only example (`BQQLhCPw` = `05 04 0B 84 23 F0`); `include` sends it as
	 * in the SMS itself. See docs/providers.md.
	 */
	udhLengthOctet?: 'omit' | 'include';
}

export interface ProviderOptions {
	mxTelecom?: MxTelecomOptions;
	bulkSms?: BulkSmsOptions;
	gatewayApi?: GatewayApiOptions;
}

export interface SendRequest {
	/** One MSISDN, a comma/semicolon/newline separated list, or an array of them. */
	to: string | string[];
	/** Originator; the account default applies when omitted. */
	from?: string;
	message?: string;
	/** One binary SMS made by the caller. */
	binary?: BinaryContent;
	/** A content message (WAP Push SI, MMS notification, vCard, or binary parts), sent as 8-bit binary SMS. */
	content?: SendContent;
	encoding?: RequestEncoding;
	deliveryReport?: boolean;
	clientReference?: string;
	/** ISO 8601 timestamp with offset (or a Date). */
	scheduleAt?: string | Date;
	/** Validity period in seconds. */
	validity?: number;
	flash?: boolean;
	/** Refuse (before sending) a text needing more parts than this (1-255). */
	maxParts?: number;
	smartEncoding?: boolean;
	dryRun?: boolean;
	providerOptions?: ProviderOptions;
	/** Broadcast: report invalid MSISDNs as `failed` results instead of refusing the whole request. */
	skipInvalidRecipients?: boolean;
}

export interface ResultError {
	code: string;
	message: string;
	retryable: boolean;
}

export interface RecipientResult {
	/** The recipient as sent: digits only, international format. */
	to: string;
	status: RecipientStatus;
	messageId?: string;
	/** Gateway ids of each part when the client sent the parts itself (MX `split: udh`). */
	partMessageIds?: string[];
	parts: number;
	encoding: WireEncoding;
	provider: ProviderName;
	error?: ResultError;
	/** Present and true when nothing was really sent (dry run). */
	dryRun?: true;
	/** How many further times this recipient appeared in the input (they were collapsed). */
	duplicates?: number;
}

export interface MmsPart {
	/** File name inside the zip (ASCII letters, digits, `._-`). */
	name: string;
	mimeType: string;
	/** Bytes, or a string (sent as UTF-8, as MX requires for text parts). */
	data: Uint8Array | string;
}

export interface SendMmsRequest {
	to: string;
	from: string;
	subject?: string;
	parts: MmsPart[];
	deliveryReport?: boolean;
	readReport?: boolean;
	note?: string;
	subaccount?: string;
}

export interface MmsSendResult {
	to: string;
	status: RecipientStatus;
	messageId?: string;
	provider: ProviderName;
	error?: ResultError;
}

export interface RetrievedMmsPart {
	name: string;
	mimeType: string;
	data: Uint8Array;
}

export interface RetrievedMms {
	/** The zip exactly as the gateway sent it. */
	zip: Uint8Array;
	/** The parts the zip's manifest lists, in manifest order. */
	parts: RetrievedMmsPart[];
	/** Zip entries the manifest does not list (not returned as parts). */
	unlisted: string[];
}

export interface CredentialCheck {
	provider: ProviderName;
	/** True when the gateway confirmed the credentials; false when no honest check exists. */
	verified: boolean;
	message: string;
	/** Account balance where the gateway reports one. */
	balance?: number;
	currency?: string;
}

export interface GatewayClient {
	readonly provider: ProviderName;
	send(request: SendRequest): Promise<RecipientResult[]>;
	broadcast(request: SendRequest): Promise<RecipientResult[]>;
	sendMms(request: SendMmsRequest): Promise<MmsSendResult>;
	retrieveMms(id: string): Promise<RetrievedMms>;
	checkCredentials(): Promise<CredentialCheck>;
	/** The account's balance (BulkSMS `get_credits`, GatewayAPI `/rest/me`). MX Telecom has no such call: GatewayValidationError. */
	getBalance(): Promise<AccountBalance>;
	/**
	 * Each recipient's delivery status of a sent message, by the id the send returned
	 * (BulkSMS `get_report`, GatewayAPI `GET /rest/mtsms/{id}`). MX Telecom has no such call:
	 * GatewayValidationError (its reports come only as pushes, to the trigger).
	 */
	getStatus(messageId: string, query?: StatusQuery): Promise<MessageStatus[]>;
	/** One text to BulkSMS phone-book groups (`dest_group_id`); other providers: GatewayValidationError. */
	broadcastToGroups(request: GroupSendRequest): Promise<GroupSendResult>;
	/**
	 * Many messages, each its own request (the rows of a campaign), over the gateway's bulk
	 * paths (docs/batching.md). Every request is validated before anything is sent; the
	 * answer has one entry per request, in order.
	 */
	sendMany(requests: SendRequest[], options?: SendManyOptions): Promise<SendManyOutcome[]>;
}

export interface SendManyOptions {
	/** `auto` (default): the bulk paths; `perItem`: one request per message, one at a time. */
	batching?: 'auto' | 'perItem';
	/** Stop dispatching after the gateway refuses a message; the rest become `failed` / NOT_SENT. */
	stopOnRefusal?: boolean;
	/**
	 * `stop` (default): an invalid request throws SendManyItemError before anything is sent;
	 * `report`: it becomes an outcome with `error` and the others are sent.
	 */
	invalidRequests?: 'stop' | 'report';
}

/** What became of one request of sendMany: its results, or why it was not sent. */
export type SendManyOutcome = { results: RecipientResult[] } | { error: Error };

/** What a transport returns: n8n's full response shape. `body` may be a string, bytes or parsed JSON. */
export interface TransportResponse {
	statusCode: number;
	headers?: Record<string, unknown>;
	body: unknown;
}

/**
 * One HTTP exchange. The node passes n8n's `httpRequestWithAuthentication`; scripts get
 * `fetchTransport`. Requests always carry `returnFullResponse: true` and
 * `ignoreHttpStatusErrors: true`, so a transport resolves for every HTTP status and
 * rejects only when no complete response arrived.
 */
export type GatewayTransport = (options: IHttpRequestOptions) => Promise<TransportResponse>;

/**
 * Where a message stands at the handset's network, as the trigger's delivery reports and
 * `getStatus` both name it (docs/events.md has each gateway's table).
 */
export type DeliveryStatus = 'delivered' | 'failed' | 'buffered' | 'rejected' | 'expired' | 'unknown';

/** What the account has left to spend (`getBalance`). */
export interface AccountBalance {
	provider: ProviderName;
	balance: number;
	/** `credits`: the gateway's own message credits (BulkSMS); `currency`: money, in `currency` (GatewayAPI). */
	unit: 'credits' | 'currency';
	/** ISO 4217 code when `unit` is `currency`, else null. */
	currency: string | null;
}

export interface StatusQuery {
	/** Only this recipient (any MSISDN spelling `to` accepts). */
	to?: string;
}

/** One recipient of a sent message, as the gateway reports it now (`getStatus`). */
export interface MessageStatus {
	provider: ProviderName;
	/** The id the send returned (BulkSMS batch id, GatewayAPI message id). */
	messageId: string;
	to: string;
	status: DeliveryStatus;
	/** True for a status that will not change any more. */
	final: boolean;
	/** The gateway's own status word or code. */
	providerStatus: string;
	/** The gateway's description or error for this status, when it gives one. */
	reason: string | null;
	/** When the status was reached (ISO 8601), when the gateway says. */
	at: string | null;
}

/** A broadcast to BulkSMS phone-book groups: the gateway expands the groups itself. */
export interface GroupSendRequest extends Omit<SendRequest, 'to' | 'skipInvalidRecipients'> {
	/** Numeric phone-book group ids: one, a comma-separated list, or an array. */
	groupIds: string | number | Array<string | number>;
}

/**
 * The one result of a group broadcast. The gateway alone knows the recipients, so there
 * is one result for the request, not one per recipient; `getStatus(messageId)` lists them.
 */
export interface GroupSendResult {
	addressedAs: 'group';
	groupIds: string[];
	status: RecipientStatus;
	messageId?: string;
	/** Parts per recipient. */
	parts: number;
	encoding: WireEncoding;
	provider: ProviderName;
	error?: ResultError;
	dryRun?: true;
}
