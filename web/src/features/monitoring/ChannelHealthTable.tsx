import { useI18n } from "../../lib/i18n";
import { useNow } from "../../lib/use-now";
import { channelState, formatDuration, secondsSince } from "./cards";
import type { ChannelHealth } from "./types";

/** Each channel's connection, last webhook, last traffic either way, and webhook errors in the last hour. */
export function ChannelHealthTable({ channels }: { channels: ChannelHealth[] }) {
  const { t } = useI18n();
  const now = useNow(15_000);
  const ago = (instant: string | null) => {
    const seconds = secondsSince(instant, now);
    return seconds === null ? t("monitoring.never") : t("monitoring.ago", { duration: formatDuration(seconds) });
  };
  if (!channels.length) return <p className="muted">{t("monitoring.noChannels")}</p>;
  return (
    <div className="table-frame">
      <table className="data-table">
        <thead>
          <tr>
            <th scope="col">{t("monitoring.channel")}</th>
            <th scope="col">{t("monitoring.connection")}</th>
            <th scope="col">{t("monitoring.lastWebhook")}</th>
            <th scope="col">{t("monitoring.lastReceived")}</th>
            <th scope="col">{t("monitoring.lastSent")}</th>
            <th scope="col">{t("monitoring.webhookErrors")}</th>
          </tr>
        </thead>
        <tbody>
          {channels.map((c) => (
            <tr key={c.id}>
              <th scope="row">
                {c.name}
                <span className="muted small block">{t(`monitoring.provider.${c.provider}`)} · {c.external_id}</span>
              </th>
              <td>
                <span className={`state-pill ${c.level}`}>
                  <span className="state-dot" aria-hidden="true" />
                  {t(`monitoring.state.${channelState(c, now)}`)}
                </span>
                {c.status_changed_at && <span className="muted small block">{ago(c.status_changed_at)}</span>}
              </td>
              <td>{ago(c.last_webhook_at)}</td>
              <td>{ago(c.last_received_at)}</td>
              <td>{ago(c.last_sent_at)}</td>
              <td>
                <span className={c.webhook_errors_1h > 0 ? "error-count" : undefined}>{c.webhook_errors_1h}</span>
                {c.last_webhook_error_status !== null && (
                  <span className="muted small block">
                    {t("monitoring.lastError", { status: c.last_webhook_error_status, ago: ago(c.last_webhook_error_at) })}
                  </span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
