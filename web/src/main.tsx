import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App";
import { loadRuntimeConfig } from "./lib/config";
import { initSupabase } from "./lib/supabase";
import "./styles.css";

const root = createRoot(document.getElementById("root")!);

loadRuntimeConfig().then(
  (config) => {
    initSupabase(config);
    root.render(
      <StrictMode>
        <App />
      </StrictMode>,
    );
  },
  (error: unknown) => {
    root.render(
      <main className="pad" role="alert">
        <h1>Atende</h1>
        <p>{error instanceof Error ? error.message : String(error)}</p>
      </main>,
    );
  },
);
