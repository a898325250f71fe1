/**
 * Python source bytes to text the way CPython reads them (PEP 263): UTF-8 unless a coding
 * declaration in a comment on the first or second line names another codec. The decoding itself
 * is the platform's `TextDecoder` (WHATWG encodings, present in Node.js and in browsers), so the
 * CLI, the server and the web build agree.
 */

export type DecodedSource = { ok: true; text: string; encoding: string } | { ok: false; error: string };

/** CPython's pattern for a coding declaration (Lib/tokenize.py, cookie_re). */
const COOKIE = /^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)/;
/** A line that may come before the declaration: blank or a comment. */
const BLANK_OR_COMMENT = /^[ \t\f]*(?:[#\r\n]|$)/;
const UTF8_BOM = [0xef, 0xbb, 0xbf];

/**
 * How Python names a codec, after its own normalization (lower case, punctuation to `_`), mapped to
 * how we decode it: a WHATWG label, or `latin-1` and `ascii`, which WHATWG does not have (its
 * "latin1" and "ascii" labels both mean windows-1252, which differs from Python in 0x80-0x9F).
 */
const PYTHON_CODECS: Readonly<Record<string, string>> = {
  ...aliases("utf-8", "utf_8 utf8 u8 utf utf8_ucs2 utf8_ucs4 cp65001 utf_8_sig"),
  ...aliases("latin-1", "latin_1 latin1 latin l1 iso8859_1 iso_8859_1 iso8859 8859 cp819 ibm819 iso_ir_100 csisolatin1 iso_latin_1 iso_8859_1_1987"),
  ...aliases("ascii", "ascii us_ascii us 646 cp367 ibm367 csascii iso646_us iso_ir_6 ansi_x3.4_1968 ansi_x3_4_1968 ansi_x3.4_1986 iso_646.irv_1991"),
  ...Object.fromEntries([1250, 1251, 1252, 1253, 1254, 1255, 1256, 1257, 1258].flatMap((n) => [[`cp${n}`, `windows-${n}`], [`windows_${n}`, `windows-${n}`]])),
  ...Object.fromEntries([2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 14, 15, 16].flatMap((n) => [[`iso8859_${n}`, `iso-8859-${n}`], [`iso_8859_${n}`, `iso-8859-${n}`]])),
  ...aliases("iso-8859-2", "latin2 l2"),
  ...aliases("iso-8859-3", "latin3 l3"),
  ...aliases("iso-8859-4", "latin4 l4"),
  ...aliases("iso-8859-5", "cyrillic"),
  ...aliases("iso-8859-6", "arabic"),
  ...aliases("iso-8859-7", "greek greek8"),
  ...aliases("iso-8859-8", "hebrew"),
  ...aliases("iso-8859-9", "latin5 l5"),
  ...aliases("iso-8859-10", "latin6 l6"),
  ...aliases("iso-8859-13", "latin7 l7"),
  ...aliases("iso-8859-14", "latin8 l8"),
  ...aliases("iso-8859-15", "latin9 l9"),
  ...aliases("iso-8859-16", "latin10 l10"),
  ...aliases("koi8-r", "koi8_r"),
  ...aliases("koi8-u", "koi8_u"),
  ...aliases("ibm866", "cp866 866 ibm866"),
  ...aliases("windows-874", "cp874"),
  ...aliases("macintosh", "mac_roman macroman macintosh"),
  ...aliases("shift_jis", "shift_jis shiftjis sjis s_jis csshiftjis cp932 932 ms932 mskanji ms_kanji"),
  ...aliases("euc-jp", "euc_jp eucjp ujis u_jis"),
  ...aliases("iso-2022-jp", "iso2022_jp iso_2022_jp csiso2022jp"),
  ...aliases("gbk", "gbk 936 cp936 ms936 gb2312 chinese euc_cn euccn eucgb2312_cn gb2312_1980 gb2312_80 iso_ir_58 csiso58gb231280"),
  ...aliases("gb18030", "gb18030 gb18030_2000"),
  ...aliases("big5", "big5 big5_tw csbig5 cp950 950 ms950 big5hkscs big5_hkscs hkscs"),
  ...aliases("euc-kr", "euc_kr euckr korean ksc5601 ks_c_5601 ks_c_5601_1987 ksx1001 ks_x_1001 cp949 949 ms949 uhc"),
};

function aliases(decoder: string, names: string): Record<string, string> {
  return Object.fromEntries(names.split(" ").map((name) => [name, decoder]));
}

/** Python's encodings.normalize_encoding, then lower case: `ISO-8859-1` -> `iso_8859_1`. */
function normalizeCodecName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9.]+/g, "_").replace(/^_+|_+$/g, "");
}

