/**
 * Attaching an inbound MMS's content to its item: the zip as one binary property and,
 * when unpacking, each part the zip's manifest lists as its own binary property
 * (`<zip property><index>`, the naming the action node's Retrieve MMS uses too).
 *
 * The content comes either in the push itself (multipart `mms.zip`, stored by n8n in a
 * temporary file that is copied with `nodeHelpers.copyBinaryFile`, no `fs` needed) or is
 * fetched from the gateway after a GET notification. A hostile zip in a push is refused
 * with a status; a retrieval that fails leaves the event intact with `error` set, so no
 * notification is lost because the gateway's content store misbehaved.
 */
import type { IBinaryData, IBinaryKeyData, IWebhookFunctions } from 'n8n-workflow';

import { ZipError, readMmsZip, type MmsZipContent, type ZipLimits } from '../../shared/zip';
import { HttpRefusal, refuse } from '../http/refusal';
import type { UploadedFile } from '../http/request';
import type { InboundMmsItem } from '../events/types';

export interface MmsContentOptions {
	binaryPropertyName: string;
	unpack: boolean;
	/** The push's body limit; the unpacked content may be a few times larger. */
	maxBytes: number;
}

function zipLimits(options: MmsContentOptions): ZipLimits {
	return { maxEntries: 100, maxTotalBytes: Math.max(options.maxBytes * 4, 1024 * 1024), maxRatio: 100 };
}

const SIZE_CODES = new Set(['ZIP_TOO_LARGE', 'ZIP_RATIO', 'ZIP_TOO_MANY_ENTRIES']);

/** A zip problem as the status a pushed archive is refused with. */
export function refusalForZip(error: ZipError): HttpRefusal {
	return new HttpRefusal(SIZE_CODES.has(error.code) ? 413 : 400, `mms.zip refused: ${error.message}`);
}

const safeId = (id: string): string => id.replace(/[^A-Za-z0-9_-]+/g, '_');

async function bytesOf(context: IWebhookFunctions, binary: IBinaryData): Promise<Uint8Array> {
	if (binary.id) {
		return await context.helpers.binaryToBuffer(await context.helpers.getBinaryStream(binary.id));
	}
	return Buffer.from(binary.data, 'base64');
}

/** Adds the parts (when unpacking) and their descriptions to the item. */
async function attachParts(
	context: IWebhookFunctions,
	item: InboundMmsItem,
	binary: IBinaryKeyData,
	content: MmsZipContent,
	options: MmsContentOptions,
): Promise<void> {
	item.unlisted = content.unlisted;
	for (let index = 0; index < content.parts.length; index++) {
		const part = content.parts[index];
		const property = options.unpack ? `${options.binaryPropertyName}${index}` : null;
		if (property) {
			binary[property] = await context.helpers.prepareBinaryData(Buffer.from(part.data), part.name, part.mimeType);
		}
		item.parts.push({ name: part.name, mimeType: part.mimeType, size: part.data.byteLength, binaryProperty: property });
	}
}

/**
 * n8n 1.x hands over a multipart body even when parsing it failed, and its parser then
 * deletes the files it had written: the copy finds no file. (n8n 2.x refuses such a body
 * itself, with 400.) Either way the sender hears 400, not 500.
 */
async function copyUpload(context: IWebhookFunctions, file: UploadedFile, fileName: string): Promise<IBinaryData> {
	const stored = await context.nodeHelpers
		.copyBinaryFile(file.filepath, fileName, 'application/zip')
		.catch((error: unknown) =>
			(error as { code?: unknown } | null)?.code === 'ENOENT' ? undefined : Promise.reject(error),
		);
	if (stored === undefined) {
		throw refuse(400, 'the mms.zip upload is incomplete (the multipart body could not be parsed)');
	}
	return stored;
}

/** Content carried by a multipart push: copies the uploaded zip, checks and unpacks it. */
export async function attachUploadedZip(
	context: IWebhookFunctions,
	item: InboundMmsItem,
	file: UploadedFile,
	options: MmsContentOptions,
): Promise<IBinaryKeyData> {
	if (file.size > options.maxBytes) {
		throw new HttpRefusal(413, `mms.zip of ${file.size} bytes is over the limit of ${options.maxBytes}`);
	}
	const stored = await copyUpload(context, file, `mms-${safeId(item.messageId)}.zip`);
	const bytes = await bytesOf(context, stored);
	let content: MmsZipContent;
	try {
		content = await readMmsZip(bytes, zipLimits(options));
	} catch (error) {
		if (error instanceof ZipError) throw refusalForZip(error);
		throw refuse(400, 'mms.zip could not be read');
	}
	const binary: IBinaryKeyData = { [options.binaryPropertyName]: stored };
	item.retrieved = true;
	item.zipProperty = options.binaryPropertyName;
	await attachParts(context, item, binary, content, options);
	return binary;
}

/** What the trigger needs to fetch a notified MMS: the client call, bound to the credential. */
export type RetrieveMms = (id: string) => Promise<{ zip: Uint8Array }>;

/**
 * Content announced by a GET notification: fetched with the credential's MMS account.
 * Any failure (gateway error, timeout, hostile zip) is recorded on the item.
 */
export async function attachRetrievedZip(
	context: IWebhookFunctions,
	item: InboundMmsItem,
	retrieve: RetrieveMms,
	redact: (text: string) => string,
	options: MmsContentOptions,
): Promise<IBinaryKeyData> {
	let zip: Uint8Array;
	try {
		({ zip } = await retrieve(item.messageId));
	} catch (error) {
		item.error = `Retrieving the MMS failed: ${redact(error instanceof Error ? error.message : String(error))}`;
		return {};
	}
	if (zip.byteLength > options.maxBytes) {
		item.error = `The retrieved MMS zip of ${zip.byteLength} bytes is over the limit of ${options.maxBytes}`;
		return {};
	}
	let content: MmsZipContent;
	try {
		content = await readMmsZip(zip, zipLimits(options));
	} catch (error) {
		item.error = `The retrieved MMS zip was refused: ${error instanceof Error ? error.message : 'unreadable archive'}`;
		return {};
	}
	const binary: IBinaryKeyData = {
		[options.binaryPropertyName]: await context.helpers.prepareBinaryData(
			Buffer.from(zip),
			`mms-${safeId(item.messageId)}.zip`,
			'application/zip',
		),
	};
	item.retrieved = true;
	item.zipProperty = options.binaryPropertyName;
	await attachParts(context, item, binary, content, options);
	return binary;
}
