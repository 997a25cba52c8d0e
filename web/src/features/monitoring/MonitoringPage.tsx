// The managers' monitoring: queue cards, team cards and channel health, kept current by a short poll and by the
// dead-letter and channel events Realtime brings (realtime/actions.ts). Lazy-loaded: agents never download it.
import { useQuery } from "@tanstack/react-query";
import { ErrorText } from "../../components/ErrorText";
import { toAppError } from "../../lib/errors";
import { formatTime } from "../../lib/format";
import { useI18n } from "../../lib/i18n";
import { routeHref } from "../../lib/router";
import { useMe } from "../auth/me";
import { queueCardSpecs } from "./cards";
import { ChannelHealthTable } from "./ChannelHealthTable";
import { MetricCard } from "./MetricCard";
import "./monitoring.css";
import { statsQuery } from "./queries";
import { TeamCards } from "./TeamCards";

export default function MonitoringPage() {
  const { t, locale } = useI18n();
  const me = useMe();
  const stats = useQuery(statsQuery(me.tenantId));

  return (
    <main className="monitoring" aria-labelledby="monitoring-title">
      <header className="page-head">
        <div>
          <h1 id="monitoring-title">{t("monitoring.title")}</h1>
          {stats.data && (
            <p className="muted small live-note">
              <span className="live-dot" aria-hidden="true" />
              {t("monitoring.updated", { time: formatTime(stats.data.generated_at, locale) })}
            </p>
          )}
        </div>
        <a className="button-link" href={routeHref({ view: "dead-letters", conversationId: null })}>
          {t("monitoring.seeDeadLetters")}
        </a>
      </header>
      {stats.isPending && <p className="muted" aria-busy="true">{t("common.loading")}</p>}
      {stats.isError && !stats.data && <ErrorText error={toAppError(stats.error)} />}
      {stats.data && (
        <>
          <section aria-labelledby="queue-title">
            <h2 id="queue-title" className="section-title">{t("monitoring.queue")}</h2>
            <div className="metric-grid">
              {queueCardSpecs.map((spec) => (
                <MetricCard
                  key={spec.name}
                  id={spec.name}
                  title={t(`monitoring.card.${spec.name}`)}
                  hint={t(`monitoring.hint.${spec.name}`)}
                  card={stats.data.queue[spec.name]}
                  format={spec.format}
                  higherIsBetter={spec.higherIsBetter}
                  window={spec.window}
                />
              ))}
            </div>
          </section>
          <section aria-labelledby="team-title">
            <h2 id="team-title" className="section-title">{t("monitoring.team")}</h2>
            <TeamCards team={stats.data.team} />
          </section>
          <section aria-labelledby="channels-title">
            <h2 id="channels-title" className="section-title">{t("monitoring.channels")}</h2>
            <ChannelHealthTable channels={stats.data.channels} />
          </section>
        </>
      )}
    </main>
  );
}