/** Where a coding declaration is, if the first two lines hold one (bytes, so any codec's cookie is found). */
export function codingDeclaration(bytes: Uint8Array): { name: string; line: number } | undefined {
  const start = startsWith(bytes, UTF8_BOM) ? 3 : 0;
  let offset = start;
  for (let line = 1; line <= 2; line++) {
    const end = indexOfNewline(bytes, offset);
    // The cookie is ASCII by definition; decoding the line as latin-1 keeps every byte in place.
    const text = latin1(bytes.subarray(offset, end));
    const match = COOKIE.exec(text);
    if (match) return { name: match[1], line };
    if (!BLANK_OR_COMMENT.test(text) || end >= bytes.length) return undefined;
    offset = bytes[end] === 0x0d && bytes[end + 1] === 0x0a ? end + 2 : end + 1;
  }
  return undefined;
}

/**
 * Decodes Python source. Refuses binary files (NUL bytes), an unknown codec (named, with its line),
 * a BOM that disagrees with the declaration (as CPython does), and bytes the codec cannot decode.
 */
export function decodePythonSource(bytes: Uint8Array): DecodedSource {
  if (bytes.subarray(0, 8192).includes(0)) return { ok: false, error: "binary file (contains NUL bytes), not Python source" };
  const declared = codingDeclaration(bytes);
  const hasBom = startsWith(bytes, UTF8_BOM);
  const decoder = declared ? PYTHON_CODECS[normalizeCodecName(declared.name)] ?? whatwgLabel(declared.name) : "utf-8";
  if (declared && !decoder) return { ok: false, error: `unknown encoding "${declared.name}" in the coding declaration on line ${declared.line}` };
  const encoding = decoder ?? "utf-8";
  if (hasBom && encoding !== "utf-8") {
    return { ok: false, error: `the file starts with a UTF-8 byte order mark but line ${declared?.line ?? 1} declares "${declared?.name}"` };
  }
  const where = declared ? `${declared.name} (declared on line ${declared.line})` : "UTF-8";
  try {
    return { ok: true, text: decodeWith(encoding, bytes), encoding };
  } catch {
    return { ok: false, error: declared ? `not valid ${where}` : "not valid UTF-8, and no coding declaration (PEP 263) names another encoding" };
  }
}

/** Text back to bytes for a codec we can encode exactly (fixes are written only then). */
export function encodePythonSource(text: string, encoding: string): Uint8Array | undefined {
  if (encoding === "utf-8") return new TextEncoder().encode(text);
  if (encoding === "latin-1" || encoding === "ascii") {
    const limit = encoding === "ascii" ? 0x7f : 0xff;
    const bytes = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code > limit) return undefined;
      bytes[i] = code;
    }
    return bytes;
  }
  // TextEncoder speaks only UTF-8; other codecs are read, never written.
  return undefined;
}

/**
 * Python's cp1252 for bytes 0x80-0x9F (the rest is latin-1); U+FFFF marks the five bytes it leaves
 * undefined. Decoded by hand because Node.js's "windows-1252" decoder gives latin-1 there.
 */
const CP1252_HIGH =
  "\u20AC\uFFFF\u201A\u0192\u201E\u2026\u2020\u2021\u02C6\u2030\u0160\u2039\u0152\uFFFF\u017D\uFFFF\uFFFF\u2018\u2019\u201C\u201D\u2022\u2013\u2014\u02DC\u2122\u0161\u203A\u0153\uFFFF\u017E\u0178";

function cp1252(bytes: Uint8Array): string {
  const text = latin1(bytes);
  return text.replace(/[\x80-\x9f]/g, (c) => {
    const mapped = CP1252_HIGH[c.charCodeAt(0) - 0x80];
    if (mapped === "\uffff") throw new RangeError("undefined in cp1252");
    return mapped;
  });
}

function decodeWith(encoding: string, bytes: Uint8Array): string {
  if (encoding === "latin-1") return latin1(bytes);
  if (encoding === "windows-1252") return cp1252(bytes);
  if (encoding === "ascii") {
    if (bytes.some((byte) => byte > 0x7f)) throw new RangeError("not ASCII");
    return latin1(bytes);
  }
  return new TextDecoder(encoding, { fatal: true }).decode(bytes);
}

/** A name Python's table above lacks but the platform decodes (a WHATWG label), or undefined. */
function whatwgLabel(name: string): string | undefined {
  try {
    return new TextDecoder(name).encoding;
  } catch {
    return undefined;
  }
}

function latin1(bytes: Uint8Array): string {
  let text = "";
  // In chunks: String.fromCharCode takes its arguments on the stack.
  for (let i = 0; i < bytes.length; i += 8192) text += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return text;
}

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return prefix.every((byte, i) => bytes[i] === byte);
}

function indexOfNewline(bytes: Uint8Array, from: number): number {
  for (let i = from; i < bytes.length; i++) if (bytes[i] === 0x0a || bytes[i] === 0x0d) return i;
  return bytes.length;
}
