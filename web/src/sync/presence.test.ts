import { describe, expect, it } from "vitest";
import { groupPresence } from "./presence";

describe("team presence", () => {
  it("counts an agent with several tabs as one person", () => {
    const people = groupPresence({
      a: [{ user_id: "ana", name: "Ana", status: "online" }],
      b: [{ user_id: "ana", name: "Ana", status: "online" }, { user_id: "bruno", name: "Bruno", status: "busy" }],
    });
    expect([...people.keys()].sort()).toEqual(["ana", "bruno"]);
    expect(people.get("ana")?.tabs).toBe(2);
  });
  it("shows the status the agent picked last when tabs disagree for a moment", () => {
    const people = groupPresence({
      ana: [
        { user_id: "ana", name: "Ana", status: "busy", since: 2_000 },
        { user_id: "ana", name: "Ana", status: "online", since: 1_000 },
      ],
    });
    expect(people.get("ana")?.status).toBe("busy");
  });
  it("forgets an agent whose last tab left", () => {
    expect(groupPresence({ ana: [] }).size).toBe(0);
  });
});
