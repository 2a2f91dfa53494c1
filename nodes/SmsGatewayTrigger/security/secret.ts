import { createHash, timingSafeEqual } from 'crypto';

/**
 * Compares a presented secret with the expected one in constant time. Both are hashed
 * first so the comparison always runs over two 32-byte digests: neither the content nor
 * the length of the expected secret leaks through timing.
 */
export function secretsMatch(presented: string, expected: string): boolean {
	const a = createHash('sha256').update(presented, 'utf8').digest();
	const b = createHash('sha256').update(expected, 'utf8').digest();
	// Run the comparison even for an empty presentation, so its timing says nothing either.
	const same = timingSafeEqual(a, b);
	return same && expected !== '';
}
