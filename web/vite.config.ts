import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

export default defineConfig({
  plugins: [react()],
  server: { port: 54323, strictPort: true },
  preview: { port: 54323, strictPort: true },
});
