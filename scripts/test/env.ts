// Where the tests find the stack under test. `npm test` starts one on its own ports (ATENDE_TEST_PORT_BASE,
// default 54421: API there, Postgres on the next port, the console next, the WhatsApp simulator 9 above) and data folder, and passes them to the test processes
// through ATENDE_API_PORT / ATENDE_DB_PORT.
import { loadConfig, repoRoot } from "../local/config.ts";
import { join } from "../local/path.ts";

const base = Number(Deno.env.get("ATENDE_TEST_PORT_BASE") ?? 54421);
export const testPorts = { api: base, db: base + 1, web: base + 2, simulator: base + 9 };
export const testDataDir = join(repoRoot, ".local", `test-${base}`);

export function testConfig() {
  return loadConfig({
    apiPort: Number(Deno.env.get("ATENDE_API_PORT") ?? testPorts.api),
    dbPort: Number(Deno.env.get("ATENDE_DB_PORT") ?? testPorts.db),
    dataDir: testDataDir,
  });
}

export const testSimulatorUrl = () =>
  `http://127.0.0.1:${Deno.env.get("ATENDE_SIMULATOR_PORT") ?? testPorts.simulator}`;
