// One structured JSON line per request and per failure, with secrets redacted.

const SECRET_KEY = /secret|token|apikey|api_key|password|authorization|signature/i;

/** The value with every secret-looking key's value replaced; a plain object holding no secret is returned as it is. */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 6 || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) {
    const items = value.map((v) => redact(v, depth + 1));
    return items.some((v, i) => !Object.is(v, value[i])) ? items : value;
  }
  // Anything but a plain object becomes a plain copy of its fields: its own toJSON (a URL's) could print a secret.
  const proto = Object.getPrototypeOf(value);
  let copy: Record<string, unknown> | undefined = proto === Object.prototype || proto === null
    ? undefined
    : {};
  for (const [k, v] of Object.entries(value)) {
    const safe = SECRET_KEY.test(k) && v != null ? "[redacted]" : redact(v, depth + 1);
    if (copy || !Object.is(safe, v)) (copy ??= { ...value })[k] = safe;
  }
  return copy ?? value;
}

export function log(fields: Record<string, unknown>): void {
  console.log(JSON.stringify(redact({ at: new Date().toISOString(), ...fields })));
}

export function logError(fields: Record<string, unknown>, error: unknown): void {
  const e = error instanceof Error
    ? { message: error.message, stack: error.stack }
    : { message: String(error) };
  console.error(
    JSON.stringify(redact({ at: new Date().toISOString(), level: "error", ...fields, error: e })),
  );
}
