import { describe, expect, it } from "vitest";
import {
  enqueue,
  markRefused,
  markSending,
  nextToSend,
  type OutboxItem,
  removeItem,
  requeue,
  restore,
  retryRefused,
  waitingIn,
} from "./outbox";
import { message } from "./test-rows";

let t = 0;
const item = (clientId: string, conversationId = "c"): OutboxItem => ({
  client_id: clientId,
  conversation_id: conversationId,
  body: `text ${clientId}`,
  reply_to_message_id: null,
  queued_at: ++t,
  state: "queued",
});

describe("messages typed while offline", () => {
  it("go out one at a time in the order they were typed", () => {
    let box = [item("a"), item("b"), item("c")].reduce(enqueue, [] as OutboxItem[]);
    const sent: string[] = [];
    for (let next = nextToSend(box); next; next = nextToSend(box)) {
      box = markSending(box, next.client_id);
      expect(nextToSend(box)).toBeUndefined();
      sent.push(next.client_id);
      box = removeItem(box, next.client_id);
    }
    expect(sent).toEqual(["a", "b", "c"]);
  });

  it("keep their place when the network fails mid-send", () => {
    let box = [item("a"), item("b")].reduce(enqueue, [] as OutboxItem[]);
    box = markSending(box, "a");
    box = requeue(box, "a");
    expect(nextToSend(box)?.client_id).toBe("a");
  });

  it("a refused message shows why and does not hold up the next", () => {
    let box = [item("a"), item("b")].reduce(enqueue, [] as OutboxItem[]);
    box = markRefused(markSending(box, "a"), "a", { code: "window_closed", message: "24 h" });
    expect(box[0]).toMatchObject({ state: "refused", error: { code: "window_closed" } });
    expect(nextToSend(box)?.client_id).toBe("b");
    box = retryRefused(removeItem(box, "b"), "a");
    expect(nextToSend(box)?.client_id).toBe("a");
  });

  it("typing the same message twice (same client id) queues it once", () => {
    const a = item("a");
    expect(enqueue(enqueue([], a), { ...a })).toHaveLength(1);
  });

  it("a message in flight when the page reloaded is sent again", () => {
    expect(nextToSend(restore(markSending([item("a")], "a")))?.client_id).toBe("a");
  });
});

describe("reconciling with stored messages", () => {
  it("hides the local copy once the stored one (same client id) arrived, whichever came first", () => {
    const box = [item("a", "c1"), item("b", "c1"), item("z", "c2")];
    const stored = [message({ client_id: "a", conversation_id: "c1" })];
    expect(waitingIn(box, "c1", stored).map((i) => i.client_id)).toEqual(["b"]);
    expect(waitingIn(box, "c1", []).map((i) => i.client_id)).toEqual(["a", "b"]);
  });
});
