import { NodeApiError, NodeOperationError, type IExecuteFunctions } from 'n8n-workflow';

import { SmsCodecError } from '../../shared/codec';
import { GatewayError, GatewayValidationError } from '../../shared/providers';
import { CONTENT_PARAMETER_NAMES } from './message/content';

/** The node parameter a client-side field comes from, as the user sees it. */
const PARAMETER_NAMES: Record<string, string> = {
	...CONTENT_PARAMETER_NAMES,
	from: 'From',
	message: 'Message',
	encoding: 'Encoding',
	binary: 'Hex Payload',
	'binary.hex': 'Hex Payload',
	'binary.udh': 'UDH',
	clientReference: 'Client Reference',
	flash: 'Flash',
	maxParts: 'Max Parts',
	scheduleAt: 'Schedule At',
	validity: 'Validity (Seconds)',
	parts: 'Binary Properties',
	messageId: 'Message ID',
	groupIds: 'Group IDs',
	config: 'Credential',
	// The client names credential fields as its config does (resolveConfig, requireCredentials).
	provider: 'Credential: Provider',
	baseUrl: 'Credential: Base URL',
	mmsBaseUrl: 'Credential: MMS Base URL',
	username: 'Credential: Username',
	password: 'Credential: Password',
	token: 'Credential: API Token',
	mmsUsername: 'Credential: MMS Username',
	mmsPassword: 'Credential: MMS Password',
};

function parameterName(context: IExecuteFunctions, field: string): string {
	if (field === 'to') {
		const operation = context.getNodeParameter('operation', 0);
		return operation === 'broadcast' ? 'Recipients' : operation === 'getStatus' ? 'Recipient' : 'To';
	}
	if (PARAMETER_NAMES[field]) return PARAMETER_NAMES[field];
	const [group, provider, option] = field.split('.');
	if (group === 'providerOptions' && provider && option) return `${provider} Options: ${option}`;
	return field;
}

/**
 * Turns whatever an operation threw into the error n8n shows, tied to its item:
 * "Item 3, field "From": ..." so that a user can find the row and the field at fault.
 * Client errors are already free of secrets (the clients redact them).
 */
export function toNodeError(
	context: IExecuteFunctions,
	error: unknown,
	itemIndex: number,
): NodeOperationError | NodeApiError {
	if (error instanceof NodeOperationError || error instanceof NodeApiError) return error;
	if (error instanceof GatewayValidationError) {
		return new NodeOperationError(
			context.getNode(),
			`Item ${itemIndex}, field "${parameterName(context, error.field)}": ${error.message}`,
			{ itemIndex },
		);
	}
	if (error instanceof SmsCodecError) {
		// The codec only ever sees the message text (Analyze, or a forced encoding).
		return new NodeOperationError(context.getNode(), `Item ${itemIndex}, field "Message": ${error.message}`, {
			itemIndex,
		});
	}
	if (error instanceof GatewayError) {
		return new NodeOperationError(context.getNode(), `Item ${itemIndex}: ${error.message}`, {
			itemIndex,
			description: `Gateway: ${error.provider}, code: ${error.code}${error.retryable ? ' (temporary, safe to retry)' : ''}`,
		});
	}
	const message = error instanceof Error ? error.message : String(error);
	return new NodeOperationError(context.getNode(), `Item ${itemIndex}: ${message}`, { itemIndex });
}
