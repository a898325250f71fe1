import { chmodSync, cpSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Finding } from "../../server/src/analysis/finding";
import type { CheckResult } from "../../server/src/cli/check-files";
import { fixFiles } from "../../server/src/cli/fix-files";
import { runCli } from "../helpers/cli";
import { python3CompileErrors } from "../helpers/python";
import { loadLanguage, ROOT } from "../helpers/runtime";

const work = mkdtempSync(path.join(tmpdir(), "python-mentor-fix-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function write(relative: string, content: string | Buffer): string {
  const file = path.join(work, relative);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, content);
  return file;
}

const read = (file: string) => readFileSync(file, "utf8");

/** Every file under a folder, relative to it, sorted. */
function listFiles(root: string, under = ""): string[] {
  return readdirSync(path.join(root, under), { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? listFiles(root, path.join(under, entry.name)) : [path.join(under, entry.name)]))
    .sort();
}

interface JsonFinding {
  code: string;
  filename: string;
  fix: unknown;
}

const MIXED = [
  "import aiohttp",
  "",
  "x = 3",
  "if x is 1:",
  "    pass",
  "if x == None:",
  "    pass",
  "",
  "",
  "async def main():",
  "    async with aiohttp.ClientSession as s:",
  "        pass",
  "",
].join("\n");

