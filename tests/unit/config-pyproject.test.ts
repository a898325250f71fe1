import { describe, expect, it } from "vitest";
import { formatProblem, parsePyproject } from "../../server/src/config/pyproject";

const FILE = "/proj/pyproject.toml";

function table(body: string) {
  return parsePyproject(`[project]\nname = "demo"\n\n[tool.python-mentor]\n${body}\n`, FILE);
}

/** The problems of a table as the CLI prints them. */
function problems(body: string): string[] {
  const result = table(body);
  expect(result.config, "a table with problems is set aside").toBeUndefined();
  return result.problems.map(formatProblem);
}

describe("[tool.python-mentor] in pyproject.toml", () => {
  it("reads every key, upper-casing codes", () => {
    const result = table(
      [
        'select = ["PYM00", "pym011"]',
        'ignore = ["PYM002"]',
        'extend-select = ["PYM01"]',
        'exclude = ["build", "**/migrations/*"]',
        'language = "ko"',
        'severity = { PYM006 = "hint", pym001 = "error" }',
        "[tool.python-mentor.per-file-ignores]",
        '"tests/*.py" = ["PYM001", "PYM010"]',
      ].join("\n"),
    );
    expect(result).toEqual({
      hasTable: true,
      problems: [],
      config: {
        select: ["PYM00", "PYM011"],
        ignore: ["PYM002"],
        extendSelect: ["PYM01"],
        exclude: ["build", "**/migrations/*"],
        language: "ko",
        severity: { PYM006: "hint", PYM001: "error" },
        perFileIgnores: { "tests/*.py": ["PYM001", "PYM010"] },
      },
    });
  });

  it("an empty table is a configuration with nothing changed", () => {
    expect(table("")).toEqual({ hasTable: true, config: {}, problems: [] });
  });

  it("a file without the table has no configuration and no problems", () => {
    expect(parsePyproject('[project]\nname = "x"\n[tool.ruff]\nselect = ["E"]\n', FILE)).toEqual({ hasTable: false, problems: [] });
    expect(parsePyproject("", FILE)).toEqual({ hasTable: false, problems: [] });
  });

  it("the quoted and dotted spellings of the table are the same table", () => {
    expect(parsePyproject('[tool."python-mentor"]\nignore = ["PYM001"]\n', FILE).config).toEqual({ ignore: ["PYM001"] });
    expect(parsePyproject('tool.python-mentor.ignore = ["PYM001"]\n', FILE).config).toEqual({ ignore: ["PYM001"] });
  });

  it("a TOML syntax error names the file, line and column", () => {
    const result = parsePyproject('[tool.python-mentor]\nselect = ["PYM001"\nignore = []\n', FILE);
    expect(result.hasTable).toBe(true);
    expect(result.config).toBeUndefined();
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toMatchObject({ file: FILE, line: 3 });
    expect(formatProblem(result.problems[0])).toMatch(/^\/proj\/pyproject\.toml:3:\d+: invalid TOML: /);
  });

  it("an unknown key is named, with the known ones and a near miss", () => {
    expect(problems('extend_select = ["PYM001"]')).toEqual([
      '/proj/pyproject.toml: [tool.python-mentor] extend_select: unknown key (did you mean "extend-select"?); known keys: select, ignore, extend-select, per-file-ignores, severity, exclude, language',
    ]);
    expect(problems("colour = true")[0]).toMatch(/colour: unknown key; known keys: /);
  });

  it("wrong types are named with what was found", () => {
    expect(problems('select = "PYM001"')).toEqual(['/proj/pyproject.toml: [tool.python-mentor] select: must be a list of strings, not a string ("PYM001")']);
    expect(problems("ignore = [1, 2]")[0]).toContain("ignore: must be a list of strings, not a list holding a number (1)");
    expect(problems('exclude = { a = "b" }')[0]).toContain("exclude: must be a list of strings, not a table");
    expect(problems('per-file-ignores = ["tests"]')[0]).toContain("per-file-ignores: must be a table of path patterns to lists of codes, not a list");
    expect(problems('per-file-ignores = { "tests/*" = "PYM001" }')[0]).toContain('per-file-ignores."tests/*": must be a list of strings');
    expect(problems('severity = "hint"')[0]).toContain('severity: must be a table of codes to severities (like { PYM006 = "hint" }), not a string');
    expect(problems("language = 1")[0]).toContain("language: must be one of auto, en, ko, zh-cn, not a number (1)");
    expect(parsePyproject("[tool]\npython-mentor = 3\n", FILE).problems.map(formatProblem)).toEqual([
      "/proj/pyproject.toml: [tool.python-mentor]: [tool.python-mentor] must be a table, not a number (3)",
    ]);
  });

  it("unknown rule codes and prefixes, in every key that takes codes", () => {
    expect(problems('select = ["PYM001", "PYM999", "E501"]')[0]).toMatch(/select: no rule matches "PYM999", "E501" \(known: PYM001, PYM002, /);
    expect(problems('ignore = ["X"]')[0]).toContain('ignore: no rule matches "X"');
    expect(problems('extend-select = [""]')[0]).toContain('extend-select: no rule matches ""');
    expect(problems('per-file-ignores = { "a.py" = ["PYM9"] }')[0]).toContain('per-file-ignores."a.py": no rule matches "PYM9"');
    expect(problems('severity = { PYM999 = "hint" }')[0]).toContain('severity.PYM999: no rule matches "PYM999"');
  });

  it("unknown severities and languages", () => {
    expect(problems('severity = { PYM006 = "fatal" }')).toEqual(['/proj/pyproject.toml: [tool.python-mentor] severity.PYM006: must be one of error, warning, info, hint, not "fatal"']);
    expect(problems('language = "fr"')).toEqual(['/proj/pyproject.toml: [tool.python-mentor] language: must be one of auto, en, ko, zh-cn, not "fr"']);
  });

  it("every problem of a table is reported at once, and none of its keys is used", () => {
    const result = table('select = ["PYM001"]\nignore = "PYM002"\nlanguage = "fr"\nfoo = 1');
    expect(result.config).toBeUndefined();
    expect(result.problems.map((problem) => problem.key)).toEqual(["ignore", "language", "foo"]);
  });
});
