/**
 * A gateway transport on axios with keep-alive agents: the same request shape n8n's
 * `httpRequestWithAuthentication` receives, driven through a second HTTP client so the
 * provider modules are shown not to depend on `fetch`.
 */
import axios from 'axios';
import type { IHttpRequestOptions } from 'n8n-workflow';

import type { GatewayTransport, TransportResponse } from '../../nodes/shared/providers';
import { createKeepAliveAgents, type KeepAliveAgents } from './agents';

export interface AxiosTransport {
	transport: GatewayTransport;
	close(): void;
}

export function createAxiosTransport(options: { maxSockets?: number } = {}): AxiosTransport {
	const agents: KeepAliveAgents = createKeepAliveAgents(options);
	const transport: GatewayTransport = async (request: IHttpRequestOptions): Promise<TransportResponse> => {
		const response = await axios.request({
			url: request.url,
			method: request.method ?? 'GET',
			headers: (request.headers ?? {}) as Record<string, string>,
			data: request.body,
			params: request.qs,
			timeout: request.timeout,
			signal: request.abortSignal,
			responseType: request.encoding === 'arraybuffer' ? 'arraybuffer' : 'text',
			transformResponse: (data: unknown) => data,
			validateStatus: () => true,
			maxRedirects: 0,
			httpAgent: agents.httpAgent,
			httpsAgent: agents.httpsAgent,
		});
		return { statusCode: response.status, headers: response.headers as Record<string, unknown>, body: response.data as unknown };
	};
	return {
		transport,
		close: () => {
			agents.httpAgent.destroy();
			agents.httpsAgent.destroy();
		},
	};
}
