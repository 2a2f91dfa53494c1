/**
 * Who may push, per provider:
 * - IP allowlist: the option's CIDR list; when empty, the provider's documented push
 *   ranges (MX Telecom names three; BulkSMS and GatewayAPI document none that can be
 *   relied on, so anyone). `*` switches the check off. Others get 403.
 * - GatewayAPI: with a webhook secret in the credential, an HS256 JWT in
 *   `X-Gwapi-Signature` is required and its payload is the event data. Else 401.
 * - BulkSMS (and MX Telecom, whose pushes are just as unsigned): with a webhook secret,
 *   the push URL must carry it in a query parameter (`secret` by default). Else 401.
 * Secrets are compared in constant time and never echoed.
 */
import type { ProviderName } from '../../shared/providers/types';
import { HttpRefusal } from '../http/refusal';
import type { InboundRequest } from '../http/request';
import { MX_TELECOM_PUSH_RANGES, isAllowed, parseAllowlist, type CidrRule } from './cidr';
import { verifyHs256 } from './jwt';
import { secretsMatch } from './secret';

export type Allowlist = CidrRule[] | 'any';

/** The allowlist in force; throws CidrSyntaxError for a bad entry in the option. */
export function resolveAllowlist(provider: ProviderName, option: string): Allowlist {
	const text = option.trim();
	if (text === '*') return 'any';
	if (text === '') return provider === 'mxTelecom' ? parseAllowlist(MX_TELECOM_PUSH_RANGES.join(',')) : 'any';
	return parseAllowlist(text);
}

export function checkClientIp(ip: string | undefined, allowlist: Allowlist): void {
	if (allowlist === 'any') return;
	if (!isAllowed(ip, allowlist)) {
		throw new HttpRefusal(403, `${ip ?? 'the caller'} is not in this trigger's IP allowlist`);
	}
}

export interface AuthSettings {
	provider: ProviderName;
	/** The credential's webhook secret; empty means pushes are not authenticated. */
	secret: string;
	/** Query parameter carrying the secret for MX Telecom and BulkSMS. */
	secretParameter: string;
	nowSeconds: number;
}

/**
 * Authenticates a push. For GatewayAPI with a secret it returns the verified JWT
 * payload, which is then the event data; otherwise undefined.
 */
export function authenticate(request: InboundRequest, settings: AuthSettings): Record<string, unknown> | undefined {
	const { provider, secret } = settings;
	if (secret === '') return undefined;
	if (provider === 'gatewayApi') {
		const result = verifyHs256(request.header('x-gwapi-signature'), secret, settings.nowSeconds);
		if (!result.ok) throw new HttpRefusal(401, result.reason);
		return result.payload;
	}
	const values = request.query.get(settings.secretParameter);
	if (!values || values.length === 0) {
		throw new HttpRefusal(401, `missing "${settings.secretParameter}" query parameter`);
	}
	// One value only: a second copy could smuggle a guess next to a known-bad value.
	const presented = values.length === 1 ? new TextDecoder('utf-8').decode(values[0]) : '';
	if (!secretsMatch(presented, secret)) throw new HttpRefusal(401, `wrong "${settings.secretParameter}" query parameter`);
	return undefined;
}
