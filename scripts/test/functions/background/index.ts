// Answers at once, then records the call in the database after the response, through EdgeRuntime.waitUntil.
import postgres from "npm:postgres@3.4.9";

declare const EdgeRuntime: { waitUntil(p: Promise<unknown>): void };

const sql = postgres(Deno.env.get("SUPABASE_DB_URL")!, { max: 2, onnotice: () => {} });

Deno.serve(async (req) => {
  const body = await req.json().catch(() => ({}));
  const marker = String(body.marker ?? crypto.randomUUID());
  EdgeRuntime.waitUntil(sql`insert into public.contract_function_calls (marker) values (${marker})`);
  return Response.json({ accepted: marker }, { status: 202 });
});
