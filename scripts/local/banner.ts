// What `npm start` prints once the stack is ready: the URLs, keys and demo logins a developer needs.
import type { RunningStack } from "./stack.ts";

export async function printBanner(stack: RunningStack): Promise<void> {
  const c = stack.cfg;
  const logins = await Deno.readTextFile(new URL("../../supabase/seed.sql", import.meta.url))
    .then((seed) =>
      [...seed.matchAll(/-- login: (\S+) \/ (\S+)(.*)/g)].map((m) => `  ${m[1]} / ${m[2]}${m[3]}`)
    )
    .catch(() => []);
  const lines = [
    "",
    "Atende offline stack is running.",
    "",
    ...(stack.webUrl ? [`     Console URL: ${stack.webUrl}  ← the agents' console`] : []),
    `         API URL: ${c.apiUrl}`,
    `     GraphQL URL: (not provided offline)`,
    `    Realtime URL: ws://127.0.0.1:${c.apiPort}/realtime/v1`,
    `   Functions URL: ${c.apiUrl}/functions/v1`,
    `          DB URL: ${c.dbUrl}`,
    ...(stack.simulatorUrl
      ? [`   Simulator URL: ${stack.simulatorUrl} (WhatsApp simulator, customer phone page)`]
      : []),
    `      JWT secret: ${c.jwtSecret}`,
    `        anon key: ${c.anonKey}`,
    `service_role key: ${c.serviceRoleKey}`,
    ` Publishable key: ${c.publishableKey}`,
    `      Secret key: ${c.secretKey}`,
    ...(logins.length ? ["", "Demo logins:", ...logins] : []),
    "",
    `migrations applied now: ${stack.applied.length ? stack.applied.join(", ") : "none (up to date)"}${
      stack.seeded ? "; seed.sql loaded" : ""
    }`,
    "Stop with Ctrl-C or `npm run stop`. Wipe and rebuild with `npm start -- --reset`.",
    "",
  ];
  console.log(lines.join("\n"));
}
