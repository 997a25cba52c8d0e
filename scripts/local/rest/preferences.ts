// The `Prefer` header (src/PostgREST/ApiRequest/Preferences.hs): the first value of each kind wins, unknown ones
// are collected so `handling=strict` can refuse them, and the applied ones are echoed in `Preference-Applied`.

export interface Preferences {
  resolution?: "merge-duplicates" | "ignore-duplicates";
  representation?: "representation" | "minimal" | "headers-only";
  count?: "exact" | "planned" | "estimated";
  missing?: "default" | "null";
  handling?: "strict" | "lenient";
  timezone?: string;
  maxAffected?: number;
  invalid: string[];
}

const kinds = {
  resolution: ["merge-duplicates", "ignore-duplicates"],
  representation: ["representation", "minimal", "headers-only"],
  count: ["exact", "planned", "estimated"],
  missing: ["default", "null"],
  handling: ["strict", "lenient"],
} as const;

const prefix: Record<keyof typeof kinds, string> = {
  resolution: "resolution=",
  representation: "return=",
  count: "count=",
  missing: "missing=",
  handling: "handling=",
};

/** `tx=commit|rollback` is accepted but has no effect: the CLI leaves db-tx-end at its default, "commit". */
const acceptedWithoutEffect = ["tx=commit", "tx=rollback"];

export function parsePreferences(header: string | null, timezones: Set<string>): Preferences {
  const values = (header ?? "").split(",").map((v) => v.trim()).filter((v) => v !== "");
  const out: Preferences = { invalid: [] };
  const known = new Set<string>(acceptedWithoutEffect);
  for (const kind of Object.keys(kinds) as (keyof typeof kinds)[]) {
    for (const v of kinds[kind]) known.add(prefix[kind] + v);
    const found = values.find((v) => kinds[kind].some((x) => v === prefix[kind] + x));
    if (found) (out as unknown as Record<string, string>)[kind] = found.slice(prefix[kind].length);
  }
  const tz = values.find((v) => v.startsWith("timezone="))?.slice("timezone=".length);
  if (tz !== undefined && timezones.has(tz)) out.timezone = tz;
  const maxAffected = values.find((v) => v.startsWith("max-affected="))?.slice("max-affected=".length);
  if (maxAffected !== undefined && /^-?\d+$/.test(maxAffected)) out.maxAffected = Number(maxAffected);
  out.invalid = values.filter((v) =>
    !known.has(v) && !(v.startsWith("timezone=") && out.timezone !== undefined) &&
    !v.startsWith("max-affected=")
  );
  return out;
}

/** The `Preference-Applied` value for the preferences a response honoured, in PostgREST's order. */
export function appliedHeader(p: Partial<Preferences>): string | undefined {
  const parts = [
    p.resolution && `resolution=${p.resolution}`,
    p.missing && `missing=${p.missing}`,
    p.representation && `return=${p.representation}`,
    p.count && `count=${p.count}`,
    p.handling && `handling=${p.handling}`,
    p.timezone && `timezone=${p.timezone}`,
    p.handling === "strict" && p.maxAffected !== undefined && `max-affected=${p.maxAffected}`,
  ].filter((x): x is string => typeof x === "string");
  return parts.length ? parts.join(", ") : undefined;
}
