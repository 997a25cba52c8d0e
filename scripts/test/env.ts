// Where the tests find the stack under test. `npm test` starts one on its own ports and data folder and passes
// them here through ATENDE_API_PORT / ATENDE_DB_PORT; without them the test ports below are assumed.
import { loadConfig } from "../local/config.ts";

export const testPorts = { api: 54421, db: 54422 };

export function testConfig() {
  return loadConfig({
    apiPort: Number(Deno.env.get("ATENDE_API_PORT") ?? testPorts.api),
    dbPort: Number(Deno.env.get("ATENDE_DB_PORT") ?? testPorts.db),
  });
}
