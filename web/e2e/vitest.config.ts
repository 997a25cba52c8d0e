import { defineConfig } from "vitest/config";

// The e2e specs drive the running product in Chromium: one file at a time, generous deadlines per step.
export default defineConfig({
  test: {
    root: new URL("..", import.meta.url).pathname,
    include: ["e2e/**/*.e2e.ts"],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});
