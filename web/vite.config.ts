import { defineConfig } from "vitest/config";
import react from "@vitejs/plugin-react";

export default defineConfig({
  plugins: [react()],
  // The console's initial route is ~190 KB gzipped (budget 300 KB); Rollup's warning counts raw bytes.
  build: { chunkSizeWarningLimit: 800 },
  test: { include: ["src/**/*.test.ts"] },
  server: { port: 54323, strictPort: true },
  preview: { port: 54323, strictPort: true },
});
