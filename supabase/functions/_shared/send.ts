// The processor's outbound job: send one stored message through its channel's provider, exactly once as far as
// the providers allow (see README, "Sending exactly once"), and record the outcome on the message.
import type { Sql } from "./db.ts";
import type { QueueJob } from "./queue.ts";
import type { SendContext, SendResult } from "./outbound.ts";
import { sendCloud } from "./providers/send-cloud.ts";
import { sendEvolution } from "./providers/send-evolution.ts";

export const OUTBOUND_KIND = "outbound_message";

/** How long an unanswered send may still show up as an echo or receipt before it is sent again. */
const GRACE_SECONDS = Number(Deno.env.get("ATENDE_SEND_GRACE_SECONDS") ?? 30);

type Begin = { action: "skip" } | { action: "wait" } | ({ action: "send" } & SendContext);

export async function runOutbound(sql: Sql, job: QueueJob): Promise<void> {
  const messageId = String(job.payload.message_id);
  const [{ begin }] = await sql<
    { begin: Begin }[]
  >`select app.begin_send(${messageId}::uuid, ${GRACE_SECONDS}) as begin`;
  if (begin.action === "skip") return;
  if (begin.action === "wait") throw new Error("awaiting_confirmation: an earlier attempt got no answer yet");
  const result: SendResult = begin.provider === "cloud" ? await sendCloud(begin) : await sendEvolution(begin);
  if (result.ok) {
    await sql`select app.record_send_success(${messageId}::uuid, ${result.providerMessageId})`;
    return;
  }
  const lastAttempt = job.attempts >= job.max_attempts;
  await sql`select app.record_send_failure(${messageId}::uuid, ${sql.json(result.error as never)},
    ${result.permanent || lastAttempt}, ${result.sentMaybe})`;
  // A permanent refusal is the message's outcome, shown to the agent; the job itself is done.
  if (result.permanent) return;
  throw new Error(`${result.error.code}: ${result.error.title}`);
}
