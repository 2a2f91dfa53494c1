/** Keep-alive agents for the axios test transport (see agents.js). */
export interface KeepAliveAgents {
	httpAgent: { destroy(): void };
	httpsAgent: { destroy(): void };
}

export function createKeepAliveAgents(options?: { maxSockets?: number }): KeepAliveAgents;
