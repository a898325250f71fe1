// Builds dist/: the VS Code client, the `python-mentor` CLI + language server (one bundle), the
// tree-sitter WebAssembly files beside them, and the knowledge base compiled into the bundle.
// A broken knowledge entry fails the build with its file and field named.
import * as esbuild from "esbuild";
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
// PYM_OUTDIR builds elsewhere, so parallel work can build without clobbering dist/.
const dist = process.env.PYM_OUTDIR ? path.resolve(process.env.PYM_OUTDIR) : path.join(root, "dist");
const require = createRequire(import.meta.url);
const pkg = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8"));
const production = process.argv.includes("--production");

rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });

const common = {
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  sourcemap: production ? false : "linked",
  minify: production,
  logLevel: "warning",
  // The ESM build of web-tree-sitter reads import.meta.url, which a CommonJS bundle lacks.
  alias: { "web-tree-sitter": require.resolve("web-tree-sitter") },
};

// VS Code for the Web: the client and the server (in a web worker), built for the browser into
// dist/web/. The worker fetches the wasm files copied into dist/ below: they are not shipped twice.
const web = {
  ...common,
  platform: "browser",
  target: "es2022",
  alias: {},
  // web-tree-sitter's ESM build asks import.meta.url where its wasm is only when no locateFile is
  // given (the worker gives one); the package's "browser" field maps its Node built-ins to nothing.
  define: { "import.meta.url": "undefined" },
};

const entries = await compileKnowledge();

await Promise.all([
  esbuild.build({
    ...common,
    entryPoints: [path.join(root, "client/src/extension.ts")],
    outfile: path.join(dist, "client.js"),
    external: ["vscode"],
  }),
  esbuild.build({
    ...common,
    entryPoints: [path.join(root, "server/src/node/bin.ts")],
    outfile: path.join(dist, "python-mentor.js"),
    plugins: [buildInfoPlugin(entries)],
  }),
  esbuild.build({
    ...web,
    format: "cjs",
    entryPoints: [path.join(root, "client/src/browser-extension.ts")],
    outfile: path.join(dist, "web", "client.js"),
    external: ["vscode"],
  }),
  esbuild.build({
    ...web,
    format: "iife",
    entryPoints: [path.join(root, "server/src/browser/worker-main.ts")],
    outfile: path.join(dist, "web", "server.js"),
    plugins: [buildInfoPlugin(entries)],
  }),
  esbuild.build({
    ...common,
    entryPoints: [path.join(root, "bench/main.ts")],
    outfile: path.join(dist, "bench.js"),
    plugins: [buildInfoPlugin(entries)],
  }),
  esbuild.build({
    ...common,
    entryPoints: [path.join(root, "ecosystem/main.ts")],
    outfile: path.join(dist, "ecosystem.js"),
    plugins: [buildInfoPlugin(entries)],
  }),
]);

copyFileSync(require.resolve("web-tree-sitter/web-tree-sitter.wasm"), path.join(dist, "web-tree-sitter.wasm"));
copyFileSync(path.join(path.dirname(require.resolve("tree-sitter-python/package.json")), "tree-sitter-python.wasm"), path.join(dist, "tree-sitter-python.wasm"));
console.log(`built ${path.relative(root, dist) || dist}/ (python-mentor ${pkg.version}, ${entries.length} knowledge entries)`);

/** Runs the TypeScript knowledge compiler (bundled on the fly) over knowledge/<locale>/*.md. */
async function compileKnowledge() {
  const compilerFile = path.join(dist, ".compile-knowledge.cjs");
  await esbuild.build({
    ...common,
    sourcemap: false,
    minify: false,
    stdin: {
      contents: `export { compileKnowledge } from "./server/src/knowledge/compile-knowledge";\nexport { RULES } from "./server/src/rules/registry";`,
      resolveDir: root,
      loader: "ts",
    },
    outfile: compilerFile,
  });
  const { compileKnowledge: compile, RULES } = require(compilerFile);
  rmSync(compilerFile);
  const knowledgeDir = path.join(root, "knowledge");
  const files = [];
  for (const locale of readdirSync(knowledgeDir).sort()) {
    if (!readdirSync(knowledgeDir, { withFileTypes: true }).find((e) => e.name === locale)?.isDirectory()) continue;
    for (const name of readdirSync(path.join(knowledgeDir, locale)).sort()) {
      if (name.endsWith(".md")) files.push({ path: `${locale}/${name}`, text: readFileSync(path.join(knowledgeDir, locale, name), "utf8") });
    }
  }
  try {
    return compile(files, RULES.map((rule) => rule.code));
  } catch (error) {
    console.error(`knowledge/${error.message}`);
    process.exit(1);
  }
}

function buildInfoPlugin(entries) {
  return {
    name: "build-info",
    setup(build) {
      build.onResolve({ filter: /^virtual:build-info$/ }, () => ({ path: "build-info", namespace: "build-info" }));
      build.onLoad({ filter: /.*/, namespace: "build-info" }, () => ({
        contents: `export const version = ${JSON.stringify(pkg.version)};\nexport const entries = ${JSON.stringify(entries)};`,
        loader: "js",
      }));
    },
  };
}
