/** A bare HTTP/1.1 server that answers 200 OK or drops the connection (see rawHttpServer.js). */
export interface RawHttpServer {
	url: string;
	counts(): { requests: number; connections: number };
	close(): Promise<void>;
}

export function startRawHttpServer(drop: (n: number, onConnection: number) => boolean): Promise<RawHttpServer>;
