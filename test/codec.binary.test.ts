import {
	GSM7_BASIC_CHARS,
	SmsCodecError,
	buildConcatenatedParts,
	bytesToHex,
	concatenationUdh,
	decodeGsm7,
	encodeGsm7,
	fillBitsForUdh,
	fromUcs2Bytes,
	hexToBytes,
	packSeptets,
	parseConcatenationUdh,
	udhLength,
	unpackSeptets,
} from '../nodes/shared/codec';

const pack = (text: string, fill = 0) => bytesToHex(packSeptets(encodeGsm7(text), fill));

describe('septet packing', () => {
	it('matches the published vectors', () => {
		expect(pack('hellohello')).toBe('E8329BFD4697D9EC37');
		expect(pack('hello')).toBe('E8329BFD06');
		expect(pack('Hi')).toBe('C834');
	});

	it('packs 8 septets into exactly 7 octets', () => {
		expect(packSeptets(encodeGsm7('abcdefgh'))).toHaveLength(7);
		expect(packSeptets(encodeGsm7('abcdefghi'))).toHaveLength(8);
		expect(packSeptets([])).toHaveLength(0);
	});

	it('shifts by the fill bits (1 after a 6-octet UDH)', () => {
		// "hello" shifted left by one bit.
		expect(pack('hello', 1)).toBe('D06536FB0D');
		expect(Array.from(unpackSeptets(hexToBytes('D06536FB0D'), 5, 1))).toEqual(Array.from(encodeGsm7('hello')));
	});

	it('fill bits follow from the UDH length', () => {
		expect(fillBitsForUdh(0)).toBe(0);
		expect(fillBitsForUdh(6)).toBe(1);
		expect(fillBitsForUdh(7)).toBe(0);
		expect(fillBitsForUdh(udhLength(8))).toBe(1);
		expect(fillBitsForUdh(udhLength(16))).toBe(0);
		expect(fillBitsForUdh(5)).toBe(2);
	});

	it('round-trips every septet value at every fill-bit offset and length', () => {
		const all = Array.from({ length: 128 }, (_, i) => i);
		for (let fill = 0; fill <= 6; fill++) {
			for (let n = 0; n <= 24; n++) {
				const septets = all.slice(100 - n, 100).concat(all.slice(0, n));
				const packed = packSeptets(septets, fill);
				expect(packed).toHaveLength(Math.ceil((fill + 7 * septets.length) / 8));
				expect(Array.from(unpackSeptets(packed, septets.length, fill))).toEqual(septets);
			}
			expect(Array.from(unpackSeptets(packSeptets(all, fill), 128, fill))).toEqual(all);
		}
	});

	it('leaves the fill bits zero', () => {
		for (let fill = 1; fill <= 6; fill++) {
			expect(packSeptets([0x7f], fill)[0] & ((1 << fill) - 1)).toBe(0);
		}
	});

	it('round-trips all basic and extension characters through packing', () => {
		const text = GSM7_BASIC_CHARS.replace('\u001B', '') + '\f^{}\\[~]|\u20AC';
		const septets = encodeGsm7(text);
		expect(decodeGsm7(unpackSeptets(packSeptets(septets, 1), septets.length, 1))).toBe(text);
	});

	it('rejects bad input', () => {
		expect(() => packSeptets([128])).toThrow(SmsCodecError);
		expect(() => packSeptets([1], 7)).toThrow(/fillBits/);
		expect(() => unpackSeptets(new Uint8Array(1), 2)).toThrow(/need 2 octets/);
	});
});

describe('concatenation UDH', () => {
	it('8-bit reference: 05 00 03 ref total index', () => {
		expect(bytesToHex(concatenationUdh(0x42, 3, 1, 8))).toBe('050003420301');
		expect(bytesToHex(concatenationUdh(0xff, 255, 255))).toBe('050003FFFFFF');
		expect(concatenationUdh(0, 2, 2)).toHaveLength(6);
	});

	it('16-bit reference: 06 08 04 refHi refLo total index', () => {
		expect(bytesToHex(concatenationUdh(0x1234, 3, 2, 16))).toBe('06080412340302');
		expect(concatenationUdh(0xffff, 2, 1, 16)).toHaveLength(7);
	});

	it('rejects out-of-range values', () => {
		expect(() => concatenationUdh(256, 2, 1, 8)).toThrow(/reference/);
		expect(() => concatenationUdh(65536, 2, 1, 16)).toThrow(/reference/);
		expect(() => concatenationUdh(1, 0, 1)).toThrow(/total/);
		expect(() => concatenationUdh(1, 256, 1)).toThrow(/total/);
		expect(() => concatenationUdh(1, 2, 0)).toThrow(/index/);
		expect(() => concatenationUdh(1, 2, 3)).toThrow(/index/);
		expect(() => concatenationUdh(1, 2, 1, 12 as never)).toThrow(/concatRef/);
	});

	it('parses back, also after other information elements', () => {
		expect(parseConcatenationUdh(hexToBytes('050003420301'))).toEqual({ reference: 0x42, total: 3, index: 1, concatRef: 8 });
		expect(parseConcatenationUdh(hexToBytes('06080412340302'))).toEqual({ reference: 0x1234, total: 3, index: 2, concatRef: 16 });
		// A port-addressing element (IEI 0x05) first.
		expect(parseConcatenationUdh(hexToBytes('0B0504158200000003AA0201'))).toEqual({ reference: 0xaa, total: 2, index: 1, concatRef: 8 });
		expect(parseConcatenationUdh(hexToBytes('0504040B8423F0'))).toBeUndefined();
		expect(parseConcatenationUdh(hexToBytes('05000342'))).toBeUndefined();
		expect(parseConcatenationUdh(hexToBytes('050003420304'))).toBeUndefined();
	});
});

