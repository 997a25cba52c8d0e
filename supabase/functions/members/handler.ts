// Admins run their team (the SQL functions check the admin role of the tenant):
//   GET    /?tenant_id=             members with sign-in email, role and departments
//   POST   /                        {tenant_id, email, display_name, role, department_ids?, password?}: creates the
//                                   sign-in through GoTrue's admin API (or finds the existing user), then the member
//   PATCH  /<user_id>               {tenant_id, role?, display_name?, department_ids?}
//   DELETE /<user_id>?tenant_id=
import { createClient } from "npm:@supabase/supabase-js@2.119.1";
import { z } from "npm:zod@4.6.7";
import { claimsOf } from "../_shared/auth.ts";
import { db } from "../_shared/db.ts";
import { forbidden, HttpError, notFound } from "../_shared/errors.ts";
import { json, serve } from "../_shared/http.ts";
import { logError } from "../_shared/log.ts";
import { fromPostgrest, userClient } from "../_shared/user-client.ts";
import { readJson, readQuery } from "../_shared/validate.ts";

const Role = z.enum(["agent", "manager", "admin"]);
const TenantQuery = z.object({ tenant_id: z.uuid() });
const AddMember = z.object({
  tenant_id: z.uuid(),
  email: z.email().transform((e) => e.toLowerCase()),
  display_name: z.string().trim().min(1).max(200),
  role: Role,
  department_ids: z.array(z.uuid()).max(100).default([]),
  // GoTrue's own rules apply; without one, a temporary password is generated and answered once
  password: z.string().min(6).max(72).optional(),
});
const UpdateMember = z.object({
  tenant_id: z.uuid(),
  role: Role.optional(),
  display_name: z.string().trim().min(1).max(200).optional(),
  department_ids: z.array(z.uuid()).max(100).optional(),
});

async function rpc<T>(req: Request, fn: string, args: Record<string, unknown>): Promise<T> {
  const { data, error } = await userClient(req).rpc(fn, args);
  if (error) throw fromPostgrest(error);
  return data as T;
}

/** Checked before any account is created, so only an admin can make sign-ins appear. */
async function requireAdmin(req: Request, tenantId: string) {
  const me = claimsOf(req).sub;
  if (!me) throw forbidden("not_allowed", "Only admins of this tenant do this.");
  const { data, error } = await userClient(req).from("members").select("role")
    .eq("tenant_id", tenantId).eq("user_id", me).maybeSingle();
  if (error) throw fromPostgrest(error);
  if (data?.role !== "admin") throw forbidden("not_allowed", "Only admins of this tenant do this.");
}

const serviceClient = () =>
  createClient(Deno.env.get("SUPABASE_URL")!, Deno.env.get("SUPABASE_SERVICE_ROLE_KEY")!, {
    auth: { persistSession: false, autoRefreshToken: false },
  });

const temporaryPassword = () =>
  btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(12)))).replace(/[+/=]/g, "x");

/** The user for this email: a new sign-in, or the existing one (who keeps their password). */
async function findOrCreateUser(email: string, displayName: string, password: string) {
  const { data, error } = await serviceClient().auth.admin.createUser({
    email,
    password,
    email_confirm: true,
    user_metadata: { name: displayName },
  });
  if (data.user) return { id: data.user.id, created: true };
  if (error?.code !== "email_exists") {
    throw new HttpError(422, "invalid_user", error?.message ?? "GoTrue refused.");
  }
  const [existing] = await db()<{ id: string }[]>`select id from auth.users where lower(email) = ${email}`;
  if (!existing) throw new HttpError(409, "user_conflict", "The email is taken but its user was not found.");
  return { id: existing.id, created: false };
}

async function add(req: Request) {
  const input = await readJson(req, AddMember);
  await requireAdmin(req, input.tenant_id);
  const password = input.password ?? temporaryPassword();
  const user = await findOrCreateUser(input.email, input.display_name, password);
  try {
    const member = await rpc(req, "add_member", {
      tenant_id: input.tenant_id,
      user_id: user.id,
      role: input.role,
      display_name: input.display_name,
      department_ids: input.department_ids,
    });
    return json({
      member,
      created_user: user.created,
      ...(user.created && !input.password ? { temporary_password: password } : {}),
    }, 201);
  } catch (e) {
    // A sign-in that belongs to no tenant is useless: take back the one just made.
    if (user.created) {
      await serviceClient().auth.admin.deleteUser(user.id).catch((d) => logError({ fn: "members" }, d));
    }
    throw e;
  }
}

async function list(req: Request, url: URL) {
  return json({ members: await rpc(req, "tenant_members", readQuery(url, TenantQuery)) });
}

async function update(req: Request, userId: string) {
  const input = await readJson(req, UpdateMember);
  return json({ member: await rpc(req, "update_member", { ...input, user_id: userId }) });
}

async function remove(req: Request, url: URL, userId: string) {
  const { tenant_id } = readQuery(url, TenantQuery);
  return json({ member: await rpc(req, "remove_member", { tenant_id, user_id: userId }) });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const handler = serve("members", (req) => {
  const url = new URL(req.url);
  const userId = url.pathname.split("/")[2];
  if (!userId) {
    if (req.method === "GET") return list(req, url);
    if (req.method === "POST") return add(req);
  } else {
    if (!UUID.test(userId)) throw notFound("member_not_found", "User ids are UUIDs.");
    if (req.method === "PATCH") return update(req, userId);
    if (req.method === "DELETE") return remove(req, url, userId);
  }
  throw new HttpError(
    405,
    "method_not_allowed",
    "Use GET or POST /members, PATCH or DELETE /members/<user id>.",
  );
});
