// WhatsApp JIDs as Baileys writes them: "<user>[_agent][:device]@<server>". One person can be addressed by a
// phone JID (@s.whatsapp.net) or a LID (@lid), and which one Evolution puts in which key field depends on its
// version (whatsapp-formats §1.3), so a contact is built from every field that may hold either.
import type { ContactRef } from "../inbound.ts";
import { defined } from "./fields.ts";

interface Jid {
  user: string;
  server: string;
}

function parseJid(v: unknown): Jid | undefined {
  if (typeof v !== "string") return undefined;
  const at = v.lastIndexOf("@");
  if (at <= 0) return undefined;
  return { user: v.slice(0, at).split(":")[0].split("_")[0], server: v.slice(at + 1) };
}

export const isGroupJid = (v: unknown): v is string => parseJid(v)?.server === "g.us";

/** Chats that are not conversations with a customer: status stories, channels, broadcast lists. */
export function notAConversation(v: unknown): string | undefined {
  const server = parseJid(v)?.server;
  if (v === "status@broadcast") return "status@broadcast is a WhatsApp status story, not a conversation";
  if (server === "newsletter") return "a WhatsApp channel (newsletter) post is not a conversation";
  if (server === "broadcast") return "a broadcast list copy is not a conversation";
  return undefined;
}

/** The phone and the LID found among `jids`; the name only if it is a real name, not a number fallback. */
export function contactFromJids(jids: unknown[], name?: string): ContactRef | undefined {
  let phone: string | undefined;
  let lid: string | undefined;
  for (const jid of jids.map(parseJid)) {
    if (!jid || !/^\d+$/.test(jid.user)) continue;
    if (jid.server === "s.whatsapp.net" || jid.server === "c.us") phone ??= jid.user;
    if (jid.server === "lid") lid ??= `${jid.user}@lid`;
  }
  if (!phone && !lid) return undefined;
  // Evolution falls back to the author's number when a group message has no push name.
  return defined({ phone, lid, name: name && !/^\d+$/.test(name) ? name : undefined });
}
