/**
 * WDP port numbers and the 16-bit application port addressing element
 * (3GPP TS 23.040 9.2.3.24, IEI 0x05). The WAP ports are above 255, so only the
 * 16-bit form can carry them.
 */

/** WAP Push, connectionless (the handset's push dispatcher). */
export const WAP_PUSH_PORT = 2948;
/** WSP connectionless session service: the conventional source port of a push. */
export const WSP_CONNECTIONLESS_PORT = 9200;
/** Smart Messaging business card (vCard). */
export const VCARD_PORT = 9204;

export interface PortPair {
	destination: number;
	source: number;
}

/** Pushes (SI, MMS notification): 2948 <- 9200. */
export const WAP_PUSH_PORTS: PortPair = { destination: WAP_PUSH_PORT, source: WSP_CONNECTIONLESS_PORT };
/** vCard: 9204 <- 0, the source port the Smart Messaging senders use. */
export const VCARD_PORTS: PortPair = { destination: VCARD_PORT, source: 0 };

export const IEI_PORTS_16BIT = 0x05;

/** IEI, IEDL and data: 05 04 destHi destLo srcHi srcLo. */
export function portAddressingElement(ports: PortPair): Uint8Array {
	const { destination, source } = ports;
	return Uint8Array.of(IEI_PORTS_16BIT, 0x04, destination >> 8, destination & 0xff, source >> 8, source & 0xff);
}
