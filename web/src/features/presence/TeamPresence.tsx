import { useQuery } from "@tanstack/react-query";
import { Avatar } from "../../components/Avatar";
import { useI18n } from "../../lib/i18n";
import { useMe } from "../auth/me";
import { membersQuery } from "../team/queries";
import { usePresence } from "./PresenceProvider";

/** The team, online people first, each with a presence dot: the inbox's "who can help now". */
export function TeamPresence() {
  const { t } = useI18n();
  const me = useMe();
  const { people } = usePresence();
  const { data: members = [] } = useQuery(membersQuery(me.tenantId));
  const ordered = [...members].sort((a, b) => Number(people.has(b.user_id)) - Number(people.has(a.user_id)));
  return (
    <section className="team-presence" aria-labelledby="team-presence-title">
      <h2 id="team-presence-title" className="section-title">
        {t("presence.team", { count: people.size })}
      </h2>
      <ul aria-label={t("presence.team", { count: people.size })}>
        {ordered.map((m) => {
          const present = people.get(m.user_id);
          const status = present ? t(`presence.${present.status}`) : t("presence.offline");
          return (
            <li key={m.user_id} title={`${m.display_name}: ${status}`} aria-label={`${m.display_name}: ${status}`}>
              <Avatar name={m.display_name} status={present?.status ?? "offline"} />
              <span className="team-name">{m.user_id === me.userId ? t("presence.you", { name: m.display_name }) : m.display_name}</span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
