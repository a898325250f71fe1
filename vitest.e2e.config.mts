import { defineConfig } from "vitest/config";

// Editor end-to-end tests (`npm run test:e2e`): real Neovim, real VS Code (code-server in
// Chromium), the browser server bundle in Chromium. One file at a time: each starts an editor.
export default defineConfig({
  test: {
    include: ["tests/e2e/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    pool: "forks",
    fileParallelism: false,
  },
});
