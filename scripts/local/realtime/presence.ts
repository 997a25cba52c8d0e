// Presence for one topic, in Phoenix.Presence's shapes: state `{key: {metas: [{phx_ref, ...fields}]}}` and
// diffs `{joins, leaves}`; an update is a leave of the old meta plus a join of the new one carrying `phx_ref_prev`.

type Meta = Record<string, unknown>;
type Grouped = Record<string, { metas: Meta[] }>;

export interface PresenceDiff {
  joins: Grouped;
  leaves: Grouped;
}

interface Entry {
  ref: string;
  meta: Meta;
}

const newRef = () => btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(12))));

function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length &&
    ka.every((k) => sameJson((a as Meta)[k], (b as Meta)[k]));
}

const one = (key: string, meta: Meta): Grouped => ({ [key]: { metas: [meta] } });

export class PresenceTopic {
  /** presence key → tracker (one channel of one socket) → its meta */
  private readonly byKey = new Map<string, Map<number, Entry>>();

  get empty(): boolean {
    return this.byKey.size === 0;
  }

  state(): Grouped {
    const out: Grouped = {};
    for (const [key, entries] of this.byKey) {
      out[key] = { metas: [...entries.values()].map((e) => ({ ...e.meta, phx_ref: e.ref })) };
    }
    return out;
  }

  /** Returns the diff to broadcast, or null when the payload did not change. */
  track(tracker: number, key: string, meta: Meta): PresenceDiff | null {
    let entries = this.byKey.get(key);
    if (!entries) this.byKey.set(key, entries = new Map());
    const old = entries.get(tracker);
    if (old && sameJson(old.meta, meta)) return null;
    const ref = newRef();
    entries.set(tracker, { ref, meta });
    if (!old) return { joins: one(key, { ...meta, phx_ref: ref }), leaves: {} };
    return {
      joins: one(key, { ...meta, phx_ref: ref, phx_ref_prev: old.ref }),
      leaves: one(key, { ...old.meta, phx_ref: old.ref }),
    };
  }

  untrack(tracker: number, key: string): PresenceDiff | null {
    const entries = this.byKey.get(key);
    const old = entries?.get(tracker);
    if (!entries || !old) return null;
    entries.delete(tracker);
    if (entries.size === 0) this.byKey.delete(key);
    return { joins: {}, leaves: one(key, { ...old.meta, phx_ref: old.ref }) };
  }
}
