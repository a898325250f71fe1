import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli";

/**
 * `python-mentor check` reading `[tool.python-mentor]` from pyproject.toml, run as a user runs
 * it: a real project folder, the real CLI process, its real output.
 */
const work = mkdtempSync(path.join(tmpdir(), "python-mentor-config-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Three findings: PYM001 (line 2), PYM002 (line 4), PYM020 (line 6). */
const SOURCE = ["x = int('1')", "if x is 1:", "    pass", "if x == None:", "    pass", "def f(a=[]):", "    return a", ""].join("\n");

let projects = 0;
/** A fresh project folder holding these files (relative path to content). */
function project(files: Record<string, string>): string {
  const root = path.join(work, `p${++projects}`);
  for (const [relative, content] of Object.entries(files)) {
    const file = path.join(root, relative);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
  return root;
}

interface JsonFinding {
  code: string;
  severity: string;
  filename: string;
  message: string;
  location: { row: number };
}

/** Runs check in `cwd` with JSON output; gives `file:code` per finding, plus the run. */
function checkJson(cwd: string, args: readonly string[], env: Record<string, string> = {}) {
  const run = runCli(["check", "--format", "json", ...args], cwd, { LANG: "C", ...env });
  const findings = run.stdout ? (JSON.parse(run.stdout) as JsonFinding[]) : [];
  return { run, findings, codes: findings.map((finding) => `${finding.filename}:${finding.code}`) };
}

const table = (body: string) => `[project]\nname = "demo"\n\n[tool.python-mentor]\n${body}\n`;

describe("check reads [tool.python-mentor] from the nearest pyproject.toml", () => {
  it("without a table every rule reports", () => {
    const root = project({ "pyproject.toml": '[project]\nname = "x"\n', "a.py": SOURCE });
    const { run, codes } = checkJson(root, ["."]);
    expect(run.status).toBe(1);
    expect(codes).toEqual(["a.py:PYM001", "a.py:PYM002", "a.py:PYM020"]);
    expect(run.stderr).toBe("");
  });

  it("select, ignore and extend-select change what is reported", () => {
    expect(checkJson(project({ "pyproject.toml": table('select = ["PYM00"]'), "a.py": SOURCE }), ["."]).codes).toEqual(["a.py:PYM001", "a.py:PYM002"]);
    expect(checkJson(project({ "pyproject.toml": table('ignore = ["PYM002"]'), "a.py": SOURCE }), ["."]).codes).toEqual(["a.py:PYM001", "a.py:PYM020"]);
    const extended = project({ "pyproject.toml": table('select = ["PYM001"]\nextend-select = ["PYM020"]'), "a.py": SOURCE });
    expect(checkJson(extended, ["."]).codes).toEqual(["a.py:PYM001", "a.py:PYM020"]);
    // --select replaces the table's select; extend-select still adds to it.
    expect(checkJson(extended, ["--select", "PYM002", "."]).codes).toEqual(["a.py:PYM002", "a.py:PYM020"]);
  });

  it("a clean result after ignoring gives exit status 0", () => {
    const root = project({ "pyproject.toml": table('ignore = ["PYM001", "PYM002", "PYM020"]'), "a.py": SOURCE });
    const run = runCli(["check", "."], root);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("All clear: no findings in 1 file.");
  });

  it("per-file-ignores apply to the files their patterns match, relative to the pyproject's folder", () => {
    const root = project({
      "pyproject.toml": table('[tool.python-mentor.per-file-ignores]\n"tests/*.py" = ["PYM001"]\n"__init__.py" = ["PYM00"]'),
      "app.py": SOURCE,
      "tests/test_app.py": SOURCE,
      "pkg/__init__.py": SOURCE,
    });
    expect(checkJson(root, ["."]).codes).toEqual([
      "app.py:PYM001", "app.py:PYM002", "app.py:PYM020",
      "pkg/__init__.py:PYM020",
      "tests/test_app.py:PYM002", "tests/test_app.py:PYM020",
    ]);
    // The patterns are relative to the project, wherever check runs from.
    expect(checkJson(path.join(root, "tests"), ["test_app.py"]).codes).toEqual(["test_app.py:PYM002", "test_app.py:PYM020"]);
  });

  it("severity re-grades findings in JSON and SARIF", () => {
    const root = project({ "pyproject.toml": table('severity = { PYM001 = "error", PYM0 = "hint" }'), "a.py": SOURCE });
    const { findings } = checkJson(root, ["."]);
    expect(findings.map((finding) => [finding.code, finding.severity])).toEqual([["PYM001", "error"], ["PYM002", "hint"], ["PYM020", "hint"]]);
    const sarif = JSON.parse(runCli(["check", "--format", "sarif", "."], root).stdout);
    expect(sarif.runs[0].results.map((result: { ruleId: string; level: string }) => [result.ruleId, result.level])).toEqual([
      ["PYM001", "error"],
      ["PYM002", "note"],
      ["PYM020", "note"],
    ]);
  });

  it("exclude drops files found in folders; a file named on the command line is still checked", () => {
    const root = project({
      "pyproject.toml": table('exclude = ["build", "**/migrations/*", "gen_*.py"]'),
      "app.py": SOURCE,
      "build/lib/app.py": SOURCE,
      "db/migrations/0001.py": SOURCE,
      "gen_models.py": SOURCE,
    });
    const files = (codes: string[]) => [...new Set(codes.map((code) => code.split(":")[0]))];
    expect(files(checkJson(root, ["."]).codes)).toEqual(["app.py"]);
    expect(files(checkJson(root, ["db"]).codes)).toEqual([]);
    expect(files(checkJson(root, ["gen_models.py", "db/migrations/0001.py"]).codes)).toEqual(["gen_models.py", "db/migrations/0001.py"]);
    const text = runCli(["check", "."], root);
    expect(text.stdout).toContain("in 1 file");
  });

  it("language sets the language of messages and explanations; --lang overrides it", () => {
    const root = project({ "pyproject.toml": table('language = "ko"'), "a.py": SOURCE });
    const korean = runCli(["check", "a.py"], root, { LANG: "C" });
    expect(korean.stdout).toMatch(/PYM001 \[is-literal\] .*[\uac00-\ud7a3]/);
    expect(korean.stdout).toContain("  이유: ");
    const english = runCli(["check", "--lang", "en", "a.py"], root, { LANG: "ko_KR.UTF-8" });
    expect(english.stdout).toContain("  why: ");
    expect(english.stdout).not.toMatch(/[\uac00-\ud7a3]/);
  });

  it("--ignore and --select override the table's", () => {
    const root = project({ "pyproject.toml": table('select = ["PYM001"]\nignore = ["PYM020"]'), "a.py": SOURCE });
    expect(checkJson(root, ["."]).codes).toEqual(["a.py:PYM001"]);
    expect(checkJson(root, ["--select", "PYM0", "."]).codes).toEqual(["a.py:PYM001", "a.py:PYM002"]);
    expect(checkJson(root, ["--ignore", "PYM001", "--select", "PYM0", "."]).codes).toEqual(["a.py:PYM002", "a.py:PYM020"]);
  });

  it("the closest pyproject.toml with the table wins; one without the table does not stop the search", () => {
    const root = project({
      "pyproject.toml": table('ignore = ["PYM001"]'),
      "sub/pyproject.toml": '[project]\nname = "sub"\n',
      "sub/a.py": SOURCE,
      "other/pyproject.toml": table('ignore = ["PYM002"]'),
      "other/b.py": SOURCE,
    });
    expect(checkJson(root, ["."]).codes).toEqual(["other/b.py:PYM001", "other/b.py:PYM020", "sub/a.py:PYM002", "sub/a.py:PYM020"]);
  });

  it("a malformed table: exit 2, one message naming the file and the key, findings reported with the defaults", () => {
    const root = project({ "pyproject.toml": table('ignore = "PYM001"\nseverity = { PYM001 = "loud" }'), "a.py": SOURCE, "b.py": SOURCE });
    const { run, codes } = checkJson(root, ["."]);
    expect(run.status).toBe(2);
    expect(codes).toEqual(["a.py:PYM001", "a.py:PYM002", "a.py:PYM020", "b.py:PYM001", "b.py:PYM002", "b.py:PYM020"]);
    const file = path.join(root, "pyproject.toml");
    expect(run.stderr).toBe(
      [
        `python-mentor: error: ${file}: [tool.python-mentor] ignore: must be a list of strings, not a string ("PYM001")`,
        `python-mentor: error: ${file}: [tool.python-mentor] severity.PYM001: must be one of error, warning, info, hint, not "loud"`,
        "",
      ].join("\n"),
    );
  });

  it("an unknown rule code and a TOML syntax error are named the same way", () => {
    const unknown = checkJson(project({ "pyproject.toml": table('select = ["PYM999"]'), "a.py": SOURCE }), ["."]);
    expect(unknown.run.status).toBe(2);
    expect(unknown.run.stderr).toMatch(/pyproject\.toml: \[tool\.python-mentor\] select: no rule matches "PYM999" \(known: PYM001, /);
    expect(unknown.codes).toHaveLength(3);
    const broken = checkJson(project({ "pyproject.toml": '[tool.python-mentor]\nselect = ["PYM001"\n', "a.py": SOURCE }), ["."]);
    expect(broken.run.status).toBe(2);
    expect(broken.run.stderr).toMatch(/^python-mentor: error: \S+pyproject\.toml:3:\d+: invalid TOML: .+\n$/);
    expect(broken.codes).toHaveLength(3);
  });

  it("--fix applies and reports only what each file's settings select, pass after pass", () => {
    const before = "x = int('1')\nif x is 1:\n    pass\n";
    const root = project({ "pyproject.toml": table('[tool.python-mentor.per-file-ignores]\n"legacy/*" = ["PYM001"]'), "legacy/old.py": before, "new.py": before });
    const run = runCli(["check", "--fix", "."], root);
    expect(run.stdout).toContain("fixed 1 finding in new.py (PYM001)");
    expect(run.stdout).not.toContain("legacy/old.py");
    expect(readFileSync(path.join(root, "legacy/old.py"), "utf8")).toBe(before);
    expect(readFileSync(path.join(root, "new.py"), "utf8")).toBe(before.replace(" is 1", " == 1"));
    expect(run.status).toBe(0);
  });

  it("--jobs 2 and the cache give the same results as one thread without it, across projects in two languages", () => {
    const files: Record<string, string> = {
      "ko/pyproject.toml": table('language = "ko"\nignore = ["PYM002"]'),
      "en/pyproject.toml": table('severity = { PYM020 = "error" }\n[tool.python-mentor.per-file-ignores]\n"t_*.py" = ["PYM001"]'),
    };
    for (let i = 0; i < 6; i++) {
      files[`ko/m${i}.py`] = `${SOURCE}# ${i}\n`;
      files[`en/m${i}.py`] = `${SOURCE}# ${i}\n`;
      files[`en/t_${i}.py`] = `${SOURCE}# t${i}\n`;
    }
    const root = project(files);
    const cache = mkdtempSync(path.join(tmpdir(), "python-mentor-config-cache-"));
    try {
      const baseline = checkJson(root, ["--jobs", "1", "--no-cache", "."]);
      expect(baseline.run.status).toBe(1);
      expect(baseline.findings.filter((f) => f.filename === "ko/m0.py").map((f) => f.code)).toEqual(["PYM001", "PYM020"]);
      expect(baseline.findings.find((f) => f.filename === "ko/m0.py")!.message).toMatch(/[\uac00-\ud7a3]/);
      expect(baseline.findings.filter((f) => f.filename === "en/t_0.py").map((f) => [f.code, f.severity])).toEqual([["PYM002", "warning"], ["PYM020", "error"]]);
      const cold = checkJson(root, ["--jobs", "2", "."], { PYTHON_MENTOR_CACHE_DIR: cache });
      const warm = checkJson(root, ["--jobs", "2", "."], { PYTHON_MENTOR_CACHE_DIR: cache });
      expect(cold.run.stdout).toBe(baseline.run.stdout);
      expect(warm.run.stdout).toBe(baseline.run.stdout);
      // The cache holds what was analysed, not what one project shows: a new table applies at once.
      writeFileSync(path.join(root, "ko/pyproject.toml"), table('language = "ko"\nignore = ["PYM001"]'));
      const changed = checkJson(root, ["--jobs", "2", "."], { PYTHON_MENTOR_CACHE_DIR: cache });
      expect(changed.findings.filter((f) => f.filename === "ko/m0.py").map((f) => f.code)).toEqual(["PYM002", "PYM020"]);
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  });
});
