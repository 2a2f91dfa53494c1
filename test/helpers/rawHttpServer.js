'use strict';
/**
 * A bare HTTP/1.1 server on loopback that answers bodiless requests with 200 OK
 * (keep-alive) or drops the connection unanswered, as a server does when its
 * keep-alive timer closes an idle connection just as a request is written to it.
 * Plain JS: node builtins are not allowed in .ts files by the lint config.
 */
const net = require('net');

/** `drop(n, onConnection)`: n counts requests over all connections, onConnection on this one (both from 1). */
async function startRawHttpServer(drop) {
	let requests = 0;
	let connections = 0;
	const server = net.createServer((socket) => {
		connections++;
		let onConnection = 0;
		let buffered = '';
		socket.on('data', (chunk) => {
			buffered += chunk.toString('latin1');
			while (buffered.includes('\r\n\r\n')) {
				buffered = buffered.slice(buffered.indexOf('\r\n\r\n') + 4);
				requests++;
				onConnection++;
				if (drop(requests, onConnection)) {
					socket.destroy();
					return;
				}
				socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: keep-alive\r\n\r\nOK');
			}
		});
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${server.address().port}`,
		counts: () => ({ requests, connections }),
		close: () =>
			new Promise((resolve) => {
				server.close(() => resolve());
				if (typeof server.closeAllConnections === 'function') server.closeAllConnections();
			}),
	};
}

module.exports = { startRawHttpServer };
