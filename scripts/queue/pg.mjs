// Reading n8n's PostgreSQL database from tests and benchmarks in queue mode: a small client
// (the `pg` module n8n itself ships, plain JavaScript, so it runs under the test's Node) and
// the execution queries the SQLite helpers of scripts/n8n/harness.mjs offer for regular mode.
// PostgreSQL keeps n8n's camelCase column names only when quoted ("workflowId").

import { createRequire } from 'node:module';
import path from 'node:path';

import * as h from '../n8n/harness.mjs';

async function n8nRequire() {
	const paths = await h.n8nInstall();
	return createRequire(path.join(paths.nodeModules, 'n8n', 'package.json'));
}

/**
 * A connection pool to `database` on 127.0.0.1:`port` as user postgres (trust auth).
 * `query(sql, params)` resolves the rows; `end()` closes the pool.
 */
export async function connect(port, database = 'postgres') {
	const { Pool } = (await n8nRequire())('pg');
	const pool = new Pool({ host: '127.0.0.1', port, user: 'postgres', password: 'unused', database, max: 4 });
	pool.on('error', () => {
		// a backend going away at shutdown; the next query reports it
	});
	return {
		async query(sql, params = []) {
			return (await pool.query(sql, params)).rows;
		},
		end: () => pool.end(),
	};
}

/** Waits until PostgreSQL takes a query (it listens a moment before it accepts logins). */
export async function waitForLogin(port, timeoutMs = 30_000) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const db = await connect(port);
		try {
			await db.query('select 1');
			return;
		} catch (error) {
			if (Date.now() > deadline) throw error;
		} finally {
			await db.end();
		}
		await new Promise((r) => setTimeout(r, 200));
	}
}

/** n8n's executions in PostgreSQL, with the filters of the harness's SQLite helpers. */
export function executionsApi(db) {
	let parse;
	async function decode(data) {
		parse ??= (await n8nRequire())('flatted').parse;
		return data ? parse(data) : undefined;
	}
	function where({ workflowId, afterId = 0, status } = {}) {
		const clauses = ['e.id > $1'];
		const params = [afterId];
		if (workflowId) clauses.push(`e."workflowId" = $${params.push(workflowId)}`);
		if (status) clauses.push(`e.status = $${params.push(status)}`);
		return { sql: clauses.join(' and '), params };
	}
	return {
		/** The highest execution id so far. */
		async lastId() {
			const [row] = await db.query('select coalesce(max(id), 0) as id from execution_entity');
			return Number(row.id);
		},
		/** `{ total, unsettled, byStatus }` of the executions matching the filters. */
		async counts(filters) {
			const w = where(filters);
			const rows = await db.query(
				`select e.status, e.finished, count(*)::int as n from execution_entity e where ${w.sql} group by e.status, e.finished`,
				w.params,
			);
			const byStatus = {};
			let total = 0;
			let unsettled = 0;
			for (const r of rows) {
				byStatus[r.status] = (byStatus[r.status] ?? 0) + r.n;
				total += r.n;
				if (!r.finished && ['new', 'running', 'waiting'].includes(r.status)) unsettled += r.n;
			}
			return { total, unsettled, byStatus };
		},
		/** Waits until at least `count` executions match and none of them is still running. */
		async waitForSettled(count, filters, { timeoutMs = 300_000 } = {}) {
			const t0 = Date.now();
			for (;;) {
				const c = await this.counts(filters);
				if (c.total >= count && c.unsettled === 0) return { ...c, ms: Date.now() - t0 };
				if (Date.now() - t0 > timeoutMs) {
					throw new Error(`timed out: ${c.total} executions (${c.unsettled} unsettled) of ${JSON.stringify(filters)}, wanted ${count}`);
				}
				await new Promise((r) => setTimeout(r, 250));
			}
		},
		/** Executions oldest first, run data decoded: `{ id, workflowId, mode, status, finished, data }`. */
		async read(filters) {
			const w = where(filters);
			const rows = await db.query(
				`select e.id, e."workflowId", e.mode, e.status, e.finished, d.data
				   from execution_entity e left join execution_data d on d."executionId" = e.id
				  where ${w.sql} order by e.id`,
				w.params,
			);
			const out = [];
			for (const r of rows) out.push({ ...r, id: Number(r.id), data: await decode(r.data) });
			return out;
		},
		/** Webhook rows n8n registered for a workflow. */
		async webhooks(workflowId) {
			return db.query('select "webhookPath", method from webhook_entity where "workflowId" = $1', [workflowId]);
		},
	};
}

/** The output items (json and binary) of a node in a decoded execution. */
export function nodeItems(execution, nodeName, { run = 0, output = 0 } = {}) {
	return execution?.data?.resultData?.runData?.[nodeName]?.[run]?.data?.main?.[output] ?? [];
}
