// Admins run their team: add agents and managers who can sign in at once, set roles and departments, remove
// people; a tenant never loses its last admin, and nobody else manages members.
import { deepStrictEqual, equal, ok } from "node:assert/strict";
import postgres from "npm:postgres@3.4.9";
import { cfg, createWorld, invoke, signIn, unique, watchTenant, type World } from "./ops-world.ts";

const sql = postgres(cfg.dbUrl, { max: 2, onnotice: () => {} });
const opts = { sanitizeOps: false, sanitizeResources: false };

let worldPromise: Promise<World> | undefined;
const world = () => worldPromise ??= createWorld(sql);

const addMember = (w: World, body: Record<string, unknown>, as = w.admin.client) =>
  invoke(as, "members", { body: { tenant_id: w.tenantId, ...body } });

Deno.test({
  name: "an admin adds an agent who signs in at once with the temporary password, in the chosen department",
  ...opts,
  fn: async () => {
    const w = await world();
    const added = await watchTenant(w.manager.client, w.tenantId, "member.added");
    const email = `nova-${unique()}@ops.atende.test`;
    const res = await addMember(w, {
      email,
      display_name: "Nova Agente",
      role: "agent",
      department_ids: [w.departmentId],
    });
    equal(res.status, 201, JSON.stringify(res.body));
    equal(res.body.created_user, true);
    ok(res.body.temporary_password, "a temporary password is answered once");
    deepStrictEqual(
      {
        role: res.body.member.role,
        email: res.body.member.email,
        departments: res.body.member.department_ids,
      },
      { role: "agent", email, departments: [w.departmentId] },
    );
    equal((await added.received).record.user_id, res.body.member.user_id, "the team sees it live");

    const newcomer = await signIn(email, res.body.temporary_password);
    const { data: tenants } = await newcomer.from("tenants").select("id");
    deepStrictEqual(tenants, [{ id: w.tenantId }], "and works in the tenant straight away");

    const listed = await invoke(w.admin.client, `members?tenant_id=${w.tenantId}`, { method: "GET" });
    ok(listed.body.members.some((m: { email: string }) => m.email === email), "the members page lists them");
    await w.manager.client.removeAllChannels();
  },
});

Deno.test({
  name:
    "an admin promotes an agent to manager (who then sees the cards), moves departments, and removes members",
  ...opts,
  fn: async () => {
    const w = await world();
    const email = `promovida-${unique()}@ops.atende.test`;
    const added = await addMember(w, {
      email,
      display_name: "Promovida",
      role: "agent",
      password: "senha-123",
    });
    const userId = added.body.member.user_id;
    const person = await signIn(email, "senha-123");
    equal((await invoke(person, `ops/stats?tenant_id=${w.tenantId}`, { method: "GET" })).status, 403);

    const [{ id: other }] =
      await sql`insert into departments (tenant_id, name) values (${w.tenantId}, ${`Vendas ${unique()}`}) returning id`;
    const promoted = await invoke(w.admin.client, `members/${userId}`, {
      method: "PATCH",
      body: { tenant_id: w.tenantId, role: "manager", department_ids: [other] },
    });
    equal(promoted.status, 200, JSON.stringify(promoted.body));
    deepStrictEqual([promoted.body.member.role, promoted.body.member.department_ids], ["manager", [other]]);
    equal((await invoke(person, `ops/stats?tenant_id=${w.tenantId}`, { method: "GET" })).status, 200);

    const removed = await invoke(w.admin.client, `members/${userId}?tenant_id=${w.tenantId}`, {
      method: "DELETE",
    });
    equal(removed.status, 200);
    equal((await invoke(person, `ops/stats?tenant_id=${w.tenantId}`, { method: "GET" })).status, 403);
    const [{ n }] = await sql`select count(*)::int as n from events
      where tenant_id = ${w.tenantId} and type in ('member.added', 'member.updated', 'member.removed')
        and payload ->> 'user_id' = ${userId}`;
    equal(n, 3, "each change is in the tenant's log");
  },
});

Deno.test({
  name: "a tenant keeps its last admin: they cannot demote or remove themselves",
  ...opts,
  fn: async () => {
    const w = await world();
    const demote = await invoke(w.admin.client, `members/${w.admin.id}`, {
      method: "PATCH",
      body: { tenant_id: w.tenantId, role: "agent" },
    });
    equal(demote.status, 409);
    equal(demote.body.error.code, "last_admin");
    const remove = await invoke(w.admin.client, `members/${w.admin.id}?tenant_id=${w.tenantId}`, {
      method: "DELETE",
    });
    equal(remove.status, 409);
  },
});

Deno.test({
  name: "managers and agents cannot add members, and no sign-in is created when they try",
  ...opts,
  fn: async () => {
    const w = await world();
    for (const who of [w.manager, w.agent]) {
      const email = `intrusa-${unique()}@ops.atende.test`;
      const res = await addMember(w, { email, display_name: "Intrusa", role: "admin" }, who.client);
      equal(res.status, 403);
      equal(res.body.error.code, "not_allowed");
      equal((await sql`select 1 from auth.users where email = ${email}`).length, 0);
    }
    const otherTenant = await createWorld(sql);
    const crossed = await invoke(w.admin.client, "members", {
      body: {
        tenant_id: otherTenant.tenantId,
        email: `x-${unique()}@ops.atende.test`,
        display_name: "X",
        role: "agent",
      },
    });
    equal(crossed.status, 403, "nor does an admin of another tenant");
  },
});

Deno.test({
  name: "adding someone who already has a sign-in keeps their password and puts them in a second tenant",
  ...opts,
  fn: async () => {
    const w = await world();
    const other = await createWorld(sql);
    const res = await invoke(other.admin.client, "members", {
      body: { tenant_id: other.tenantId, email: w.agent.email, display_name: "Emprestada", role: "agent" },
    });
    equal(res.status, 201, JSON.stringify(res.body));
    deepStrictEqual([res.body.created_user, res.body.temporary_password], [false, undefined]);
    const again = await signIn(w.agent.email);
    const { data } = await again.from("tenants").select("id").order("id");
    deepStrictEqual(data?.map((t) => t.id).sort(), [w.tenantId, other.tenantId].sort());
  },
});

Deno.test("close the members tests' database connection", async () => {
  await sql.end();
});
