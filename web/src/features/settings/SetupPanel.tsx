// What the integrator pastes into the provider: our webhook URL and how it authenticates, Evolution's events and
// `POST /webhook/set` request, or the Cloud API callback URL and verify token. Right after a secret is generated it
// is in clear here (once); afterwards as its last characters, and the request carries a placeholder for it.
import { useI18n } from "../../lib/i18n";
import { CopyButton, CopyField } from "./CopyField";
import { maskedSecret, webhookSetBody, webhookSetCurl } from "./setup";
import type { CloudSetup, EvolutionSetup, ShownSecret } from "./types";

function Masked({ label, secret }: { label: string; secret: ShownSecret }) {
  const { t } = useI18n();
  return (
    <div className="copy-field" role="group" aria-label={label}>
      <span className="copy-field-label">{label}</span>
      <code className="copy-value masked">{maskedSecret(secret) || t("secrets.notSet")}</code>
      <p className="muted small">{t("setup.maskedNote")}</p>
    </div>
  );
}

function EvolutionSteps({ setup }: { setup: EvolutionSetup }) {
  const { t } = useI18n();
  const secret = setup.secret_header;
  return (
    <>
      <p className="muted">{t("setup.evolutionIntro")}</p>
      <CopyField label={t("setup.webhookUrl")} value={setup.webhook_url} />
      <CopyField label={t("setup.headerName")} value={secret.name} />
      {secret.value ? <CopyField label={t("setup.headerValue")} value={secret.value} /> : <Masked label={t("setup.headerValue")} secret={secret} />}
      {setup.webhook_url_with_secret && (
        <CopyField label={t("setup.urlWithSecret")} value={setup.webhook_url_with_secret} note={t("setup.urlWithSecretNote")} />
      )}
      <div className="copy-field" role="group" aria-label={t("setup.events")}>
        <div className="copy-field-head">
          <span className="copy-field-label">{t("setup.events")}</span>
          <CopyButton label={t("setup.events")} value={JSON.stringify(setup.events)} />
        </div>
        <ul className="tag-list">{setup.events.map((e) => <li key={e} className="tag">{e}</li>)}</ul>
        <p className="muted small">{t("setup.eventsNote")}</p>
      </div>
      <h4>{t("setup.webhookSet", { method: setup.webhook_set.method, url: setup.webhook_set.url })}</h4>
      <CopyField
        label={t("setup.webhookSetBody")}
        value={webhookSetBody(setup.webhook_set)}
        block
        note={secret.value ? undefined : t("setup.placeholderNote")}
      />
      <CopyField label={t("setup.curl")} value={webhookSetCurl(setup.webhook_set)} block note={t("setup.curlNote")} />
    </>
  );
}

function CloudSteps({ setup }: { setup: CloudSetup }) {
  const { t } = useI18n();
  return (
    <>
      <p className="muted">{t("setup.cloudIntro")}</p>
      <CopyField label={t("setup.callbackUrl")} value={setup.callback_url} />
      {setup.verify_token.value
        ? <CopyField label={t("setup.verifyToken")} value={setup.verify_token.value} />
        : <Masked label={t("setup.verifyToken")} secret={setup.verify_token} />}
      <CopyField label={t("setup.webhookFields")} value={setup.webhook_fields.join(",")} note={t("setup.webhookFieldsNote")} />
      <dl className="facts">
        <dt>{t("channelForm.phone_number_id")}</dt>
        <dd>{setup.phone_number_id}</dd>
        <dt>{t("channelForm.waba_id")}</dt>
        <dd>{setup.waba_id ?? "—"}</dd>
      </dl>
    </>
  );
}

export function SetupPanel({ setup }: { setup: EvolutionSetup | CloudSetup }) {
  const { t } = useI18n();
  return (
    <section className="card stack" aria-labelledby="setup-title">
      <h3 id="setup-title">{t("setup.title")}</h3>
      {setup.provider === "evolution" ? <EvolutionSteps setup={setup} /> : <CloudSteps setup={setup} />}
    </section>
  );
}
