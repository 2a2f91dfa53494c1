/** A request as the server hands it over: node's IncomingMessage plus what n8n's web server adds. */
export interface PreparedRequest {
	method?: string;
	url?: string;
	headers: Record<string, string | string[] | undefined>;
	socket: { remoteAddress?: string };
	originalUrl: string;
	query: Record<string, unknown>;
	ip: string | undefined;
	contentType: string | undefined;
	encoding: string;
	rawBody?: Buffer;
	body: unknown;
}

/** node's ServerResponse, the members the harness uses. */
export interface ServerResponseLike {
	statusCode: number;
	readonly headersSent: boolean;
	setHeader(name: string, value: string): unknown;
	end(body?: string): unknown;
}

export interface WebhookServer {
	url: string;
	port: number;
	close(): Promise<void>;
}

export function startWebhookServer(options: {
	handle: (req: PreparedRequest, res: ServerResponseLike) => Promise<void>;
	/** Take req.ip from the last X-Forwarded-For entry, as express does with one trusted proxy hop. */
	trustProxy?: boolean;
	payloadSizeMax?: number;
}): Promise<WebhookServer>;
