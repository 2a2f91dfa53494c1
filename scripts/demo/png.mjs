// A small, valid PNG drawn in code (a sunset over the sea), so the demo's MMS
// carries a real picture without shipping a binary file.

import zlib from 'node:zlib';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
	let c = n;
	for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
	return c >>> 0;
});

function crc32(buf) {
	let c = 0xffffffff;
	for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
	return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
	const len = Buffer.alloc(4);
	len.writeUInt32BE(data.length);
	const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
	const crc = Buffer.alloc(4);
	crc.writeUInt32BE(crc32(body));
	return Buffer.concat([len, body, crc]);
}

/** An RGB PNG of `width` x `height`. */
export function sunsetPng(width = 96, height = 64) {
	const raw = Buffer.alloc((width * 3 + 1) * height);
	const horizon = Math.round(height * 0.62);
	const sun = { x: width * 0.5, y: horizon, r: height * 0.2 };
	for (let y = 0; y < height; y++) {
		const row = y * (width * 3 + 1);
		raw[row] = 0; // filter: none
		for (let x = 0; x < width; x++) {
			let rgb;
			if (Math.hypot(x - sun.x, y - sun.y) < sun.r && y < horizon) rgb = [255, 214, 90];
			else if (y < horizon) {
				const t = y / horizon;
				rgb = [Math.round(60 + 190 * t), Math.round(70 + 60 * t), Math.round(140 - 60 * t)];
			} else {
				const t = (y - horizon) / (height - horizon);
				const glint = Math.abs(x - sun.x) < sun.r * (1 - t) && (y + x) % 3 === 0;
				rgb = glint ? [250, 200, 110] : [20, Math.round(70 - 30 * t), Math.round(120 - 40 * t)];
			}
			raw.set(rgb, row + 1 + x * 3);
		}
	}
	const header = Buffer.alloc(13);
	header.writeUInt32BE(width, 0);
	header.writeUInt32BE(height, 4);
	header[8] = 8; // bit depth
	header[9] = 2; // colour type: RGB
	return Buffer.concat([
		Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		chunk('IHDR', header),
		chunk('IDAT', zlib.deflateSync(raw)),
		chunk('IEND', Buffer.alloc(0)),
	]);
}
