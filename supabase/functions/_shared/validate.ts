// Input at the edge: a JSON body or a query string checked against a zod schema, or 400 with what is wrong.
import { z } from "npm:zod@4.6.7";
import { badRequest } from "./errors.ts";
import { parseStorableJson } from "./storable-json.ts";

function checked<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw badRequest("invalid_request", z.prettifyError(parsed.error));
  return parsed.data;
}

/** The body as JSON (an empty body is `{}`; what Postgres cannot store made storable), checked against `schema`. */
export async function readJson<T extends z.ZodType>(req: Request, schema: T): Promise<z.infer<T>> {
  const text = await req.text();
  let body: unknown;
  try {
    body = text.trim() ? parseStorableJson(text) : {};
  } catch {
    throw badRequest("invalid_json", "The body is not JSON.");
  }
  return checked(schema, body);
}

/** The query string as an object of strings, checked against `schema` (use z.coerce for numbers). */
export function readQuery<T extends z.ZodType>(url: URL, schema: T): z.infer<T> {
  return checked(schema, Object.fromEntries(url.searchParams));
}
