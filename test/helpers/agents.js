'use strict';
/**
 * Keep-alive HTTP agents for the axios transport used in tests (node builtins are not
 * allowed in .ts files by the lint config, hence plain JS).
 */
const http = require('http');
const https = require('https');

/** One pair of keep-alive agents; `maxSockets` bounds the connections per host. */
function createKeepAliveAgents(options = {}) {
	const settings = { keepAlive: true, maxSockets: options.maxSockets ?? 64 };
	return { httpAgent: new http.Agent(settings), httpsAgent: new https.Agent(settings) };
}

module.exports = { createKeepAliveAgents };
