/** Byte-level building blocks shared by the WSP, WBXML and MMS encoders. */

const UTF8 = new TextEncoder();

/** UTF-8 octets of a string (callers reject lone surrogates first). */
export function utf8(text: string): Uint8Array {
	return UTF8.encode(text);
}

export function isAscii(text: string): boolean {
	for (let i = 0; i < text.length; i++) {
		if (text.charCodeAt(i) > 0x7f) return false;
	}
	return true;
}

/** Joins octet sequences into one array. */
export function concatBytes(chunks: ReadonlyArray<ArrayLike<number>>): Uint8Array {
	let length = 0;
	for (const chunk of chunks) length += chunk.length;
	const out = new Uint8Array(length);
	let offset = 0;
	for (const chunk of chunks) {
		out.set(chunk, offset);
		offset += chunk.length;
	}
	return out;
}

/**
 * The variable-length unsigned integer shared by WSP ("uintvar", WAP-230 8.1.2) and WBXML
 * ("mb_u_int32", WAP-192 5.1): 7 value bits per octet, most significant group first,
 * bit 7 set on every octet but the last. 32-bit values at most (5 octets).
 */
export function uintvar(value: number): number[] {
	if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
		throw new RangeError(`uintvar holds 0 to 4294967295, got ${value}`);
	}
	const groups = [value % 0x80];
	let rest = Math.floor(value / 0x80);
	while (rest > 0) {
		groups.unshift((rest % 0x80) | 0x80);
		rest = Math.floor(rest / 0x80);
	}
	return groups;
}

/**
 * FNV-1a (32-bit) over octets: a cheap, stable fingerprint used where the encoders need a
 * deterministic default (concatenation reference, MMS transaction id).
 */
export function fingerprint(bytes: ArrayLike<number>): number {
	let hash = 0x811c9dc5;
	for (let i = 0; i < bytes.length; i++) {
		hash ^= bytes[i];
		hash = Math.imul(hash, 0x01000193);
	}
	return hash >>> 0;
}
