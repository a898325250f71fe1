import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { codingDeclaration, decodePythonSource, encodePythonSource } from "../../server/src/parse/source-encoding";
import { PYTHON } from "../helpers/python";

/**
 * Each case is a source file made by the real interpreter: Python encodes the text with the
 * declared codec, then reads the bytes back as source (tokenize.detect_encoding, PEP 263). Our
 * decoder must give the very text Python gives, or refuse where Python refuses.
 */
const SAMPLES: { declaration: string; codec: string; body: string }[] = [
  { declaration: "# -*- coding: latin-1 -*-", codec: "latin-1", body: 'name = "café au lait"\nprint(name is "x")\n' },
  { declaration: "# coding=iso-8859-1", codec: "latin-1", body: 's = "Ångström ÿ"\n' },
  { declaration: "# vim: set fileencoding=cp1252 :", codec: "cp1252", body: 'price = "€5 — “quoted”"\n' },
  { declaration: "# -*- coding: koi8-r -*-", codec: "koi8-r", body: 'greeting = "привет, мир"\n' },
  { declaration: "# coding: shift_jis", codec: "shift_jis", body: 'text = "こんにちは、世界"\n' },
  { declaration: "# coding: euc-jp", codec: "euc-jp", body: 'text = "日本語のテキスト"\n' },
  { declaration: "# coding: gbk", codec: "gbk", body: 'text = "简体中文"\n' },
  { declaration: "# coding: big5", codec: "big5", body: 'text = "繁體中文"\n' },
  { declaration: "# coding: euc_kr", codec: "euc_kr", body: 'text = "한국어 문자열"\n' },
  { declaration: "# coding: iso8859-5", codec: "iso8859-5", body: 'text = "Кириллица"\n' },
  { declaration: "# coding: utf-8", codec: "utf-8", body: 'text = "한국어 中文 😀"\n' },
];

const PYTHON_READS = [
  "import io, json, sys, tokenize",
  "cases = json.loads(sys.stdin.read())",
  "out = []",
  "for c in cases:",
  "    data = (c['prefix'] + c['body']).encode(c['codec'])",
  "    enc, _ = tokenize.detect_encoding(io.BytesIO(data).readline)",
  "    text = data.decode(enc)",
  "    compile(text, 'case', 'exec')",
  "    out.append({'bytes': list(data), 'text': text})",
  "print(json.dumps(out))",
].join("\n");

function pythonRead(cases: { prefix: string; body: string; codec: string }[]): { bytes: number[]; text: string }[] {
  return JSON.parse(execFileSync(PYTHON, ["-c", PYTHON_READS], { input: JSON.stringify(cases), encoding: "utf8" })) as { bytes: number[]; text: string }[];
}

describe("decodePythonSource (PEP 263)", () => {
  it("decodes each declared codec exactly as python3 does, on line 1 and after a shebang on line 2", () => {
    const cases = SAMPLES.flatMap((s) => [
      { prefix: `${s.declaration}\n`, body: s.body, codec: s.codec },
      { prefix: `#!/usr/bin/env python3\n${s.declaration}\n`, body: s.body, codec: s.codec },
    ]);
    const expected = pythonRead(cases);
    for (const [i, want] of expected.entries()) {
      const decoded = decodePythonSource(Uint8Array.from(want.bytes));
      expect(decoded, `${cases[i].codec}: ${cases[i].prefix}`).toMatchObject({ ok: true, text: want.text });
    }
  });

  it("reads a declaration on line 2 only when line 1 is blank or a comment, as CPython does", () => {
    const bytes = Buffer.from('x = 1\n# coding: latin-1\ns = "\xe9"\n', "latin1");
    expect(codingDeclaration(bytes)).toBeUndefined();
    expect(decodePythonSource(bytes)).toEqual({ ok: false, error: "not valid UTF-8, and no coding declaration (PEP 263) names another encoding" });
    expect(codingDeclaration(Buffer.from("\r\n# coding: latin-1\r\n", "latin1"))).toEqual({ name: "latin-1", line: 2 });
  });

  it("names an unknown codec and the line that declares it", () => {
    const decoded = decodePythonSource(Buffer.from("# coding: klingon-8\nx = 1\n"));
    expect(decoded).toEqual({ ok: false, error: 'unknown encoding "klingon-8" in the coding declaration on line 1' });
  });

  it("refuses a UTF-8 byte order mark with another declared codec, and bytes the codec cannot decode", () => {
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from("# coding: latin-1\nx = 1\n")]);
    expect(decodePythonSource(bom)).toEqual({ ok: false, error: 'the file starts with a UTF-8 byte order mark but line 1 declares "latin-1"' });
    expect(decodePythonSource(Buffer.from("# coding: ascii\ns = '\xe9'\n", "latin1"))).toEqual({ ok: false, error: "not valid ascii (declared on line 1)" });
    expect(decodePythonSource(Buffer.from([0x78, 0x00, 0x79]))).toMatchObject({ ok: false, error: expect.stringContaining("binary file") });
  });

  it("writes latin-1 back byte for byte, and declines codecs it cannot encode exactly", () => {
    const bytes = Buffer.from('# coding: latin-1\ns = "caf\xe9"\n', "latin1");
    const decoded = decodePythonSource(bytes);
    if (!decoded.ok) throw new Error(decoded.error);
    expect(decoded.encoding).toBe("latin-1");
    expect(Buffer.from(encodePythonSource(decoded.text, decoded.encoding) ?? [])).toEqual(bytes);
    expect(encodePythonSource("s = '\u20ac'", "latin-1")).toBeUndefined();
    expect(encodePythonSource("x = 1", "shift_jis")).toBeUndefined();
  });
});
