/**
 * What the trigger reads from n8n's request object, in one plain shape.
 *
 * n8n has already read the body before webhook() runs: JSON, urlencoded and text bodies
 * are kept as bytes in `req.rawBody`; multipart bodies are parsed into
 * `{ data: fields, files: { field: file } }` with the files in temporary files. n8n 2.x
 * deletes them when webhook() returns; n8n 1.x never does, so the trigger discards them
 * itself (discardUploads). Everything the trigger trusts is re-read from the raw forms
 * here (see params.ts for why the query string is re-parsed).
 */
import type { IDataObject } from 'n8n-workflow';

import { parseParams, type RawParams } from './params';
import { HttpRefusal, refuse } from './refusal';

/** A file n8n's multipart parser stored (formidable's file object, the fields we use). */
export interface UploadedFile {
	field: string;
	filepath: string;
	originalFilename: string | null;
	mimetype: string | null;
	size: number;
}

export type RequestBody =
	| { kind: 'none' }
	| { kind: 'form'; params: RawParams }
	| { kind: 'json'; value: unknown }
	| { kind: 'multipart'; fields: RawParams; files: UploadedFile[] }
	| { kind: 'other'; contentType: string };

export interface InboundRequest {
	method: string;
	clientIp: string | undefined;
	header(name: string): string | undefined;
	query: RawParams;
	body: RequestBody;
}

/** The parts of express's request the trigger touches (typed loosely: it is untrusted). */
export interface RequestLike {
	method?: string;
	url?: string;
	originalUrl?: string;
	ip?: string;
	socket?: { remoteAddress?: string };
	headers: Record<string, string | string[] | undefined>;
	rawBody?: Uint8Array;
	body?: unknown;
}

/** Longest query string read (a push's parameters are a few hundred bytes). */
export const MAX_QUERY_LENGTH = 16 * 1024;

function mediaType(header: string | undefined): string | undefined {
	if (!header) return undefined;
	const type = header.split(';')[0].trim().toLowerCase();
	return type === '' ? undefined : type;
}

function charsetOf(header: string | undefined): string | undefined {
	const m = header ? /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(header) : null;
	return m ? m[1].toLowerCase() : undefined;
}

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

function toUploadedFiles(files: unknown): UploadedFile[] {
	const out: UploadedFile[] = [];
	if (files === null || typeof files !== 'object') return out;
	for (const [field, value] of Object.entries(files as Record<string, unknown>)) {
		for (const file of Array.isArray(value) ? value : [value]) {
			if (file === null || typeof file !== 'object') continue;
			const f = file as Record<string, unknown>;
			if (typeof f.filepath !== 'string') continue;
			out.push({
				field,
				filepath: f.filepath,
				originalFilename: typeof f.originalFilename === 'string' ? f.originalFilename : null,
				mimetype: typeof f.mimetype === 'string' ? f.mimetype : null,
				size: typeof f.size === 'number' ? f.size : 0,
			});
		}
	}
	return out;
}

/**
 * Deletes the request's uploaded temporary files, on every n8n line: n8n 1.x leaves them in
 * the temp folder for good (a customer's MMS on disk), 2.x deletes them after webhook().
 * The files are formidable's own objects, whose `destroy()` closes and unlinks the file, so
 * no file-system access of ours is needed. Safe to call twice and on any request.
 */
export function discardUploads(req: RequestLike): void {
	const files = (req.body as { files?: unknown } | undefined)?.files;
	if (files === null || typeof files !== 'object') return;
	for (const value of Object.values(files as Record<string, unknown>)) {
		for (const file of Array.isArray(value) ? value : [value]) {
			const destroy = (file as { destroy?: unknown } | null)?.destroy;
			if (typeof destroy !== 'function') continue;
			try {
				(destroy as () => void).call(file);
			} catch {
				// already closed or removed: nothing left to discard
			}
		}
	}
}

function toFieldParams(data: unknown): RawParams {
	const params: RawParams = new Map();
	if (data === null || typeof data !== 'object') return params;
	for (const [name, value] of Object.entries(data as IDataObject)) {
		const values = Array.isArray(value) ? value : [value];
		params.set(
			name,
			values.filter((v) => v !== undefined && v !== null).map((v) => utf8(typeof v === 'string' ? v : JSON.stringify(v))),
		);
	}
	return params;
}

function parseJsonBody(raw: Uint8Array, charset: string | undefined): unknown {
	if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
		throw new HttpRefusal(415, `JSON must be UTF-8, not ${charset}`);
	}
	let text: string;
	try {
		text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(raw);
	} catch {
		throw refuse(400, 'body is not valid UTF-8');
	}
	try {
		return JSON.parse(text) as unknown;
	} catch {
		throw refuse(400, 'body is not valid JSON');
	}
}

function readBody(req: RequestLike, contentType: string | undefined, charset: string | undefined): RequestBody {
	if (contentType === 'multipart/form-data') {
		const parsed = (req.body ?? {}) as { data?: unknown; files?: unknown };
		return { kind: 'multipart', fields: toFieldParams(parsed.data), files: toUploadedFiles(parsed.files) };
	}
	const raw = req.rawBody;
	if (!raw || raw.length === 0) return { kind: 'none' };
	if (contentType === 'application/json' || contentType?.endsWith('+json')) {
		return { kind: 'json', value: parseJsonBody(raw, charset) };
	}
	if (contentType === 'application/x-www-form-urlencoded') {
		let text = '';
		// Percent-encoded forms are ASCII on the wire; a stray raw byte is kept as the byte it is.
		for (const byte of raw) text += String.fromCharCode(byte);
		return { kind: 'form', params: parseParams(text, 'the form body') };
	}
	return { kind: 'other', contentType: contentType ?? 'no content type' };
}

/** The caller's address as n8n sees it (express's `req.ip`, which honours N8N_PROXY_HOPS). */
function clientIpOf(req: RequestLike): string | undefined {
	return req.ip ?? req.socket?.remoteAddress;
}

/** Reads the request; throws HttpRefusal for bodies over `maxBytes` or malformed input. */
export function readRequest(req: RequestLike, maxBytes: number): InboundRequest {
	const header = (name: string): string | undefined => {
		const value = req.headers[name.toLowerCase()];
		return Array.isArray(value) ? value.join(', ') : value;
	};
	const declared = Number(header('content-length'));
	if (Number.isFinite(declared) && declared > maxBytes) {
		throw new HttpRefusal(413, `body of ${declared} bytes is over the limit of ${maxBytes}`);
	}
	if (req.rawBody && req.rawBody.length > maxBytes) {
		throw new HttpRefusal(413, `body of ${req.rawBody.length} bytes is over the limit of ${maxBytes}`);
	}

	const url = req.originalUrl ?? req.url ?? '';
	const q = url.indexOf('?');
	const queryText = q === -1 ? '' : url.slice(q + 1).split('#')[0];
	if (queryText.length > MAX_QUERY_LENGTH) {
		throw new HttpRefusal(413, `query string longer than ${MAX_QUERY_LENGTH} characters`);
	}

	const contentTypeHeader = header('content-type');
	const body = readBody(req, mediaType(contentTypeHeader), charsetOf(contentTypeHeader));
	if (body.kind === 'multipart') {
		const total = body.files.reduce((sum, f) => sum + f.size, 0);
		if (total > maxBytes) throw new HttpRefusal(413, `uploaded files of ${total} bytes are over the limit of ${maxBytes}`);
	}
	return {
		method: (req.method ?? 'GET').toUpperCase(),
		clientIp: clientIpOf(req),
		header,
		query: parseParams(queryText, 'the query string'),
		body,
	};
}
