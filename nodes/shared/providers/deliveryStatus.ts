/**
 * Each gateway's delivery statuses mapped onto the normalised set. `final` marks states
 * that will not change any more; a later non-final report for the same message and
 * recipient is stale (GatewayAPI says reports may arrive out of order).
 * The trigger's delivery reports and the clients' status queries (getStatus) share these
 * tables, so a workflow sees the same status names from both. Documented in docs/events.md.
 */
import type { DeliveryStatus } from './types';

export interface MappedStatus {
	status: DeliveryStatus;
	final: boolean;
}

const FINAL: ReadonlySet<DeliveryStatus> = new Set(['delivered', 'failed', 'rejected', 'expired']);

const mapped = (status: DeliveryStatus, final = FINAL.has(status)): MappedStatus => ({ status, final });

/** MX Telecom `REPORT <id> <STATUS>` words (reference section 3.3). Unknown words are kept as unknown. */
export function mxSmsStatus(word: string): MappedStatus {
	switch (word.toUpperCase()) {
		case 'DELIVERED':
			return mapped('delivered');
		case 'FAILED':
			return mapped('failed');
		case 'REJECTED':
			return mapped('rejected');
		case 'EXPIRED':
			return mapped('expired');
		case 'BUFFERED':
		case 'NONE/BUFFERED':
			return mapped('buffered');
		default:
			return mapped('unknown');
	}
}

/** MX MMS report `status` codes (reference section 3.6); `type` 1 = delivery report, 2 = read report. */
const MX_MMS_STATUS: Record<string, { name: string; mapped: MappedStatus }> = {
	'1': { name: 'BUFFERED', mapped: mapped('buffered') },
	'2': { name: 'INDETERMINATE', mapped: mapped('unknown') },
	'3': { name: 'DELIVERED', mapped: mapped('delivered') },
	'4': { name: 'EXPIRED', mapped: mapped('expired') },
	'5': { name: 'REJECTED', mapped: mapped('rejected') },
	// Forwarded without being retrieved: it left the recipient's inbox, delivery unknown.
	'6': { name: 'FORWARDED', mapped: mapped('unknown', true) },
	// Read reports: reading (or deleting unread) implies the MMS was delivered.
	'7': { name: 'READ', mapped: mapped('delivered') },
	'8': { name: 'DELETED', mapped: mapped('delivered') },
	'9': { name: 'INDETERMINATE_READ', mapped: mapped('unknown') },
	'10': { name: 'EXPIRED_READ', mapped: mapped('expired') },
};

export function mxMmsStatus(code: string): MappedStatus & { name: string } {
	const entry = MX_MMS_STATUS[code];
	return entry ? { ...entry.mapped, name: entry.name } : { ...mapped('unknown'), name: `STATUS_${code}` };
}

/** BulkSMS per-recipient status codes (reference bulksms-eapi section 10.1, classes per A9). */
const BULKSMS_STATUS: Record<number, { description: string; mapped: MappedStatus }> = {
	0: { description: 'In progress', mapped: mapped('buffered') },
	10: { description: 'Delivered upstream', mapped: mapped('buffered') },
	11: { description: 'Delivered to mobile', mapped: mapped('delivered') },
	12: { description: 'Delivered upstream unacknowledged', mapped: mapped('buffered') },
	22: { description: 'Internal fatal error', mapped: mapped('rejected') },
	23: { description: 'Authentication failure', mapped: mapped('rejected') },
	24: { description: 'Data validation failed', mapped: mapped('rejected') },
	25: { description: 'Insufficient credits', mapped: mapped('rejected') },
	26: { description: 'Upstream credits not available', mapped: mapped('rejected') },
	27: { description: 'Daily quota exceeded', mapped: mapped('rejected') },
	28: { description: 'Upstream quota exceeded', mapped: mapped('rejected') },
	29: { description: 'Sending cancelled', mapped: mapped('rejected') },
	31: { description: 'Unroutable', mapped: mapped('rejected') },
	32: { description: 'Blocked', mapped: mapped('rejected') },
	33: { description: 'Failed: censored', mapped: mapped('rejected') },
	40: { description: 'Temporarily unavailable', mapped: mapped('buffered') },
	50: { description: 'Delivery failed - generic', mapped: mapped('failed') },
	51: { description: 'Delivery to phone failed', mapped: mapped('failed') },
	52: { description: 'Delivery to network failed', mapped: mapped('failed') },
	53: { description: 'Message expired', mapped: mapped('expired') },
	54: { description: 'Failed on remote network', mapped: mapped('failed') },
	56: { description: 'Failed: remotely censored', mapped: mapped('failed') },
	57: { description: 'Failed due to handset fault', mapped: mapped('failed') },
	60: { description: 'Transient upstream failure', mapped: mapped('buffered') },
	61: { description: 'Upstream status update', mapped: mapped('buffered') },
	62: { description: 'Upstream cancel failed', mapped: mapped('buffered') },
	63: { description: 'Queued for retry after temporary failure', mapped: mapped('buffered') },
	64: { description: 'Queued for retry after temporary failure, handset fault', mapped: mapped('buffered') },
	70: { description: 'Unknown upstream status', mapped: mapped('unknown') },
};

export function bulkSmsStatus(code: number): MappedStatus & { description: string } {
	const entry = BULKSMS_STATUS[code];
	return entry
		? { ...entry.mapped, description: entry.description }
		: { ...mapped('unknown'), description: `Unknown status ${code}` };
}

/** GatewayAPI DSN states (reference gatewayapi-rest section 6.3). */
export function gatewayApiStatus(word: string): MappedStatus {
	switch (word.toUpperCase()) {
		case 'DELIVERED':
			return mapped('delivered');
		case 'EXPIRED':
			return mapped('expired');
		case 'UNDELIVERABLE':
		case 'DELETED':
			return mapped('failed');
		case 'REJECTED':
		case 'SKIPPED':
			return mapped('rejected');
		case 'ACCEPTED':
			// Final, but the network only accepted on the recipient's behalf: delivery is not confirmed.
			return mapped('unknown', true);
		case 'SCHEDULED':
		case 'BUFFERED':
		case 'ENROUTE':
			return mapped('buffered');
		default:
			return mapped('unknown');
	}
}
