/**
 * Usage snippets for knowledge triggers, written the way people use each one. The character after
 * `‸` is where a hover must show the trigger's entry. Shared by the hover test and the benchmark.
 */
export const MARK = "‸";
/** Snippets for triggers that are not qualified names. */
const SYNTAX_SNIPPETS: Record<string, string[]> = {
  "keyword:async": ["‸async def main():\n    pass\n", "async def main(rows):\n    ‸async for row in rows:\n        print(row)\n"],
  "keyword:await": ["import asyncio\n\nasync def main():\n    ‸await asyncio.sleep(0)\n"],
  "keyword:yield": ["def count():\n    ‸yield 1\n"],
  "keyword:yield from": ["def chain():\n    ‸yield from [1, 2]\n", "def chain():\n    yield ‸from [1, 2]\n"],
  "keyword:del": ["items = [1]\n‸del items\n"],
  "keyword:try": ["‸try:\n    pass\nexcept ValueError:\n    pass\n"],
  "keyword:except": ["try:\n    pass\n‸except ValueError:\n    pass\n"],
  "keyword:finally": ["try:\n    pass\n‸finally:\n    pass\n"],
  "keyword:raise": ["def check(x):\n    ‸raise ValueError(x)\n"],
  "keyword:with": ["‸with open('data.txt') as f:\n    print(f.read())\n"],
  "keyword:async with": ["async def main(lock):\n    async ‸with lock:\n        pass\n"],
  "keyword:is": ["def check(x):\n    return x ‸is None\n"],
  "keyword:is not": ["def check(x):\n    return x is ‸not None\n"],
  "syntax:decorator": ["import functools\n\n‸@functools.cache\ndef f():\n    return 1\n"],
  "syntax:generator-expression": ["total = sum(x * x ‸for x in range(10))\n", "squares = ‸(x * x for x in range(10))\n"],
};

/** How code gets an instance of a class whose methods are triggers. */
function instanceSnippet(owner: string, method: string): string | undefined {
  if (owner === "types.GeneratorType") return `def count():\n    yield 1\n\ngen = count()\ngen.${MARK}${method}(None)\n`;
  if (owner === "asyncio.AbstractEventLoop") {
    return `import asyncio\n\nasync def main():\n    loop = asyncio.get_running_loop()\n    await loop.${MARK}${method}(None, print)\n`;
  }
  if (owner.startsWith("builtins.")) return `obj = ${owner.slice("builtins.".length)}()\nobj.${MARK}${method}\n`;
  const dot = owner.lastIndexOf(".");
  const [module, name] = [owner.slice(0, dot), owner.slice(dot + 1)];
  if (!/^[A-Z]/.test(name) && owner !== "collections.deque") return undefined;
  return `from ${module} import ${name}\n\nobj = ${name}()\nobj.${MARK}${method}\n`;
}

export function snippetsFor(trigger: string, owners: ReadonlySet<string>): string[] {
  if (!/^[A-Za-z_][\w.]*$/.test(trigger)) {
    if (trigger.startsWith("def:")) return [`class Thing:\n    def ${MARK}${trigger.slice(4)}(self, *args):\n        pass\n`];
    if (trigger.startsWith("attr:")) return [`class Thing:\n    pass\n\nprint(Thing.${MARK}${trigger.slice(5)})\n`];
    return SYNTAX_SNIPPETS[trigger] ?? [];
  }
  const parts = trigger.split(".");
  const owner = parts.slice(0, -1).join(".");
  const last = parts[parts.length - 1];
  if (owners.has(owner) || owner.startsWith("builtins.") || owner === "types.GeneratorType" || owner === "asyncio.AbstractEventLoop") {
    const snippet = instanceSnippet(owner, last);
    return snippet ? [snippet] : [];
  }
  if (parts[0] === "builtins") return [`value = ${MARK}${last}\n`];
  if (parts.length === 1) return [`import ${MARK}${trigger}\n`, `import ${trigger}\n\nprint(${MARK}${trigger})\n`];
  const module = parts.slice(0, -1).join(".");
  return [
    `import ${module}\n\nprint(${module}.${MARK}${last})\n`,
    `from ${module} import ${last}\n\nprint(${MARK}${last})\n`,
    `from ${module} import ${MARK}${last} as alias\n`,
    `from ${module} import ${last} as alias\n\nprint(${MARK}alias)\n`,
  ];
}


/** Classes whose methods are triggers: `collections.deque` for `collections.deque.popleft`. */
export function methodOwners(triggers: readonly string[]): Set<string> {
  return new Set(
    triggers.filter((trigger) => triggers.some((other) => other.startsWith(`${trigger}.`) && /^[A-Z]|^deque$/.test(trigger.split(".").pop() ?? ""))),
  );
}
