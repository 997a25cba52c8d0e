import { describe, expect, it } from "vitest";
import {
  deadLettersPath,
  defaultDeadLetterFilter,
  keepVisible,
  nextCursor,
  selectionState,
  toggleAll,
  toggleOne,
} from "./dead-letters";
import type { DeadLetter } from "./types";

const tenant = "de000000-0000-4000-8000-000000000001";
const row = (id: number, failedAt: string) => ({ id, failed_at: failedAt }) as DeadLetter;

describe("the dead-letter filters", () => {
  it("ask for the tenant's dead letters awaiting a decision by default", () => {
    expect(deadLettersPath(tenant, defaultDeadLetterFilter)).toBe(
      `ops/dead-letters?tenant_id=${tenant}&state=active&limit=50`,
    );
  });

  it("narrow by channel, kind and a piece of the error, and page after the last row", () => {
    const path = deadLettersPath(
      tenant,
      { channelId: "c1", kind: "outbound_message", error: "  500 from provider ", state: "all" },
      { failedAt: "2026-11-24T12:00:00.5+00:00", id: 42 },
      20,
    );
    const query = new URLSearchParams(path.split("?")[1]);
    expect(Object.fromEntries(query)).toEqual({
      tenant_id: tenant,
      state: "all",
      limit: "20",
      channel_id: "c1",
      kind: "outbound_message",
      error: "500 from provider",
      before_failed_at: "2026-11-24T12:00:00.5+00:00",
      before_id: "42",
    });
  });

  it("have a next page only after a full one", () => {
    const page = [row(9, "2026-11-24T12:00:02Z"), row(7, "2026-11-24T12:00:01Z")];
    expect(nextCursor(page, 2)).toEqual({ failedAt: "2026-11-24T12:00:01Z", id: 7 });
    expect(nextCursor(page, 3)).toBeUndefined();
    expect(nextCursor([], 3)).toBeUndefined();
  });
});

describe("choosing dead letters for a bulk action", () => {
  it("toggles one row, or every visible row from the header", () => {
    let selected = toggleOne(new Set(), 3);
    expect([...selected]).toEqual([3]);
    expect(selectionState(selected, [1, 2, 3])).toBe("some");
    selected = toggleAll(selected, [1, 2, 3]);
    expect(selectionState(selected, [1, 2, 3])).toBe("all");
    selected = toggleAll(selected, [1, 2, 3]);
    expect(selectionState(selected, [1, 2, 3])).toBe("none");
    expect([...toggleOne(new Set([3]), 3)]).toEqual([]);
  });

  it("forgets rows that left the table, and keeps the same selection when none did", () => {
    const selected = new Set([1, 2, 3]);
    expect([...keepVisible(selected, [2, 3, 4])]).toEqual([2, 3]);
    expect(keepVisible(selected, [1, 2, 3, 4])).toBe(selected);
    expect(toggleAll(new Set(), [])).toEqual(new Set());
  });
});
