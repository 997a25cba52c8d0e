// Private-channel permissions from the RLS policies on realtime.messages, probed exactly as Supabase Realtime does
// (lib/realtime/tenants/authorization.ex): in a transaction that is always rolled back, with the caller's role,
// JWT claims and `realtime.topic` set locally. A visible probe row means read; an insert that passes means write.
import type { Sql, Tx } from "../db.ts";
import type { Claims } from "../jwt.ts";

export type Extension = "broadcast" | "presence";
export const extensions: readonly Extension[] = ["broadcast", "presence"];

/** null = not evaluated yet (Realtime evaluates write on first use, presence read once presence is used). */
export interface Permission {
  read: boolean | null;
  write: boolean | null;
}
export type Policies = Record<Extension, Permission>;

export const unevaluated = (): Policies => ({
  broadcast: { read: null, write: null },
  presence: { read: null, write: null },
});

export interface AuthContext {
  /** The channel name without `realtime:`, what `realtime.topic()` returns. */
  topic: string;
  claims: Claims;
  /** The x-* headers of the WebSocket upgrade or HTTP request, as `request.headers`. */
  headers: Record<string, string>;
}

class RolledBack<T> extends Error {
  constructor(readonly value: T) {
    super("rolled back on purpose");
  }
}

async function rolledBack<T>(sql: Sql, fn: (tx: Tx) => Promise<T>): Promise<T> {
  try {
    await sql.begin(async (tx) => {
      throw new RolledBack(await fn(tx));
    });
  } catch (e) {
    if (e instanceof RolledBack) return e.value as T;
    throw e;
  }
  throw new Error("unreachable: the probe transaction always rolls back");
}

async function actAs(tx: Tx, ctx: AuthContext): Promise<void> {
  const role = String(ctx.claims.role);
  await tx`select set_config('role', ${role}, true),
    set_config('realtime.topic', ${ctx.topic}, true),
    set_config('request.jwt.claims', ${JSON.stringify(ctx.claims)}, true),
    set_config('request.jwt.claim.sub', ${String(ctx.claims.sub ?? "")}, true),
    set_config('request.jwt.claim.role', ${role}, true),
    set_config('request.headers', ${JSON.stringify(ctx.headers)}, true)`;
}

const copy = (p: Policies): Policies => ({ broadcast: { ...p.broadcast }, presence: { ...p.presence } });

/** Evaluates read for the given extensions; the others keep their current value. */
export function authorizeRead(
  sql: Sql,
  ctx: AuthContext,
  which: Extension[],
  current: Policies,
): Promise<Policies> {
  return rolledBack(sql, async (tx) => {
    const probes = which.map((extension) => ({ id: crypto.randomUUID(), topic: ctx.topic, extension }));
    await tx`insert into realtime.messages ${tx(probes, "id", "topic", "extension")}`;
    await actAs(tx, ctx);
    const ids = probes.map((p) => p.id);
    const visible = new Set(
      (await tx`select id::text from realtime.messages where id = any(${ids}::uuid[])`).map((r) => r.id),
    );
    const next = copy(current);
    for (const p of probes) next[p.extension].read = visible.has(p.id);
    return next;
  });
}

/** Evaluates write for both extensions (the INSERT policy), each insert in its own savepoint. */
export function authorizeWrite(sql: Sql, ctx: AuthContext, current: Policies): Promise<Policies> {
  return rolledBack(sql, async (tx) => {
    await actAs(tx, ctx);
    const next = copy(current);
    for (const extension of extensions) {
      try {
        await tx.savepoint((sp) =>
          sp`insert into realtime.messages (topic, extension) values (${ctx.topic}, ${extension})`
        );
        next[extension].write = true;
      } catch (e) {
        if ((e as { code?: string }).code !== "42501") throw e; // insufficient_privilege: the policy said no
        next[extension].write = false;
      }
    }
    return next;
  });
}
