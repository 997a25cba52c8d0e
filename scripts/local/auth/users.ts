// auth.users as GoTrue reads and writes it (internal/models/user.go, identity.go): the user object in the JSON
// shape GoTrue answers with, and the statements that create users, their email identity, and update metadata.
import type postgres from "npm:postgres@3.4.9";
import type { Sql, Tx } from "../db.ts";

/** GoTrue only ever looks at users of the nil instance. */
export const NIL_UUID = "00000000-0000-0000-0000-000000000000";

export type User = Record<string, unknown> & {
  id: string;
  aud: string;
  role: string;
  email: string;
  phone: string;
  app_metadata: Record<string, unknown> | null;
  user_metadata: Record<string, unknown> | null;
  is_anonymous: boolean;
};

/** Go's RFC 3339 with the fraction's trailing zeros dropped, as `time.Time` marshals a UTC timestamp. */
const stamp = (col: string) =>
  `regexp_replace(to_char(${col} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US'), '\\.?0+$', '') || 'Z'`;
const GO_ZERO_TIME = `'0001-01-01T00:00:00Z'`;

const IDENTITY_JSON = `json_build_object(
  'identity_id', i.id, 'id', i.provider_id, 'user_id', i.user_id, 'identity_data', i.identity_data,
  'provider', i.provider, 'last_sign_in_at', ${stamp("i.last_sign_in_at")},
  'created_at', coalesce(${stamp("i.created_at")}, ${GO_ZERO_TIME}),
  'updated_at', coalesce(${stamp("i.updated_at")}, ${GO_ZERO_TIME}), 'email', coalesce(i.email, ''))`;

const IDENTITIES = `(select coalesce(json_agg(${IDENTITY_JSON} order by i.created_at, i.id), '[]')
  from auth.identities i where i.user_id = u.id)`;

/** GoTrue loads identities only where it reads one user; its user list leaves them out (`null`). */
const userJson = (withIdentities: boolean) =>
  `json_build_object(
  'id', u.id, 'aud', coalesce(u.aud, ''), 'role', coalesce(u.role, ''), 'email', coalesce(u.email, ''),
  'email_confirmed_at', ${stamp("u.email_confirmed_at")}, 'invited_at', ${stamp("u.invited_at")},
  'phone', coalesce(u.phone, ''), 'phone_confirmed_at', ${stamp("u.phone_confirmed_at")},
  'confirmation_sent_at', ${stamp("u.confirmation_sent_at")}, 'confirmed_at', ${stamp("u.confirmed_at")},
  'recovery_sent_at', ${stamp("u.recovery_sent_at")}, 'new_email', u.email_change,
  'email_change_sent_at', ${stamp("u.email_change_sent_at")}, 'new_phone', u.phone_change,
  'phone_change_sent_at', ${stamp("u.phone_change_sent_at")},
  'reauthentication_sent_at', ${stamp("u.reauthentication_sent_at")},
  'last_sign_in_at', ${stamp("u.last_sign_in_at")},
  'app_metadata', u.raw_app_meta_data, 'user_metadata', u.raw_user_meta_data,
  'identities', ${withIdentities ? IDENTITIES : "null"},
  'created_at', coalesce(${stamp("u.created_at")}, ${GO_ZERO_TIME}),
  'updated_at', coalesce(${stamp("u.updated_at")}, ${GO_ZERO_TIME}),
  'banned_until', ${stamp("u.banned_until")}, 'deleted_at', ${stamp("u.deleted_at")},
  'is_anonymous', u.is_anonymous)`;

const USER_JSON = userJson(true);
export const LISTED_USER_JSON = userJson(false);

/** Fields tagged `omitempty` in GoTrue's structs. */
const USER_OMIT_EMPTY = new Set([
  "email_confirmed_at",
  "invited_at",
  "phone_confirmed_at",
  "confirmation_sent_at",
  "confirmed_at",
  "recovery_sent_at",
  "new_email",
  "email_change_sent_at",
  "new_phone",
  "phone_change_sent_at",
  "reauthentication_sent_at",
  "last_sign_in_at",
  "banned_until",
  "deleted_at",
]);
const IDENTITY_OMIT_EMPTY = new Set(["identity_data", "last_sign_in_at", "email"]);
const MAPS = new Set(["app_metadata", "user_metadata", "identity_data"]);

/** Go's encoding/json writes map keys in sorted order, at every depth. */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== "object") return value;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
    a < b ? -1 : a > b ? 1 : 0
  );
  return Object.fromEntries(entries.map(([k, v]) => [k, sortKeys(v)]));
}

function shape(raw: Record<string, unknown>, omitEmpty: Set<string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    const empty = value === null || value === "" ||
      (key === "identity_data" && Object.keys(value as object).length === 0);
    if (omitEmpty.has(key) && empty) continue;
    out[key] = MAPS.has(key) ? sortKeys(value) : value;
  }
  return out;
}

export function shapeUser(raw: Record<string, unknown>): User {
  const user = shape(raw, USER_OMIT_EMPTY);
  if (Array.isArray(raw.identities)) {
    user.identities = raw.identities.map((i: Record<string, unknown>) => shape(i, IDENTITY_OMIT_EMPTY));
  }
  return user as User;
}

