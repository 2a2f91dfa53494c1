/**
 * Gateway clients for MX Telecom / OpenMarket, BulkSMS and GatewayAPI: one normalised
 * request and result shape over three wire protocols.
 */
export { isRefusal } from './batching';
export { createGatewayClient } from './client';
export { GatewayError, GatewayValidationError, SendManyItemError, redactSecrets } from './errors';
export { fetchTransport } from './transport';
export { DEFAULT_BASE_URLS, DEFAULT_MX_MMS_BASE_URL, normaliseMsisdn, parseRecipients } from './validation';
export { contentMessageParts } from './contentMessage';
export type {
	AccountBalance,
	BinaryContent,
	BinaryPartsContent,
	SendContent,
	SendContentType,
	MmsNotificationContent,
	VcardContent,
	WapPushSiContent,
	BulkSmsOptions,
	CredentialCheck,
	DeliveryStatus,
	GatewayApiOptions,
	GatewayClient,
	GatewayConfig,
	GatewayTransport,
	GroupSendRequest,
	GroupSendResult,
	MessageStatus,
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
	StatusQuery,
	TransportResponse,
	WireEncoding,
} from './types';
export { PROVIDERS } from './types';
