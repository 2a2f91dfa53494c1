/**
 * A wait that ends with the work it guards, on every n8n line.
 *
 * Timers are off limits to community nodes, so every wait goes through n8n-workflow.
 * The two maintained lines disagree on how to cut a wait short:
 * - n8n-workflow 2.x: `sleep(ms, signal)` clears its timer and rejects when the signal fires;
 *   there is no `sleepWithAbort` export.
 * - n8n-workflow 1.x (n8n 1.123 LTS): `sleep(ms)` takes no signal, so a wait that was no
 *   longer needed would keep a live timer for its full length (5 s per in-flight repeat,
 *   up to 60 s per gateway request); `sleepWithAbort(ms, signal)` does what 2.x's `sleep` does.
 * At runtime the node always uses the host's n8n-workflow (n8n does not install peer
 * dependencies), so the choice is made once, by what the host exports.
 */
import * as workflow from 'n8n-workflow';

/** Resolves after `ms`, or rejects once `signal` is aborted (and then holds no timer). */
export type AbortableSleep = (ms: number, signal: AbortSignal) => Promise<void>;

const host = workflow as unknown as { sleep: AbortableSleep; sleepWithAbort?: AbortableSleep };

export const abortableSleep: AbortableSleep =
	typeof host.sleepWithAbort === 'function' ? host.sleepWithAbort : host.sleep;
