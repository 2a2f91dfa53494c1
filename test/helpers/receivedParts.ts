/**
 * What a handset would make of the binary SMS the simulator accepted for one recipient:
 * parts joined by their concatenation element (same reference, sequence 1..n, 3GPP TS
 * 23.040 9.2.3.24.1), each message's payload the parts' payloads in sequence order.
 */
import type { AcceptedRecord, BinarySmsPart } from '../../simulator';
import { decodeContentDatagram, type DecodedContent } from './contentDecoding';

export interface ReceivedMessage {
	to: string;
	/** The destination/source ports every part carries (undefined when none). */
	ports?: { destination: number; source: number };
	parts: BinarySmsPart[];
	/** The reassembled payload. */
	datagram: Buffer;
}

/**
 * The binary messages `to` received, in arrival order of their first part. Throws when a
 * message is incomplete, has a part twice, or its parts disagree on ports or total.
 */
export function receivedMessages(accepted: AcceptedRecord[], to: string): ReceivedMessage[] {
	const parts = accepted.filter((a) => a.to === to && a.binary !== undefined).map((a) => a.binary as BinarySmsPart);
	const messages = new Map<string, BinarySmsPart[]>();
	parts.forEach((part, k) => {
		const key = part.concat && part.concat.total > 1 ? `ref ${part.concat.reference}` : `single ${k}`;
		messages.set(key, [...(messages.get(key) ?? []), part]);
	});
	return [...messages.values()].map((group) => {
		const total = group[0].concat && group[0].concat.total > 1 ? group[0].concat.total : 1;
		const ordered = [...group].sort((a, b) => (a.concat?.sequence ?? 1) - (b.concat?.sequence ?? 1));
		const sequences = ordered.map((p) => p.concat?.sequence ?? 1);
		if (ordered.length !== total || sequences.some((s, i) => s !== i + 1)) {
			throw new Error(`${to}: message of ${total} parts arrived as sequences ${sequences.join(',')}`);
		}
		const ports = JSON.stringify(ordered.map((p) => p.ports ?? null));
		if (new Set(ordered.map((p) => JSON.stringify(p.ports ?? null))).size !== 1) throw new Error(`${to}: parts disagree on ports ${ports}`);
		if (ordered.some((p) => (p.concat?.total ?? 1) !== total)) throw new Error(`${to}: parts disagree on the total`);
		return {
			to,
			...(ordered[0].ports ? { ports: ordered[0].ports } : {}),
			parts: ordered,
			datagram: Buffer.concat(ordered.map((p) => Buffer.from(p.payload, 'hex'))),
		};
	});
}

/** What `to` received, each message read as a handset would (by its destination port). */
export function receivedContent(accepted: AcceptedRecord[], to: string): DecodedContent[] {
	return receivedMessages(accepted, to).map((message) => decodeContentDatagram(message.ports?.destination, message.datagram));
}
