// GoTrue's checks on an email address (api/mail.go validateEmail, with badoux/checkmail's format), a new password
// (api/password.go checkPasswordStrength) and a UUID; lengths are counted in bytes, as Go's len() does.
import { badRequest, weakPassword } from "./errors.ts";

const EMAIL_FORMAT =
  /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;

/** bcrypt only looks at the first 72 bytes, so GoTrue refuses longer passwords. */
export const MAX_PASSWORD_BYTES = 72;

/** What gofrs/uuid's `FromString` takes: the canonical form, or the same 32 hex digits without hyphens. */
export const isUuid = (s: string) =>
  /^[0-9a-f]{8}(-?)[0-9a-f]{4}\1[0-9a-f]{4}\1[0-9a-f]{4}\1[0-9a-f]{12}$/i.test(s);

const byteLength = (s: string) => new TextEncoder().encode(s).byteLength;

/** Returns the address lower-cased, as GoTrue stores it. */
export function validateEmail(email: string): string {
  if (email === "") throw badRequest("validation_failed", "An email address is required");
  if (byteLength(email) > 255) throw badRequest("validation_failed", "An email address is too long");
  if (!EMAIL_FORMAT.test(email)) {
    throw badRequest("validation_failed", "Unable to validate email address: invalid format");
  }
  return email.toLowerCase();
}

export function checkPasswordStrength(password: string, minimumLength: number): void {
  if (byteLength(password) > MAX_PASSWORD_BYTES) {
    throw badRequest("validation_failed", `Password cannot be longer than ${MAX_PASSWORD_BYTES} characters`);
  }
  if (byteLength(password) < minimumLength) {
    throw weakPassword(`Password should be at least ${minimumLength} characters.`, ["length"]);
  }
}
