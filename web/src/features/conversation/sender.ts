// Sends the outbox in order through `POST messages`. A stored message replaces its local copy in the thread
// cache at once (the broadcast of the same message may come before or after; both merge by id). A refusal
// (window closed, not allowed…) is kept with its reason; a network or server failure waits and tries again
// with exponential backoff, and at once when the browser comes back online.
import type { QueryClient } from "@tanstack/react-query";
import { isRetryable, toAppError } from "../../lib/errors";
import { callFunction } from "../../lib/functions";
import type { Message } from "../../lib/types";
import { backoffDelay } from "../../sync/backoff";
import { type ThreadPages, upsertMessage } from "../../sync/messages";
import { markRefused, markSending, nextToSend, removeItem, requeue } from "../../sync/outbox";
import type { OutboxStore } from "./outbox-store";
import { conversationKeys } from "./queries";

export class OutboxSender {
  private draining = false;
  private failures = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private store: OutboxStore, private queryClient: QueryClient) {}

  /** Sends whatever is waiting; a no-op while a run is going. */
  kick = () => {
    clearTimeout(this.retryTimer);
    if (!this.draining) void this.drain();
  };

  stop() {
    clearTimeout(this.retryTimer);
  }

  private async drain() {
    this.draining = true;
    try {
      for (let item = nextToSend(this.store.get()); item; item = nextToSend(this.store.get())) {
        const { client_id } = item;
        this.store.update((items) => markSending(items, client_id));
        try {
          const { message } = await callFunction<{ message: Message }>("messages", {
            body: {
              conversation_id: item.conversation_id,
              client_id,
              body: item.body,
              ...(item.reply_to_message_id ? { reply_to_message_id: item.reply_to_message_id } : {}),
            },
          });
          this.queryClient.setQueryData<ThreadPages>(
            conversationKeys.messages(message.conversation_id),
            (data) => (data ? upsertMessage(data, message) : data),
          );
          this.store.update((items) => removeItem(items, client_id));
          this.failures = 0;
        } catch (e) {
          const error = toAppError(e);
          if (!isRetryable(error)) {
            this.store.update((items) => markRefused(items, client_id, { code: error.code, message: error.message }));
            continue;
          }
          this.store.update((items) => requeue(items, client_id));
          this.failures++;
          this.retryTimer = setTimeout(this.kick, backoffDelay(this.failures));
          return;
        }
      }
    } finally {
      this.draining = false;
    }
  }
}