describe("python-mentor check --fix", () => {
  it("applies the safe fixes, reports what it changed and what remains, and exits 1 for an unsafe one left", () => {
    const file = write("mixed/a.py", MIXED);
    const run = runCli(["check", "--fix", file]);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(1);
    expect(read(file)).toBe(MIXED.replace("x is 1", "x == 1").replace("ClientSession as", "ClientSession() as"));
    expect(run.stdout.split("\n")[0]).toBe(`fixed 2 findings in ${file} (PYM001, PYM004)`);
    expect(run.stdout).toContain(`${file}:6:4: PYM002 [none-equality] `);
    expect(run.stdout).toContain("  fix: Use is (review before applying)");
    expect(run.stdout).not.toMatch(/PYM001 \[|PYM004 \[/);
    expect(run.stdout).toContain("Found 3 findings in 1 file (2 fixed, 1 remaining).");
    expect(run.stdout.trimEnd().split("\n").at(-1)).toBe("1 remaining finding has a fix to review before applying; --fix --unsafe-fixes applies it too.");

    const unsafe = runCli(["check", "--fix", "--unsafe-fixes", file]);
    expect(unsafe.stderr).toBe("");
    expect(unsafe.status).toBe(0);
    expect(read(file)).toBe(MIXED.replace("x is 1", "x == 1").replace("ClientSession as", "ClientSession() as").replace("x == None", "x is None"));
    expect(unsafe.stdout).toBe(`fixed 1 finding in ${file} (PYM002)\nFound 1 finding in 1 file (1 fixed, 0 remaining).\n`);
  });

  it("applies safe and unsafe fixes together in one run", () => {
    const file = write("mixed/b.py", MIXED);
    const run = runCli(["check", "--fix", "--unsafe-fixes", file]);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(`fixed 3 findings in ${file} (PYM001, PYM002, PYM004)\nFound 3 findings in 1 file (3 fixed, 0 remaining).\n`);
    expect(read(file)).toBe(MIXED.replace("x is 1", "x == 1").replace("ClientSession as", "ClientSession() as").replace("x == None", "x is None"));
  });

  it("settles fixes that interact: two on one line, two inserting at one point, two needing one import", () => {
    const source = [
      "def logged(func):",
      "    def wrapper(*args, **kwargs):",
      "        return func(*args, **kwargs)",
      "    return wrapper",
      "",
      "",
      "def timed(func):",
      "    def inner(*args):",
      "        return func(*args)",
      "    return inner",
      "",
      "",
      "def collect(items=[], seen={}):",
      "    return items, seen",
      "",
      "",
      "x = 2",
      "if x is 1 or x is 'two':",
      "    pass",
      "",
    ].join("\n");
    const file = write("interact/a.py", source);
    const run = runCli(["check", "--fix", "--unsafe-fixes", file]);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(`fixed 6 findings in ${file} (PYM001 x2, PYM013 x2, PYM020 x2)\nFound 6 findings in 1 file (6 fixed, 0 remaining).\n`);
    expect(read(file)).toBe(
      [
        "import functools",
        "def logged(func):",
        "    @functools.wraps(func)",
        "    def wrapper(*args, **kwargs):",
        "        return func(*args, **kwargs)",
        "    return wrapper",
        "",
        "",
        "def timed(func):",
        "    @functools.wraps(func)",
        "    def inner(*args):",
        "        return func(*args)",
        "    return inner",
        "",
        "",
        "def collect(items=None, seen=None):",
        "    if seen is None:",
        "        seen = {}",
        "    if items is None:",
        "        items = []",
        "    return items, seen",
        "",
        "",
        "x = 2",
        "if x == 1 or x == 'two':",
        "    pass",
        "",
      ].join("\n"),
    );
  });

  it("never touches a file with a syntax error elsewhere, and says so once", () => {
    const source = "x = 3\nif x is 1:\n    pass\nif x is 2:\n    pass\n\ndef broken(:\n    pass\n";
    const file = write("syntax/a.py", source);
    const past = new Date("2020-01-02T03:04:05Z");
    utimesSync(file, past, past);
    const run = runCli(["check", "--fix", file]);
    expect(run.status).toBe(1);
    expect(readFileSync(file)).toEqual(Buffer.from(source));
    expect(statSync(file).mtimeMs).toBe(past.getTime());
    expect(run.stderr).toBe(`python-mentor: warning: skipped ${file}: it has syntax errors\n`);
    expect(run.stdout).not.toContain("fixed ");
    expect(run.stdout).toContain("Found 2 findings in 1 file (2 with a quick fix).");
  });

  it("writes a fixed latin-1 file back in latin-1, and leaves a file in a codec it cannot write alone", () => {
    const latin1 = write("coding/latin1.py", Buffer.from('# coding: latin-1\nname = "caf\xe9"\nsame = name is "caf\xe9"\n', "latin1"));
    const sjis = write("coding/sjis.py", Buffer.concat([Buffer.from("# coding: shift_jis\ns = '"), Buffer.from([0x82, 0xa0]), Buffer.from("'\nprint(s is 'x')\n")]));
    const before = readFileSync(sjis);
    const run = runCli(["check", "--fix", "--unsafe-fixes", latin1, sjis]);
    expect(readFileSync(latin1)).toEqual(Buffer.from('# coding: latin-1\nname = "caf\xe9"\nsame = name == "caf\xe9"\n', "latin1"));
    expect(readFileSync(sjis)).toEqual(before);
    expect(run.stderr).toBe(`python-mentor: warning: skipped ${sjis}: it is written in shift_jis, and fixes are written only in UTF-8, latin-1 or ASCII\n`);
  });

  it("keeps CRLF line ends, the BOM, the file mode and symbolic links; reports a non-UTF-8 file and leaves it alone", () => {
    const crlf = write("bytes/crlf.py", "def logged(func):\r\n    def wrapper(*args):\r\n        return func(*args)\r\n    return wrapper\r\n");
    chmodSync(crlf, 0o751);
    const bom = write("bytes/bom.py", Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('name = "한국어 中文 😀"; flag = name is "x"\n')]));
    const target = write("bytes/real.py", "y = 1\nprint(y is 1)\n");
    const link = path.join(work, "bytes/link.py");
    symlinkSync(target, link);
    const latin1Bytes = Buffer.from("# caf\xe9\nx = 1\nprint(x is 1)\n", "latin1");
    const latin1 = write("latin1/a.py", latin1Bytes);

    const run = runCli(["check", "--fix", crlf, bom, link, latin1]);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(`python-mentor: error: ${latin1}: not valid UTF-8, and no coding declaration (PEP 263) names another encoding\n`);
    expect(read(crlf)).toBe("import functools\r\ndef logged(func):\r\n    @functools.wraps(func)\r\n    def wrapper(*args):\r\n        return func(*args)\r\n    return wrapper\r\n");
    expect(statSync(crlf).mode & 0o777).toBe(0o751);
    expect(readFileSync(bom)).toEqual(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('name = "한국어 中文 😀"; flag = name == "x"\n')]));
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(read(target)).toBe("y = 1\nprint(y == 1)\n");
    expect(readFileSync(latin1)).toEqual(latin1Bytes);
    expect(run.stdout).toContain(`fixed 1 finding in ${crlf} (PYM013)`);
    expect(run.stdout).toContain(`fixed 1 finding in ${bom} (PYM001)`);
    expect(run.stdout).toContain(`fixed 1 finding in ${link} (PYM001)`);
    // No temporary file is left beside the fixed ones.
    expect(listFiles(path.join(work, "bytes"))).toEqual(["bom.py", "crlf.py", "link.py", "real.py"]);
  });

  it("keeps JSON output to the remaining findings, in the usual shape, and reports the changes on stderr", () => {
    const file = write("json/a.py", MIXED);
    const run = runCli(["check", "--fix", "--format", "json", file]);
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(`fixed 2 findings in ${file} (PYM001, PYM004)\n1 remaining finding has a fix to review before applying; --fix --unsafe-fixes applies it too.\n`);
    const findings = JSON.parse(run.stdout) as JsonFinding[];
    expect(findings.map((finding) => finding.code)).toEqual(["PYM002"]);
  });

  it("follows pyproject.toml in every pass: an ignored rule is neither fixed nor reported", () => {
    write("configured/pyproject.toml", '[tool.python-mentor]\nignore = ["PYM002"]\n');
    const file = write("configured/a.py", MIXED);
    const run = runCli(["check", "--fix", "--unsafe-fixes", file]);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(`fixed 2 findings in ${file} (PYM001, PYM004)\nFound 2 findings in 1 file (2 fixed, 0 remaining).\n`);
    expect(read(file)).toBe(MIXED.replace("x is 1", "x == 1").replace("ClientSession as", "ClientSession() as"));
  });

  it("refuses --unsafe-fixes without --fix", () => {
    const file = write("usage/a.py", MIXED);
    const run = runCli(["check", "--unsafe-fixes", file]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("--unsafe-fixes only applies with --fix");
    expect(read(file)).toBe(MIXED);
  });

  it("gives the same files and output with --jobs 1 and --jobs 2; a second run changes nothing", () => {
    const fixtures = path.join(ROOT, "tests/fixtures/rules");
    const names = readdirSync(fixtures).filter((name) => name.endsWith(".py"));
    const make = (name: string) => {
      const root = path.join(work, name);
      for (const fixture of names) {
        cpSync(path.join(fixtures, fixture), path.join(root, "pkg", fixture));
        // Twins: files with the same bytes share one analysis, and each must still be fixed.
        cpSync(path.join(fixtures, fixture), path.join(root, "twin", fixture));
      }
      writeFileSync(path.join(root, "mixed.py"), MIXED);
      return root;
    };
    const one = make("jobs1");
    const two = make("jobs2");
    const cache = mkdtempSync(path.join(work, "cache-"));
    const env = { PYTHON_MENTOR_CACHE_DIR: cache };
    const runOne = runCli(["check", "--fix", "--jobs", "1", "."], one, env);
    const runTwo = runCli(["check", "--fix", "--jobs", "2", "."], two, env);
    expect(runOne.status).toBe(1);
    expect(runTwo.status).toBe(runOne.status);
    expect(runTwo.stdout).toBe(runOne.stdout);
    expect(runTwo.stderr).toBe(runOne.stderr);
    expect(runOne.stdout).toMatch(/^fixed \d+ findings in twin\/is-literal\.py \(PYM001 x\d+\)$/m);
    const files = listFiles(one);
    expect(listFiles(two)).toEqual(files);
    for (const file of files) expect(read(path.join(two, file)), file).toBe(read(path.join(one, file)));
    expect(read(path.join(one, "mixed.py"))).toBe(MIXED.replace("x is 1", "x == 1").replace("ClientSession as", "ClientSession() as"));

    const again = runCli(["check", "--fix", "--jobs", "2", "."], two, env);
    expect(again.status).toBe(1);
    expect(again.stdout).not.toMatch(/^fixed /m);
    for (const file of files) expect(read(path.join(two, file)), file).toBe(read(path.join(one, file)));
    const remaining = /\((\d+) fixed, (\d+) remaining\)/.exec(runOne.stdout);
    expect(again.stdout).toMatch(new RegExp(`Found ${remaining?.[2]} findings in \\d+ of ${names.length * 2 + 1} files`));
  });

  it("fixes every rule fixture into valid Python and removes every fixed finding", () => {
    const root = path.join(work, "fixtures");
    cpSync(path.join(ROOT, "tests/fixtures/rules"), root, { recursive: true });
    const before = JSON.parse(runCli(["check", "--format", "json", "--no-cache", "."], root).stdout) as JsonFinding[];
    const run = runCli(["check", "--fix", "--unsafe-fixes", "--no-cache", "."], root);
    expect(run.stderr).toBe("");
    const changed = [...run.stdout.matchAll(/^fixed \d+ findings? in (\S+) /gm)].map((match) => match[1]);
    const fixable = [...new Set(before.filter((finding) => finding.fix).map((finding) => finding.filename))].sort();
    expect(changed.sort()).toEqual(fixable);
    // Python's own compiler, stricter than tree-sitter's parser, naming any file that fails.
    expect(python3CompileErrors(changed, root)).toEqual({});
    const after = JSON.parse(runCli(["check", "--format", "json", "--no-cache", "."], root).stdout) as JsonFinding[];
    expect(after.filter((finding) => finding.fix)).toEqual([]);
    // What remains is only findings that had no fix (a fix may also remove one of those).
    const count = (findings: JsonFinding[]) => {
      const counts = new Map<string, number>();
      for (const finding of findings) counts.set(`${finding.filename} ${finding.code}`, (counts.get(`${finding.filename} ${finding.code}`) ?? 0) + 1);
      return counts;
    };
    const unfixable = count(before.filter((finding) => !finding.fix));
    for (const [key, n] of count(after)) expect(n, key).toBeLessThanOrEqual(unfixable.get(key) ?? 0);
    expect(run.stdout).toMatch(new RegExp(`\\(\\d+ fixed, ${after.length} remaining\\)\\.`));
  });
});

