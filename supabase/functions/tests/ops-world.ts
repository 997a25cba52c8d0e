// A tenant of its own for the monitoring, channel and member tests, so the figures they assert are theirs alone:
// an admin, a manager and an agent made as an operator would (GoTrue's admin API, then the member rows), who sign
// in with their passwords; and numbers connected on the WhatsApp simulator the way an integrator connects them,
// with the setup the channels function answers.
import { createClient, type SupabaseClient } from "npm:@supabase/supabase-js@2.119.1";
import type postgres from "npm:postgres@3.4.9";
import { testConfig, testSimulatorUrl } from "../../../scripts/test/env.ts";
import { eventually } from "../../../scripts/test/wait.ts";

export const cfg = testConfig();
export const sim = testSimulatorUrl();
export const PASSWORD = "atende-ops-123";

type Role = "agent" | "manager" | "admin";

export interface Person {
  id: string;
  email: string;
  client: SupabaseClient;
}

export interface World {
  tenantId: string;
  departmentId: string;
  admin: Person;
  manager: Person;
  agent: Person;
}

export const unique = () => crypto.randomUUID().slice(0, 8);

export const serviceClient = () =>
  createClient(cfg.apiUrl, cfg.serviceRoleKey, { auth: { persistSession: false, autoRefreshToken: false } });

export async function signIn(email: string, password = PASSWORD): Promise<SupabaseClient> {
  const client = createClient(cfg.apiUrl, cfg.anonKey, { auth: { persistSession: false } });
  const { error } = await client.auth.signInWithPassword({ email, password });
  if (error) throw error;
  return client;
}

async function person(sql: postgres.Sql, tenantId: string, role: Role): Promise<Person> {
  const email = `${role}-${unique()}@ops.atende.test`;
  const { data, error } = await serviceClient().auth.admin.createUser({
    email,
    password: PASSWORD,
    email_confirm: true,
  });
  if (error) throw error;
  await sql`insert into members (tenant_id, user_id, role, display_name)
    values (${tenantId}, ${data.user.id}, ${role}, ${role[0].toUpperCase() + role.slice(1)})`;
  return { id: data.user.id, email, client: await signIn(email) };
}

export async function createWorld(sql: postgres.Sql): Promise<World> {
  const [{ id: tenantId }] = await sql`insert into tenants (name) values (${`Ops ${unique()}`}) returning id`;
  const [{ id: departmentId }] =
    await sql`insert into departments (tenant_id, name) values (${tenantId}, 'Atendimento') returning id`;
  return {
    tenantId,
    departmentId,
    admin: await person(sql, tenantId, "admin"),
    manager: await person(sql, tenantId, "manager"),
    agent: await person(sql, tenantId, "agent"),
  };
}

/** Calls a function as the signed-in user; `status` and `body` as the console would see them. */
// deno-lint-ignore no-explicit-any
export async function invoke<T = any>(
  client: SupabaseClient,
  name: string,
  opts: { method?: "GET" | "POST" | "PATCH" | "DELETE"; body?: unknown } = {},
): Promise<{ status: number; body: T }> {
  const { data, error, response } = await client.functions.invoke(name, {
    method: opts.method ?? "POST",
    ...(opts.body === undefined ? {} : { body: opts.body as Record<string, unknown> }),
  });
  if (!error) return { status: response?.status ?? 200, body: data };
  const res = (error as { context?: Response }).context;
  if (!res) throw error;
  return { status: res.status, body: await res.json() };
}

export async function control(method: string, path: string, body?: unknown) {
  const res = await fetch(`${sim}/_control${path}`, {
    method,
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json();
  if (!res.ok) throw new Error(`simulator ${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

export interface Connected {
  id: string;
  externalId: string;
  // deno-lint-ignore no-explicit-any
  created: any;
}

/**
 * An Evolution number on the simulator: the admin creates the channel, the instance exists in "Evolution", and
 * the integrator sends Evolution the `POST /webhook/set` request the setup spells out.
 */
export async function connectEvolution(world: World): Promise<Connected> {
  const instance = `ops-${unique()}`;
  const apiKey = `evolution-key-${unique()}`;
  const { status, body } = await invoke(world.admin.client, "channels", {
    body: {
      tenant_id: world.tenantId,
      provider: "evolution",
      name: `Evolution ${instance}`,
      instance_name: instance,
      base_url: sim,
      api_key: apiKey,
      default_department_id: world.departmentId,
    },
  });
  if (status !== 201) throw new Error(`channel creation answered ${status}: ${JSON.stringify(body)}`);
  await control("POST", "/channels/evolution", { instance, apikey: apiKey });
  const set = body.setup.webhook_set;
  const res = await fetch(set.url, {
    method: set.method,
    headers: { ...set.headers, apikey: apiKey },
    body: JSON.stringify(set.body),
  });
  if (res.status !== 201) throw new Error(`webhook/set answered ${res.status}: ${await res.text()}`);
  return { id: body.channel.id, externalId: instance, created: body };
}

/** A Cloud API number on the simulator: Meta verifies the callback URL with the verify token when it is saved. */
export async function connectCloud(world: World, opts: { onSimulator?: boolean } = {}): Promise<Connected> {
  const phoneNumberId = `1065${String(Math.floor(Math.random() * 1e11)).padStart(11, "0")}`;
  const accessToken = `EAAG${unique()}`;
  const appSecret = `app-secret-${unique()}`;
  const onSimulator = opts.onSimulator ?? true;
  const { status, body } = await invoke(world.admin.client, "channels", {
    body: {
      tenant_id: world.tenantId,
      provider: "cloud",
      name: `Cloud ${phoneNumberId}`,
      phone_number_id: phoneNumberId,
      waba_id: "102290129340398",
      access_token: accessToken,
      app_secret: appSecret,
      ...(onSimulator ? { base_url: sim } : {}),
    },
  });
  if (status !== 201) throw new Error(`channel creation answered ${status}: ${JSON.stringify(body)}`);
  if (onSimulator) {
    await control("POST", "/channels/cloud", {
      phone_number_id: phoneNumberId,
      display_phone_number: `1555${phoneNumberId.slice(-7)}`,
      access_token: accessToken,
      app_secret: appSecret,
      webhook_url: body.setup.callback_url,
      verify_token: body.setup.verify_token.value,
      waba_id: "102290129340398",
    });
  }
  return { id: body.channel.id, externalId: phoneNumberId, created: { ...body, appSecret } };
}

/** Joins the tenant's private topic; `received` resolves with the first broadcast of `event` from then on. */
export async function watchTenant(client: SupabaseClient, tenantId: string, event: string) {
  const channel = client.channel(`tenant:${tenantId}`, { config: { private: true } });
  // deno-lint-ignore no-explicit-any
  const seen = eventually<any>(`a ${event} broadcast on the tenant's topic`, (resolve) => {
    channel.on("broadcast", { event }, ({ payload }) => resolve(payload));
  }, 20_000);
  seen.catch(() => {}); // awaited by the caller; this only keeps a failed join from going unobserved
  // The signed-in session's token reaches the socket asynchronously; a private join must not go out before it.
  await client.realtime.setAuth();
  await eventually<void>("the tenant's topic to be joined", (resolve) => {
    channel.subscribe((status) => status === "SUBSCRIBED" && resolve());
  });
  // wrapped: an async function returning the promise itself would wait for the broadcast
  return { received: seen };
}
