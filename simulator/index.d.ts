/**
 * Types for the gateway simulator (plain CommonJS in simulator/*.js). Wire formats and
 * decisions are documented in docs/simulator.md.
 */

export type Provider = 'mxTelecom' | 'bulkSms' | 'gatewayApi';

export type FaultKind =
	| '500'
	| '503'
	| 'reset'
	| 'hang'
	| 'bulksms40'
	| 'reset-after'
	| '500-after'
	| 'hang-after';

export type Endpoint =
	| 'mx.send'
	| 'mx.bulksend'
	| 'mx.sendmms'
	| 'mx.retrievemms'
	| 'bulksms.send_sms'
	| 'bulksms.send_batch'
	| 'bulksms.quote_sms'
	| 'bulksms.get_credits'
	| 'bulksms.get_report'
	| 'gatewayapi.mtsms'
	| 'gatewayapi.me'
	| 'gatewayapi.message'
	| 'unknown';

export interface SimulatorCredentials {
	mxTelecom: { username: string; password: string; mmsUsername: string; mmsPassword: string };
	bulkSms: { username: string; password: string };
	gatewayApi: { token: string };
	/** Key of the GatewayAPI webhook JWT (and the secret tests put in BulkSMS push URLs). */
	webhookSecret: string | null;
}

export interface FaultOptions {
	/** Probability (0-1) that an eligible request fails. */
	rate?: number;
	/** Kinds to choose from (only those applicable to the provider are drawn). */
	kinds?: FaultKind[];
	/** How long a hung request is held before its socket is destroyed (default 30000). */
	hangMs?: number;
	/** Endpoints subject to faults (default: the send endpoints), or 'all'. */
	endpoints?: Endpoint[] | 'all';
	/** Reseed the fault PRNG (setFaults only). */
	seed?: number;
	/** Change the latency too (setFaults only). */
	latencyMs?: number;
}

export interface SimulatorLimits {
	mxBulkMaxRecipients: number;
	mxMaxParts: number;
	bulkSmsMaxRecipients: number;
	/** Data rows per BulkSMS send_batch CSV (default 30000); more -> 201. */
	bulkSmsMaxBatchRows: number;
	gatewayApiMaxRecipients: number;
	maxBodyBytes: number;
}

export type ReportStatus = string | number;

export interface SimulatorOptions {
	/** 0 or omitted = ephemeral port. Always binds 127.0.0.1. */
	port?: number;
	latencyMs?: number;
	seed?: number;
	credentials?: {
		mxTelecom?: Partial<SimulatorCredentials['mxTelecom']>;
		bulkSms?: Partial<SimulatorCredentials['bulkSms']>;
		gatewayApi?: Partial<SimulatorCredentials['gatewayApi']>;
		webhookSecret?: string | null;
	};
	faults?: FaultOptions;
	/** 'full' (default), 'summary' (small per-request records), or false (counters only). */
	record?: 'full' | 'summary' | false;
	/** Where automatic delivery reports go (one URL, or per provider). */
	reportUrl?: string | Partial<Record<Provider, string>>;
	reportDelayMs?: number;
	reportStatus?:
		| Partial<Record<Provider, ReportStatus>>
		| ((record: AcceptedRecord) => ReportStatus);
	/** BulkSMS credits (default 1,000,000) and GatewayAPI credit (default 1000). */
	credits?: number;
	/** BulkSMS phone-book groups for dest_group_id: { groupId: [msisdn, ...] } (default DEFAULT_GROUPS). */
	groups?: Record<string, string[]>;
	limits?: Partial<SimulatorLimits>;
	/** Refuse connections beyond this many (node's server.maxConnections). */
	maxConnections?: number;
}

/** One binary SMS as a handset reads it (simulator/binary.js). */
export interface BinarySmsPart {
	/** Upper-case hex WITH the length octet (UDHL), whatever form the gateway was given. */
	udh: string;
	/** Upper-case hex. */
	payload: string;
	/** UDH + payload octets (at most 140). */
	octets: number;
	/** From a 16-bit (IEI 05) or 8-bit (IEI 04) port element. */
	ports?: { destination: number; source: number };
	/** From an 8-bit (IEI 00) or 16-bit (IEI 08) concatenation element. */
	concat?: { reference: number; total: number; sequence: number };
	/** GatewayAPI: how the `udh` field came ('withoutLength' = GatewayAPI's documented example form). */
	udhForm?: 'withLength' | 'withoutLength' | 'none';
}

/** MX native MMS notification parameters (`mms_*`). */
export interface MxMmsNotification {
	messageLocation: string;
	transactionId?: string;
	from?: string;
	subject?: string;
	/** `mms_expire` as given (seconds). */
	expire?: number;
}

