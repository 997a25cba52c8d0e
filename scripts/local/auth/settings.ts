// The Auth settings of the project, read from `[auth]` in supabase/config.toml the way the Supabase CLI turns them
// into GoTrue's environment (apps/cli-go/internal/start/start.go); defaults are the CLI's. Email confirmation is
// always automatic here: the offline stack has no mail server, like `enable_confirmations = false`.
import { parse as parseToml } from "npm:smol-toml@1.9.1";
import { join } from "../path.ts";

export interface AuthSettings {
  /** `[auth] enable_signup = false` → GOTRUE_DISABLE_SIGNUP. */
  disableSignup: boolean;
  /** `[auth.email] enable_signup` → GOTRUE_EXTERNAL_EMAIL_ENABLED. */
  emailEnabled: boolean;
  minimumPasswordLength: number;
  refreshTokenRotation: boolean;
  /** Seconds a revoked refresh token may still be exchanged (GOTRUE_SECURITY_REFRESH_TOKEN_REUSE_INTERVAL). */
  refreshTokenReuseInterval: number;
}

type Table = Record<string, unknown>;

const bool = (v: unknown, fallback: boolean) => typeof v === "boolean" ? v : fallback;
const count = (v: unknown, fallback: number) => typeof v === "number" && v >= 0 ? v : fallback;

export async function loadAuthSettings(supabaseDir: string): Promise<AuthSettings> {
  const text = await Deno.readTextFile(join(supabaseDir, "config.toml")).catch(() => "");
  const auth = ((text ? parseToml(text) : {}) as { auth?: Table }).auth ?? {};
  const email = (auth.email ?? {}) as Table;
  return {
    disableSignup: !bool(auth.enable_signup, true),
    emailEnabled: bool(email.enable_signup, true),
    // GoTrue raises anything below 6 to 6.
    minimumPasswordLength: Math.max(6, count(auth.minimum_password_length, 6)),
    refreshTokenRotation: bool(auth.enable_refresh_token_rotation, true),
    refreshTokenReuseInterval: count(auth.refresh_token_reuse_interval, 10),
  };
}
