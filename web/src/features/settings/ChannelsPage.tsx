// Channels (admins): the tenant's WhatsApp numbers on the left, one channel's setup on the right — what to paste
// into the provider, a test event followed end to end, and its secrets. A secret the server just generated is
// shown in clear on that channel's page until the admin dismisses it or opens another channel; then masked.
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { ErrorText } from "../../components/ErrorText";
import { toAppError } from "../../lib/errors";
import { formatDateTime } from "../../lib/format";
import { useI18n } from "../../lib/i18n";
import { navigate, routeHref } from "../../lib/router";
import { useMe } from "../auth/me";
import { ChannelFormDialog } from "./ChannelFormDialog";
import { channelDetailQuery, channelListQuery } from "./queries";
import { SecretsPanel } from "./SecretsPanel";
import { SetupPanel } from "./SetupPanel";
import { TestEventPanel } from "./TestEventPanel";
import type { ChannelRecord, ChannelSetup, SecretName } from "./types";

/** Secrets in clear (in the setup), for the one channel they were generated for. */
interface Revealed {
  channelId: string;
  secrets: SecretName[];
  setup: ChannelSetup;
}

export default function ChannelsPage({ channelId }: { channelId: string | null }) {
  const { t } = useI18n();
  const me = useMe();
  const list = useQuery(channelListQuery(me.tenantId));
  const [creating, setCreating] = useState(false);
  const [revealed, setRevealed] = useState<Revealed | null>(null);
  // Leaving the channel a secret was revealed on masks it for good (adjusted during render, not in an effect).
  const [shownChannel, setShownChannel] = useState(channelId);
  if (shownChannel !== channelId) {
    setShownChannel(channelId);
    if (revealed?.channelId === shownChannel) setRevealed(null);
  }

  return (
    <main className="settings-page">
      <header className="settings-header">
        <div>
          <h1>{t("channels.title")}</h1>
          <p className="muted">{t("channels.description")}</p>
        </div>
        <button type="button" className="primary" onClick={() => setCreating(true)}>{t("channels.new")}</button>
      </header>
      <div className="settings-columns">
        <nav className="card channel-list" aria-label={t("channels.listLabel")}>
          {list.isPending && <p className="muted" aria-busy="true">{t("common.loading")}</p>}
          {list.isError && <ErrorText error={toAppError(list.error)} />}
          {list.data?.length === 0 && <p className="muted">{t("channels.empty")}</p>}
          <ul>
            {list.data?.map((c) => <ChannelLink key={c.id} channel={c} current={c.id === channelId} />)}
          </ul>
        </nav>
        <div className="settings-main">
          {channelId
            ? (
              <ChannelDetails
                key={channelId}
                tenantId={me.tenantId}
                channelId={channelId}
                revealed={revealed?.channelId === channelId ? revealed : null}
                onReveal={setRevealed}
                onDismiss={() => setRevealed(null)}
              />
            )
            : <p className="card muted">{t("channels.choose")}</p>}
        </div>
      </div>
      {creating && (
        <ChannelFormDialog
          onClose={() => setCreating(false)}
          onCreated={(created) => {
            setCreating(false);
            setRevealed({
              channelId: created.channel.id,
              setup: created.setup,
              secrets: Object.keys(created.secrets) as SecretName[],
            });
            navigate({ view: "channels", conversationId: null, channelId: created.channel.id });
          }}
        />
      )}
    </main>
  );
}

function ChannelLink({ channel, current }: { channel: ChannelRecord; current: boolean }) {
  const { t } = useI18n();
  return (
    <li>
      <a
        href={routeHref({ view: "channels", conversationId: null, channelId: channel.id })}
        aria-current={current ? "page" : undefined}
        className="channel-link"
      >
        <span className="channel-link-name">{channel.name}</span>
        <span className="muted small">{t(`provider.${channel.provider}`)} · {channel.external_id}</span>
        <span className={`channel-status ${channel.status}`}>{t(`channelStatus.${channel.status}`)}</span>
      </a>
    </li>
  );
}

function ChannelDetails({ tenantId, channelId, revealed, onReveal, onDismiss }: {
  tenantId: string;
  channelId: string;
  revealed: Revealed | null;
  onReveal: (revealed: Revealed) => void;
  onDismiss: () => void;
}) {
  const { t, locale } = useI18n();
  const detail = useQuery(channelDetailQuery(tenantId, channelId));
  if (detail.isPending) return <p className="card muted" aria-busy="true">{t("common.loading")}</p>;
  if (detail.isError) {
    const error = toAppError(detail.error);
    return <div className="card">{error.status === 404 ? <p role="alert">{t("channels.notFound")}</p> : <ErrorText error={error} />}</div>;
  }
  const { channel } = detail.data;
  return (
    <article className="stack" aria-labelledby="channel-title">
      <header className="card channel-header">
        <h2 id="channel-title">{channel.name}</h2>
        <p className="muted">
          {t(`provider.${channel.provider}`)} · {channel.provider === "evolution" ? t("channels.instance") : t("channels.number")}{" "}
          <strong>{channel.external_id}</strong>
          {channel.base_url && <> · {channel.base_url}</>}
        </p>
        <p className="small">
          <span className={`channel-status ${channel.status}`}>{t(`channelStatus.${channel.status}`)}</span>
          <span className="muted"> · {t("channels.createdAt", { time: formatDateTime(channel.created_at, locale) })}</span>
        </p>
      </header>
      {revealed && (
        <section className="card stack once" aria-labelledby="once-title">
          <h3 id="once-title">{t("once.title")}</h3>
          <p>{t("once.description", { names: revealed.secrets.map((name) => t(`secrets.${name}`)).join(", ") })}</p>
          <div><button type="button" className="secondary" onClick={onDismiss}>{t("once.dismiss")}</button></div>
        </section>
      )}
      <SetupPanel setup={revealed?.setup ?? detail.data.setup} />
      <TestEventPanel tenantId={tenantId} channelId={channel.id} />
      <SecretsPanel
        tenantId={tenantId}
        detail={detail.data}
        onRotated={(rotated) => {
          if (rotated.value && rotated.setup) {
            onReveal({ channelId: channel.id, secrets: [rotated.secret], setup: rotated.setup });
          }
        }}
      />
    </article>
  );
}
