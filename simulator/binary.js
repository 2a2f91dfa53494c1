'use strict';
/**
 * Binary SMS as a handset would read them (3GPP TS 23.040 9.2.3.24): a UDH of information
 * elements after its length octet (UDHL), then the payload. Each gateway module hands its
 * octets here and records the result, so tests can reassemble what arrived:
 *   { udh, payload, octets, ports?: { destination, source }, concat?: { reference, total, sequence } }
 * `udh` is always upper-case hex WITH the length octet, whatever form the gateway was given.
 */

const hex = (buf) => Buffer.from(buf).toString('hex').toUpperCase();

/** The elements of a UDH (length octet first), or { error } when they do not add up. */
function readUdh(bytes) {
	const b = Buffer.from(bytes);
	if (b.length === 0) return { elements: [] };
	if (b[0] !== b.length - 1) return { error: `UDHL says ${b[0]} octets, ${b.length - 1} follow` };
	const elements = [];
	let i = 1;
	while (i < b.length) {
		if (i + 1 >= b.length) return { error: `element at octet ${i} has no length octet` };
		const len = b[i + 1];
		if (i + 2 + len > b.length) return { error: `element ${b[i]} at octet ${i} overruns the UDH` };
		elements.push({ iei: b[i], data: b.subarray(i + 2, i + 2 + len) });
		i += 2 + len;
	}
	return { elements };
}

/** Ports and concatenation from the elements; the last occurrence wins (23.040). */
function describe(elements) {
	const out = {};
	for (const { iei, data } of elements) {
		if (iei === 0x04 && data.length === 2) out.ports = { destination: data[0], source: data[1] };
		if (iei === 0x05 && data.length === 4)
			out.ports = { destination: data.readUInt16BE(0), source: data.readUInt16BE(2) };
		if (iei === 0x00 && data.length === 3)
			out.concat = { reference: data[0], total: data[1], sequence: data[2] };
		if (iei === 0x08 && data.length === 4)
			out.concat = { reference: data.readUInt16BE(0), total: data[2], sequence: data[3] };
	}
	return out;
}

/** One binary SMS from its UDH (with UDHL) and payload; { error } for a malformed UDH or more than 140 octets. */
function binaryPart(udh, payload) {
	const u = Buffer.from(udh);
	const p = Buffer.from(payload);
	const read = readUdh(u);
	if (read.error) return { error: `malformed UDH: ${read.error}` };
	if (u.length + p.length > 140)
		return { error: `UDH + payload are ${u.length + p.length} octets, more than 140` };
	return { udh: hex(u), payload: hex(p), octets: u.length + p.length, ...describe(read.elements) };
}

/** BulkSMS dca=8bit: the UDH indicator is always set, so the message starts with UDHL + UDH. */
function fromTpUserData(bytes) {
	const b = Buffer.from(bytes);
	if (b.length === 0) return { error: 'empty message' };
	const udhLength = b[0] + 1;
	if (udhLength > b.length) return { error: `UDHL says ${b[0]} octets, only ${b.length - 1} follow` };
	return binaryPart(b.subarray(0, udhLength), b.subarray(udhLength));
}

/**
 * GatewayAPI `udh` [decision]: its docs leave open whether the field carries UDHL (their
 * example `BQQLhCPw` has none), so both readings are accepted: with UDHL when the octets
 * parse that way, else as an element list without it. Returns { udh (with UDHL), udhForm }
 * or { error }.
 */
function gatewayApiUdh(bytes) {
	const u = Buffer.from(bytes || []);
	if (u.length === 0) return { udh: u, udhForm: 'none' };
	if (!readUdh(u).error) return { udh: u, udhForm: 'withLength' };
	const withLength = Buffer.concat([Buffer.from([u.length]), u]);
	if (u.length < 255 && !readUdh(withLength).error) return { udh: withLength, udhForm: 'withoutLength' };
	return { error: 'not a valid user data header, with or without its length octet' };
}

module.exports = { readUdh, binaryPart, fromTpUserData, gatewayApiUdh };
