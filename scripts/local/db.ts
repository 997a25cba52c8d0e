// Database access for the stack's services: one pool, and one transaction per request with the caller's
// role and JWT claims set locally — the way PostgREST and Realtime do it, so Row Level Security is real.
import postgres from "npm:postgres@3.4.9";
import type { StackConfig } from "./config.ts";
import type { Claims } from "./jwt.ts";

export type Sql = postgres.Sql;
export type Tx = postgres.TransactionSql;

export function connect(cfg: StackConfig, max = 20): Sql {
  return postgres(cfg.dbUrl, {
    max,
    onnotice: () => {},
    connection: { application_name: "atende-stack" },
    debug: cfg.verbose
      ? (_conn, query, params) => console.log(`[sql] ${query.trim()} ${JSON.stringify(params)}`)
      : undefined,
  });
}

export interface RequestSettings {
  claims: Claims;
  readOnly?: boolean;
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  extra?: Record<string, string>;
}

/** Runs fn inside one transaction with `role`, `request.jwt.claims` and friends set for this request only. */
export function asRequest<T>(sql: Sql, s: RequestSettings, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const role = String(s.claims.role ?? "anon");
  const settings: Record<string, string> = {
    role,
    "request.jwt.claims": JSON.stringify(s.claims),
    "request.method": s.method ?? "POST",
    "request.path": s.path ?? "/",
    "request.headers": JSON.stringify(s.headers ?? {}),
    ...s.extra,
  };
  const names = Object.keys(settings);
  return sql.begin(s.readOnly ? "read only" : "read write", async (tx) => {
    await tx.unsafe(
      `select ${names.map((_, i) => `set_config($${2 * i + 1}, $${2 * i + 2}, true)`).join(", ")}`,
      names.flatMap((n) => [n, settings[n]]),
    );
    return await fn(tx);
  }) as Promise<T>;
}
