import { beforeAll, describe, expect, it } from "vitest";
import type { Language, Node, Parser } from "web-tree-sitter";
import { Analyzer } from "../../server/src/analysis/analyzer";
import type { SemanticModel } from "../../server/src/analysis/model/semantic-model";
import { parseText } from "../../server/src/parse/document-tree";
import { createParser } from "../../server/src/parse/python-parser";
import { loadLanguage } from "../helpers/language";

/** The semantic model every rule queries: scopes, bindings, references, owners, class members. */
let language: Language;
let parser: Parser;
let analyzer: Analyzer;
beforeAll(async () => {
  language = await loadLanguage();
  parser = createParser(language);
  analyzer = new Analyzer(language, []);
});

/** Runs `use` on the model of `source`, with a finder for the n-th identifier named `name`. */
function withModel<T>(source: string, use: (model: SemanticModel, find: (name: string, nth?: number) => Node) => T): T {
  const tree = parseText(parser, source);
  try {
    const { model } = analyzer.analyze(tree, source);
    const find = (name: string, nth = 0): Node => {
      const found = tree.rootNode.descendantsOfType("identifier").filter((node) => node?.text === name);
      const node = found[nth];
      if (!node) throw new Error(`no identifier ${name} #${nth}`);
      return node;
    };
    return use(model, find);
  } finally {
    tree.delete();
  }
}

describe("scopes", () => {
  it("has module, class, function, lambda and comprehension scopes", () => {
    const source = "class C:\n    def m(self):\n        f = lambda y: y\n        return [z for z in range(3)]\n";
    withModel(source, (model, find) => {
      expect(model.scopeOf(find("y", 1)).kind).toBe("lambda");
      expect(model.scopeOf(find("z", 0)).kind).toBe("comprehension");
      expect(model.scopeOf(find("f")).kind).toBe("function");
      expect(model.scopeOf(find("m")).kind).toBe("class");
      expect(model.scopeOf(find("C")).kind).toBe("module");
    });
  });

  it("runs defaults, decorators and bases in the enclosing scope, parameter names in the function's", () => {
    const source = "def f(a=b, *args: int):\n    return a\nclass K(Base):\n    pass\n";
    withModel(source, (model, find) => {
      expect(model.scopeOf(find("b")).kind).toBe("module");
      expect(model.scopeOf(find("a", 0)).kind).toBe("function");
      expect(model.scopeOf(find("int")).kind).toBe("module");
      expect(model.scopeOf(find("Base")).kind).toBe("module");
    });
  });

  it("evaluates a comprehension's first iterable outside it", () => {
    withModel("[x for x in x]\n", (model, find) => {
      expect(model.scopeOf(find("x", 2)).kind).toBe("module");
      expect(model.scopeOf(find("x", 0)).kind).toBe("comprehension");
    });
  });
});

