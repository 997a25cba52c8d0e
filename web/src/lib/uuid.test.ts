import { describe, expect, it } from "vitest";
import { uuidFromBytes } from "./uuid";

describe("client ids", () => {
  it("are UUID v4 even when built without crypto.randomUUID (plain http)", () => {
    const v4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    expect(uuidFromBytes(new Uint8Array(16).fill(255))).toMatch(v4);
    expect(uuidFromBytes(new Uint8Array(16))).toMatch(v4);
    const ids = new Set(Array.from({ length: 50 }, () => uuidFromBytes(crypto.getRandomValues(new Uint8Array(16)))));
    expect(ids.size).toBe(50);
  });
});
