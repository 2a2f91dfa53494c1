/** TEMPORARY until the codec's content encoders are merged: same signatures, not implemented. */
interface Parts {
	parts: Array<{ udh: string; payload: string }>;
}
const pending = (input: unknown): never => {
	void input;
	throw new Error('content encoders are not merged yet');
};
export function wapPushSi(input: { href: string; text: string; siId?: string; created?: string; expires?: string; action?: string }): Parts {
	return pending(input);
}
export function mmsNotification(input: {
	contentLocation: string;
	transactionId?: string;
	from?: string;
	subject?: string;
	size: number;
	expiry: number;
	messageClass?: string;
}): Parts {
	return pending(input);
}
export function vcardMessage(input: string | { fn: string; n?: string; tel?: string | string[]; email?: string | string[]; org?: string; title?: string; url?: string; note?: string }): Parts {
	return pending(input);
}
