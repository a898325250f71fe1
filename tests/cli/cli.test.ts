import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli";
import { ROOT } from "../helpers/runtime";
import { RULES } from "../../server/src/rules/registry";

const work = mkdtempSync(path.join(tmpdir(), "python-mentor-cli-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function write(relative: string, content: string | Buffer): string {
  const file = path.join(work, relative);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, content);
  return file;
}

describe("python-mentor check", () => {
  it("checks the bundled examples: findings with explanations and fixes, exit 1", () => {
    const run = runCli(["check", "examples"]);
    expect(run.status).toBe(1);
    for (const code of ["PYM001", "PYM002", "PYM004", "PYM005"]) expect(run.stdout).toContain(code);
    expect(run.stdout).toMatch(/^examples\/fetch_pages\.py:11:16: PYM004 \[context-manager-not-called\] /m);
    expect(run.stdout).toContain("  why: ");
    expect(run.stdout).toContain("  fix: Call aiohttp.ClientSession()");
    expect(run.stdout).toMatch(/Found 6 findings in 3 of 4 files \(\d+ with a quick fix\)\./);
    expect(run.stdout).not.toContain("examples/clean.py");
    expect(run.stderr).toBe("");
  });

  it("exits 0 on clean code", () => {
    const run = runCli(["check", path.join(ROOT, "examples/clean.py")]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("All clear: no findings in 1 file.");
  });

  it("says so when it finds no Python files, instead of calling that all clear", () => {
    const empty = path.join(work, "empty");
    mkdirSync(path.join(empty, "docs"), { recursive: true });
    writeFileSync(path.join(empty, "docs", "notes.txt"), "not python\n");
    const run = runCli(["check", empty]);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe("");
    expect(run.stderr).toBe(`python-mentor: warning: no Python files found under ${empty}\n`);
    const json = runCli(["check", "--format", "json", empty]);
    expect(json.stdout).toBe("[]\n");
  });

  it("prints JSON in the documented shape, with 1-based code-point columns", () => {
    const file = write("json/unicode.py", 'label = "한국어 中文 😀"; flag = label is "x"\n');
    const run = runCli(["check", "--format", "json", file]);
    expect(run.status).toBe(1);
    const findings = JSON.parse(run.stdout);
    expect(findings).toEqual([
      {
        code: "PYM001",
        name: "is-literal",
        message: expect.stringContaining("identity"),
        severity: "warning",
        filename: file,
        location: { row: 1, column: 28 },
        end_location: { row: 1, column: 40 },
        fix: {
          message: "Use ==",
          applicability: "safe",
          edits: [{ content: "==", location: { row: 1, column: 34 }, end_location: { row: 1, column: 36 } }],
        },
        url: "https://docs.python.org/3/reference/expressions.html#is-not",
      },
    ]);
    expect(Object.keys(findings[0])).toEqual(["code", "name", "message", "severity", "filename", "location", "end_location", "fix", "url"]);
  });

  it("prints null for a finding without a fix and [] for clean files", () => {
    const file = write("json/nofix.py", "class P:\n    @staticmethod\n    def make(cls):\n        return P()\n");
    expect(JSON.parse(runCli(["check", "--format", "json", file]).stdout)[0].fix).toBeNull();
    const clean = write("json/clean.py", "x = 1\n");
    const run = runCli(["check", "--format", "json", clean]);
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual([]);
  });

  it("prints SARIF 2.1.0 with rules, code-point regions and fixes", () => {
    const run = runCli(["check", "--format", "sarif", "examples/identity.py"]);
    expect(run.status).toBe(1);
    const log = JSON.parse(run.stdout);
    expect(log.version).toBe("2.1.0");
    const [sarifRun] = log.runs;
    expect(sarifRun.tool.driver.name).toBe("python-mentor");
    expect(sarifRun.tool.driver.rules.map((rule: { id: string }) => rule.id)).toEqual(RULES.map((rule) => rule.code));
    expect(sarifRun.columnKind).toBe("unicodeCodePoints");
    expect(sarifRun.results[0]).toMatchObject({
      ruleId: "PYM001",
      ruleIndex: 0,
      level: "warning",
      locations: [{ physicalLocation: { artifactLocation: { uri: "examples/identity.py" }, region: { startLine: 5, startColumn: 8 } } }],
    });
    expect(sarifRun.results[0].fixes[0].artifactChanges[0].replacements[0].insertedContent.text).toBe("==");
  });

  it("reports a missing file and a binary file with exit 2, naming them, and still checks the rest", () => {
    const binary = write("bad/blob.py", Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00, 0x01]));
    const latin1 = write("bad/latin1.py", Buffer.from([0x78, 0x20, 0x3d, 0x20, 0x22, 0xe9, 0x22, 0x0a]));
    const good = write("bad/good.py", "x = 1\nprint(x is 1)\n");
    const huge = write("bad/huge.py", Buffer.alloc(10 * 1024 * 1024 + 1, 0x20));
    const missing = path.join(work, "bad/missing.py");
    const run = runCli(["check", missing, binary, latin1, "/dev/null", huge, good]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("/dev/null: not a regular file");
    expect(run.stderr).toContain(`${huge}: file too large (10.0 MiB; the limit is 10 MiB)`);
    expect(run.stderr).toContain(`${missing}: no such file or directory`);
    expect(run.stderr).toContain(`${binary}: binary file`);
    expect(run.stderr).toContain(`${latin1}: not valid UTF-8`);
    expect(run.stdout).toContain(`${good}:2:7: PYM001`);
  });

  it("checks a file with a PEP 263 coding declaration like any other, and names an unknown codec", () => {
    // "café" in latin-1 is one byte per letter; columns count characters, as for UTF-8 files.
    const latin1 = write("coding/latin1.py", Buffer.from('# -*- coding: latin-1 -*-\nname = "caf\xe9"; same = name is "caf\xe9"\n', "latin1"));
    const koi8 = write("coding/koi8.py", Buffer.concat([Buffer.from("# coding: koi8-r\ns = '"), Buffer.from([0xd0, 0xd2, 0xc9]), Buffer.from("'\nprint(s is 'x')\n")]));
    const unknown = write("coding/unknown.py", "# coding: klingon-8\nprint(1 is 1)\n");
    const run = runCli(["check", "--format", "json", latin1, koi8, unknown]);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(`python-mentor: error: ${unknown}: unknown encoding "klingon-8" in the coding declaration on line 1\n`);
    const findings = JSON.parse(run.stdout) as { filename: string; code: string; location: { row: number; column: number } }[];
    expect(findings.map((f) => [path.basename(f.filename), f.code, f.location.row, f.location.column])).toEqual([
      ["latin1.py", "PYM001", 2, 23],
      ["koi8.py", "PYM001", 3, 7],
    ]);
  });

  it("walks folders for .py files and skips VCS, caches, dependencies and virtual environments", () => {
    const root = path.join(work, "walk");
    const bad = "print(x is 1)\n";
    write("walk/pkg/mod.py", bad);
    write("walk/pkg/sub/deep.py", bad);
    write("walk/pkg/stub.pyi", bad);
    write("walk/notes.txt", bad);
    for (const skipped of [".git/hook.py", "node_modules/m/x.py", "pkg/__pycache__/c.py", ".venv/lib/v.py", ".tox/t.py"]) write(`walk/${skipped}`, bad);
    write("walk/myenv/pyvenv.cfg", "home = /usr/bin\n");
    write("walk/myenv/lib/site.py", bad);
    const run = runCli(["check", "--format", "json", root]);
    expect(run.status).toBe(1);
    const files = JSON.parse(run.stdout).map((finding: { filename: string }) => path.relative(root, finding.filename));
    expect(files).toEqual([path.join("pkg", "mod.py"), path.join("pkg", "stub.pyi"), path.join("pkg", "sub", "deep.py")]);
  });

  it("selects and ignores rules", () => {
    const file = write("select/both.py", "if a is 1 or b == None:\n    pass\n");
    const codes = (args: string[]) => JSON.parse(runCli(["check", "--format", "json", ...args, file]).stdout).map((f: { code: string }) => f.code);
    expect(codes([])).toEqual(["PYM001", "PYM002"]);
    expect(codes(["--select", "PYM002"])).toEqual(["PYM002"]);
    expect(codes(["--ignore", "pym001"])).toEqual(["PYM002"]);
    const run = runCli(["check", "--ignore", "PYM001", "--select", "PYM001", file]);
    expect(run.status).toBe(0);
  });

  it.each([
    [["check", "--select", "E711", "x.py"], /--select: no rule matches "E711"/],
    [["check", "--format", "xml", "x.py"], /--format must be text, json or sarif/],
    [["check"], /check needs at least one PATH/],
    [["check", "--frobnicate", "x.py"], /Unknown option '--frobnicate'/],
    [["lint", "x.py"], /unknown command "lint"/],
  ])("rejects bad usage %j with exit 2 and a hint", (args, message) => {
    const run = runCli(args);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).toContain("python-mentor --help");
  });
});

