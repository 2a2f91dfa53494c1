'use strict';
/**
 * Records everything n8n would log or report while our nodes run in-process, with the
 * metadata objects, so the secrets suite can scan it:
 * - the Logger in n8n-core's dependency-injection container (`this.logger` in node contexts,
 *   and the logger n8n's ErrorReporter writes to);
 * - n8n-workflow's LoggerProxy (what WorkflowExecute logs);
 * - the ErrorReporter itself (errors n8n would send to its error tracking).
 * The container and Logger class are n8n-core's own copies, so they are resolved from
 * n8n-core's location. Call it after anything else that installs a logger (the trigger
 * harness does, in startTrigger).
 */
const path = require('path');

const coreDir = path.dirname(require.resolve('n8n-core/package.json'));
const fromCore = (id) => require(require.resolve(id, { paths: [coreDir] }));

function captureN8n() {
	const { Container } = fromCore('@n8n/di');
	const { Logger } = fromCore('@n8n/backend-common');
	const { ErrorReporter } = require('n8n-core');
	const { LoggerProxy } = require('n8n-workflow');
	const lines = [];
	const reported = [];
	const line = (level) => (message, meta) => lines.push({ level, message: String(message), meta });
	const logger = {
		error: line('error'),
		warn: line('warn'),
		info: line('info'),
		debug: line('debug'),
		verbose: line('verbose'),
		scoped() {
			return logger;
		},
	};
	Container.set(Logger, logger);
	LoggerProxy.init(logger);
	const reporter = {
		error: (error, options) => reported.push({ error, options }),
		warn: (error, options) => reported.push({ error, options }),
		info: (message, options) => reported.push({ error: message, options }),
	};
	Container.set(ErrorReporter, reporter);
	return {
		lines,
		reported,
		clear() {
			lines.length = 0;
			reported.length = 0;
		},
	};
}

module.exports = { captureN8n };
