import { describe, expect, it } from "vitest";
import { compileGlob, compileGlobs } from "../../server/src/config/glob";

/** Which of the paths the pattern matches. */
function matched(pattern: string, paths: readonly string[]): string[] {
  const matches = compileGlob(pattern);
  return paths.filter((path) => matches(path));
}

const PATHS = [
  "app.py",
  "__init__.py",
  "pkg/__init__.py",
  "pkg/core.py",
  "pkg/sub/deep.py",
  "tests/test_a.py",
  "tests/unit/test_b.py",
  "tests/data.txt",
  "migrations/0001.py",
  "app/migrations/0002.py",
  "app/migrations/old/0003.py",
  "scripts/run.py",
  "build/lib/x.py",
  "mybuild/y.py",
];

describe("path patterns (exclude, per-file-ignores)", () => {
  it("`*` stays within one segment of an anchored pattern", () => {
    expect(matched("tests/*.py", PATHS)).toEqual(["tests/test_a.py"]);
    expect(matched("pkg/*", PATHS)).toEqual(["pkg/__init__.py", "pkg/core.py", "pkg/sub/deep.py"]);
  });

  it("`**` crosses any number of folders, including none", () => {
    expect(matched("tests/**/*.py", PATHS)).toEqual(["tests/test_a.py", "tests/unit/test_b.py"]);
    expect(matched("**/migrations/*", PATHS)).toEqual(["migrations/0001.py", "app/migrations/0002.py", "app/migrations/old/0003.py"]);
    expect(matched("**", PATHS)).toEqual(PATHS);
  });

  it("`?` is one character, never a slash", () => {
    expect(matched("tests/test_?.py", PATHS)).toEqual(["tests/test_a.py"]);
    expect(compileGlob("a?b")("a/b")).toBe(false);
  });

  it("a bare name matches that file or folder at any depth, and what is under the folder", () => {
    expect(matched("__init__.py", PATHS)).toEqual(["__init__.py", "pkg/__init__.py"]);
    expect(matched("migrations", PATHS)).toEqual(["migrations/0001.py", "app/migrations/0002.py", "app/migrations/old/0003.py"]);
    expect(matched("build", PATHS)).toEqual(["build/lib/x.py"]);
    expect(matched("test_*.py", PATHS)).toEqual(["tests/test_a.py", "tests/unit/test_b.py"]);
  });

  it("a trailing slash, a leading ./ or / all name the folder under the project", () => {
    for (const pattern of ["scripts/", "./scripts", "/scripts", "scripts/**"]) expect(matched(pattern, PATHS), pattern).toEqual(["scripts/run.py"]);
    expect(matched("pkg/sub", PATHS)).toEqual(["pkg/sub/deep.py"]);
  });

  it("an anchored pattern does not match deeper copies of the same path", () => {
    expect(matched("migrations/*.py", PATHS)).toEqual(["migrations/0001.py"]);
  });

  it("regular-expression characters are literal", () => {
    expect(compileGlob("a.py")("aXpy")).toBe(false);
    expect(compileGlob("(x)+.py")("(x)+.py")).toBe(true);
    expect(compileGlob("[ab].py")("a.py")).toBe(false);
  });

  it("backslashes read as separators, in the pattern and in the path", () => {
    expect(compileGlob("tests\\*.py")("tests/test_a.py")).toBe(true);
    expect(compileGlob("tests/*.py")("tests\\test_a.py")).toBe(true);
  });

  it("a list matches when any pattern does; an empty list matches nothing", () => {
    expect(PATHS.filter(compileGlobs(["build", "*.txt"]))).toEqual(["tests/data.txt", "build/lib/x.py"]);
    expect(PATHS.filter(compileGlobs([]))).toEqual([]);
  });
});
