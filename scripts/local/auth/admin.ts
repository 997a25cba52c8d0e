// The admin user API behind the service role (internal/api/admin.go, pagination.go): list, create, read, update
// and delete users. Phone numbers and bans are not part of this offline subset and are refused, not ignored.
import type { Tx } from "../db.ts";
import { json } from "../http.ts";
import { requireAdmin } from "./authenticate.ts";
import { audienceOf, type AuthCtx, type Route } from "./context.ts";
import { asDatabaseError, badRequest, internal, notFound, unprocessable, unsupported } from "./errors.ts";
import { type Params, readParams } from "./params.ts";
import { endSessions } from "./sessions.ts";
import {
  confirmEmail,
  findUserByEmail,
  insertEmailIdentity,
  insertUser,
  LISTED_USER_JSON,
  loadUser,
  mergeJson,
  NIL_UUID,
  type Secret,
  shapeUser,
  updateMetadata,
  updatePassword,
  type User,
} from "./users.ts";
import { randomAlphanumeric } from "./random.ts";
import { checkPasswordStrength, isUuid, MAX_PASSWORD_BYTES, validateEmail } from "./validation.ts";

const ADMIN_USER_PARAMS = {
  id: "string",
  aud: "string",
  role: "string",
  email: "string",
  phone: "string",
  password: "string",
  password_hash: "string",
  email_confirm: "bool",
  user_metadata: "map",
  app_metadata: "map",
  ban_duration: "string",
} as const;
type AdminUserParams = Params<typeof ADMIN_USER_PARAMS>;

const BCRYPT_HASH = /^\$2[abxy]\$\d{2}\$[./A-Za-z0-9]{53}$/;

function refuseUnsupported(params: AdminUserParams): void {
  if (params.phone) throw unsupported("Phone numbers");
  if (params.ban_duration) throw unsupported("Bans");
}

const adminParams = (req: Request, ctx: AuthCtx) =>
  readParams(req, ctx.cfg.maxBodyBytes, "AdminUserParams", ADMIN_USER_PARAMS);

function pagingParam(ctx: AuthCtx, name: string, fallback: number): number {
  const raw = ctx.url.searchParams.get(name) || "";
  if (raw === "") return fallback;
  if (!/^\d+$/.test(raw)) {
    throw badRequest(
      "validation_failed",
      `Bad Pagination Parameters: strconv.ParseUint: parsing ${JSON.stringify(raw)}: invalid syntax`,
    );
  }
  return Number(raw);
}

/** GoTrue's `Link` header, on the path as GoTrue sees it behind the gateway, query keys sorted as Go encodes them. */
function linkHeader(ctx: AuthCtx, page: number, perPage: number, total: number): string {
  const totalPages = Math.ceil(total / perPage);
  const link = (p: number) => {
    const query = new URLSearchParams(ctx.url.searchParams);
    query.set("page", String(p));
    query.sort();
    return `<${ctx.path}?${query}>`;
  };
  return (totalPages > page ? `${link(page + 1)}; rel="next", ` : "") + `${link(totalPages)}; rel="last"`;
}

export const listUsers: Route = async (req, ctx) => {
  await requireAdmin(req, ctx.cfg.jwtSecret);
  const sort = ctx.url.searchParams.get("sort");
  const [field, dir = "desc"] = (sort ?? "created_at").split(" ", 2);
  if (field !== "created_at") {
    throw badRequest("validation_failed", `Bad Sort Parameters: bad field for sort '${field}'`);
  }
  if (!/^(asc|desc)$/i.test(dir)) {
    throw badRequest(
      "validation_failed",
      `Bad Sort Parameters: bad direction for sort '${dir}', only 'asc' and 'desc' allowed`,
    );
  }
  const page = pagingParam(ctx, "page", 1);
  const perPage = pagingParam(ctx, "per_page", 50);
  const aud = audienceOf(req);
  const filter = ctx.url.searchParams.get("filter");
  const like = filter ? `%${filter}%` : null;
  const where = ctx.sql`u.instance_id = ${NIL_UUID} and u.aud = ${aud}
    and (${like}::text is null or u.email like ${like} or u.raw_user_meta_data ->> 'full_name' ilike ${like})`;
  // Like pop's paginator: pages and page sizes below 1 count as the first page of 20.
  const limit = perPage < 1 ? 20 : perPage;
  const rows = await ctx.sql`
    select ${ctx.sql.unsafe(LISTED_USER_JSON)} as user from auth.users u where ${where}
    order by u.created_at ${ctx.sql.unsafe(dir.toLowerCase())}, u.id
    limit ${limit} offset ${(Math.max(page, 1) - 1) * limit}`;
  const [{ total }] = await ctx.sql`select count(*)::int as total from auth.users u where ${where}`;
  return json({ users: rows.map((r) => shapeUser(r.user)), aud }, 200, {
    "x-total-count": String(total),
    link: linkHeader(ctx, page, limit, total),
  });
};

function secretOf(params: AdminUserParams): Secret {
  if (params.password !== undefined && params.password_hash) {
    throw badRequest("validation_failed", "Only a password or a password hash should be provided");
  }
  if (params.password_hash) {
    if (!BCRYPT_HASH.test(params.password_hash)) throw internal("Error creating user");
    return { hash: params.password_hash };
  }
  // No password: GoTrue sets a random one of 64 characters, so the account is only usable once one is set.
  const password = params.password || randomAlphanumeric(64);
  if (new TextEncoder().encode(password).byteLength > MAX_PASSWORD_BYTES) {
    throw badRequest("validation_failed", "bcrypt: password length exceeds 72 bytes");
  }
  return { password };
}

