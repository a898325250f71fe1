import { describe, expect, it } from "vitest";
import type { Finding } from "../../server/src/analysis/finding";
import { DEFAULT_EDITOR_SETTINGS, updateEditorSettings } from "../../server/src/config/editor-settings";
import { PyprojectFinder, type ProjectConfig } from "../../server/src/config/nearest-pyproject";
import { fileUriToPath, parentFolder, relativeTo } from "../../server/src/config/paths";
import { applySettings, effectiveSettings, severityOverride } from "../../server/src/config/settings";

/** A fake disk: path to text. The reader counts its reads, to show the cache works. */
function disk(files: Record<string, string>) {
  const reads: string[] = [];
  const read = (path: string) => {
    reads.push(path);
    return files[path];
  };
  return { read, reads };
}

const OURS = '[tool.python-mentor]\nignore = ["PYM002"]\n';

describe("the nearest pyproject.toml", () => {
  it("is the closest one with a [tool.python-mentor] table; one without it does not stop the search", () => {
    const { read } = disk({
      "/repo/pyproject.toml": OURS,
      "/repo/pkg/pyproject.toml": '[project]\nname = "pkg"\n',
      "/repo/other/pyproject.toml": '[tool.python-mentor]\nselect = ["PYM001"]\n',
    });
    const finder = new PyprojectFinder(read);
    expect(finder.forFile("/repo/pkg/sub/a.py")).toMatchObject({ file: "/repo/pyproject.toml", root: "/repo", config: { ignore: ["PYM002"] } });
    expect(finder.forFile("/repo/other/b.py")).toMatchObject({ file: "/repo/other/pyproject.toml", config: { select: ["PYM001"] } });
    expect(finder.forFile("/elsewhere/c.py")).toBeUndefined();
  });

  it("a broken pyproject.toml stops the search only if it mentions python-mentor", () => {
    const { read } = disk({
      "/repo/pyproject.toml": OURS,
      "/repo/a/pyproject.toml": "[project\n",
      "/repo/b/pyproject.toml": "[tool.python-mentor\n",
    });
    const finder = new PyprojectFinder(read);
    expect(finder.forFile("/repo/a/x.py")?.file).toBe("/repo/pyproject.toml");
    const broken = finder.forFile("/repo/b/x.py");
    expect(broken).toMatchObject({ file: "/repo/b/pyproject.toml", config: undefined });
    expect(broken?.problems[0].line).toBe(1);
  });

  it("reads each folder once until cleared", () => {
    const files: Record<string, string> = { "/repo/pyproject.toml": OURS };
    const { read, reads } = disk(files);
    const finder = new PyprojectFinder(read);
    finder.forFile("/repo/a/b/one.py");
    const first = reads.length;
    finder.forFile("/repo/a/b/two.py");
    finder.forFile("/repo/a/three.py");
    expect(reads.length).toBe(first);
    files["/repo/a/pyproject.toml"] = '[tool.python-mentor]\nselect = ["PYM003"]\n';
    expect(finder.forFile("/repo/a/three.py")?.file).toBe("/repo/pyproject.toml");
    finder.clear();
    expect(finder.forFile("/repo/a/three.py")?.config).toEqual({ select: ["PYM003"] });
  });

  it("works with Windows paths", () => {
    const { read } = disk({ "C:/proj/pyproject.toml": OURS });
    expect(new PyprojectFinder(read).forFile("C:\\proj\\src\\a.py")?.root).toBe("C:/proj");
    expect(parentFolder("C:/a")).toBe("C:/");
    expect(parentFolder("/a")).toBe("/");
  });
});

describe("paths and URIs", () => {
  it("converts file: URIs, and nothing else", () => {
    expect(fileUriToPath("file:///home/me/%ED%95%9C%EA%B8%80/a%20b.py")).toBe("/home/me/한글/a b.py");
    expect(fileUriToPath("file:///c%3A/Users/x.py")).toBe("c:/Users/x.py");
    expect(fileUriToPath("file://server/share/x.py")).toBe("//server/share/x.py");
    expect(fileUriToPath("untitled:Untitled-1")).toBeUndefined();
    expect(fileUriToPath("vscode-vfs://github/x.py")).toBeUndefined();
  });

  it("relative paths under a folder", () => {
    expect(relativeTo("/repo", "/repo/a/b.py")).toBe("a/b.py");
    expect(relativeTo("/repo/", "/repo/a.py")).toBe("a.py");
    expect(relativeTo("/repo", "/repository/a.py")).toBeUndefined();
  });
});

