/**
 * IP allowlists in CIDR notation (IPv4 and IPv6). Runtime code may not import `net`, so
 * addresses are parsed here into integers and compared by prefix.
 *
 * IPv4-mapped IPv6 addresses (`::ffff:83.166.68.10`, what a dual-stack socket reports
 * for an IPv4 client) are treated as the IPv4 address they carry, so an IPv4 rule
 * matches them.
 */

export interface CidrRule {
	/** The entry as written, for messages. */
	source: string;
	family: 4 | 6;
	network: bigint;
	prefix: number;
}

/** The ranges MX Telecom / OpenMarket name as the sources of their pushes (reference sections 3.5, 4 and 8 item 21). */
export const MX_TELECOM_PUSH_RANGES = ['83.166.68.0/23', '83.166.72.0/24', '208.93.48.0/22'];

interface ParsedAddress {
	family: 4 | 6;
	value: bigint;
}

function parseIpv4(text: string): bigint | undefined {
	const parts = text.split('.');
	if (parts.length !== 4) return undefined;
	let value = 0n;
	for (const part of parts) {
		// Leading zeros are refused: some parsers read them as octal, so they are ambiguous.
		if (!/^(0|[1-9][0-9]{0,2})$/.test(part)) return undefined;
		const octet = Number(part);
		if (octet > 255) return undefined;
		value = (value << 8n) | BigInt(octet);
	}
	return value;
}

function parseIpv6(text: string): bigint | undefined {
	let body = text;
	// An embedded IPv4 tail (`::ffff:1.2.3.4`) stands for the last two groups.
	let tail: bigint | undefined;
	const lastColon = body.lastIndexOf(':');
	if (body.includes('.', lastColon)) {
		tail = parseIpv4(body.slice(lastColon + 1));
		if (tail === undefined) return undefined;
		body = `${body.slice(0, lastColon + 1)}0:0`;
	}
	const halves = body.split('::');
	if (halves.length > 2) return undefined;
	const toGroups = (half: string): string[] | undefined => {
		if (half === '') return [];
		const groups = half.split(':');
		return groups.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g)) ? groups : undefined;
	};
	const head = toGroups(halves[0]);
	const rest = halves.length === 2 ? toGroups(halves[1]) : [];
	if (!head || !rest) return undefined;
	const missing = 8 - head.length - rest.length;
	if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
	const groups = [...head, ...new Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...rest];
	let value = 0n;
	for (const group of groups) value = (value << 16n) | BigInt(parseInt(group, 16));
	if (tail !== undefined) value = (value & ~0xffffffffn) | tail;
	return value;
}

const MAPPED_PREFIX = 0xffffn << 32n;

/** Parses one address; IPv4-mapped IPv6 comes back as IPv4. Undefined when not an address. */
export function parseAddress(input: string): ParsedAddress | undefined {
	let text = input.trim();
	if (text.startsWith('[') && text.endsWith(']')) text = text.slice(1, -1);
	const zone = text.indexOf('%');
	if (zone !== -1) text = text.slice(0, zone);
	if (text === '') return undefined;
	if (!text.includes(':')) {
		const v4 = parseIpv4(text);
		return v4 === undefined ? undefined : { family: 4, value: v4 };
	}
	const v6 = parseIpv6(text);
	if (v6 === undefined) return undefined;
	if (v6 >> 32n === MAPPED_PREFIX >> 32n) return { family: 4, value: v6 & 0xffffffffn };
	return { family: 6, value: v6 };
}

function mask(bits: number, width: number): bigint {
	if (bits === 0) return 0n;
	return ((1n << BigInt(bits)) - 1n) << BigInt(width - bits);
}

export class CidrSyntaxError extends Error {}

/** Parses `a.b.c.d/n`, `x:x::/n` or a single address (a /32 or /128). */
export function parseCidr(entry: string): CidrRule {
	const source = entry.trim();
	const slash = source.indexOf('/');
	const addressText = slash === -1 ? source : source.slice(0, slash);
	const address = addressText.includes(':') ? parseIpv6Rule(addressText) : parseAddress(addressText);
	if (!address) throw new CidrSyntaxError(`"${source}" is not an IP address or CIDR range`);
	const width = address.family === 4 ? 32 : 128;
	let prefix = width;
	if (slash !== -1) {
		const prefixText = source.slice(slash + 1);
		if (!/^[0-9]{1,3}$/.test(prefixText) || Number(prefixText) > width) {
			throw new CidrSyntaxError(`"${source}" has an invalid prefix length (0 to ${width} for IPv${address.family})`);
		}
		prefix = Number(prefixText);
	}
	return { source, family: address.family, network: address.value & mask(prefix, width), prefix };
}

// A rule written in IPv6 notation stays IPv6 (`::ffff:0:0/96` must not turn into an IPv4 /96).
function parseIpv6Rule(text: string): ParsedAddress | undefined {
	const value = parseIpv6(text);
	return value === undefined ? undefined : { family: 6, value };
}

/**
 * Parses an allowlist written as entries separated by commas, semicolons or white space.
 * Throws CidrSyntaxError naming the first bad entry.
 */
export function parseAllowlist(text: string): CidrRule[] {
	return text
		.split(/[\s,;]+/)
		.filter((entry) => entry !== '')
		.map(parseCidr);
}

/** Whether `ip` falls in any rule. An unparseable address matches nothing. */
export function isAllowed(ip: string | undefined, rules: readonly CidrRule[]): boolean {
	if (ip === undefined) return false;
	const address = parseAddress(ip);
	if (!address) return false;
	for (const rule of rules) {
		if (rule.family === 4 && address.family === 4) {
			if ((address.value & mask(rule.prefix, 32)) === rule.network) return true;
		} else if (rule.family === 6) {
			// An IPv6 rule is checked against the full 128-bit form (mapped form for IPv4 clients).
			const full = address.family === 4 ? MAPPED_PREFIX | address.value : address.value;
			if ((full & mask(rule.prefix, 128)) === rule.network) return true;
		}
	}
	return false;
}
