// Request bodies read the way GoTrue reads them (`retrieveRequestParams`): at most 1 MiB, JSON decoded into a
// struct whose fields have fixed types, so a body that is not JSON or has a field of the wrong type is a 400
// `bad_json` with Go's wording, and an oversized one a 413.
import { BadJson, BodyTooLarge, readJson } from "../http.ts";
import { AuthError, badRequest } from "./errors.ts";

/** GoTrue wraps every body in `http.MaxBytesReader(1 << 20)`. */
export const GOTRUE_BODY_LIMIT = 1 << 20;

type Kind = "string" | "map" | "bool";
type Value<K extends Kind> = K extends "string" ? string
  : K extends "map" ? Record<string, unknown>
  : boolean;
export type Shape = Record<string, Kind>;
/** JSON null leaves a Go field at its zero value, so it reads as absent. */
export type Params<S extends Shape> = { [F in keyof S]?: Value<S[F]> };

const goType: Record<Kind, string> = { string: "string", map: "map[string]interface {}", bool: "bool" };

function jsonType(v: unknown): string {
  if (Array.isArray(v)) return "array";
  if (typeof v === "boolean") return "bool";
  return typeof v; // "string" | "number" | "object"
}

function matches(kind: Kind, v: unknown): boolean {
  if (kind === "map") return typeof v === "object" && !Array.isArray(v);
  return jsonType(v) === goType[kind];
}

const notJson = (detail: string) => badRequest("bad_json", `Could not parse request body as JSON: ${detail}`);

export async function readParams<S extends Shape>(
  req: Request,
  limit: number,
  struct: string,
  shape: S,
  /** Where GoTrue only parses a body that is there (admin user delete). */
  { optional = false } = {},
): Promise<Params<S>> {
  const max = Math.min(limit, GOTRUE_BODY_LIMIT);
  let body: unknown;
  try {
    body = await readJson(req, max);
  } catch (e) {
    if (e instanceof BodyTooLarge) {
      throw new AuthError(413, "request_entity_too_large", `Request body too large (max ${max} bytes)`);
    }
    if (e instanceof BadJson) throw notJson(e.message);
    throw e;
  }
  if (body === undefined && optional) return {};
  if (body === undefined) throw notJson("unexpected end of JSON input");
  if (body === null) return {};
  if (jsonType(body) !== "object") {
    throw notJson(`json: cannot unmarshal ${jsonType(body)} into Go value of type api.${struct}`);
  }
  const params: Record<string, unknown> = {};
  for (const [field, kind] of Object.entries(shape)) {
    const v = (body as Record<string, unknown>)[field];
    if (v === undefined || v === null) continue;
    if (!matches(kind, v)) {
      const target = `Go struct field ${struct}.${field} of type ${goType[kind]}`;
      throw notJson(`json: cannot unmarshal ${jsonType(v)} into ${target}`);
    }
    params[field] = v;
  }
  return params as Params<S>;
}
