// Who of the team is online. Every tab of an agent tracks itself, so the presence state holds one entry per
// tab; people are grouped by user_id. Tabs follow the status the agent last picked, so where two tabs disagree
// (for the moment one takes to follow) the most recently tracked status wins.
export type PresenceStatus = "online" | "away" | "busy";

export interface PresenceMeta {
  user_id: string;
  name: string;
  status: PresenceStatus;
  /** When this tab tracked this status (ms since the epoch). */
  since?: number;
}

export interface PresentMember extends PresenceMeta {
  tabs: number;
}

export function groupPresence(state: Record<string, PresenceMeta[]>): Map<string, PresentMember> {
  const people = new Map<string, PresentMember>();
  for (const metas of Object.values(state)) {
    for (const meta of metas) {
      if (!meta?.user_id) continue;
      const seen = people.get(meta.user_id);
      if (!seen) {
        people.set(meta.user_id, { ...meta, tabs: 1 });
        continue;
      }
      const newer = (meta.since ?? 0) > (seen.since ?? 0);
      people.set(meta.user_id, { ...(newer ? meta : seen), tabs: seen.tabs + 1 });
    }
  }
  return people;
}
