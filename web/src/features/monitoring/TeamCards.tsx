import { useQuery } from "@tanstack/react-query";
import { Avatar } from "../../components/Avatar";
import { useI18n } from "../../lib/i18n";
import { useMe } from "../auth/me";
import { usePresence } from "../presence/PresenceProvider";
import { membersQuery } from "../team/queries";
import { formatDuration } from "./cards";
import { MetricCard } from "./MetricCard";
import type { TeamFigures } from "./types";

/**
 * Who is online comes from the console's own presence state (`presence:<tenant>`), not from the stats: presence
 * lives in Realtime, not in Postgres, so the server cannot count it, and the console already holds it live.
 */
function OnlineCard() {
  const { t } = useI18n();
  const me = useMe();
  const { people } = usePresence();
  const { data: members = [] } = useQuery(membersQuery(me.tenantId));
  const agents = members.filter((m) => m.role === "agent");
  const online = agents.filter((a) => people.has(a.user_id));
  return (
    <article className="metric" aria-labelledby="metric-online">
      <header className="metric-head">
        <h3 id="metric-online">{t("monitoring.online")}</h3>
      </header>
      <p className="metric-value">
        {online.length} <span className="metric-of muted">{t("monitoring.onlineOf", { total: agents.length })}</span>
      </p>
      {online.length
        ? (
          <ul className="people" aria-label={t("monitoring.online")}>
            {online.map((a) => {
              const status = people.get(a.user_id)?.status ?? "online";
              return (
                <li key={a.user_id} aria-label={`${a.display_name}: ${t(`presence.${status}`)}`}>
                  <Avatar name={a.display_name} status={status} size="sm" /> {a.display_name}
                </li>
              );
            })}
          </ul>
        )
        : <p className="muted small">{t("monitoring.nobodyOnline")}</p>}
    </article>
  );
}

export function TeamCards({ team }: { team: TeamFigures }) {
  const { t } = useI18n();
  const longest = team.longest_conversation_wait_seconds;
  const answered = team.first_response_today;
  const busiest = Math.max(1, ...team.open_conversations_per_agent.map((a) => a.open_conversations));
  const figure = (seconds: number | null) => (seconds === null ? "—" : formatDuration(seconds));
  return (
    <div className="metric-grid">
      <OnlineCard />
      <MetricCard
        id="waiting-conversations"
        title={t("monitoring.waitingConversations")}
        card={{ value: team.waiting_conversations, previous: null, trend: "flat", level: longest.level, series: null }}
        format="count"
      >
        <p className="small">{t("monitoring.longestWait", { duration: figure(longest.value) })}</p>
      </MetricCard>
      <article className="metric" aria-labelledby="metric-first-response">
        <header className="metric-head">
          <h3 id="metric-first-response">{t("monitoring.firstResponse")}</h3>
        </header>
        <dl className="figures">
          <div>
            <dt className="muted small">{t("monitoring.median")}</dt>
            <dd className="metric-value">{figure(answered.median_seconds)}</dd>
          </div>
          <div>
            <dt className="muted small">{t("monitoring.p90")}</dt>
            <dd className="metric-value">{figure(answered.p90_seconds)}</dd>
          </div>
        </dl>
        <p className="muted small">{t("monitoring.answeredToday", { count: answered.conversations })}</p>
      </article>
      <article className="metric wide" aria-labelledby="metric-open-per-agent">
        <header className="metric-head">
          <h3 id="metric-open-per-agent">{t("monitoring.openPerAgent")}</h3>
        </header>
        <ul className="bars">
          {team.open_conversations_per_agent.map((a) => (
            <li key={a.user_id} aria-label={t("monitoring.openCount", { name: a.display_name, count: a.open_conversations })}>
              <span className="bar-name">{a.display_name}</span>
              <span className="bar-track" aria-hidden="true">
                <span className="bar-fill" style={{ width: `${(a.open_conversations / busiest) * 100}%` }} />
              </span>
              <span className="bar-count">{a.open_conversations}</span>
            </li>
          ))}
        </ul>
      </article>
    </div>
  );
}