export async function loadUser(sql: Sql | Tx, id: string): Promise<User | null> {
  const user = sql.unsafe(USER_JSON);
  const [row] =
    await sql`select ${user} as user from auth.users u where u.instance_id = ${NIL_UUID} and u.id = ${id}`;
  return row ? shapeUser(row.user) : null;
}

/** `IsDuplicatedEmail`: another user of this audience already holds the address, through an identity or directly. */
export async function findUserByEmail(
  sql: Sql | Tx,
  email: string,
  aud: string,
  except: string = NIL_UUID,
): Promise<{ id: string; confirmed: boolean } | null> {
  const [row] = await sql`
    select u.id, u.email_confirmed_at is not null as confirmed from auth.users u
    where u.aud = ${aud} and u.id <> ${except}
      and (u.id in (select i.user_id from auth.identities i where i.email = ${email})
           or (u.instance_id = ${NIL_UUID} and lower(u.email) = ${email} and not u.is_sso_user))
    limit 1`;
  return row ? { id: row.id, confirmed: row.confirmed } : null;
}

/** A password given in clear is hashed with bcrypt cost 10, GoTrue's; a hash is stored as given. */
export type Secret = { password: string } | { hash: string };

export interface NewUser {
  id: string;
  aud: string;
  role: string;
  email: string;
  secret: Secret;
  userMetadata: Record<string, unknown>;
  appMetadata: Record<string, unknown>;
}

export const hashSql = (sql: Sql | Tx, secret: Secret) =>
  "password" in secret
    ? sql`extensions.crypt(${secret.password}, extensions.gen_salt('bf', 10))`
    : sql`${secret.hash}::varchar`;

/**
 * Whether `password` is the one behind the row's bcrypt hash. pgcrypto only knows the `$2a$`/`$2x$` prefixes, and
 * `$2b$`/`$2y$` hash exactly as `$2a$` for any password bcrypt accepts, so those are compared under `$2a$`.
 */
export const passwordMatches = (sql: Sql | Tx, password: string) =>
  sql`coalesce((
    select extensions.crypt(${password}, h) = h
    from (select regexp_replace(encrypted_password, '^\\$2[by]\\$', '$2a$') as h) as normalised
    where h ~ '^\\$2[ax]\\$'
  ), false)`;

export async function insertUser(tx: Tx, u: NewUser): Promise<void> {
  const appMetadata = tx.json(u.appMetadata as postgres.JSONValue);
  const userMetadata = tx.json(u.userMetadata as postgres.JSONValue);
  await tx`
    insert into auth.users (instance_id, id, aud, role, email, encrypted_password, raw_app_meta_data,
                            raw_user_meta_data, created_at, updated_at, is_sso_user, is_anonymous)
    values (${NIL_UUID}, ${u.id}, ${u.aud}, ${u.role}, ${u.email}, ${hashSql(tx, u.secret)}, ${appMetadata},
            ${userMetadata}, now(), now(), false, false)`;
}

/** `User.UpdatePassword`'s row change: the new hash, and every pending emailed token cleared. */
export async function updatePassword(tx: Tx, userId: string, password: string): Promise<void> {
  await tx`
    update auth.users set encrypted_password = ${hashSql(tx, { password })}, updated_at = now(),
      confirmation_token = '', confirmation_sent_at = null, recovery_token = '', recovery_sent_at = null,
      email_change_token_current = '', email_change_token_new = '', email_change_sent_at = null,
      phone_change_token = '', phone_change_sent_at = null, reauthentication_token = '',
      reauthentication_sent_at = null
    where id = ${userId}`;
}

/** The `email` identity GoTrue creates: provider id = user id, data from `provider.Claims{Subject, Email}`. */
export async function insertEmailIdentity(
  tx: Tx,
  userId: string,
  email: string,
  extra: Record<string, unknown> = {},
): Promise<void> {
  const data = { ...extra, sub: userId, email, email_verified: false, phone_verified: false };
  await tx`
    insert into auth.identities (provider_id, user_id, identity_data, provider, last_sign_in_at, created_at, updated_at)
    values (${userId}, ${userId}, ${tx.json(data as postgres.JSONValue)}, 'email', now(), now(), now())
    on conflict (provider_id, provider) do nothing`;
}

/** GoTrue's metadata update: keys are merged in, a key set to null is removed. */
export const mergeJson = (sql: Sql | Tx, column: string, updates: Record<string, unknown>) => {
  const merged = sql.json(updates as postgres.JSONValue);
  const removed = Object.keys(updates).filter((k) => updates[k] === null);
  return sql`(coalesce(${sql(column)}, '{}'::jsonb) || ${merged}) - ${removed}::text[]`;
};

/** `UpdateUserMetaData` / `UpdateAppMetaData` on one user. */
export async function updateMetadata(
  tx: Tx,
  userId: string,
  column: "raw_user_meta_data" | "raw_app_meta_data",
  updates: Record<string, unknown>,
): Promise<void> {
  await tx`update auth.users set ${tx(column)} = ${mergeJson(tx, column, updates)}, updated_at = now()
    where id = ${userId}`;
}

/** `User.Confirm`: confirmed now, and `email_verified: true` in the user's metadata. */
export async function confirmEmail(tx: Tx, userId: string): Promise<void> {
  await tx`
    update auth.users set confirmation_token = '', email_confirmed_at = now(), updated_at = now(),
      raw_user_meta_data = ${mergeJson(tx, "raw_user_meta_data", { email_verified: true })}
    where id = ${userId}`;
}
