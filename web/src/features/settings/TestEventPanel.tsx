// "Send test event": a test customer writes to the channel (through the simulator, or a real-format webhook we
// sign ourselves) and the panel follows the event live — sent → received by the webhook → stored as a message —
// ending with a link to the conversation it landed in.
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { describeError } from "../../components/ErrorText";
import { toAppError } from "../../lib/errors";
import { useI18n } from "../../lib/i18n";
import { routeHref } from "../../lib/router";
import { useNow } from "../../lib/use-now";
import { sendTestEvent } from "./commands";
import { FieldError, useReportFailure } from "./Field";
import { TEST_EVENT_PATIENCE_MS, testEventStageQuery } from "./queries";
import { type StepState, type TestEventStep, testEventSteps } from "./setup";
import type { TestEvent } from "./types";

/** After this long without reaching the webhook, the panel suggests what to check. */
const SLOW_MS = 15_000;

const stepMarks: Record<StepState, string> = { done: "✓", current: "…", waiting: "○", failed: "✕" };

function Progress({ tenantId, channelId, sent }: { tenantId: string; channelId: string; sent: TestEvent & { at: number } }) {
  const { t } = useI18n();
  const now = useNow(1_000);
  const { data, error } = useQuery(testEventStageQuery(tenantId, channelId, sent.provider_message_id, sent.at));
  const steps = testEventSteps(data?.stage);
  const settled = data?.stage === "applied" || data?.stage === "dead_lettered";
  const gaveUp = !settled && now - sent.at > TEST_EVENT_PATIENCE_MS;
  const stepText: Record<TestEventStep, string> = {
    sent: sent.via === "simulator"
      ? t("testEvent.sentViaSimulator", { phone: sent.phone })
      : t("testEvent.sentViaWebhook", { status: sent.webhook_status ?? "?" }),
    received: t("testEvent.received"),
    stored: data?.stage === "dead_lettered" ? t("testEvent.deadLettered") : t("testEvent.stored"),
  };
  return (
    <>
      <ol className="steps" aria-label={t("testEvent.progress")}>
        {(["sent", "received", "stored"] as const).map((step) => (
          <li key={step} className={`step ${gaveUp && steps[step] === "current" ? "failed" : steps[step]}`} aria-label={`${t(`testEvent.step.${step}`)}: ${t(`testEvent.state.${steps[step]}`)}`}>
            <span className="step-mark" aria-hidden="true">{stepMarks[steps[step]]}</span>
            <span className="step-title">{t(`testEvent.step.${step}`)}</span>
            <span className="muted small">{stepText[step]}</span>
          </li>
        ))}
      </ol>
      {data?.stage === "applied" && (
        <p role="status">
          {t("testEvent.arrived")}{" "}
          <a href={routeHref({ view: "inbox", conversationId: data.conversation_id })}>{t("testEvent.openConversation")}</a>
        </p>
      )}
      {!settled && now - sent.at > SLOW_MS && (
        <p className="warning">{gaveUp ? t("testEvent.gaveUp") : t("testEvent.slow")}</p>
      )}
      {error && <FieldError error={describeError(t, toAppError(error))} />}
    </>
  );
}

export function TestEventPanel({ tenantId, channelId }: { tenantId: string; channelId: string }) {
  const { t } = useI18n();
  const report = useReportFailure();
  const [sent, setSent] = useState<(TestEvent & { at: number }) | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  async function send() {
    setBusy(true);
    setError(undefined);
    try {
      const event = await sendTestEvent(channelId);
      setSent({ ...event, at: Date.now() });
    } catch (e) {
      report(e, (failure) => setError(describeError(t, failure)));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card stack" aria-labelledby="test-event-title">
      <div className="card-head">
        <h3 id="test-event-title">{t("testEvent.title")}</h3>
        <button type="button" className="primary" onClick={send} disabled={busy}>
          {busy ? t("testEvent.sending") : t("testEvent.send")}
        </button>
      </div>
      <p className="muted">{t("testEvent.description")}</p>
      <FieldError error={error} />
      {sent && <Progress key={sent.provider_message_id} tenantId={tenantId} channelId={channelId} sent={sent} />}
    </section>
  );
}
