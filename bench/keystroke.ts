import type { Language, Node } from "web-tree-sitter";
import type { TextDocumentContentChangeEvent } from "vscode-languageserver-textdocument";
import { Analyzer } from "../server/src/analysis/analyzer";
import { toDiagnostic } from "../server/src/features/diagnostics";
import type { KnowledgeBase } from "../server/src/knowledge/knowledge-base";
import { MentorServer } from "../server/src/lsp/mentor-server";
import { DocumentTree, parseText } from "../server/src/parse/document-tree";
import { createParser } from "../server/src/parse/python-parser";
import { RULES } from "../server/src/rules/registry";
import type { BenchCase, CaseResult, Row } from "./case";
import { syntheticFiles } from "./corpus";
import { roundAll, roundSummary, summarize } from "./stats";
import { performance } from "node:perf_hooks";

const FILE_LINES = 10_000;
/** 0-based: the space goes at the start of line 5,000. */
const INDENT_ROW = 4_999;
const URI = "file:///keystroke-bench.py";

/**
 * An open document that takes edits and gives diagnostics: the server's path or whole-file
 * analysis. `change` applies an edit and returns the time spent reparsing it.
 */
interface Editor {
  change(version: number, change: TextDocumentContentChangeEvent): number;
  diagnostics(): number;
  dispose(): void;
}

/**
 * The real server, in-process: incremental reparse, then analysis per unit with reuse.
 * The server parses lazily, inside `diagnostics`, so its reparse cannot be timed apart through its
 * API: a twin DocumentTree (the class the server keeps each document in) takes the same edits and
 * is timed instead, outside the server's time; the rules' share is the server's time minus that.
 */
function serverEditor(language: Language, knowledge: KnowledgeBase, text: string): Editor {
  const server = new MentorServer({ language, knowledge, version: "bench" });
  server.initialize({ processId: null, rootUri: null, capabilities: {}, locale: "en" });
  server.didOpen({ textDocument: { uri: URI, languageId: "python", version: 0, text } });
  server.diagnostics(URI);
  const twinParser = createParser(language);
  const twin = new DocumentTree(twinParser, URI, 0, text);
  void twin.tree;
  let reparseMs = 0;
  return {
    change(version, change) {
      const start = performance.now();
      twin.applyChanges([change], version);
      void twin.tree;
      reparseMs = performance.now() - start;
      server.didChange({ textDocument: { uri: URI, version }, contentChanges: [change] });
      return reparseMs;
    },
    diagnostics: () => server.diagnostics(URI)?.diagnostics.length ?? 0,
    dispose() {
      server.dispose();
      twin.dispose();
      twinParser.delete();
    },
  };
}

/** The same incremental reparse, then `Analyzer.analyze` on the whole file: the same engine path with nothing to reuse. */
function wholeFileEditor(language: Language, knowledge: KnowledgeBase, text: string): Editor {
  const parser = createParser(language);
  const analyzer = new Analyzer(language, RULES);
  const document = new DocumentTree(parser, URI, 0, text);
  const diagnostics = () => analyzer.analyze(document.tree, document.text, { locale: "en" }).findings.map((finding) => toDiagnostic(finding, knowledge)).length;
  diagnostics();
  return {
    change(version, change) {
      const start = performance.now();
      document.applyChanges([change], version);
      // Parsed on first use of the tree (or already in applyChanges, in older builds).
      void document.tree;
      return performance.now() - start;
    },
    diagnostics,
    dispose() {
      document.dispose();
      analyzer.dispose();
      parser.delete();
    },
  };
}

/**
 * A name used inside a function body at or after `fromRow`: typing there is the common case, and
 * should cost the re-analysis of the top-level statement around it alone. `top-level` wants a
 * module-level function (the best case), `method` a method (its whole class is re-analysed).
 */
