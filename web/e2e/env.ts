// Where the e2e specs find the running product: the console, the API (for seeding with the service role) and
// the WhatsApp simulator that plays the customer. Defaults are `npm start`'s ports.
const env = (globalThis as unknown as { process: { env: Record<string, string | undefined> } }).process.env;

export const webUrl = env.ATENDE_WEB_URL ?? "http://127.0.0.1:54323";
export const apiUrl = env.ATENDE_API_URL ?? "http://127.0.0.1:54321";
export const simulatorUrl = env.ATENDE_SIMULATOR_URL ?? "http://127.0.0.1:54330";
export const serviceRoleKey = env.SUPABASE_SERVICE_ROLE_KEY ??
  "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZS1kZW1vIiwicm9sZSI6InNlcnZpY2Vfcm9sZSIsImV4cCI6MTk4MzgxMjk5Nn0.EGIM96RAZx35lJzdJsyH-qQwv8Hdp7fsn3W0YpN81IU";
export const chromiumPath = env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** The seed's people and channels (supabase/seed.sql). */
export const agents = {
  ana: { email: "ana@atende.test", name: "Ana", id: "de000000-0000-4000-8000-000000000101" },
  bruno: { email: "bruno@atende.test", name: "Bruno", id: "de000000-0000-4000-8000-000000000102" },
  carla: { email: "carla@atende.test", name: "Carla", id: "de000000-0000-4000-8000-000000000103" },
  dora: { email: "dora@atende.test", name: "Dora", id: "de000000-0000-4000-8000-000000000104" },
} as const;
export const password = "atende123";
export const evolutionInstance = "atende-demo";
/** The Cloud API number: the only provider whose 24 h window the product enforces. */
export const cloudPhoneNumberId = "100000000000001";
