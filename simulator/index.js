'use strict';
/** Public entry of the gateway simulator (see docs/simulator.md). */
const {
	startSimulator,
	DEFAULT_CREDENTIALS,
	DEFAULT_GROUPS,
	DEFAULT_LIMITS,
	SEND_ENDPOINTS,
} = require('./server');
const { startReceiver, delay } = require('./receiver');
const zip = require('./zip');
const charsets = require('./charsets');
const { signJwt, londonDateTime } = require('./util');
const { encodeQuery, request } = require('./push');

module.exports = {
	startSimulator,
	startReceiver,
	delay,
	DEFAULT_CREDENTIALS,
	DEFAULT_GROUPS,
	DEFAULT_LIMITS,
	SEND_ENDPOINTS,
	zip,
	charsets,
	signJwt,
	londonDateTime,
	encodeQuery,
	request,
};
