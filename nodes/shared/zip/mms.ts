/**
 * MX MMS content zips (mx-telecom-http.md section 6.3): the media files plus a `manifest`
 * naming each file's MIME type. The same layout is sent (`mms.zip`) and received.
 */
import { ZipError, showName } from './errors';
import { buildManifest, parseManifest } from './manifest';
import { readZip, type ZipLimits } from './read';
import { writeZip } from './write';

export const MANIFEST_NAME = 'manifest';

export interface MmsZipPart {
	name: string;
	mimeType: string;
	data: Uint8Array;
}

export interface MmsZipContent {
	/** Parts listed in the manifest, in manifest order. */
	parts: MmsZipPart[];
	/** Entries present in the zip but not in the manifest (left out of `parts`). */
	unlisted: string[];
}

// Flat, ASCII file names: the zip and manifest formats leave everything else open to interpretation.
const PART_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const MIME_TYPE = /^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*(\s*;.*)?$/;

/** Checks an MMS part name for writing; returns a reason when it is not acceptable. */
export function mmsPartNameProblem(name: unknown): string | undefined {
	if (typeof name !== 'string' || name === '') return 'the name is empty';
	if (name === MANIFEST_NAME) return '"manifest" is reserved for the zip\'s manifest';
	if (!PART_NAME.test(name)) return 'use 1-128 ASCII letters, digits, ".", "_" or "-", starting with a letter or digit';
	return undefined;
}

export function mimeTypeProblem(mimeType: unknown): string | undefined {
	if (typeof mimeType !== 'string' || !MIME_TYPE.test(mimeType) || /[\r\n]/.test(mimeType)) return 'give a MIME type such as image/jpeg or text/plain';
	return undefined;
}

/** Builds an MMS zip: `manifest` first, then the parts in order (STORE). */
export function buildMmsZip(parts: Array<{ name: string; mimeType: string; data: Uint8Array | string }>): Uint8Array {
	const seen = new Set<string>();
	for (const part of parts) {
		const problem = mmsPartNameProblem(part.name) ?? mimeTypeProblem(part.mimeType);
		if (problem) throw new ZipError('ZIP_BAD_NAME', `MMS part ${showName(String(part.name))}: ${problem}`);
		if (seen.has(part.name)) throw new ZipError('ZIP_DUPLICATE_NAME', `Two MMS parts are named ${showName(part.name)}`);
		seen.add(part.name);
	}
	const manifest = buildManifest(parts.map((p) => ({ name: p.name, mimeType: p.mimeType })));
	return writeZip([{ name: MANIFEST_NAME, data: manifest }, ...parts.map((p) => ({ name: p.name, data: p.data }))]);
}

/** Reads an MMS zip and returns the parts its manifest lists. Throws ZipError when the zip or manifest is unusable. */
export async function readMmsZip(bytes: Uint8Array, limits?: ZipLimits): Promise<MmsZipContent> {
	const entries = await readZip(bytes, limits);
	const byName = new Map(entries.map((e) => [e.name, e.data]));
	const manifestBytes = byName.get(MANIFEST_NAME);
	if (manifestBytes === undefined) throw new ZipError('MANIFEST_MISSING', 'The MMS zip has no "manifest" file');
	const manifest = parseManifest(manifestBytes);
	const listed = new Set<string>([MANIFEST_NAME]);
	const parts: MmsZipPart[] = [];
	for (const entry of manifest) {
		const data = byName.get(entry.name);
		if (data === undefined) {
			throw new ZipError('MANIFEST_MISSING_FILE', `The manifest lists ${showName(entry.name)}, which is not in the zip`);
		}
		listed.add(entry.name);
		parts.push({ name: entry.name, mimeType: entry.mimeType, data });
	}
	const unlisted = entries.map((e) => e.name).filter((name) => !listed.has(name));
	return { parts, unlisted };
}
