/**
 * What a recipient's handset makes of the binary SMS the simulator accepted for it: the
 * parts joined per message (contentDecoding.js) and each message decoded by the codec
 * tests' decoder written from the specifications (contentDecoder.ts).
 */
import type { AcceptedRecord } from '../../simulator';
import { decodeContentMessage, type DecodedContent } from './contentDecoder';
import { receivedMessages } from './contentDecoding';

export function receivedContent(accepted: AcceptedRecord[], to: string): DecodedContent[] {
	return receivedMessages(accepted, to).map((message) => decodeContentMessage({ parts: message.parts.map(({ udh, payload }) => ({ udh, payload })) }));
}
