// Finding a request's table or function in the schema cache, with PostgREST's errors and "Perhaps you meant"
// hints when there is none (src/PostgREST/Plan.hs findTable/findProc, Error.hs).
import { RestError } from "./errors.ts";
import { closest } from "./fuzzy.ts";
import { qiKey, type Routine, type SchemaCache, type Table } from "./schema-cache.ts";

export function findTable(cache: SchemaCache, schema: string, name: string): Table {
  const table = cache.tables.get(qiKey({ schema, name }));
  if (table) return table;
  const names = [...cache.tables.values()].filter((t) => t.schema === schema).map((t) => t.name);
  const best = closest(names, name, 0.75);
  throw new RestError(
    404,
    "PGRST205",
    `Could not find the table '${schema}.${name}' in the schema cache`,
    null,
    best ? `Perhaps you meant the table '${schema}.${best.value}'` : null,
  );
}

/** PostgREST's findProc: overloads match by argument names; a lone unnamed json parameter takes the whole body. */
export function findRoutine(
  cache: SchemaCache,
  schema: string,
  name: string,
  argNames: string[],
  jsonBody: boolean,
): Routine {
  const candidates = cache.routines.get(qiKey({ schema, name })) ?? [];
  const keys = new Set(argNames);
  const matchesParams = (r: Routine) => {
    if (r.params.length === 0) return keys.size === 0;
    const required = r.params.filter((p) => p.required).map((p) => p.name);
    const optional = new Set(r.params.filter((p) => !p.required).map((p) => p.name));
    const rest = [...keys].filter((k) => !optional.has(k));
    return rest.length === required.length && required.every((p) => keys.has(p));
  };
  const singleUnnamedJson = (r: Routine) =>
    jsonBody && r.params.length === 1 && r.params[0].name === "" &&
    ["json", "jsonb"].includes(r.params[0].type);
  const named = candidates.filter(matchesParams);
  const fallback = candidates.filter((r) => !matchesParams(r) && singleUnnamedJson(r));
  const chosen = named.length > 0 ? named : fallback;
  if (chosen.length === 1) return chosen[0];
  if (chosen.length > 1) {
    throw new RestError(
      300,
      "PGRST203",
      `Could not choose the best candidate function between: ${
        chosen.map((r) =>
          `${r.schema}.${r.name}(${r.params.map((p) => `${p.name} => ${p.type}`).join(", ")})`
        )
          .join(", ")
      }`,
      null,
      "Try renaming the parameters or the function itself in the database so function overloading can be resolved",
    );
  }
  const sorted = [...keys].sort();
  const fn = `${schema}.${name}`;
  const withParams = sorted.length === 0
    ? " without parameters"
    : ` with parameter${sorted.length > 1 ? "s" : ""} ${sorted.join(", ")}`;
  throw new RestError(
    404,
    "PGRST202",
    `Could not find the function ${fn}${
      sorted.length === 0 ? " without parameters" : `(${sorted.join(", ")})`
    } in the schema cache`,
    `Searched for the function ${fn}${withParams}${
      jsonBody ? " or with a single unnamed json/jsonb parameter" : ""
    }, but no matches were found in the schema cache.`,
    routineHint(cache, schema, name, sorted, candidates),
  );
}

function routineHint(
  cache: SchemaCache,
  schema: string,
  name: string,
  args: string[],
  overloads: Routine[],
): string | null {
  const prefix = `Perhaps you meant to call the function ${schema}.`;
  if (overloads.length === 0) {
    const names = [...cache.routines.values()].flat().filter((r) => r.schema === schema).map((r) => r.name);
    const best = closest([...new Set(names)], name, 0.75);
    return best ? prefix + best.value : null;
  }
  const asText = (xs: string[]) => `(${[...xs].sort().join(", ")})`;
  const best = closest(overloads.map((r) => asText(r.params.map((p) => p.name))), asText(args));
  return best ? `${prefix}${name}${best.value}` : null;
}
