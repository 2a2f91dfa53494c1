/**
 * Errors of the zip module. Archives come from the network (MMS pushes and retrievals),
 * so every refusal says what was wrong without echoing large or binary content.
 */
export type ZipErrorCode =
	| 'ZIP_CORRUPT'
	| 'ZIP_UNSUPPORTED'
	| 'ZIP_TOO_MANY_ENTRIES'
	| 'ZIP_TOO_LARGE'
	| 'ZIP_RATIO'
	| 'ZIP_BAD_NAME'
	| 'ZIP_DUPLICATE_NAME'
	| 'ZIP_CRC'
	| 'MANIFEST_MISSING'
	| 'MANIFEST_MISSING_FILE'
	| 'MANIFEST_INVALID'
	| 'ZIP_INVALID_INPUT';

export class ZipError extends Error {
	readonly code: ZipErrorCode;

	constructor(code: ZipErrorCode, message: string) {
		super(message);
		this.name = 'ZipError';
		this.code = code;
	}
}

/** A file name for an error message: quoted, control characters shown as escapes, length capped. */
export function showName(name: string): string {
	const shown = JSON.stringify(name.length > 80 ? name.slice(0, 80) + '...' : name);
	return shown;
}
