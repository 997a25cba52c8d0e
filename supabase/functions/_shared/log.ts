// One structured JSON line per request and per failure, with secrets redacted.

const SECRET_KEY = /secret|token|apikey|api_key|password|authorization|signature/i;

export function redact(value: unknown, depth = 0): unknown {
  if (depth > 6 || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map((
      [k, v],
    ) => [k, SECRET_KEY.test(k) && v != null ? "[redacted]" : redact(v, depth + 1)]),
  );
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
