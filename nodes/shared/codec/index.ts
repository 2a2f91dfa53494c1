/**
 * The SMS codec: GSM 03.38 / UCS-2 encoding, segmentation, septet packing,
 * concatenation headers and 8-bit Latin encodings. Pure functions, no I/O.
 */
export {
	SmsCodecError,
	UnencodableCharacterError,
	type SmsCodecErrorCode,
} from './errors';
export {
	GSM7_BASIC_CHARS,
	GSM7_ESCAPE,
	GSM7_EXTENSION_CHARS,
	GSM7_EXTENSION_ENTRIES,
	MAX_PARTS,
	SMS_CAPACITY,
} from './tables';
export {
	decodeGsm7,
	encodeGsm7,
	findFirstNonGsm7,
	findNonGsm7Characters,
	gsm7Length,
	isGsm7,
	type Gsm7Options,
	type NonGsmCharacter,
} from './gsm7';
export { fillBitsForUdh, packSeptets, unpackSeptets } from './packing';
export { bytesToHex, hexToBytes } from './hex';
export {
	findLoneSurrogate,
	fromUcs2Bytes,
	fromUcs2Hex,
	hasLoneSurrogate,
	toUcs2Bytes,
	toUcs2Hex,
} from './ucs2';
export { fromLatin1, fromLatin9, toLatin1, toLatin9 } from './latin';
export {
	concatenationUdh,
	parseConcatenationUdh,
	udhLength,
	type ConcatenationInfo,
	type ConcatRef,
} from './udh';
export {
	applySmartEncoding,
	smartEncodingTable,
	type Replacement,
	type SmartEncodingResult,
} from './smart';
export {
	segmentMessage,
	type SegmentOptions,
	type SegmentResult,
	type SmsEncoding,
} from './segment';
export {
	buildConcatenatedParts,
	type BinaryPart,
	type BuildPartsOptions,
	type BuiltMessage,
} from './parts';
