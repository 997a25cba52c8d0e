// How Debian's Chromium is launched for the e2e specs and the console benchmark (scripts/bench/console.ts): no
// sandbox, GPU or background traffic. Kept free of imports so Deno can load it too.
export const launchFlags = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
