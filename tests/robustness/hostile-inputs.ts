import { Random } from "./support";

/**
 * Inputs no Python file should be, and some that are Python in odd clothes. Each one is opened,
 * diagnosed, hovered at many positions, asked for code actions and edited; the server must answer
 * every request and go on serving. Built from a seed so that a failure replays.
 */
export interface HostileInput {
  name: string;
  text: string;
  /** Lone \r line ends: LSP and tree-sitter disagree on rows, so ranges are not checked against LSP lines. */
  loneCr?: boolean;
}

const PYTHON = "import asyncio\n\n\nasync def main(x):\n    if x is 1:\n        asyncio.sleep(1)\n    return x == None\n";

export function hostileInputs(random: Random): HostileInput[] {
  const bytes = (n: number) => Buffer.from(Array.from({ length: n }, () => random.int(256)));
  const nested = 100_000;
  return [
    { name: "random bytes decoded as UTF-8", text: bytes(20_000).toString("utf8") },
    { name: "random bytes decoded as Latin-1 (control characters, NULs)", text: bytes(20_000).toString("latin1") },
    { name: "random UTF-16 code units (lone surrogates included)", text: String.fromCharCode(...Array.from({ length: 20_000 }, () => random.int(0x10000))) },
    { name: `${nested.toLocaleString("en")} unclosed parentheses`, text: "(".repeat(nested) },
    { name: `${nested.toLocaleString("en")} nested parentheses, closed`, text: `x = ${"(".repeat(nested)}1${")".repeat(nested)}\n` },
    { name: `${nested.toLocaleString("en")} nested calls, unclosed`, text: "f(".repeat(nested) },
    // CPython stops at 100 levels of indentation. At 1,000, code actions for the whole file take
    // 25 s: "Disable for this line" walks up from each finding with Node.parent, which tree-sitter
    // answers by walking down from the root (analysis/suppression.ts rowAcceptsComment).
    { name: "100 nested blocks, each with a finding", text: Array.from({ length: 100 }, (_, i) => `${" ".repeat(i)}if x is ${i}:\n`).join("") + `${" ".repeat(100)}pass\n` },
    { name: "NUL bytes in code, strings and comments", text: "x = 1\0\nif x is\0 1:\n    s = '\0'  # \0 noqa\0\n\0\0\0" + PYTHON },
    { name: "lone surrogates in identifiers, strings and comments", text: `s = '\ud800'\n\udc00x = 1\nif x is 1:  # \udfff\n    pass\n${PYTHON}\ud83d` },
    { name: "CRLF line ends", text: PYTHON.replace(/\n/g, "\r\n") },
    { name: "lone CR line ends", text: PYTHON.replace(/\n/g, "\r"), loneCr: true },
    { name: "mixed LF, CRLF and CR line ends", text: "a = 1\r\nb = 2\rif a is 1:\n    pass\r\n" + PYTHON, loneCr: true },
    { name: "a byte order mark", text: `\ufeff${PYTHON}` },
    { name: "a byte order mark in the middle", text: `${PYTHON}\ufeffif y is 2:\n    pass\n` },
    { name: "tabs mixed with spaces", text: "def f(x):\n\tif x is 1:\n        \treturn x == None\n\t    pass\n \t\tpass\n" },
    { name: "JSON", text: JSON.stringify({ name: "python-mentor", list: Array.from({ length: 2_000 }, (_, i) => ({ i, s: `é${i}😀` })) }, null, 2) },
    { name: "C", text: "#include <stdio.h>\n\nint main(int argc, char **argv) {\n    for (int i = 0; i < argc; i++) { printf(\"%s\\n\", argv[i]); }\n    return 0;\n}\n".repeat(200) },
    { name: "Markdown", text: "# Title\n\n* item `x is 1`\n\n```python\nif x is 1:\n    pass\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n".repeat(300) },
    {
      name: "minified JavaScript (one 60 KB line)",
      text: Array.from({ length: 1_000 }, (_, i) => `function f${i}(a,b){return a===b?{x:[${i},"é😀"]}:f${i}(b,a)}`).join(";"),
    },
    { name: "an empty file", text: "" },
    { name: "only line ends", text: "\n\r\n\r".repeat(5_000), loneCr: true },
    { name: "a 1 MB string literal on one line", text: `s = "${"a".repeat(1_000_000)}"\nif s is "a":\n    pass\n` },
  ];
}

/** A 50 MB Python file, ten times the default limit. */
export function fiftyMegabytes(): string {
  const block = `${PYTHON}\n# ${"-".repeat(60)}\n`;
  return block.repeat(Math.ceil((50 * 1024 * 1024) / block.length));
}