function identifierIn(language: Language, text: string, fromRow: number, where: "top-level" | "method"): { row: number; column: number; name: string } {
  const parser = createParser(language);
  const tree = parseText(parser, text);
  try {
    for (const from of [fromRow, 0]) {
      for (const node of tree.rootNode.descendantsOfType("identifier", { row: from, column: 0 }, { row: Number.MAX_SAFE_INTEGER, column: 0 })) {
        // `self` and `cls` are everywhere; a local name is the typical thing to be typing.
        if (node.startPosition.row < from || node.text.length < 4 || node.text === "self") continue;
        // Not a definition's own name or parameter: renaming those changes what the unit declares.
        const parent = node.parent?.type ?? "";
        if (parent === "function_definition" || parent === "class_definition" || parent.includes("parameter") || parent === "parameters") continue;
        if (enclosingFunction(node) === where) return { row: node.startPosition.row, column: node.startPosition.column, name: node.text };
      }
    }
  } finally {
    tree.delete();
    parser.delete();
  }
  throw new Error(`no identifier inside a ${where === "method" ? "method" : "module-level function"} in the keystroke file`);
}

/** Whether `node` is in the body of a module-level function, of a method, or neither. */
function enclosingFunction(node: Node): "top-level" | "method" | undefined {
  for (let parent = node.parent; parent; parent = parent.parent) {
    if (parent.type !== "block" || parent.parent?.type !== "function_definition") continue;
    let definition: Node | null = parent.parent;
    if (definition.parent?.type === "decorated_definition") definition = definition.parent;
    const outer = definition.parent;
    if (outer?.type === "module") return "top-level";
    if (outer?.type === "block" && outer.parent?.type === "class_definition") return "method";
    return undefined;
  }
  return undefined;
}

/** The rows of the top-level statement holding `row`: the unit the server's analysis reuses or redoes. */
function topLevelStatementRows(language: Language, text: string, row: number): number {
  const parser = createParser(language);
  const tree = parseText(parser, text);
  try {
    for (const child of tree.rootNode.children) {
      if (child && child.startPosition.row <= row && row <= child.endPosition.row) return child.endPosition.row - child.startPosition.row + 1;
    }
    return 1;
  } finally {
    tree.delete();
    parser.delete();
  }
}

interface EditKind {
  name: string;
  /** The n-th edit (0-based); even ones add a character, odd ones take it away again. */
  change(n: number): TextDocumentContentChangeEvent;
}

interface Samples {
  totalMs: number[];
  parseMs: number[];
  rulesMs: number[];
}

/**
 * Keystroke latency on a 10,000-line file of standard-library code: each edit timed from
 * didChange to diagnostics ready, split into the reparse and the rest (rules, diagnostics). The
 * server's incremental path and whole-file analysis run the same edits.
 */
