import { describe, expect, it } from "vitest";
import { connectionOf } from "./connection";

describe("the connection indicator", () => {
  it("says offline whenever the browser is offline", () => {
    expect(connectionOf({ online: false, socketUp: true, topics: { a: true } })).toBe("offline");
  });
  it("says connected only when every topic is subscribed on a live socket", () => {
    expect(connectionOf({ online: true, socketUp: true, topics: { a: true, b: true } })).toBe("connected");
    expect(connectionOf({ online: true, socketUp: true, topics: { a: true, b: false } })).toBe("reconnecting");
    expect(connectionOf({ online: true, socketUp: false, topics: { a: true } })).toBe("reconnecting");
    expect(connectionOf({ online: true, socketUp: true, topics: {} })).toBe("reconnecting");
  });
});
