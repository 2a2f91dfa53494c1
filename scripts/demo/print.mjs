// Progress lines for the demo: short, aligned, coloured only on a terminal.

const useColor = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code) => (text) => (useColor ? `\u001b[${code}m${text}\u001b[0m` : String(text));

export const bold = paint('1');
export const dim = paint('2');
export const green = paint('32');
export const red = paint('31');
export const cyan = paint('36');

export const OK = green('\u2713');
export const FAIL = red('\u2717');

export function line(text = '') {
	process.stdout.write(`${text}\n`);
}

/** `[3/6] label   detail` */
export function step(n, total, label, detail = '') {
	line(`${bold(`[${n}/${total}]`)} ${label.padEnd(11)} ${detail}`);
}

/** An indented detail line under a step or a scenario. */
export function detail(label, text) {
	line(`      ${dim(label.padEnd(10))} ${text}`);
}

export function heading(text) {
	line('');
	line(bold(cyan(`\u25b8 ${text}`)));
}

export const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

export const count = (n) => Number(n).toLocaleString('en-US');

/** Shortens a text for one line, keeping its start. */
export function clip(text, max = 60) {
	const chars = [...String(text)];
	return chars.length > max ? `${chars.slice(0, max - 1).join('')}\u2026` : String(text);
}

/**
 * Keeps the harness's own `[n8n-e2e]` stderr lines (meant for test logs) and
 * npm's warnings during the n8n install out of the demo's output; they are kept
 * in memory for a failure report. The installer's progress lines stay visible.
 */
export function captureHarnessLogs({ verbose = false } = {}) {
	const kept = [];
	if (verbose) return { lines: kept };
	const write = process.stderr.write.bind(process.stderr);
	process.stderr.write = (chunk, ...rest) => {
		const text = String(chunk);
		// npm's hundreds of peer-dependency warnings while n8n installs say nothing to a demo user
		if (text.startsWith('[n8n-e2e] ') || /^\[n8n-install\]\s+npm warn /.test(text)) {
			kept.push(text.trimEnd());
			return true;
		}
		return write(chunk, ...rest);
	};
	return { lines: kept };
}
