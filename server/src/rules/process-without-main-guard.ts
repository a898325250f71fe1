import type { Node } from "web-tree-sitter";
import type { Rule } from "./rule";
import type { Fix } from "../analysis/finding";
import type { RuleContext } from "../analysis/rule-context";
import { defineFact, forEachUnitNodeOfType } from "../analysis/model/facts";
import { boundValues } from "../analysis/support/bound-values";
import { isMainGuard, positionalArguments, runsOnImport, topStatement } from "../analysis/support/syntax";

/** Calls that create a child process, or a pool of them, by qualified name. */
const PROCESS_FACTORIES = new Set([
  "multiprocessing.Process",
  "multiprocessing.Pool",
  "multiprocessing.pool.Pool",
  "concurrent.futures.ProcessPoolExecutor",
  "concurrent.futures.process.ProcessPoolExecutor",
]);

/** Top-level statements a fix must not indent: definitions other code may need, and imports. */
const DEFINITIONS = new Set([
  "function_definition",
  "class_definition",
  "decorated_definition",
  "import_statement",
  "import_from_statement",
  "future_import_statement",
]);

export const processWithoutMainGuardRule: Rule = {
  code: "PYM014",
  name: "process-without-main-guard",
  knowledge: "process-without-main-guard",
  severity: "warning",
  nodeTypes: ["call"],
  messages: {
    message: {
      en: "`{name}(...)` runs at module level, outside `if __name__ == \"__main__\":`. With the spawn and forkserver start methods (the default on Windows and macOS, and on Linux from Python 3.14) every child process imports the main module again and re-runs its top-level code, and processes started from there fail with a `RuntimeError`.",
      ko: "`{name}(...)`이 `if __name__ == \"__main__\":` 밖의 모듈 최상위에서 실행됩니다. spawn과 forkserver 시작 방식(Windows와 macOS의 기본값이고, Linux에서는 Python 3.14부터 기본값)에서는 자식 프로세스마다 메인 모듈을 다시 임포트해 최상위 코드를 또 실행하고, 거기서 시작하는 프로세스는 `RuntimeError`로 실패합니다.",
      "zh-cn": "`{name}(...)` 在模块顶层执行，不在 `if __name__ == \"__main__\":` 之内。使用 spawn 和 forkserver 启动方式时（Windows 和 macOS 的默认方式，Linux 从 Python 3.14 起也是默认），每个子进程都会重新导入主模块并再次执行其顶层代码，从那里启动的进程会因 `RuntimeError` 而失败。",
    },
    fix: {
      en: "Move it under if __name__ == \"__main__\":",
      ko: "if __name__ == \"__main__\": 아래로 옮기기",
      "zh-cn": "移到 if __name__ == \"__main__\": 之下",
    },
  },
  check(ctx) {
    // Most units create no process: answer them without reading the rest of the file.
    const calls = ctx.nodes("call");
    if (calls.length === 0 || !ctx.model.importsAny(["multiprocessing", "concurrent.futures"])) return [];
    const creating = creatingCalls(ctx, calls);
    if (creating.length === 0 || forcesFork(ctx)) return [];
    const fixes = guardFixes(ctx);
    return creating.map(({ call, callee }) =>
      ctx.finding(call, ctx.t("message", { name: callee.text.replace(/\s+/g, "") }), fixes.get(topStatement(call).id)),
    );
  },
};

/** Of these calls, those that create processes while the module is being imported. */
function creatingCalls(ctx: RuleContext, calls: readonly Node[]): { call: Node; callee: Node }[] {
  const creating: { call: Node; callee: Node }[] = [];
  for (const call of calls) {
    const callee = call.childForFieldName("function");
    if (callee && runsOnImport(call) && createsProcess(ctx, callee)) creating.push({ call, callee });
  }
  return creating;
}

function createsProcess(ctx: RuleContext, callee: Node): boolean {
  const qualified = ctx.model.qualifiedName(callee);
  if (qualified && PROCESS_FACTORIES.has(qualified)) return true;
  // `multiprocessing.get_context("spawn").Pool(...)`, or through a name bound to such a context.
  if (callee.type !== "attribute") return false;
  const attribute = callee.childForFieldName("attribute")?.text;
  const object = callee.childForFieldName("object");
  if ((attribute !== "Process" && attribute !== "Pool") || !object) return false;
  const values = object.type === "call" ? [object] : boundValues(ctx.model, object);
  return values !== undefined && values.every((value) => isReimportingContext(ctx, value));
}

/** `multiprocessing.get_context(...)` for any start method but "fork" (fork does not re-import the module). */
function isReimportingContext(ctx: RuleContext, value: Node): boolean {
  if (value.type !== "call") return false;
  const callee = value.childForFieldName("function");
  if (!callee || ctx.model.qualifiedName(callee) !== "multiprocessing.get_context") return false;
  return !isFork(positionalArguments(value)?.[0]);
}

