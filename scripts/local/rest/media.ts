// Media types PostgREST reads from Accept and Content-Type (src/PostgREST/MediaType.hs) and the ones this
// stack can answer with: JSON arrays, single objects (`.single()`), nulls-stripped variants and CSV.

export type MediaType =
  | { kind: "json" }
  | { kind: "object"; stripNulls: boolean }
  | { kind: "array-stripped" }
  | { kind: "csv" }
  | { kind: "any" }
  | { kind: "urlencoded" }
  | { kind: "other"; mime: string };

export function decodeMediaType(text: string): MediaType {
  const [essence, ...paramParts] = text.split(";");
  const [type, subtype = ""] = essence.trim().toLowerCase().split("/");
  const params = new Map(paramParts.map((p) => {
    const [k, v = ""] = p.split("=");
    return [k.trim().toLowerCase(), v.trim().replace(/^"|"$/g, "")];
  }));
  const stripped = params.get("nulls") === "stripped";
  const mime = `${type}/${subtype}`;
  if (mime === "application/json") return { kind: "json" };
  if (mime === "application/vnd.pgrst.object+json" || mime === "application/vnd.pgrst.object") {
    return { kind: "object", stripNulls: stripped };
  }
  if (mime === "application/vnd.pgrst.array+json" || mime === "application/vnd.pgrst.array") {
    return stripped ? { kind: "array-stripped" } : { kind: "json" };
  }
  if (mime === "text/csv") return { kind: "csv" };
  if (mime === "*/*") return { kind: "any" };
  if (mime === "application/x-www-form-urlencoded") return { kind: "urlencoded" };
  return { kind: "other", mime: text.trim() };
}

export function mimeOf(m: MediaType): string {
  switch (m.kind) {
    case "json":
      return "application/json";
    case "object":
      return m.stripNulls
        ? "application/vnd.pgrst.object+json;nulls=stripped"
        : "application/vnd.pgrst.object+json";
    case "array-stripped":
      return "application/vnd.pgrst.array+json;nulls=stripped";
    case "csv":
      return "text/csv";
    case "any":
      return "*/*";
    case "urlencoded":
      return "application/x-www-form-urlencoded";
    case "other":
      return m.mime;
  }
}

/** Accept entries, most preferred first: by q, then by how specific they are (as wai's parseHttpAccept). */
export function parseAccept(header: string | null): MediaType[] {
  if (header === null) return [{ kind: "any" }];
  const entries = header.split(",").map((raw, index) => {
    const parts = raw.split(";").map((p) => p.trim());
    const q = parts.find((p) => /^q=/i.test(p));
    const kept = parts.filter((p) => !/^q=/i.test(p));
    const essence = kept[0] ?? "";
    const specificity = (essence === "*/*" ? 0 : essence.endsWith("/*") ? 1 : 2) + (kept.length > 1 ? 1 : 0);
    return { text: kept.join(";"), q: q ? Number(q.slice(2)) || 0 : 1, specificity, index };
  }).filter((e) => e.text !== "");
  entries.sort((a, b) => b.q - a.q || b.specificity - a.specificity || a.index - b.index);
  return entries.map((e) => decodeMediaType(e.text));
}

/** What a response is rendered as: the body aggregate and the Content-Type it is sent with. */
export type Rendering = "json" | "object" | "object-stripped" | "array-stripped" | "csv";

export function renderingFor(m: MediaType): Rendering | undefined {
  switch (m.kind) {
    case "json":
    case "any":
      return "json";
    case "object":
      return m.stripNulls ? "object-stripped" : "object";
    case "array-stripped":
      return "array-stripped";
    case "csv":
      return "csv";
    default:
      return undefined;
  }
}

export const contentTypeOf = (r: Rendering) =>
  ({
    json: "application/json",
    object: "application/vnd.pgrst.object+json",
    "object-stripped": "application/vnd.pgrst.object+json;nulls=stripped",
    "array-stripped": "application/vnd.pgrst.array+json;nulls=stripped",
    csv: "text/csv",
  })[r] + "; charset=utf-8";
