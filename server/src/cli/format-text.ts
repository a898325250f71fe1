import type { KnowledgeBase } from "../knowledge/knowledge-base";
import { pointToCli } from "../parse/positions";
import type { CheckResult } from "./check-files";
import { DEFAULT_LOCALE, type Locale } from "../i18n/locale";
import { uiText } from "../i18n/ui-text";

export interface TextStyle {
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
}

const plain: TextStyle = { bold: (t) => t, dim: (t) => t, red: (t) => t, yellow: (t) => t, cyan: (t) => t };
const ansi = (open: number, close: number) => (text: string) => `\x1b[${open}m${text}\x1b[${close}m`;
const colored: TextStyle = { bold: ansi(1, 22), dim: ansi(2, 22), red: ansi(31, 39), yellow: ansi(33, 39), cyan: ansi(36, 39) };

export function textStyle(color: boolean): TextStyle {
  return color ? colored : plain;
}

/**
 * One block per finding: where, what, why (the entry's one-sentence summary) and the fix; then
 * a summary line that says how to learn more.
 */
export function formatText(result: CheckResult, knowledge: KnowledgeBase, style: TextStyle, locale: Locale = DEFAULT_LOCALE, fixed = 0): string {
  const out: string[] = [];
  let count = 0;
  let fixable = 0;
  const entriesSeen = new Set<string>();
  for (const file of result.files) {
    const fileLocale = file.locale ?? locale;
    for (const finding of file.findings) {
      count++;
      const at = pointToCli(file.lines, finding.range.start);
      const code = finding.severity === "error" ? style.red(style.bold(finding.code)) : style.yellow(style.bold(finding.code));
      out.push(`${style.bold(`${file.path}:${at.row}:${at.column}:`)} ${code} ${style.dim(`[${finding.name}]`)} ${finding.message}`);
      const entry = knowledge.get(finding.knowledge, fileLocale);
      if (entry) {
        out.push(`  ${style.cyan(`${uiText("why", fileLocale)}:`)} ${entry.summary}`);
        entriesSeen.add(entry.id);
      }
      if (finding.fix) {
        out.push(`  ${style.cyan(`${uiText("fix", fileLocale)}:`)} ${finding.fix.title}${finding.fix.safe ? "" : " (review before applying)"}`);
        fixable++;
      }
    }
  }
  const checked = result.files.length;
  const files = `${checked} file${checked === 1 ? "" : "s"}`;
  if (fixed > 0) {
    // After --fix, counted the way Ruff counts: every finding found, then what became of them.
    const found = fixed + count;
    if (count > 0) out.push("");
    out.push(`Found ${found} finding${found === 1 ? "" : "s"} in ${files} (${fixed} fixed, ${count} remaining).`);
  } else if (count === 0) {
    // A run that checked nothing says so on stderr (main.ts) instead of claiming all is clear.
    if (checked > 0) out.push(`All clear: no findings in ${files}.`);
  } else {
    const withFindings = result.files.filter((file) => file.findings.length > 0).length;
    const where = checked === 1 ? files : `${withFindings} of ${files}`;
    out.push("");
    out.push(`Found ${count} finding${count === 1 ? "" : "s"} in ${where} (${fixable} with a quick fix).`);
  }
  if (count > 0) {
    const topics = [...entriesSeen].sort();
    out.push(`Learn more: ${topics.map((id) => `python-mentor explain ${id}`).join(", ")}`);
  }
  return out.length === 0 ? "" : out.join("\n") + "\n";
}