function isFork(argument: Node | undefined): boolean {
  return /^(["'])fork\1$/.test(argument?.text ?? "");
}

/**
 * The callees of every call with "fork" as first argument in a unit, as written
 * (`mp.set_start_method`, or `ssm` after `from multiprocessing import set_start_method as ssm`):
 * which of them is `multiprocessing.set_start_method` is for the unit that reads the fact to say.
 */
const FORK_CALLEES = defineFact("process-without-main-guard:fork-callees", (nodes, unit) => {
  const callees = new Set<string>();
  forEachUnitNodeOfType(nodes, unit, ["call"], (node) => {
    if (node.hasError) return;
    const callee = node.childForFieldName("function");
    if ((callee?.type === "identifier" || callee?.type === "attribute") && isFork(positionalArguments(node)?.[0])) callees.add(callee.text.replace(/\s+/g, ""));
  });
  return [...callees];
});

/** `multiprocessing.set_start_method("fork")` anywhere in the file: children are forked, nothing is re-imported. */
function forcesFork(ctx: RuleContext): boolean {
  return ctx.model.fileFact(FORK_CALLEES).some((callees) => callees.some((callee) => qualifiedText(ctx, callee) === "multiprocessing.set_start_method"));
}

/**
 * What a dotted name written anywhere in the file means, through the module's imports. A first
 * name the module does not bind stands for itself: in working code, a function imported it.
 */
function qualifiedText(ctx: RuleContext, text: string): string | undefined {
  const [head, ...rest] = text.split(".");
  const bindings = ctx.model.moduleBindings(head);
  const meaning = bindings.length === 0 ? head : bindings.find((binding) => binding.kind === "import")?.qualified;
  return meaning === undefined ? undefined : [meaning, ...rest].join(".");
}

/**
 * One fix per run of module-level statements that create processes: indent them under
 * `if __name__ == "__main__":`, together with every later statement that uses a name they
 * bind (so the guarded code still finds its pool). No fix when that run would have to take
 * definitions, imports or multi-line strings along, or shares lines with code outside it.
 */
function guardFixes(ctx: RuleContext): Map<number, Fix> {
  const statements = ctx.model.moduleStatements().filter((node) => node.type !== "comment");
  const creatingStatements = statements.filter(
    (statement) => creatingCalls(ctx, statement.descendantsOfType("call").filter((call): call is Node => call !== null && !call.hasError)).length > 0,
  );
  const indexOf = new Map(statements.map((statement, index) => [statement.id, index]));
  const creatingIndexes = [...new Set(creatingStatements.map((statement) => indexOf.get(statement.id) ?? -1))].sort((a, b) => a - b);
  const fixes = new Map<number, Fix>();
  let position = 0;
  while (position < creatingIndexes.length) {
    // A run: creating statements with only plain statements between them.
    const first = creatingIndexes[position];
    let last = first;
    let next = position + 1;
    while (next < creatingIndexes.length && statements.slice(last + 1, creatingIndexes[next]).every((statement) => movable(statement))) {
      last = creatingIndexes[next];
      next++;
    }
    const end = extendToUsers(statements, first, last);
    const fix = end === undefined ? undefined : wrapInGuard(ctx, statements, first, end);
    if (fix) for (let index = first; index <= (end ?? last); index++) fixes.set(statements[index].id, fix);
    position = next;
  }
  return fixes;
}

/** A statement the fix may indent: no definitions or imports inside, no string spanning lines, not a main guard. */
function movable(statement: Node): boolean {
  if (DEFINITIONS.has(statement.type) || isMainGuard(statement)) return false;
  for (const type of DEFINITIONS) if (statement.descendantsOfType(type).length > 0) return false;
  return statement.descendantsOfType("string").every((string) => string?.startPosition.row === string?.endPosition.row);
}

/**
 * The index of the last statement the guard must cover, starting from `first..last` and
 * growing while a later statement reads a name the covered ones bind. Undefined when the
 * covered range would include something that cannot move.
 */
function extendToUsers(statements: Node[], first: number, last: number): number | undefined {
  let end = last;
  for (;;) {
    for (let index = first; index <= end; index++) if (!movable(statements[index])) return undefined;
    const bound = new Set(statements.slice(first, end + 1).flatMap(boundNames));
    let lastUser = end;
    for (let index = end + 1; index < statements.length; index++) {
      if (statements[index].descendantsOfType("identifier").some((id) => id !== null && bound.has(id.text))) lastUser = index;
    }
    if (lastUser === end) return end;
    end = lastUser;
  }
}

/** Names a statement binds at module level: assignment, loop and `with ... as` targets, `:=`. */
function boundNames(statement: Node): string[] {
  const names: string[] = [];
  const addTarget = (target: Node | null): void => {
    if (!target || target.type === "attribute" || target.type === "subscript") return;
    if (target.type === "identifier") names.push(target.text);
    else for (const child of target.namedChildren) addTarget(child);
  };
  const visit = (node: Node): void => {
    switch (node.type) {
      case "assignment":
      case "augmented_assignment":
      case "for_statement":
      case "for_in_clause":
        addTarget(node.childForFieldName("left"));
        break;
      case "as_pattern_target":
        addTarget(node.namedChild(0));
        break;
      case "named_expression":
        addTarget(node.childForFieldName("name"));
        break;
    }
    for (const child of node.namedChildren) if (child) visit(child);
  };
  visit(statement);
  return names;
}

function wrapInGuard(ctx: RuleContext, statements: Node[], first: number, last: number): Fix | undefined {
  const startRow = statements[first].startPosition.row;
  const endRow = statements[last].endPosition.row;
  if (statements[first].startPosition.column !== 0) return undefined;
  // Code outside the range on the same lines (`a = 1; pool = Pool()`) would be swept along.
  if (first > 0 && statements[first - 1].endPosition.row >= startRow) return undefined;
  if (last + 1 < statements.length && statements[last + 1].startPosition.row <= endRow) return undefined;
  const lines: string[] = [];
  for (let row = startRow; row <= endRow; row++) lines.push(ctx.line(row));
  if (lines.some((line) => line.startsWith("\t"))) return undefined;
  const body = lines.map((line) => (line.trim() === "" ? line.replace(/[ \t]+/g, "") : `    ${line}`)).join("\n");
  const lastLine = lines[lines.length - 1];
  return {
    title: ctx.t("fix"),
    edits: [
      {
        range: { start: { row: startRow, column: 0 }, end: { row: endRow, column: lastLine.length } },
        newText: `if __name__ == "__main__":${ctx.newline}${body}`,
      },
    ],
    safe: false,
  };
}
