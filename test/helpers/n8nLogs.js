'use strict';
/**
 * Captures what nodes log through n8n-core's contexts (`this.logger`), which n8n-core
 * takes from its dependency-injection container. The container and Logger class are
 * n8n-core's own copies, so they are resolved from n8n-core's location.
 */
const path = require('path');

const coreDir = path.dirname(require.resolve('n8n-core/package.json'));
const fromCore = (id) => require(require.resolve(id, { paths: [coreDir] }));

function captureLogs() {
	const { Container } = fromCore('@n8n/di');
	const { Logger } = fromCore('@n8n/backend-common');
	const lines = [];
	const logger = {
		lines,
		error: (message) => lines.push({ level: 'error', message }),
		warn: (message) => lines.push({ level: 'warn', message }),
		info: (message) => lines.push({ level: 'info', message }),
		debug: (message) => lines.push({ level: 'debug', message }),
		scoped() {
			return logger;
		},
	};
	Container.set(Logger, logger);
	return lines;
}

module.exports = { captureLogs };
