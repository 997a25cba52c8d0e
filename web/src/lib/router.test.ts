import { describe, expect, it } from "vitest";
import { parseRoute, routeHref } from "./router";

describe("links to the console", () => {
  it("open a conversation in the inbox or beside the board, and survive a round trip", () => {
    for (const hash of ["#/", "#/conversations/abc", "#/kanban", "#/kanban/abc"]) {
      expect(routeHref(parseRoute(hash))).toBe(hash);
    }
    expect(parseRoute("")).toEqual({ view: "inbox", conversationId: null });
    expect(parseRoute("#/kanban/abc")).toEqual({ view: "kanban", conversationId: "abc" });
  });

  it("have their own addresses for the managers' monitoring and dead letters", () => {
    for (const hash of ["#/monitoring", "#/dead-letters"]) expect(routeHref(parseRoute(hash))).toBe(hash);
    expect(parseRoute("#/dead-letters")).toEqual({ view: "dead-letters", conversationId: null });
  });

  it("lead admins to the channels, one channel's setup, and the members", () => {
    for (const hash of ["#/channels", "#/channels/abc", "#/members"]) {
      expect(routeHref(parseRoute(hash))).toBe(hash);
    }
    expect(parseRoute("#/channels/abc")).toEqual({ view: "channels", conversationId: null, channelId: "abc" });
  });
});