describe("bindings", () => {
  it("records every way of binding a name", () => {
    const source = [
      "import os.path",
      "from json import loads as parse",
      "def f(p, *rest, k=1, **kw):",
      "    a = 1",
      "    a += 2",
      "    for i in []: pass",
      "    with open(p) as fh: pass",
      "    try: pass",
      "    except Exception as e: pass",
      "    (w := 3)",
      "    del a",
      "    global g",
      "    g = 1",
      "    def inner(): nonlocal a",
      "    class Local: pass",
      "    t: int",
      "",
    ].join("\n");
    withModel(source, (model, find) => {
      const scope = model.scopeFor(find("f").parent as Node);
      if (!scope) throw new Error("no scope for f");
      const kinds = (name: string) => scope.bindingsOf(name).map((binding) => binding.kind);
      expect(kinds("p")).toEqual(["parameter"]);
      expect(kinds("rest")).toEqual(["parameter"]);
      expect(kinds("kw")).toEqual(["parameter"]);
      expect(kinds("a")).toEqual(["assignment", "augmented-assignment", "deletion"]);
      expect(kinds("i")).toEqual(["for-target"]);
      expect(kinds("fh")).toEqual(["with-target"]);
      expect(kinds("e")).toEqual(["except-target"]);
      expect(kinds("w")).toEqual(["named-expression"]);
      expect(kinds("inner")).toEqual(["function"]);
      expect(kinds("Local")).toEqual(["class"]);
      expect(kinds("t")).toEqual(["annotation"]);
      expect(scope.binds("g")).toBe(false);
      expect(scope.globals.has("g")).toBe(true);
      expect(model.module.bindingsOf("os").map((binding) => binding.qualified)).toEqual(["os"]);
      expect(model.module.bindingsOf("parse").map((binding) => binding.qualified)).toEqual(["json.loads"]);
    });
  });

  it("resolves names by Python's rules: class bodies are invisible from methods", () => {
    const source = "x = 1\nclass C:\n    x = 2\n    y = x\n    def m(self):\n        return x\n";
    withModel(source, (model, find) => {
      expect(model.resolve(find("x", 2))?.scope.kind).toBe("class");
      expect(model.resolve(find("x", 3))?.scope.kind).toBe("module");
    });
  });

  it("sums a name up for rules: kind, scope and definition", () => {
    const source = "def helper():\n    pass\n\nclass Thing:\n    pass\n\ndef use():\n    helper()\n    Thing()\n";
    withModel(source, (model, find) => {
      const helper = model.binding(find("helper", 1));
      expect(helper?.kind).toBe("function");
      expect(helper?.definition?.type).toBe("function_definition");
      expect(model.localClass(find("Thing", 1))?.type).toBe("class_definition");
    });
  });

  it("qualifies names through imports in any scope, aliases included", () => {
    const source = "def f():\n    import numpy as np\n    return np.array\n\nnp.array\n";
    withModel(source, (model, find) => {
      const inside = find("np", 1).parent as Node;
      const outside = find("np", 2).parent as Node;
      expect(model.qualifiedName(inside)).toBe("numpy.array");
      expect(model.qualifiedName(outside)).toBeUndefined();
    });
  });
});

describe("references", () => {
  it("are kept by kind: load, store, delete, call, attribute base and iteration", () => {
    const source = "def f(items):\n    total = 0\n    for item in items:\n        total += len(item.size)\n    del total\n    return total\n";
    withModel(source, (model, find) => {
      const scope = model.scopeFor(find("f").parent as Node);
      const kinds = (name: string) => scope?.references.filter((reference) => reference.name === name).map((reference) => reference.kind);
      expect(kinds("items")).toEqual(["iteration"]);
      expect(kinds("len")).toEqual(["call"]);
      expect(kinds("item")).toEqual(["store", "attribute-base"]);
      expect(kinds("total")).toEqual(["store", "load", "store", "delete", "load"]);
    });
  });
});

describe("owners and class members", () => {
  const source = [
    "class Shape:",
    "    sides = 0",
    "    def area(self): return 1",
    "    @staticmethod",
    "    def make(): return Shape()",
    "    @classmethod",
    "    def build(cls): return cls()",
    "    def __new__(cls): return object.__new__(cls)",
    "",
  ].join("\n");

  it("names the function, the class and the method kind around a node", () => {
    withModel(source, (model, find) => {
      const inMake = model.owner(find("Shape", 1));
      expect(inMake.function?.childForFieldName("name")?.text).toBe("make");
      expect(inMake.class?.childForFieldName("name")?.text).toBe("Shape");
      expect(inMake.method?.kind).toBe("static");
      expect(model.owner(find("cls", 1)).method?.kind).toBe("class");
      expect(model.owner(find("cls", 3)).method?.kind).toBe("static");
      expect(model.owner(find("self")).method?.kind).toBe("instance");
      expect(model.owner(find("sides")).function).toBeUndefined();
    });
  });

  it("lists a class's members with their kinds", () => {
    withModel(source, (model, find) => {
      const members = model.classMembers(find("Shape").parent as Node);
      expect([...members].map(([name, member]) => `${name}:${member.kind}:${member.methodKind ?? ""}`)).toEqual([
        "sides:attribute:",
        "area:method:instance",
        "make:method:static",
        "build:method:class",
        "__new__:method:static",
      ]);
    });
  });
});