/**
 * A rule whose fix breaks the code cannot be made through the CLI (every real rule's fix is
 * tested to parse), so this one calls fixFiles in-process with a finding whose fix deletes the
 * colon of an `if`: the real file, parser and analyzer do the rest.
 */
describe("fixFiles with a broken fix", () => {
  it("leaves the file untouched and names the rule and line whose fix broke it", async () => {
    const source = "x = 3\nif x is 1:\n    pass\n";
    const file = write("broken/a.py", source);
    const colon = source.indexOf(":");
    const finding: Finding = {
      code: "PYM001",
      name: "is-literal",
      message: "test",
      severity: "warning",
      range: { start: { row: 1, column: 3 }, end: { row: 1, column: 9 } },
      knowledge: "is-vs-eq",
      fix: { title: "Break it", safe: true, edits: [{ range: { start: { row: 1, column: colon - 6 }, end: { row: 1, column: colon - 5 } }, newText: "" }] },
    };
    const checked: CheckResult = { files: [{ path: file, lines: source.split("\n"), findings: [finding] }], errors: [], failures: [] };
    const report = await fixFiles(checked, { selection: {}, unsafe: false, loadLanguage, log: () => {} });
    expect(readFileSync(file, "utf8")).toBe(source);
    expect(report.fixed).toBe(0);
    expect(report.changes).toEqual([]);
    expect(report.result.files[0].findings).toEqual([finding]);
    expect(report.result.errors).toEqual([{ path: file, error: expect.stringMatching(/^not fixed: the fix of PYM001 at line 2 would leave a syntax error/) }]);
  });
});
