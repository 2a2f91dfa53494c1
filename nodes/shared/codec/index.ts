/**
 * The SMS codec: GSM 03.38 / UCS-2 encoding, segmentation, septet packing,
 * concatenation headers, 8-bit Latin encodings and content messages (WAP push SI,
 * MMS notification, vCard) as binary SMS. Pure functions, no I/O.
 */
export {
	ContentFieldError,
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
export {
	MAX_USER_DATA_OCTETS,
	MMS_MESSAGE_CLASSES,
	SI_ACTIONS,
	VCARD_PORT,
	WAP_PUSH_PORT,
	WSP_CONNECTIONLESS_PORT,
	maxDatagramOctets,
	mmsNotification,
	vcardMessage,
	wapPushSi,
	type ContentEncodeOptions,
	type ContentMessage,
	type ContentPart,
	type MmsMessageClass,
	type MmsNotificationInput,
	type SiAction,
	type VcardFields,
	type VcardInput,
	type WapPushSiInput,
} from './content';
