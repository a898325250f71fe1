import { isAbsolute } from "node:path";
import { pathToFileURL } from "node:url";
import type { KnowledgeBase } from "../knowledge/knowledge-base";
import { RULES } from "../rules/registry";
import type { FileResult } from "./check-files";
import { toJsonFindings } from "./format-json";

const LEVELS: Record<string, string> = { error: "error", warning: "warning", info: "note", hint: "note" };

/**
 * SARIF 2.1.0, as GitHub code scanning reads it. Columns are Unicode code points, declared with
 * `columnKind` because SARIF's default unit would be UTF-16 code units.
 */
export function formatSarif(files: readonly FileResult[], knowledge: KnowledgeBase, version: string): string {
  const rules = RULES.map((rule) => {
    const entry = knowledge.get(rule.knowledge);
    return {
      id: rule.code,
      name: rule.name,
      shortDescription: { text: entry?.title.replace(/`/g, "") ?? rule.name },
      fullDescription: { text: entry?.summary ?? rule.name },
      helpUri: entry?.links[0],
      help: { text: entry?.summary ?? rule.name },
      defaultConfiguration: { level: LEVELS[rule.severity] },
    };
  });
  const results = toJsonFindings(files, knowledge).map((finding) => ({
    ruleId: finding.code,
    ruleIndex: RULES.findIndex((rule) => rule.code === finding.code),
    level: LEVELS[finding.severity],
    message: { text: finding.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: toUri(finding.filename) },
          region: {
            startLine: finding.location.row,
            startColumn: finding.location.column,
            endLine: finding.end_location.row,
            endColumn: finding.end_location.column,
          },
        },
      },
    ],
    ...(finding.fix
      ? {
          fixes: [
            {
              description: { text: finding.fix.message },
              artifactChanges: [
                {
                  artifactLocation: { uri: toUri(finding.filename) },
                  replacements: finding.fix.edits.map((edit) => ({
                    deletedRegion: {
                      startLine: edit.location.row,
                      startColumn: edit.location.column,
                      endLine: edit.end_location.row,
                      endColumn: edit.end_location.column,
                    },
                    insertedContent: { text: edit.content },
                  })),
                },
              ],
            },
          ],
        }
      : {}),
  }));
  const log = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: { driver: { name: "python-mentor", version, informationUri: "https://docs.python.org/3/", rules } },
        columnKind: "unicodeCodePoints",
        results,
      },
    ],
  };
  return JSON.stringify(log, null, 2) + "\n";
}

/** A file URI for an absolute path; a relative one as a URI reference, each segment percent-encoded. */
function toUri(file: string): string {
  if (isAbsolute(file)) return pathToFileURL(file).href;
  return file.split(/[\\/]/).map(encodeURIComponent).join("/");
}
