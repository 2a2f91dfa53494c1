/**
 * MX Telecom / OpenMarket's HTTP interface (mx-telecom-http.md) has no balance and no
 * status query: delivery reports exist only as pushes to a URL (section 3). The calls are
 * refused before anything is sent, saying where the information is instead.
 */
import { GatewayValidationError } from '../errors';

export function noBalanceQuery(): GatewayValidationError {
	return new GatewayValidationError(
		'provider',
		'MX Telecom / OpenMarket has no balance query in its HTTP interface, so the balance cannot be read with this account; see it in the MX / OpenMarket account portal',
	);
}

export function noStatusQuery(): GatewayValidationError {
	return new GatewayValidationError(
		'provider',
		'MX Telecom / OpenMarket has no status query in its HTTP interface: delivery reports arrive only as pushes. ' +
			'Send with a delivery report requested and receive the reports with a webhook (in n8n: the SMS Gateway Trigger, event "Delivery Report")',
	);
}
