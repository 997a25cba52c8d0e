// Pure helpers of the channel setup page: the copy-ready `POST /webhook/set` request, how a masked secret reads,
// the steps of a test event, and the grace periods a rotation offers.
import type { SecretName, TestEventStage, WebhookSetRequest } from "./types";

/** The request's JSON body, indented as an integrator would paste it into Evolution's manager or Postman. */
export const webhookSetBody = (request: WebhookSetRequest): string => JSON.stringify(request.body, null, 2);

const shellQuote = (value: string) => `'${value.replace(/'/g, `'\\''`)}'`;

/** The same request as a curl command line (the apikey stays a placeholder: we never hold it in clear). */
export function webhookSetCurl(request: WebhookSetRequest): string {
  return [
    `curl -X ${request.method} ${shellQuote(request.url)}`,
    ...Object.entries(request.headers).map(([name, value]) => `-H ${shellQuote(`${name}: ${value}`)}`),
    `--data ${shellQuote(JSON.stringify(request.body))}`,
  ].join(" \\\n  ");
}

/** "••••••••a1b2" for a stored secret, "" when there is none (a setup's secret has a hint whenever it is set). */
export function maskedSecret(secret: { set?: boolean; hint: string | null } | undefined): string {
  if (!secret || !(secret.set ?? secret.hint !== null)) return "";
  return `••••••••${(secret.hint ?? "").replace(/^…/, "")}`;
}

/** The secrets of each provider, in the order the page lists them. Generated ones are made by the server. */
export const channelSecrets: Record<"evolution" | "cloud", { name: SecretName; generated: boolean; graced: boolean }[]> = {
  evolution: [
    { name: "webhook_secret", generated: true, graced: true },
    { name: "api_key", generated: false, graced: false },
  ],
  cloud: [
    { name: "app_secret", generated: false, graced: true },
    { name: "access_token", generated: false, graced: false },
    { name: "verify_token", generated: true, graced: false },
  ],
};

/** How long a rotated-away secret keeps working, in seconds (the server allows up to 7 days). */
export const graceChoices = [0, 3_600, 86_400, 604_800] as const;

export type StepState = "done" | "current" | "waiting" | "failed";
export type TestEventStep = "sent" | "received" | "stored";

/**
 * sent → received (the webhook stored it in the queue) → stored (a message in a conversation). A dead-lettered
 * event was received and then failed; a stage not yet known means only the send has happened.
 */
export function testEventSteps(stage: TestEventStage["stage"] | undefined): Record<TestEventStep, StepState> {
  switch (stage) {
    case "applied":
      return { sent: "done", received: "done", stored: "done" };
    case "dead_lettered":
      return { sent: "done", received: "done", stored: "failed" };
    case "received":
      return { sent: "done", received: "done", stored: "current" };
    default:
      return { sent: "done", received: "current", stored: "waiting" };
  }
}