export const keystrokeCase: BenchCase = {
  name: "keystroke",
  description: "didChange -> diagnostics on a 10,000-line file; incremental vs whole-file analysis",
  async run(ctx): Promise<CaseResult> {
    const language = await ctx.language();
    const [text] = syntheticFiles(ctx.corpus(), FILE_LINES, 1);
    // BENCH_EDITS edits of each kind in all, spread over the runs (each run on a fresh document),
    // an even number per run so each run ends on the text it started from. Whole-file analysis
    // takes a second or more per edit on this file, so it gets fewer: it is only the "before".
    const perRun = (total: number) => 2 * Math.max(1, Math.ceil(total / ctx.runs / 2));
    const edits = perRun(Number(process.env.BENCH_EDITS ?? 200));
    const wholeFileEdits = perRun(Number(process.env.BENCH_EDITS_WHOLE ?? 30));
    const inFunction = identifierIn(language, text, FILE_LINES / 2, "top-level");
    const inMethod = identifierIn(language, text, FILE_LINES / 2, "method");
    const statementRows = {
      function: topLevelStatementRows(language, text, inFunction.row),
      method: topLevelStatementRows(language, text, inMethod.row),
      indent: topLevelStatementRows(language, text, INDENT_ROW),
    };
    const at = (line: number, character: number) => ({ line, character });
    const typing = (name: string, spot: { row: number; column: number }): EditKind => ({
      name,
      change: (n) =>
        n % 2 === 0
          ? { range: { start: at(spot.row, spot.column + 2), end: at(spot.row, spot.column + 2) }, text: "q" }
          : { range: { start: at(spot.row, spot.column + 2), end: at(spot.row, spot.column + 3) }, text: "" },
    });
    const kinds: EditKind[] = [
      typing(`a letter in \`${inFunction.name}\`, line ${inFunction.row + 1}, in a ${statementRows.function}-line module-level function`, inFunction),
      typing(`a letter in \`${inMethod.name}\`, line ${inMethod.row + 1}, in a method of a ${statementRows.method}-line class`, inMethod),
      {
        name: `a space at the start of line ${INDENT_ROW + 1} (indentation error; in a ${statementRows.indent}-line statement)`,
        change: (n) =>
          n % 2 === 0
            ? { range: { start: at(INDENT_ROW, 0), end: at(INDENT_ROW, 0) }, text: " " }
            : { range: { start: at(INDENT_ROW, 0), end: at(INDENT_ROW, 1) }, text: "" },
      },
    ];
    const modes = [
      { name: "incremental (server)", open: serverEditor, edits, twin: true },
      { name: "whole file (fresh cache)", open: wholeFileEditor, edits: wholeFileEdits, twin: false },
    ];
    const samples = new Map<string, Samples>();
    for (let run = 0; run < ctx.runs; run++) {
      for (const kind of kinds) {
        for (const mode of modes) {
          const key = `${kind.name}\u0000${mode.name}`;
          if (!samples.has(key)) samples.set(key, { totalMs: [], parseMs: [], rulesMs: [] });
          const into = samples.get(key) as Samples;
          const editor = mode.open(language, ctx.knowledge, text);
          try {
            for (let n = 0; n < mode.edits; n++) {
              const change = kind.change(n);
              const start = performance.now();
              const reparseMs = editor.change(n + 1, change);
              editor.diagnostics();
              // The server's editor times its twin's reparse outside this span; take it out.
              const totalMs = performance.now() - start - (mode.twin ? reparseMs : 0);
              into.totalMs.push(totalMs);
              into.parseMs.push(reparseMs);
              into.rulesMs.push(totalMs - reparseMs);
            }
          } finally {
            editor.dispose();
          }
          ctx.log(`  run ${run + 1}/${ctx.runs} ${mode.name}, ${kind.name.split(",")[0]}: median ${summarize(into.totalMs.slice(-mode.edits)).median.toFixed(2)} ms`);
        }
      }
    }
    const rows: Row[] = [];
    const data: Record<string, unknown> = { lines: FILE_LINES, editsPerRun: { incremental: edits, wholeFile: wholeFileEdits }, spots: { function: inFunction, method: inMethod }, indentRow: INDENT_ROW, statementRows };
    const cases: Record<string, unknown>[] = [];
    for (const kind of kinds) {
      for (const mode of modes) {
        const s = samples.get(`${kind.name}\u0000${mode.name}`) as Samples;
        const total = summarize(s.totalMs);
        const parse = summarize(s.parseMs);
        const rules = summarize(s.rulesMs);
        const incremental = mode === modes[0];
        rows.push({
          measure: `${mode.name}: ${kind.name}`,
          unit: "ms",
          median: total.median,
          worst: total.worst,
          goals: incremental ? [{ on: "median", op: "<=", value: 3 }, { on: "worst", op: "<=", value: 10 }] : undefined,
        });
        rows.push({ measure: `  of which reparse${incremental ? " (twin DocumentTree)" : ""}`, unit: "ms", median: parse.median, worst: parse.worst });
        rows.push({ measure: "  of which rules and diagnostics (the rest)", unit: "ms", median: rules.median, worst: rules.worst });
        cases.push({
          kind: kind.name,
          mode: mode.name,
          total: roundSummary(total),
          parse: roundSummary(parse),
          rules: roundSummary(rules),
          samples: { totalMs: roundAll(s.totalMs), parseMs: roundAll(s.parseMs), rulesMs: roundAll(s.rulesMs) },
        });
      }
    }
    data.cases = cases;
    const notes = [
      `keystroke: ${edits * ctx.runs} edits of each kind on the server's path, ${wholeFileEdits * ctx.runs} with whole-file analysis (BENCH_EDITS, BENCH_EDITS_WHOLE)`,
      "keystroke: the server re-analyses the unit an edit is in (a run of top-level statements, a class's own statements, or one method) and reuses the rest while what each rule read through the model is unchanged",
    ];
    return { rows, notes, data };
  },
};