function newUserId(id: string | undefined): string {
  if (!id) return crypto.randomUUID();
  if (!isUuid(id)) throw badRequest("validation_failed", "ID must conform to the uuid v4 format");
  if (/^[0-]+$/.test(id)) throw badRequest("validation_failed", "ID cannot be a nil uuid");
  return id;
}

export const createUser: Route = async (req, ctx) => {
  await requireAdmin(req, ctx.cfg.jwtSecret);
  const params = await adminParams(req, ctx);
  const aud = params.aud || audienceOf(req);
  if (!params.email && !params.phone) {
    throw badRequest("validation_failed", "Cannot create a user without either an email or phone");
  }
  refuseUnsupported(params);
  const email = validateEmail(params.email!);
  if (await findUserByEmail(ctx.sql, email, aud)) {
    throw unprocessable("email_exists", "A user with this email address has already been registered");
  }
  const secret = secretOf(params);
  const id = newUserId(params.id);
  await ctx.sql.begin(async (tx) => {
    await insertUser(tx, {
      id,
      aud,
      role: params.role || "authenticated",
      email,
      secret,
      userMetadata: params.user_metadata ?? {},
      appMetadata: { provider: "email", providers: ["email"] },
    });
    await insertEmailIdentity(tx, id, email);
    if (params.app_metadata) await updateMetadata(tx, id, "raw_app_meta_data", params.app_metadata);
    if (params.email_confirm) await confirmEmail(tx, id);
  }).catch(asDatabaseError("Database error creating new user"));
  return json(await loadUser(ctx.sql, id));
};

/** `loadUser` middleware: the path's user, after the caller was found to be an admin. */
async function pathUser(req: Request, ctx: AuthCtx, id: string | undefined): Promise<User> {
  await requireAdmin(req, ctx.cfg.jwtSecret);
  if (!id || !isUuid(id)) throw notFound("validation_failed", "user_id must be an UUID");
  const user = await loadUser(ctx.sql, id);
  if (!user) throw notFound("user_not_found", "User not found");
  return user;
}

export const getUserById: Route = async (req, ctx, id) => json(await pathUser(req, ctx, id));

/** The admin's email change applies at once, and the email identity follows it. */
async function setEmail(tx: Tx, user: User, email: string, verified: boolean): Promise<void> {
  const data = { email, email_verified: verified };
  const [identity] = await tx`
    update auth.identities set identity_data = ${mergeJson(tx, "identity_data", data)}, updated_at = now()
    where user_id = ${user.id} and provider = 'email' returning id`;
  if (!identity) await insertEmailIdentity(tx, user.id, email, { email_verified: verified });
  await tx`update auth.users set email = ${email}, updated_at = now() where id = ${user.id}`;
}

export const updateUserById: Route = async (req, ctx, id) => {
  const user = await pathUser(req, ctx, id);
  const params = await adminParams(req, ctx);
  const email = params.email ? validateEmail(params.email) : "";
  refuseUnsupported(params);
  if (params.password !== undefined) {
    checkPasswordStrength(params.password, ctx.settings.minimumPasswordLength);
  }
  await ctx.sql.begin(async (tx) => {
    if (params.role) {
      await tx`update auth.users set role = ${params.role}, updated_at = now() where id = ${user.id}`;
    }
    if (params.email_confirm) await confirmEmail(tx, user.id);
    if (params.password !== undefined) {
      // An admin's password change signs the user out everywhere.
      await updatePassword(tx, user.id, params.password);
      await endSessions(tx, user.id, null, "global");
    }
    if (email) await setEmail(tx, user, email, params.email_confirm ?? false);
    if (params.app_metadata) await updateMetadata(tx, user.id, "raw_app_meta_data", params.app_metadata);
    if (params.user_metadata) await updateMetadata(tx, user.id, "raw_user_meta_data", params.user_metadata);
  }).catch(asDatabaseError("Error updating user"));
  return json(await loadUser(ctx.sql, user.id));
};

/** `obfuscateValue`: unpadded base64url of sha256(user id ‖ value), what a soft-deleted user's identifiers become. */
const obfuscated = (userId: string, value: string) =>
  `rtrim(translate(encode(extensions.digest(${userId}::text || coalesce(${value}, ''), 'sha256'), 'base64'),
    '+/', '-_'), '=')`;

/** `SoftDeleteUser` and `SoftDeleteUserIdentities`: the row stays, with nothing left that identifies the person. */
async function softDelete(tx: Tx, userId: string): Promise<void> {
  const hidden = (value: string) => tx.unsafe(obfuscated("u.id", value));
  await tx`
    update auth.users u set email = ${hidden("u.email")}, phone = left(${hidden("u.phone")}, 15),
      email_change = ${hidden("u.email_change")}, phone_change = left(${hidden("u.phone_change")}, 15),
      encrypted_password = null, confirmation_token = '', recovery_token = '', email_change_token_current = '',
      email_change_token_new = '', phone_change_token = '', raw_user_meta_data = '{}', deleted_at = now(),
      updated_at = now()
    where u.id = ${userId}`;
  await tx`
    update auth.identities i set identity_data = '{}', updated_at = now(),
      provider_id = ${tx.unsafe(obfuscated("i.user_id", "i.provider || ':' || i.provider_id"))}
    where i.user_id = ${userId}`;
  await endSessions(tx, userId, null, "global");
}

export const deleteUserById: Route = async (req, ctx, id) => {
  const user = await pathUser(req, ctx, id);
  const params = await readParams(req, ctx.cfg.maxBodyBytes, "adminUserDeleteParams", {
    should_soft_delete: "bool",
  }, { optional: true });
  if (params.should_soft_delete) {
    if (!user.deleted_at) await ctx.sql.begin((tx) => softDelete(tx, user.id));
  } else {
    await ctx.sql`delete from auth.users where id = ${user.id}`;
  }
  return json({});
};