function project(config: ProjectConfig["config"]): ProjectConfig {
  return { file: "/p/pyproject.toml", root: "/p", config, problems: [] };
}

describe("effective settings: defaults <- pyproject.toml <- editor settings or CLI flags", () => {
  it("defaults: every rule, no overrides, not excluded, language from the environment", () => {
    expect(effectiveSettings("/p/a.py", undefined)).toEqual({ selection: {}, severity: {}, excluded: false });
  });

  it("pyproject's select/ignore, and overrides that replace them key by key", () => {
    const p = project({ select: ["PYM00"], ignore: ["PYM002"] });
    expect(effectiveSettings("/p/a.py", p).selection).toEqual({ select: ["PYM00"], ignore: ["PYM002"] });
    expect(effectiveSettings("/p/a.py", p, { select: ["PYM01"] }).selection).toEqual({ select: ["PYM01"], ignore: ["PYM002"] });
    expect(effectiveSettings("/p/a.py", p, { ignore: ["PYM003"] }).selection).toEqual({ select: ["PYM00"], ignore: ["PYM003"] });
    // Empty is "not set" (VS Code sends its defaults).
    expect(effectiveSettings("/p/a.py", p, { select: [], ignore: [] }).selection).toEqual({ select: ["PYM00"], ignore: ["PYM002"] });
  });

  it("extend-select adds to whichever select is in force; with none, every rule runs anyway", () => {
    const p = project({ select: ["PYM001"], extendSelect: ["PYM010"] });
    expect(effectiveSettings("/p/a.py", p).selection.select).toEqual(["PYM001", "PYM010"]);
    expect(effectiveSettings("/p/a.py", p, { select: ["PYM004"] }).selection.select).toEqual(["PYM004", "PYM010"]);
    expect(effectiveSettings("/p/a.py", project({ extendSelect: ["PYM010"] })).selection.select).toBeUndefined();
  });

  it("per-file-ignores add to ignore for the files they match, relative to the pyproject's folder", () => {
    const p = project({ ignore: ["PYM002"], perFileIgnores: { "tests/*.py": ["PYM001"], "__init__.py": ["PYM010"] } });
    expect(effectiveSettings("/p/tests/test_a.py", p).selection.ignore).toEqual(["PYM002", "PYM001"]);
    expect(effectiveSettings("/p/tests/unit/test_b.py", p).selection.ignore).toEqual(["PYM002"]);
    expect(effectiveSettings("/p/pkg/__init__.py", p, { ignore: ["PYM005"] }).selection.ignore).toEqual(["PYM005", "PYM010"]);
    // An unsaved buffer has no path: only the table's own keys and the overrides apply.
    expect(effectiveSettings(undefined, p).selection.ignore).toEqual(["PYM002"]);
  });

  it("exclude marks matching files", () => {
    const p = project({ exclude: ["build", "**/migrations/*"] });
    expect(effectiveSettings("/p/build/x.py", p).excluded).toBe(true);
    expect(effectiveSettings("/p/app/migrations/0001.py", p).excluded).toBe(true);
    expect(effectiveSettings("/p/app/models.py", p).excluded).toBe(false);
  });

  it("severity maps merge, the override winning per code; the most specific key wins", () => {
    const p = project({ severity: { PYM006: "hint", PYM001: "error" } });
    expect(effectiveSettings("/p/a.py", p, { severity: { PYM001: "info" } }).severity).toEqual({ PYM006: "hint", PYM001: "info" });
    expect(severityOverride("PYM006", { PYM0: "error", PYM006: "hint" })).toBe("hint");
    expect(severityOverride("PYM007", { PYM0: "error", PYM006: "hint" })).toBe("error");
    expect(severityOverride("PYM007", {})).toBeUndefined();
  });

  it("language: an override other than auto wins, then pyproject's, else none", () => {
    const p = project({ language: "ko" });
    expect(effectiveSettings("/p/a.py", p).language).toBe("ko");
    expect(effectiveSettings("/p/a.py", p, { language: "auto" }).language).toBe("ko");
    expect(effectiveSettings("/p/a.py", p, { language: "zh-cn" }).language).toBe("zh-cn");
    expect(effectiveSettings("/p/a.py", project({ language: "auto" })).language).toBeUndefined();
  });

  it("a table with problems counts as no table: the defaults and the overrides apply", () => {
    const broken: ProjectConfig = { file: "/p/pyproject.toml", root: "/p", config: undefined, problems: [{ file: "/p/pyproject.toml", key: "x", message: "bad" }] };
    expect(effectiveSettings("/p/a.py", broken, { ignore: ["PYM001"] })).toEqual({ selection: { ignore: ["PYM001"] }, severity: {}, excluded: false });
  });
});

