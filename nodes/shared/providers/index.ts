/**
 * Gateway clients for MX Telecom / OpenMarket, BulkSMS and GatewayAPI: one normalised
 * request and result shape over three wire protocols.
 */
export { createGatewayClient } from './client';
export { GatewayError, GatewayValidationError, SendManyItemError, redactSecrets } from './errors';
export { fetchTransport } from './transport';
export { DEFAULT_BASE_URLS, DEFAULT_MX_MMS_BASE_URL, normaliseMsisdn, parseRecipients } from './validation';
export { contentMessageParts } from './contentMessage';
export type {
	BinaryContent,
	BinaryPartsContent,
	SendContent,
	SendContentType,
	MmsNotificationContent,
	VcardContent,
	WapPushSiContent,
	BulkSmsOptions,
	CredentialCheck,
	GatewayApiOptions,
	GatewayClient,
	GatewayConfig,
	GatewayTransport,
	MmsPart,
	MmsSendResult,
	MxTelecomOptions,
	ProviderName,
	ProviderOptions,
	RecipientResult,
	RecipientStatus,
	RequestEncoding,
	ResultError,
	RetrievedMms,
	RetrievedMmsPart,
	RetryConfig,
	SendMmsRequest,
	SendManyOptions,
	SendManyOutcome,
	SendRequest,
	TransportResponse,
	WireEncoding,
} from './types';
export { PROVIDERS } from './types';
