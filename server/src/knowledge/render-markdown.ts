import type { KnowledgeEntry } from "./entry";

/**
 * Escapes text from the user's file for Markdown: every character that could start emphasis, a
 * link, an image, HTML or a code span is backslash-escaped, and line breaks become spaces, so a
 * crafted identifier or string cannot inject links or command URIs into a hover.
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\r\n]+/g, " ").replace(/[\\`*_{}[\]()<>#+\-.!|~&:]/g, (char) => `\\${char}`);
}

/**
 * Renders a finding message, whose `backticked` parts are code (often quoted from the user's
 * file): those become code spans, in which Markdown is inert; everything else is escaped.
 */
export function renderMessage(message: string): string {
  return message
    .split("`")
    .map((part, i) => (i % 2 === 1 ? codeSpan(part) : escapeMarkdown(part)))
    .join("");
}

function codeSpan(code: string): string {
  const flat = code.replace(/[\r\n]+/g, " ");
  const longestRun = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longestRun + 1);
  const pad = flat.startsWith("`") || flat.endsWith("`") ? " " : "";
  return `${fence}${pad}${flat}${pad}${fence}`;
}

const MAX_EXAMPLE_LINES = 14;

/** The hover card for an entry: title, summary, a short idiomatic example, the primary link. */
export function renderEntryHover(entry: KnowledgeEntry): string {
  const lines = entry.sections.useInsteadCode.replace(/\n$/, "").split("\n");
  const code = lines.length > MAX_EXAMPLE_LINES ? [...lines.slice(0, MAX_EXAMPLE_LINES), "# ..."] : lines;
  const parts = [`**${entry.title}**`, entry.summary, "```python\n" + code.join("\n") + "\n```"];
  const footer = [`[Python documentation](${entry.links[0]})`];
  if (entry.python) footer.push(`Python ${entry.python}`);
  parts.push(footer.join(" · "));
  return parts.join("\n\n");
}

/** A finding's part of a hover: code, name, message (escaped, it quotes user code) and the fix. */
export function renderFindingHover(
  finding: { code: string; name: string; message: string; fix?: { title: string } },
  entry: KnowledgeEntry | undefined,
): string {
  const parts = [`**${finding.code}** ${finding.name}: ${renderMessage(finding.message)}`];
  if (finding.fix) parts.push(`Quick fix: ${renderMessage(finding.fix.title)}`);
  if (entry) parts.push(`*${entry.title}*: ${entry.summary} [Learn more](${entry.links[0]})`);
  return parts.join("\n\n");
}

/** The full entry as plain Markdown (for `python-mentor explain` and the Explain command). */
export function renderEntryDocument(entry: KnowledgeEntry): string {
  const s = entry.sections;
  const meta = [entry.rules.length > 0 ? `Rules: ${entry.rules.join(", ")}` : "", entry.python ? `Python ${entry.python}` : ""]
    .filter(Boolean)
    .join(" · ");
  return [
    `# ${entry.title}`,
    entry.summary,
    meta,
    `## Explanation\n\n${s.explanation}`,
    `## Example\n\n${s.example}`,
    `## Pitfall\n\n${s.pitfall}`,
    `## Use instead\n\n${s.useInstead}`,
    `## Links\n\n${entry.links.map((link) => `- ${link}`).join("\n")}`,
  ]
    .filter(Boolean)
    .join("\n\n");
}
