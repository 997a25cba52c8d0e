// The access token and the session answer GoTrue gives for every grant (internal/tokens/service.go
// GenerateAccessToken, AccessTokenResponse). Claims are written in GoTrue's order.
import type { StackConfig } from "../config.ts";
import { signJwt } from "../jwt.ts";
import type { IssuedSession } from "./sessions.ts";
import type { User } from "./users.ts";

export interface WeakPassword {
  message: string;
  reasons: string[];
}

async function accessToken(
  cfg: StackConfig,
  user: User,
  session: IssuedSession,
): Promise<{ token: string; expiresAt: number }> {
  const iat = Math.floor(Date.now() / 1000);
  const exp = iat + cfg.jwtExpiry;
  const token = await signJwt({
    iss: `${cfg.apiUrl}/auth/v1`,
    sub: user.id,
    aud: user.aud,
    exp,
    iat,
    email: user.email,
    phone: user.phone,
    app_metadata: user.app_metadata,
    user_metadata: user.user_metadata,
    role: user.role,
    aal: session.aal,
    // Every session here starts with a password (sign-in or sign-up), and refreshing adds no method.
    amr: [{ method: "password", timestamp: session.signedInAt }],
    session_id: session.sessionId,
    is_anonymous: user.is_anonymous,
  }, cfg.jwtSecret);
  return { token, expiresAt: exp };
}

export async function sessionBody(
  cfg: StackConfig,
  user: User,
  session: IssuedSession,
  weakPassword?: WeakPassword,
): Promise<Record<string, unknown>> {
  const { token, expiresAt } = await accessToken(cfg, user, session);
  return {
    access_token: token,
    token_type: "bearer",
    expires_in: expiresAt - Math.floor(Date.now() / 1000),
    expires_at: expiresAt,
    refresh_token: session.refreshToken,
    user,
    ...(weakPassword ? { weak_password: weakPassword } : {}),
  };
}
