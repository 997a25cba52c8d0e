import { describe, expect, it } from "vitest";
import { isRetryable, toAppError } from "./errors";

describe("errors shown to the agent", () => {
  it("a refused send keeps the function's code and details", () => {
    const e = toAppError({ error: { code: "already_assigned", message: "taken", details: { assignee_id: "b" } } }, 409);
    expect(e).toMatchObject({ status: 409, code: "already_assigned", details: { assignee_id: "b" } });
    expect(isRetryable(e)).toBe(false);
  });
  it("a stable code raised in SQL reaches the form as the code", () => {
    const e = toAppError({ code: "P0001", message: "conversation_closed", details: null, hint: null });
    expect(e.code).toBe("conversation_closed");
    const http = toAppError({ code: "PT422", message: "window_closed", details: "24 h", hint: null }, 422);
    expect(http).toMatchObject({ status: 422, code: "window_closed" });
  });
  it("a failed fetch is the network, worth retrying", () => {
    const e = toAppError(new TypeError("Failed to fetch"));
    expect(e).toMatchObject({ status: 0, code: "network" });
    expect(isRetryable(e)).toBe(true);
  });
  it("wrong credentials keep Auth's code", () => {
    const e = toAppError({ __isAuthError: true, status: 400, code: "invalid_credentials", message: "Invalid login" });
    expect(e).toMatchObject({ status: 400, code: "invalid_credentials" });
  });
  it("anything unexpected becomes internal, and converting twice changes nothing", () => {
    const e = toAppError(new Error("boom"));
    expect(e).toMatchObject({ status: 500, code: "internal" });
    expect(toAppError(e)).toBe(e);
  });
});
