/**
 * Shared pieces of the provider contract tests: the simulator's credentials as client
 * configs, a fast retry policy, and a deep scan for leaked secrets.
 */
import { DEFAULT_CREDENTIALS, type Simulator } from '../../simulator';
import type { GatewayConfig, RecipientResult } from '../../nodes/shared/providers';

export const MX = DEFAULT_CREDENTIALS.mxTelecom;
export const BULK = DEFAULT_CREDENTIALS.bulkSms;
export const GW = DEFAULT_CREDENTIALS.gatewayApi;

export const SECRETS = [MX.password, MX.mmsPassword, BULK.password, GW.token];

/** Retries without the production back-off, so fault tests stay fast. */
export const FAST_RETRY = { maxAttempts: 4, baseDelayMs: 5, maxDelayMs: 20 };

export function mxConfig(sim: Simulator, extra: Partial<GatewayConfig> = {}): GatewayConfig {
	return {
		provider: 'mxTelecom',
		baseUrl: sim.url,
		username: MX.username,
		password: MX.password,
		mmsUsername: MX.mmsUsername,
		mmsPassword: MX.mmsPassword,
		retry: FAST_RETRY,
		...extra,
	};
}

export function bulkConfig(sim: Simulator, extra: Partial<GatewayConfig> = {}): GatewayConfig {
	return { provider: 'bulkSms', baseUrl: sim.url, username: BULK.username, password: BULK.password, retry: FAST_RETRY, ...extra };
}

export function gwConfig(sim: Simulator, extra: Partial<GatewayConfig> = {}): GatewayConfig {
	return { provider: 'gatewayApi', baseUrl: sim.url, token: GW.token, retry: FAST_RETRY, ...extra };
}

/** Every string reachable from a value (own properties, messages, stacks, causes), for secret scans. */
export function allText(value: unknown, seen = new Set<unknown>()): string {
	if (value === null || value === undefined) return '';
	if (typeof value === 'string') return value;
	if (typeof value !== 'object') return String(value);
	if (seen.has(value)) return '';
	seen.add(value);
	const parts: string[] = [];
	if (value instanceof Error) parts.push(value.message, String(value.stack), String(value));
	for (const key of Object.getOwnPropertyNames(value)) {
		parts.push(key, allText((value as Record<string, unknown>)[key], seen));
	}
	return parts.join('\n');
}

/** Asserts that no configured secret appears anywhere in `value`. */
export function expectNoSecrets(value: unknown, secrets: string[] = SECRETS): void {
	const text = allText(value);
	for (const secret of secrets) {
		expect(text.includes(secret)).toBe(false);
		expect(text.includes(encodeURIComponent(secret))).toBe(false);
	}
}

/** The promise's rejection (fails the test if it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
	return await promise.then(
		() => {
			throw new Error('expected a rejection');
		},
		(error: unknown) => error,
	);
}

/**
 * The accounting every fault test checks: one result per recipient in input order, no
 * recipient accepted twice by the gateway, an `accepted` result accepted exactly once and a
 * `failed` one never. Returns how many results ended in each status.
 */
export function expectExactlyOnce(sim: Simulator, to: string[], results: RecipientResult[]): Record<string, number> {
	expect(results.map((r) => r.to)).toEqual(to);
	const accepted = new Map<string, number>();
	for (const a of sim.accepted) accepted.set(a.to, (accepted.get(a.to) ?? 0) + 1);
	expect([...accepted.values()].every((n) => n === 1)).toBe(true);
	expect(sim.duplicates()).toEqual([]);
	for (const r of results) {
		if (r.status === 'accepted') expect(accepted.get(r.to)).toBe(1);
		if (r.status === 'failed') expect(accepted.has(r.to)).toBe(false);
	}
	return results.reduce<Record<string, number>>((acc, r) => ({ ...acc, [r.status]: (acc[r.status] ?? 0) + 1 }), {});
}
