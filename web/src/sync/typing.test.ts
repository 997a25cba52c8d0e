import { describe, expect, it } from "vitest";
import { activeTypers, idleSender, onKeystroke, onSend, onTick, receiveTyping, type TypingSender } from "./typing";

describe("seeing who is typing", () => {
  it("shows another agent from their start until their stop", () => {
    let shown = receiveTyping({}, { user_id: "ana", name: "Ana", typing: true }, 0);
    expect(activeTypers(shown, 1_000, "bruno")).toEqual(["Ana"]);
    shown = receiveTyping(shown, { user_id: "ana", name: "Ana", typing: false }, 2_000);
    expect(activeTypers(shown, 2_000, "bruno")).toEqual([]);
  });

  it("drops an indicator older than 10 s even if the stop never came", () => {
    const shown = receiveTyping({}, { user_id: "ana", name: "Ana", typing: true }, 0);
    expect(activeTypers(shown, 9_999, "bruno")).toEqual(["Ana"]);
    expect(activeTypers(shown, 10_000, "bruno")).toEqual([]);
  });

  it("never shows the agent their own typing", () => {
    const shown = receiveTyping({}, { user_id: "ana", name: "Ana", typing: true }, 0);
    expect(activeTypers(shown, 1, "ana")).toEqual([]);
  });

  it("a stop that arrives before its start leaves nothing behind", () => {
    const shown = receiveTyping({}, { user_id: "ana", name: "Ana", typing: false }, 0);
    expect(activeTypers(shown, 0, "bruno")).toEqual([]);
  });
});

describe("announcing typing", () => {
  function run(events: Array<["key" | "tick" | "send", number]>) {
    let s: TypingSender = idleSender;
    const sent: Array<[number, boolean]> = [];
    for (const [kind, now] of events) {
      const r = kind === "key" ? onKeystroke(s, now) : kind === "tick" ? onTick(s, now) : onSend(s);
      s = r.sender;
      if (r.send !== undefined) sent.push([now, r.send]);
    }
    return sent;
  }

  it("starts on the first keystroke and stops after 3 s without one", () => {
    expect(run([["key", 0], ["key", 500], ["tick", 2_000], ["tick", 3_499], ["tick", 3_500], ["tick", 5_000]]))
      .toEqual([[0, true], [3_500, false]]);
  });

  it("repeats itself while typing goes on, so receivers keep the indicator", () => {
    const keys = Array.from({ length: 12 }, (_, i) => ["key", i * 1_000] as ["key", number]);
    expect(run(keys)).toEqual([[0, true], [4_000, true], [8_000, true]]);
  });

  it("stops at once on send, and a send without typing says nothing", () => {
    expect(run([["key", 0], ["send", 100], ["tick", 5_000]])).toEqual([[0, true], [100, false]]);
    expect(run([["send", 0]])).toEqual([]);
  });
});