describe("applying settings to findings", () => {
  const finding = (code: string): Finding => ({
    code,
    name: code.toLowerCase(),
    message: code,
    severity: "warning",
    range: { start: { row: 0, column: 0 }, end: { row: 0, column: 1 } },
    knowledge: "x",
  });

  it("drops unselected findings and re-grades the rest, without touching the originals", () => {
    const findings = [finding("PYM001"), finding("PYM002"), finding("PYM006")];
    const settings = effectiveSettings("/p/a.py", project({ ignore: ["PYM002"], severity: { PYM006: "hint" } }));
    const applied = applySettings(findings, settings);
    expect(applied.map((f) => [f.code, f.severity])).toEqual([["PYM001", "warning"], ["PYM006", "hint"]]);
    expect(findings[2].severity).toBe("warning");
  });
});

describe("editor settings (pythonMentor.*)", () => {
  it("reads VS Code's nested section, upper-casing codes", () => {
    const update = updateEditorSettings(
      { select: ["pym001"], ignore: ["PYM002"], severity: { pym006: "hint" }, hover: { enable: false }, diagnostics: { enable: false }, language: "ko" },
      DEFAULT_EDITOR_SETTINGS,
    );
    expect(update).toEqual({
      changed: true,
      problems: [],
      settings: { select: ["PYM001"], ignore: ["PYM002"], severity: { PYM006: "hint" }, hoverEnable: false, diagnosticsEnable: false },
    });
  });

  it("reads flat dotted keys too; absent keys keep their values", () => {
    const before = { ...DEFAULT_EDITOR_SETTINGS, select: ["PYM004"] };
    const update = updateEditorSettings({ "hover.enable": false }, before);
    expect(update.settings).toEqual({ ...before, hoverEnable: false });
    expect(updateEditorSettings({}, before)).toEqual({ settings: before, changed: false, problems: [] });
    expect(updateEditorSettings(null, before).changed).toBe(false);
  });

  it("rejects a bad value with a message naming the setting; that setting keeps its value, the others apply", () => {
    const before = { ...DEFAULT_EDITOR_SETTINGS, ignore: ["PYM003"] };
    const update = updateEditorSettings(
      { select: "PYM001", ignore: ["PYM999"], severity: { PYM001: "loud" }, hover: { enable: "no" }, diagnostics: { enable: false } },
      before,
    );
    expect(update.settings).toEqual({ ...before, diagnosticsEnable: false });
    expect(update.problems).toEqual([
      'pythonMentor.select: "PYM001" is not a list of rule codes; keeping []',
      expect.stringMatching(/^pythonMentor\.ignore: \["PYM999"\] is not a list of known rule codes or prefixes \(PYM001, .*\); keeping \["PYM003"\]$/),
      expect.stringMatching(/^pythonMentor\.severity: \{"PYM001":"loud"\} is not a map of rule codes to error, warning, info, hint; keeping \{\}$/),
      'pythonMentor.hover.enable: "no" is not true or false; keeping true',
    ]);
  });
});
