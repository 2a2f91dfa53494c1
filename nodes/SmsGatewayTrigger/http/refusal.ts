/**
 * A request the trigger refuses, with the HTTP status and the short reason it answers.
 * Thrown by the parsers and security checks, caught once in webhook(), which writes the
 * answer; never shown to n8n as a node error (a bad push is the sender's fault, not the
 * workflow's).
 */
export class HttpRefusal extends Error {
	constructor(
		readonly status: 400 | 401 | 403 | 413 | 415,
		readonly reason: string,
	) {
		super(reason);
		this.name = 'HttpRefusal';
	}
}

const STATUS_TEXT: Record<HttpRefusal['status'], string> = {
	400: 'Bad Request',
	401: 'Unauthorized',
	403: 'Forbidden',
	413: 'Payload Too Large',
	415: 'Unsupported Media Type',
};

/** The body answered for a refusal: the status text and the reason, one line. */
export function refusalBody(refusal: HttpRefusal): string {
	return `${STATUS_TEXT[refusal.status]}: ${refusal.reason.replace(/[\r\n]+/g, ' ')}`;
}

/** Builds a refusal; for throwing inside catch blocks, where n8n's lint wants a call, not `new`. */
export function refuse(status: HttpRefusal['status'], reason: string): HttpRefusal {
	return new HttpRefusal(status, reason);
}