describe('buildConcatenatedParts', () => {
	it('builds GSM-7 parts with an 8-bit UDH and one fill bit', () => {
		const text = 'a'.repeat(150) + '[]' + 'b'.repeat(60);
		const built = buildConcatenatedParts(text, { reference: 0x2a });
		expect(built.reference).toBe(0x2a);
		expect(built.parts).toHaveLength(2);
		built.parts.forEach((part, i) => {
			expect(part.encoding).toBe('GSM-7');
			expect(part.dataCoding).toBe(0);
			expect(bytesToHex(part.udh)).toBe(`0500032A020${i + 1}`);
			expect(part.fillBits).toBe(1);
			expect(part.userData.length).toBeLessThanOrEqual(140);
			expect(bytesToHex(part.userData)).toBe(bytesToHex(part.udh) + bytesToHex(part.payload));
			const septets = unpackSeptets(part.payload, part.units, 1);
			expect(decodeGsm7(septets)).toBe(part.text);
			expect(Array.from(septets)).toEqual(Array.from(part.septets as Uint8Array));
			expect(part.userDataLength).toBe(7 + part.units);
		});
		expect(built.parts.map((p) => p.units)).toEqual([152, 62]);
		expect(built.parts[0].userDataLength).toBe(159);
		expect(built.parts.map((p) => p.text).join('')).toBe(text);
	});

	it('a full 153-septet part fills exactly 140 octets', () => {
		const built = buildConcatenatedParts('z'.repeat(200), { reference: 1 });
		expect(built.parts[0].userData).toHaveLength(140);
		expect(built.parts[0].userDataLength).toBe(160);
	});

	it('builds GSM-7 parts with a 16-bit UDH and no fill bits', () => {
		const built = buildConcatenatedParts('q'.repeat(304), { concatRef: 16, reference: 0xbeef });
		expect(built.parts.map((p) => bytesToHex(p.udh))).toEqual(['060804BEEF0201', '060804BEEF0202']);
		for (const part of built.parts) {
			expect(part.fillBits).toBe(0);
			expect(part.units).toBe(152);
			expect(part.userData).toHaveLength(140);
			expect(decodeGsm7(unpackSeptets(part.payload, 152, 0))).toBe(part.text);
		}
	});

	it('builds UCS-2 parts', () => {
		const text = '\u4E2D'.repeat(66) + '\u{1F600}' + '\u0416'.repeat(10);
		const built = buildConcatenatedParts(text, { reference: 9 });
		expect(built.parts).toHaveLength(2);
		expect(built.parts.map((p) => p.units)).toEqual([66, 12]);
		for (const part of built.parts) {
			expect(part.dataCoding).toBe(8);
			expect(part.septets).toBeUndefined();
			expect(fromUcs2Bytes(part.payload)).toBe(part.text);
			expect(part.userDataLength).toBe(part.userData.length);
			expect(part.userData.length).toBeLessThanOrEqual(140);
		}
	});

	it('a single part has no UDH', () => {
		const built = buildConcatenatedParts('hello', { reference: 3 });
		expect(built.parts).toHaveLength(1);
		expect(built.parts[0].udh).toHaveLength(0);
		expect(bytesToHex(built.parts[0].payload)).toBe('E8329BFD06');
		expect(built.parts[0].userDataLength).toBe(5);
	});

	it('encodes lenient c-cedilla as 0x09', () => {
		const built = buildConcatenatedParts('\u00E7a', { lenientCCedilla: true });
		expect(Array.from(built.parts[0].septets as Uint8Array)).toEqual([0x09, 0x61]);
	});

	it('picks a random reference in range when none is given', () => {
		for (let i = 0; i < 20; i++) {
			const r8 = buildConcatenatedParts('a'.repeat(200)).reference;
			expect(r8).toBeGreaterThanOrEqual(0);
			expect(r8).toBeLessThanOrEqual(255);
			const r16 = buildConcatenatedParts('a'.repeat(200), { concatRef: 16 }).reference;
			expect(r16).toBeLessThanOrEqual(65535);
		}
	});

	it('refuses more than 255 parts and bad references', () => {
		expect(() => buildConcatenatedParts('a'.repeat(153 * 255 + 1))).toThrow(/256 parts/);
		expect(() => buildConcatenatedParts('a'.repeat(200), { reference: 256 })).toThrow(/reference/);
	});
});
