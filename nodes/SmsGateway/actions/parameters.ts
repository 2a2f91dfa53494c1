import type { IExecuteFunctions, NodeParameterValueType } from 'n8n-workflow';

/** Reads node parameters per item, as `getNodeParameter` does. */
export interface ParameterReader {
	get(name: string, itemIndex: number, fallback?: unknown): unknown;
}

/** True when a raw parameter value holds an expression anywhere (n8n marks them with a leading `=`). */
function holdsExpression(value: unknown): boolean {
	if (typeof value === 'string') return value.startsWith('=');
	if (Array.isArray(value)) return value.some(holdsExpression);
	if (value !== null && typeof value === 'object') return Object.values(value).some(holdsExpression);
	return false;
}

/**
 * A reader for runs of many items (campaigns). A parameter without an expression has the
 * same value for every item, so it is read once; one with an expression is resolved per
 * item, as n8n always does. On n8n 2.x every `getNodeParameter` call resolves its value
 * through the expression machinery, which on 10,000 items costs seconds, hence the cache.
 * Cached values are shared: callers must not change them.
 */
export function parameterReader(context: IExecuteFunctions): ParameterReader {
	const raw = context.getNode().parameters;
	const once = new Map<string, unknown>();
	return {
		get(name, itemIndex, fallback) {
			const read = () => context.getNodeParameter(name, itemIndex, fallback as NodeParameterValueType);
			if (holdsExpression(raw[name])) return read();
			if (!once.has(name)) once.set(name, read());
			return once.get(name);
		},
	};
}

/** A reader that asks n8n every time (operations that read an item once). */
export function directReader(context: IExecuteFunctions): ParameterReader {
	return { get: (name, itemIndex, fallback) => context.getNodeParameter(name, itemIndex, fallback as NodeParameterValueType) };
}
