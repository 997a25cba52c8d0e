import type { ServiceHandler } from "../gateway.ts";
import { json } from "../http.ts";
export function authService(): ServiceHandler {
  return () => json({ code: "not_implemented", message: "auth is being built" }, 501);
}