/** What the gateway decoded from a request (shape depends on the endpoint). */
export interface DecodedMessage {
	to?: string[];
	from?: string;
	/** Decoded text (MX smsmsg as Latin-9, smsia5 as GSM, smsucs2/dca=16bit as UTF-16BE, BulkSMS 7bit as Latin-1). */
	text?: string;
	/** Binary payload as upper-case hex. */
	hex?: string;
	udh?: string;
	encoding?: 'latin9' | 'latin1' | 'gsm7' | 'ucs2' | 'binary' | string;
	parts?: number;
	units?: number;
	/** Characters a GSM-7 route would have to substitute. */
	substituted?: string;
	/** Binary SMS: the part as a handset reads it. */
	binary?: BinarySmsPart;
	/** MX `vcard_data` (encoding 'vcard'). */
	vcard?: string;
	/** MX `mms_*` parameters (encoding 'mmsNotification'). */
	mms?: MxMmsNotification;
	recipients?: number;
	submitid?: string;
	/** GatewayAPI: one entry per message object; BulkSMS send_batch: one per accepted row (full mode). */
	messages?: DecodedMessage[];
	/** BulkSMS send_batch: line of batch_data (1 = header) a row starts on. */
	line?: number;
	/** BulkSMS send_batch: header names (trimmed, lower case). */
	columns?: string[];
	/** BulkSMS send_batch: data rows (blank lines not counted). */
	rows?: number;
	/** BulkSMS send_batch: rows accepted. */
	accepted?: number;
	/** BulkSMS send_batch: rows the gateway dropped, and why. */
	skipped?: Array<{ line: number; reason: string }>;
	/** BulkSMS send_batch: rows accepted after a correction (truncation, ignored column value). */
	corrected?: Array<{ line: number; reason: string }>;
	/** BulkSMS send_batch: parts over all accepted rows (the credits charged). */
	totalParts?: number;
	[key: string]: unknown;
}

export interface RecordedRequest {
	seq: number;
	provider?: Provider;
	endpoint: Endpoint;
	method: string;
	path: string;
	/** HTTP status sent, or null when the socket was reset or hung. */
	status: number | null;
	fault?: FaultKind;
	override?: boolean;
	/** Recipients accepted by this request. */
	accepted: number;
	/** True when an idempotency key replayed an earlier answer. */
	duplicate?: boolean;
	/** Raw query string (full mode). */
	query?: string;
	headers?: Record<string, string | string[] | undefined>;
	/** Raw body as latin1 text (full mode; multipart bodies are summarised). */
	body?: string;
	/** Parameters decoded with the provider's charset (repeats as arrays). */
	params?: Record<string, string | string[]>;
	decoded?: DecodedMessage;
	response?: { status: number; body: string } | number;
}

export interface AcceptedRecord {
	provider: Provider;
	endpoint: Endpoint;
	to: string;
	from?: string;
	/** MX: the 64-bit id as a decimal string; BulkSMS: batch_id; GatewayAPI: message id. */
	messageId: string;
	text?: string;
	encoding: string;
	parts: number;
	status: 'accepted' | 'scheduled' | 'cancelled';
	requestSeq: number;
	at: number;
	/** Binary SMS: the part as a handset reads it. */
	binary?: BinarySmsPart;
	/** MX `vcard_data`. */
	vcard?: string;
	/** MX `mms_*` parameters. */
	mms?: MxMmsNotification;
	[key: string]: unknown;
}

export interface PushResult {
	status: number;
	body: string;
	headers: Record<string, string | string[] | undefined>;
}

export interface PushOptions {
	/** GatewayAPI JWT key for this push; null sends no signature. */
	secret?: string | null;
	headers?: Record<string, string>;
	method?: string;
	/** Extra query parameters appended (UTF-8). */
	extraQuery?: Record<string, string | number>;
	/** Parameter names to leave out (GET pushes and mmsPost fields, 'mms.zip' for the file). */
	omit?: string[];
}

export interface MmsPart {
	name: string;
	mimeType: string;
	data: Buffer | Uint8Array | string;
}

export interface InboundSmsFields {
	from: string;
	to: string;
	text?: string;
	hex?: string;
	udh?: string;
	id?: string | number;
	date?: Date | string | number;
	network?: string;
	bits?: 7 | 8 | 16;
	sourceId?: string;
	referringBatchId?: string | number;
	senttime?: number;
	webhookLabel?: string;
	sender?: string;
	mcc?: number;
	mnc?: number;
	encoding?: string;
}

