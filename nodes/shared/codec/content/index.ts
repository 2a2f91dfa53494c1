/**
 * Content messages over binary SMS: WAP Push SI, MMS notification and vCard. Each encoder
 * returns the parts as hex UDH (UDHL included) + hex payload, ready for a gateway's binary API.
 */
export { wapPushSi, SI_ACTIONS, type SiAction, type WapPushSiInput } from './wapPush';
export { mmsNotification, MMS_MESSAGE_CLASSES, type MmsMessageClass, type MmsNotificationInput } from './mmsNotification';
export { vcardMessage, type VcardFields, type VcardInput } from './vcard';
export {
	MAX_USER_DATA_OCTETS,
	maxDatagramOctets,
	type ContentEncodeOptions,
	type ContentMessage,
	type ContentPart,
} from './datagram';
export { VCARD_PORT, WAP_PUSH_PORT, WSP_CONNECTIONLESS_PORT } from './ports';
