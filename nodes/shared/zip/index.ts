/** Zip reading/writing for MMS content, with guards against hostile archives. */
export { crc32 } from './crc32';
export { ZipError, type ZipErrorCode } from './errors';
export { buildManifest, decodeManifest, parseManifest, type ManifestEntry } from './manifest';
export {
	MANIFEST_NAME,
	buildMmsZip,
	mimeTypeProblem,
	mmsPartNameProblem,
	readMmsZip,
	type MmsZipContent,
	type MmsZipPart,
} from './mms';
export { readZip, type ZipEntry, type ZipLimits } from './read';
export { writeZip, type ZipInputEntry } from './write';
