import { runCommand } from "../cli/main";
import { loadNodeRuntime } from "./node-runtime";
import { runLanguageServer } from "./lsp-main";

/** The `python-mentor` executable: `lsp` serves until the client stops it, other commands exit. */
async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const runtime = await loadNodeRuntime();
  if (argv[0] === "lsp") {
    runLanguageServer(runtime);
    return;
  }
  const status = runCommand(argv, runtime, {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    isTty: process.stdout.isTTY === true,
    env: process.env,
  });
  // Let piped output drain before exiting.
  process.exitCode = status;
}

main().catch((error: unknown) => {
  process.stderr.write(`python-mentor: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 2;
});
