import type { StackConfig } from "../config.ts";
import type { Sql } from "../db.ts";
import type { ServiceHandler } from "../gateway.ts";
import { json } from "../http.ts";
export function createRestService(
  _cfg: StackConfig,
  _sql: Sql,
): Promise<{ handler: ServiceHandler; stop(): Promise<void> }> {
  return Promise.resolve({
    handler: () => json({ message: "rest is being built" }, 501),
    stop: () => Promise.resolve(),
  });
}
