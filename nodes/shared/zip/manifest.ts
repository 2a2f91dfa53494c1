/**
 * The MX MMS `manifest` (mx-telecom-http.md section 6.3): a Java properties file mapping each
 * part's file name in the zip to its MIME type, one `name=type` per line, in the order
 * the parts are presented.
 */
import { ZipError } from './errors';

export interface ManifestEntry {
	name: string;
	mimeType: string;
}

function escape(text: string, isKey: boolean): string {
	let out = '';
	for (let i = 0; i < text.length; i++) {
		const c = text[i];
		const code = text.charCodeAt(i);
		if (c === '\\') out += '\\\\';
		else if (c === '\n') out += '\\n';
		else if (c === '\r') out += '\\r';
		else if (c === '\t') out += '\\t';
		else if (c === '\f') out += '\\f';
		else if ((isKey && (c === '=' || c === ':' || c === ' ' || c === '#' || c === '!')) || (!isKey && i === 0 && c === ' ')) out += '\\' + c;
		else if (code < 0x20 || code > 0x7e) out += '\\u' + code.toString(16).toUpperCase().padStart(4, '0');
		else out += c;
	}
	return out;
}

/** Writes a manifest with Java-properties escaping, one line per part, in order. */
export function buildManifest(entries: ManifestEntry[]): string {
	return entries.map((e) => `${escape(e.name, true)}=${escape(e.mimeType, false)}\n`).join('');
}

function unescape(text: string): string {
	let out = '';
	for (let i = 0; i < text.length; i++) {
		const c = text[i];
		if (c !== '\\' || i === text.length - 1) {
			out += c;
			continue;
		}
		const next = text[++i];
		if (next === 'n') out += '\n';
		else if (next === 'r') out += '\r';
		else if (next === 't') out += '\t';
		else if (next === 'f') out += '\f';
		else if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) {
			out += String.fromCharCode(parseInt(text.slice(i + 1, i + 5), 16));
			i += 4;
		} else out += next;
	}
	return out;
}

/** Joins continuation lines (an odd number of trailing backslashes) into logical lines. */
function logicalLines(text: string): string[] {
	const physical = text.split(/\r\n|\r|\n/);
	const out: string[] = [];
	let current: string | undefined;
	for (const raw of physical) {
		const line = current === undefined ? raw : raw.replace(/^[ \t\f]+/, '');
		if (current === undefined && /^[ \t\f]*[#!]/.test(line)) continue;
		const trailing = /\\*$/.exec(line)?.[0].length ?? 0;
		if (trailing % 2 === 1) {
			current = (current ?? '') + line.slice(0, -1);
			continue;
		}
		out.push((current ?? '') + line);
		current = undefined;
	}
	if (current !== undefined) out.push(current);
	return out;
}

/**
 * Parses a manifest (Java properties syntax). Keeps the order of first appearance; a
 * repeated name takes its last value, as Java's Properties does.
 */
export function parseManifest(input: string | Uint8Array): ManifestEntry[] {
	const text = typeof input === 'string' ? input : decodeManifest(input);
	const order: string[] = [];
	const values = new Map<string, string>();
	for (const line of logicalLines(text.replace(/^\uFEFF/, ''))) {
		const trimmed = line.replace(/^[ \t\f]+/, '');
		if (trimmed === '') continue;
		let i = 0;
		let key = '';
		for (; i < trimmed.length; i++) {
			const c = trimmed[i];
			if (c === '\\' && i + 1 < trimmed.length) {
				key += c + trimmed[++i];
				continue;
			}
			if (c === '=' || c === ':' || c === ' ' || c === '\t' || c === '\f') break;
			key += c;
		}
		let rest = trimmed.slice(i).replace(/^[ \t\f]*/, '');
		if (rest.startsWith('=') || rest.startsWith(':')) rest = rest.slice(1).replace(/^[ \t\f]*/, '');
		const name = unescape(key);
		const mimeType = unescape(rest).trim();
		if (name === '') continue;
		if (mimeType === '') throw new ZipError('MANIFEST_INVALID', `The manifest gives no MIME type for ${JSON.stringify(name.slice(0, 80))}`);
		if (!values.has(name)) order.push(name);
		values.set(name, mimeType);
	}
	return order.map((name) => ({ name, mimeType: values.get(name) as string }));
}

/** Manifest bytes as text: UTF-8 when valid, else ISO-8859-1 (the classic properties charset). */
export function decodeManifest(bytes: Uint8Array): string {
	try {
		return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
	} catch {
		let out = '';
		for (const b of bytes) out += String.fromCharCode(b);
		return out;
	}
}
