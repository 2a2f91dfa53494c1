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

/**
 * The IP Allowlist option as written. An empty option means "the provider's documented
 * ranges", which only the credential can tell; every other value is a fixed list.
 */
export type AllowlistSetting = { kind: 'fixed'; allowlist: Allowlist } | { kind: 'providerDefault' };

const MX_RANGES: readonly CidrRule[] = parseAllowlist(MX_TELECOM_PUSH_RANGES.join(','));

/** Reads the option; throws CidrSyntaxError for a bad entry. */
export function parseAllowlistSetting(option: string): AllowlistSetting {
	const text = option.trim();
	if (text === '') return { kind: 'providerDefault' };
	return { kind: 'fixed', allowlist: text === '*' ? 'any' : parseAllowlist(text) };
}

/** The allowlist in force for a provider. */
export function resolveAllowlist(provider: ProviderName, setting: AllowlistSetting): Allowlist {
	if (setting.kind === 'fixed') return setting.allowlist;
	return provider === 'mxTelecom' ? [...MX_RANGES] : 'any';
}

export function checkClientIp(ip: string | undefined, allowlist: Allowlist): void {
	if (allowlist === 'any') return;
	if (!isAllowed(ip, allowlist)) {
		throw new HttpRefusal(403, `${ip ?? 'the caller'} is not in this trigger's IP allowlist`);
	}
}

/**
 * The IP check as far as it can go without the credential: a fixed list is checked here
 * (403), and so is a caller in MX's ranges, which every provider's default admits. Only a
 * caller outside MX's ranges under the default is left open ('needsProvider'): MX refuses
 * it, the other providers admit anyone.
 */
export function checkClientIpBeforeCredential(ip: string | undefined, setting: AllowlistSetting): 'allowed' | 'needsProvider' {
	if (setting.kind === 'fixed') {
		checkClientIp(ip, setting.allowlist);
		return 'allowed';
	}
	return isAllowed(ip, MX_RANGES) ? 'allowed' : 'needsProvider';
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
