// Agents' commands on a conversation, checked in SQL against the caller's role and tenant:
//   POST /<id>/assign {assignee_id?}            take it (or, for managers, give it)
//   POST /<id>/transfer {assignee_id?, department_id?, note?}
//   POST /<id>/close · POST /<id>/reopen · POST /<id>/read · PATCH /<id> {status}
import { z } from "npm:zod@4.6.7";
import { HttpError, notFound } from "../_shared/errors.ts";
import { json, serve } from "../_shared/http.ts";
import { fromPostgrest, userClient } from "../_shared/user-client.ts";
import { readJson } from "../_shared/validate.ts";

const Assign = z.object({ assignee_id: z.uuid().optional() });
const Transfer = z.object({
  assignee_id: z.uuid().optional(),
  department_id: z.uuid().optional(),
  note: z.string().max(1000).optional(),
});
const Status = z.object({ status: z.enum(["open", "pending", "closed"]) });

type Command = (req: Request, id: string) => Promise<[string, Record<string, unknown>]>;

const commands: Record<string, Command> = {
  "POST assign": async (
    req,
    id,
  ) => ["assign_conversation", { conversation_id: id, ...(await readJson(req, Assign)) }],
  "POST transfer": async (req, id) => [
    "transfer_conversation",
    { conversation_id: id, ...(await readJson(req, Transfer)) },
  ],
  "POST close": (_req, id) =>
    Promise.resolve(["set_conversation_status", { conversation_id: id, status: "closed" }]),
  "POST reopen": (_req, id) =>
    Promise.resolve(["set_conversation_status", { conversation_id: id, status: "open" }]),
  "POST read": (_req, id) => Promise.resolve(["mark_conversation_read", { conversation_id: id }]),
  "PATCH ": async (
    req,
    id,
  ) => ["set_conversation_status", { conversation_id: id, ...(await readJson(req, Status)) }],
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const handler = serve("conversations", async (req) => {
  const [, , id, action = ""] = new URL(req.url).pathname.split("/");
  if (!id || !UUID.test(id)) throw notFound("conversation_not_found", "Conversation ids are UUIDs.");
  const command = commands[`${req.method} ${action}`];
  if (!command) {
    throw new HttpError(405, "method_not_allowed", `No ${req.method} ${action || "(update)"} command.`);
  }
  const [fn, args] = await command(req, id);
  const { data, error } = await userClient(req).rpc(fn, args);
  if (error) throw fromPostgrest(error);
  return json({ conversation: data });
});
