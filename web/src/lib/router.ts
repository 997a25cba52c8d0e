// Hash routes, so any static server can serve the console and a link to a conversation survives a reload:
//   #/                    inbox        #/conversations/<id>   inbox with that conversation open
//   #/kanban              board        #/kanban/<id>          board with that conversation open beside it
//   #/monitoring          managers' cards                     #/dead-letters         managers' dead letters
//   #/channels            channels     #/channels/<id>        that channel's setup (admins)
//   #/members             members (admins)
import { useSyncExternalStore } from "react";

/** Pages only managers and admins may open (others get a "not allowed" page at these addresses). */
export const managerViews = ["monitoring", "dead-letters"] as const;
export type ManagerView = (typeof managerViews)[number];
export const isManagerView = (part: string | undefined): part is ManagerView => managerViews.includes(part as ManagerView);

export interface Route {
  view: "inbox" | "kanban" | ManagerView | "channels" | "members";
  conversationId: string | null;
  /** The channel whose setup is open (#/channels/<id>). */
  channelId?: string | null;
}

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, "").split("/").filter(Boolean);
  if (parts[0] === "kanban") return { view: "kanban", conversationId: parts[1] ?? null };
  if (isManagerView(parts[0])) return { view: parts[0], conversationId: null };
  if (parts[0] === "conversations" && parts[1]) return { view: "inbox", conversationId: parts[1] };
  if (parts[0] === "channels") return { view: "channels", conversationId: null, channelId: parts[1] ?? null };
  if (parts[0] === "members") return { view: "members", conversationId: null };
  return { view: "inbox", conversationId: null };
}

export function routeHref(route: Route): string {
  if (route.view === "kanban") return route.conversationId ? `#/kanban/${route.conversationId}` : "#/kanban";
  if (isManagerView(route.view)) return `#/${route.view}`;
  if (route.view === "channels") return route.channelId ? `#/channels/${route.channelId}` : "#/channels";
  if (route.view === "members") return "#/members";
  return route.conversationId ? `#/conversations/${route.conversationId}` : "#/";
}

export function navigate(route: Route) {
  window.location.hash = routeHref(route);
}

const subscribe = (onChange: () => void) => {
  window.addEventListener("hashchange", onChange);
  return () => window.removeEventListener("hashchange", onChange);
};

let lastHash = "";
let lastRoute: Route = parseRoute("");
function snapshot(): Route {
  if (window.location.hash !== lastHash) {
    lastHash = window.location.hash;
    lastRoute = parseRoute(lastHash);
  }
  return lastRoute;
}

export function useRoute(): Route {
  return useSyncExternalStore(subscribe, snapshot);
}
