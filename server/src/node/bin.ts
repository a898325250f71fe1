import { isMainThread, parentPort, workerData } from "node:worker_threads";
import { runCommand } from "../cli/main";
import { isCheckWorkerData, serveCheckWorker } from "../cli/check-worker";
import { loadBundledLanguage, nodeRuntime } from "./node-runtime";
import { runLanguageServer } from "./lsp-main";

/** The `python-mentor` executable: `lsp` serves until the client stops it, other commands exit. */
async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const runtime = nodeRuntime();
  if (argv[0] === "lsp") {
    runLanguageServer(runtime, await runtime.loadLanguage());
    return;
  }
  const status = await runCommand(argv, runtime, {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    isTty: process.stdout.isTTY === true,
    env: process.env,
  });
  // Let piped output drain before exiting.
  process.exitCode = status;
}

if (!isMainThread && parentPort && isCheckWorkerData(workerData)) {
  // This thread is a `check --jobs` worker. If it cannot start, the rejection kills the thread,
  // and the main thread reports it.
  void serveCheckWorker(parentPort, workerData, loadBundledLanguage);
} else {
  main().catch((error: unknown) => {
    process.stderr.write(`python-mentor: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 2;
  });
}
