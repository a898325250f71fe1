export const USAGE = `python-mentor: teaches Python as you code; flags pitfalls and explains them.

Usage:
  python-mentor check [options] PATH...   check Python files and folders
  python-mentor explain [ID|CODE|NAME]    print a knowledge entry (no argument: list them)
  python-mentor rules                     list the rules: code, name, severity, summary
  python-mentor lsp --stdio               run the language server (for any LSP editor)
  python-mentor --help | --version

Options for check:
  --format text|json|sarif   output format (default: text)
  --select CODES             only these rules, comma-separated (PYM001,PYM004 or a prefix)
  --ignore CODES             skip these rules, comma-separated
  --no-color                 plain text even on a terminal (NO_COLOR is honoured too)
  -j, --jobs N               check in N worker threads (default: one per core); the output
                             is the same for any N
  --no-cache                 neither read nor write the findings cache
  --fix                      apply the safe fixes to the files, then report what remains;
                             a file with syntax errors is left alone, and a file is
                             written only if its fixed text parses
  --unsafe-fixes             with --fix, also apply fixes marked "review before applying"

Options for check, explain and rules:
  --lang auto|en|ko|zh-cn    language of messages and entries (default: from LC_ALL,
                             LC_MESSAGES or LANG; English when none is ko or zh)

Options for explain:
  --format text|json         the list as text or as JSON (id, title, triggers, rules, languages)

Configuration: check reads [tool.python-mentor] from the nearest pyproject.toml above each
file that has that table (select, ignore, extend-select, per-file-ignores, severity,
exclude, language); --select, --ignore and --lang override it. exclude skips files found
by walking folders; a file named on the command line is checked all the same. A broken
table is reported (exit status 2) and the defaults apply to the files under it.

Cache: check remembers each file's findings by a hash of its content (and of the
python-mentor build, the rules chosen and the language), so unchanged files are not parsed
again. It lives in $XDG_CACHE_HOME/python-mentor or ~/.cache/python-mentor (macOS:
~/Library/Caches/python-mentor; Windows: %LOCALAPPDATA%\\python-mentor\\Cache), never in
your project; PYTHON_MENTOR_CACHE_DIR overrides. Deleting it is always safe.

Exit status: 0 no findings, 1 findings, 2 usage, configuration or I/O error (other files
are still checked).
With --fix, the status is that of the findings left after fixing.
`;

/** A mistake on the command line: printed with a hint, exit status 2. */
export class UsageError extends Error {}
