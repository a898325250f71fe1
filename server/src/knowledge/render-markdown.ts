import type { KnowledgeEntry } from "./entry";
import { DEFAULT_LOCALE, isLocale, type Locale } from "../i18n/locale";
import { uiText } from "../i18n/ui-text";

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

export interface HoverOptions {
  locale?: Locale;
  /**
   * A link that opens the whole entry (in VS Code, a command URI the client trusts). Without it
   * the card links the documentation only.
   */
  entryLink?: (id: string) => string;
}

/**
 * The hover card for an entry: title, summary, the shorter of its two code blocks, the pitfall in
 * one sentence, then the documentation and a link to the full entry.
 */
export function renderEntryHover(entry: KnowledgeEntry, options: HoverOptions = {}): string {
  const locale = options.locale ?? DEFAULT_LOCALE;
  const blocks = [entry.sections.exampleCode, entry.sections.useInsteadCode].map((code) => code.replace(/\n$/, "").split("\n"));
  const shortest = blocks[0].length <= blocks[1].length ? blocks[0] : blocks[1];
  const code = shortest.length > MAX_EXAMPLE_LINES ? [...shortest.slice(0, MAX_EXAMPLE_LINES), "# ..."] : shortest;
  const parts = [`**${entry.title}**`, entry.summary, "```python\n" + code.join("\n") + "\n```"];
  parts.push(`**${uiText("Pitfall", locale)}:** ${firstSentence(entry.sections.pitfall)}`);
  const footer = [`[${uiText("documentation", locale)}](${entry.links[0]})`];
  if (options.entryLink) footer.push(`[${uiText("fullEntry", locale)}](${options.entryLink(entry.id)})`);
  if (entry.python) footer.push(`Python ${entry.python}`);
  parts.push(footer.join(" · "));
  return parts.join("\n\n");
}

/**
 * The first sentence of a section's first paragraph, for one-line summaries. Sentence ends inside
 * code spans do not count; Chinese and Korean full stops do.
 */
export function firstSentence(markdown: string): string {
  const paragraph = markdown.split(/\n\s*\n/)[0].replace(/\s*\n\s*/g, " ").trim();
  let inCode = false;
  for (let i = 0; i < paragraph.length; i++) {
    const char = paragraph[i];
    if (char === "`") inCode = !inCode;
    if (inCode) continue;
    if ("。！？".includes(char)) return paragraph.slice(0, i + 1);
    if (".!?".includes(char) && (i + 1 === paragraph.length || /\s/.test(paragraph[i + 1])) && !/\b(e\.g|i\.e|etc|vs)$/.test(paragraph.slice(0, i))) {
      return paragraph.slice(0, i + 1);
    }
  }
  return paragraph;
}

/** A finding's part of a hover: code, name, message (escaped, it quotes user code) and the fix. */
export function renderFindingHover(
  finding: { code: string; name: string; message: string; fix?: { title: string } },
  entry: KnowledgeEntry | undefined,
  locale: Locale = DEFAULT_LOCALE,
): string {
  const parts = [`**${finding.code}** ${finding.name}: ${renderMessage(finding.message)}`];
  if (finding.fix) parts.push(`${uiText("quickFix", locale)}: ${renderMessage(finding.fix.title)}`);
  if (entry) parts.push(`*${entry.title}*: ${entry.summary} [${uiText("learnMore", locale)}](${entry.links[0]})`);
  return parts.join("\n\n");
}

/** The full entry as plain Markdown (for `python-mentor explain` and the Explain command). */
export function renderEntryDocument(entry: KnowledgeEntry): string {
  const locale = isLocale(entry.locale) ? entry.locale : DEFAULT_LOCALE;
  const meta = [
    entry.rules.length > 0 ? `${uiText("Rules", locale)}: ${entry.rules.join(", ")}` : "",
    entry.python ? `Python ${entry.python}` : "",
  ]
    .filter(Boolean)
    .join(" · ");
  return [
    `# ${entry.title}`,
    entry.summary,
    meta,
    ...entry.sections.all.map(({ key, markdown }) => `## ${uiText(key, locale)}\n\n${markdown}`),
    `## ${uiText("Links", locale)}\n\n${entry.links.map((link) => `- ${link}`).join("\n")}`,
    entry.related.length > 0 ? `${uiText("seeAlso", locale)}: ${entry.related.map((id) => `\`${id}\``).join(", ")}` : "",
  ]
    .filter(Boolean)
    .join("\n\n");
}