export interface DeliveryReportFields {
	/** MX: the MT's 64-bit id; GatewayAPI: the message id. */
	messageId?: string | number;
	/** BulkSMS batch_id (messageId also works). */
	batchId?: string | number;
	/** The handset the MT went to. */
	to: string;
	/** MX: the originator / short code of the MT (default 58870). */
	from?: string;
	status?: string | number;
	reason?: number | string;
	note?: string;
	id?: string | number;
	date?: Date | string | number;
	completedTime?: Date | string | number | null;
	sourceId?: string;
	time?: number;
	userref?: string;
	error?: string;
	code?: string;
	chargeStatus?: string;
}

export interface UnsubscribeFields {
	msisdn: string;
	shortcodes?: string[];
	shortcode?: string;
	source?: 'IVR' | 'STOP' | 'UNKNOWN' | string;
	date?: Date | string | number;
}

export interface MmsFields {
	id?: string;
	from: string;
	to: string | string[];
	cc?: string | string[];
	subject?: string;
	date?: Date | string | number;
	expiry?: string;
	network?: string;
	type?: number;
	parts?: MmsPart[];
	/** mmsPost: raw zip bytes to send instead of building one. */
	zip?: Buffer | Uint8Array;
	/** mmsPost: field name of the file part (default mms.zip). */
	zipFieldName?: string;
}

export interface MmsReportFields {
	requestId: string;
	to: string;
	from: string;
	type?: 1 | 2;
	status?: number;
	id?: string;
	date?: Date | string | number;
	useragent?: string;
}

export interface SimulatorPush {
	inboundSms(
		provider: Provider,
		url: string,
		fields: InboundSmsFields,
		opts?: PushOptions,
	): Promise<PushResult>;
	deliveryReport(
		provider: Provider,
		url: string,
		fields: DeliveryReportFields,
		opts?: PushOptions,
	): Promise<PushResult>;
	unsubscribe(
		provider: Provider,
		url: string,
		fields: UnsubscribeFields,
		opts?: PushOptions,
	): Promise<PushResult>;
	mmsNotification(
		url: string,
		fields: MmsFields,
		opts?: PushOptions,
	): Promise<PushResult & { id: string }>;
	mmsPost(url: string, fields: MmsFields, opts?: PushOptions): Promise<PushResult & { id: string }>;
	mmsReport(url: string, fields: MmsReportFields, opts?: PushOptions): Promise<PushResult>;
	/** Closes the pushes' keep-alive sockets (close() does this). */
	close(): void;
}

export interface RespondWithOptions {
	path?: string;
	endpoint?: Endpoint;
	provider?: Provider;
	/** How many matching requests get this answer (default 1). */
	times?: number;
	/** Let this many matching requests through untouched first (default 0). */
	after?: number;
	status?: number;
	body?: string | Buffer;
	headers?: Record<string, string>;
	/** Process (and accept) the request first, then answer with the override. */
	accept?: boolean;
	/** Slow loris: send dripBytes (default 1) every dripMs. */
	dripMs?: number;
	dripBytes?: number;
	/** Announce a longer Content-Length and close mid-body. */
	truncate?: boolean;
	truncateMissing?: number;
	reset?: boolean;
	hang?: boolean;
}

export interface SimulatorStats {
	requests: number;
	byEndpoint: Record<string, number>;
	byStatus: Record<string, number>;
	accepted: number;
	duplicatesReplayed: number;
	faults: Record<string, number>;
	overrides: number;
	peakConnections: number;
	openConnections: number;
	pushes: number;
	pushFailures: number;
	/** Answers sent (resets and hangs excluded) and their mean time from arrival to answer. */
	responses: number;
	meanResponseMs: number;
	internalErrors?: number;
}

export interface PushRecord {
	kind: string;
	provider: Provider;
	url: string;
	to: string;
	messageId: string;
	status?: number;
	error?: string;
}

export interface Simulator {
	url: string;
	port: number;
	credentials: SimulatorCredentials;
	limits: SimulatorLimits;
	readonly requests: RecordedRequest[];
	readonly accepted: AcceptedRecord[];
	readonly pushes: PushRecord[];
	push: SimulatorPush;
	/** (provider, to, text) combinations accepted more than once. */
	duplicates(): Array<{ provider: Provider; to: string; text?: string; count: number }>;
	stats(): SimulatorStats;
	setFaults(opts: FaultOptions | null): void;
	respondWith(opts: RespondWithOptions): void;
	addInboundMms(fields: {
		id?: string;
		from: string;
		to: string | string[];
		cc?: string | string[];
		subject?: string;
		parts: MmsPart[];
	}): string;
	getMms(id: string):
		| {
				id: string;
				from?: string;
				to: string[];
				subject?: string;
				parts: Array<{ name: string; mimeType: string; data: Buffer }>;
				zip: Buffer;
		  }
		| undefined;
	/** The BulkSMS phone book: group id -> members (MSISDNs without +). */
	readonly bulkGroups: Map<string, string[]>;
	/** Replaces the BulkSMS phone book (dest_group_id): { groupId: [msisdn, ...] }. */
	setGroups(groups: Record<string, string[]>): void;
	/** BulkSMS credits left (charged on accept). */
	bulkCredits: number;
	/** GatewayAPI credit that /rest/me reports (DKK; sends do not change it). */
	gwCredit: number;
	/** Clears records, dedupe memory, stored MMS, overrides and pending reports; reseeds faults. */
	reset(): void;
	close(): Promise<void>;
}