describe("python-mentor help, version, explain and rules", () => {
  it("--help and --version", () => {
    const help = runCli(["--help"]);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain("python-mentor check [options] PATH...");
    const version = runCli(["--version"]);
    expect(version.status).toBe(0);
    expect(version.stdout).toMatch(/^python-mentor \d+\.\d+\.\d+\n$/);
  });

  it("explain prints a whole entry by id, rule code or rule name", () => {
    const byId = runCli(["explain", "staticmethod-vs-classmethod"]);
    expect(byId.status).toBe(0);
    expect(byId.stdout).toMatch(/^# `@staticmethod` vs `@classmethod`/);
    for (const section of ["## Explanation", "## Example", "## Pitfall", "## Use instead", "## Links"]) expect(byId.stdout).toContain(section);
    expect(runCli(["explain", "PYM004"]).stdout).toContain("# Context managers");
    expect(runCli(["explain", "is-literal"]).stdout).toContain("identity or equality");
    const unknown = runCli(["explain", "nothing-here"]);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('no entry or rule "nothing-here"');
  });

  it("explain with no argument lists the entries, id first; --format json gives their metadata", () => {
    const list = runCli(["explain"]);
    expect(list.status).toBe(0);
    const ids = list.stdout.trim().split("\n").map((line) => line.split(/\s+/)[0]);
    expect(ids).toContain("none-comparison");
    expect(ids).toContain("is-vs-eq");
    const json = JSON.parse(runCli(["explain", "--format", "json"]).stdout) as { id: string; languages: string[] }[];
    expect(json.map((entry) => entry.id)).toEqual(ids);
    expect(Object.keys(json[0])).toEqual(["id", "title", "triggers", "rules", "languages"]);
    expect(json.find((entry) => entry.id === "is-vs-eq")).toMatchObject({ rules: ["PYM001"], languages: ["en", "ko", "zh-cn"] });
  });

  it("explain speaks Korean and Chinese with --lang or LANG, and suggests the nearest ids for a typo", () => {
    const ko = runCli(["explain", "is-vs-eq", "--lang", "ko"]);
    expect(ko.status).toBe(0);
    expect(ko.stdout).toMatch(/[\uac00-\ud7a3]/);
    expect(ko.stdout).toContain("## 예제");
    const zh = runCli(["explain", "PYM001"], ROOT, { LANG: "zh_CN.UTF-8" });
    expect(zh.stdout).toMatch(/[\u4e00-\u9fff]/);
    expect(runCli(["explain", "is-vs-eq", "--lang", "fr"]).status).toBe(2);
    const typo = runCli(["explain", "is-vs-equ"]);
    expect(typo.status).toBe(2);
    expect(typo.stderr).toContain('did you mean "is-vs-eq"');
  });

  it("check speaks the chosen language: messages and the why line", () => {
    const run = runCli(["check", "--lang", "ko", "examples/identity.py"]);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/PYM001 \[is-literal\] .*[\uac00-\ud7a3]/);
    expect(run.stdout).toContain("  이유: ");
  });

  it("rules lists every rule with its code, name, default severity and one-line summary", () => {
    const run = runCli(["rules"]);
    expect(run.status).toBe(0);
    const lines = run.stdout.trim().split("\n");
    expect(lines.map((line) => line.split(/\s+/)[0])).toEqual(RULES.map((rule) => rule.code));
    for (const [i, rule] of RULES.entries()) {
      expect(lines[i]).toMatch(new RegExp(`^${rule.code}\\s+${rule.name}\\s+${rule.severity}\\s+\\S.*\\.$`));
    }
  });
});