export const DEFAULT_CREDENTIALS: SimulatorCredentials;
/** The BulkSMS phone book used when `groups` is not given: group 1 and 2, sharing one number. */
export const DEFAULT_GROUPS: Readonly<Record<string, readonly string[]>>;
export const DEFAULT_LIMITS: SimulatorLimits;
export const SEND_ENDPOINTS: Endpoint[];

export function startSimulator(options?: SimulatorOptions): Promise<Simulator>;

export interface ReceivedRequest {
	method: string;
	url: string;
	path: string;
	query: string;
	headers: Record<string, string | string[] | undefined>;
	body: Buffer;
	text: string;
	at: number;
}

export interface Receiver {
	url: string;
	port: number;
	requests: ReceivedRequest[];
	waitFor(n: number, timeoutMs?: number): Promise<ReceivedRequest[]>;
	set(opts: {
		status?: number;
		body?: string;
		headers?: Record<string, string>;
		delayMs?: number;
	}): void;
	close(): Promise<void>;
}

export function startReceiver(options?: {
	port?: number;
	status?: number;
	body?: string;
	headers?: Record<string, string>;
	delayMs?: number;
}): Promise<Receiver>;

/** Resolves after ms (TypeScript tests may not call timers themselves). */
export function delay(ms: number): Promise<void>;

export interface ZipEntry {
	name: string;
	data: Buffer;
	method: 'deflate' | 'store';
	compressedSize: number;
}

export const zip: {
	crc32(buf: Uint8Array): number;
	writeZip(
		entries: Array<{ name: string; data: Buffer | string; method?: 'deflate' | 'store' }>,
		options?: { method?: 'deflate' | 'store' },
	): Buffer;
	readZip(
		buf: Uint8Array,
		limits?: { maxEntries?: number; maxTotalBytes?: number; maxRatio?: number },
	): ZipEntry[];
	parseManifest(text: string): Array<{ name: string; mimeType: string }>;
	writeManifest(parts: Array<{ name: string; mimeType: string }>): string;
	buildMmsZip(parts: MmsPart[], options?: { method?: 'deflate' | 'store' }): Buffer;
	readMmsZip(
		buf: Uint8Array,
		limits?: { maxEntries?: number; maxTotalBytes?: number; maxRatio?: number },
	): {
		manifest: Array<{ name: string; mimeType: string }>;
		parts: Array<{ name: string; mimeType: string; data: Buffer }>;
		extra: string[];
	};
};

export const charsets: {
	decodeGsmOctets(buf: Uint8Array): string;
	encodeGsmOctets(text: string): Buffer;
	decodeLatin9(buf: Uint8Array): string;
	encodeLatin9(text: string): Buffer;
	canLatin9(text: string): boolean;
	decodeLatin1(buf: Buffer): string;
	encodeLatin1(text: string): Buffer;
	canLatin1(text: string): boolean;
	fromUcs2Hex(hex: string): string;
	toUcs2Hex(text: string): string;
	percentEncodeBytes(buf: Uint8Array): string;
	countParts(text: string, encoding: 'gsm7' | 'ucs2'): { parts: number; units: number };
	nonGsmChars(text: string): string[];
};

/** HS256 JWT over exactly payloadJson, as GatewayAPI signs webhooks. */
export function signJwt(payloadJson: string, secret: string): string;
/** `yyyy-MM-dd HH:mm:ss` in Europe/London local time. */
export function londonDateTime(date?: Date | string | number): string;
/** Query string from [name, value, charset?] triples (charset 'latin9' default, 'latin1', 'utf8'). */
export function encodeQuery(
	pairs: Array<[string, string | number | undefined, ('latin9' | 'latin1' | 'utf8')?]>,
): string;
/** One HTTP request to a loopback URL. */
export function request(
	url: string,
	init?: {
		method?: string;
		headers?: Record<string, string>;
		body?: string | Buffer;
		timeoutMs?: number;
	},
): Promise<PushResult>;
