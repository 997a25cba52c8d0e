// Transfer to an agent (who is online shows first, with their status) or to a department, with an optional note.
import * as Dialog from "@radix-ui/react-dialog";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Avatar } from "../../components/Avatar";
import { ErrorText } from "../../components/ErrorText";
import { type AppError, toAppError } from "../../lib/errors";
import { useI18n } from "../../lib/i18n";
import type { Conversation } from "../../lib/types";
import { useMe } from "../auth/me";
import { usePresence } from "../presence/PresenceProvider";
import { departmentMembersQuery, departmentsQuery, membersQuery } from "../team/queries";
import { transferConversation } from "./commands";

export function TransferDialog({ conversation, onClose }: { conversation: Conversation; onClose: () => void }) {
  const { t } = useI18n();
  const me = useMe();
  const queryClient = useQueryClient();
  const { people } = usePresence();
  const { data: members = [] } = useQuery(membersQuery(me.tenantId));
  const { data: departments = [] } = useQuery(departmentsQuery(me.tenantId));
  const { data: departmentMembers = [] } = useQuery(departmentMembersQuery(me.tenantId));
  const [target, setTarget] = useState<"agent" | "department">("agent");
  const [agentId, setAgentId] = useState("");
  const [departmentId, setDepartmentId] = useState("");
  const [note, setNote] = useState("");
  const [error, setError] = useState<AppError | null>(null);
  const [busy, setBusy] = useState(false);

  const agents = members
    .filter((m) => m.user_id !== conversation.assignee_id && m.user_id !== me.userId)
    .sort((a, b) => Number(people.has(b.user_id)) - Number(people.has(a.user_id)));
  const departmentsOf = (userId: string) =>
    departmentMembers.filter((d) => d.user_id === userId).map((d) => departments.find((x) => x.id === d.department_id)?.name)
      .filter(Boolean).join(", ");
  const ready = target === "agent" ? agentId !== "" : departmentId !== "";

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!ready) return;
    setBusy(true);
    setError(null);
    try {
      await transferConversation(queryClient, conversation.id, {
        ...(target === "agent" ? { assignee_id: agentId } : { department_id: departmentId }),
        ...(note.trim() ? { note: note.trim() } : {}),
      });
      onClose();
    } catch (e) {
      setError(toAppError(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dialog.Root open onOpenChange={(open) => !open && onClose()}>
      <Dialog.Portal>
        <Dialog.Overlay className="dialog-overlay" />
        <Dialog.Content className="dialog">
          <Dialog.Title>{t("transfer.title")}</Dialog.Title>
          <Dialog.Description className="muted">{t("transfer.description")}</Dialog.Description>
          <form onSubmit={submit} className="stack">
            <fieldset className="segmented">
              <legend className="visually-hidden">{t("transfer.to")}</legend>
              <label><input type="radio" checked={target === "agent"} onChange={() => setTarget("agent")} />{t("transfer.toAgent")}</label>
              <label><input type="radio" checked={target === "department"} onChange={() => setTarget("department")} />{t("transfer.toDepartment")}</label>
            </fieldset>
            {target === "agent"
              ? (
                <fieldset className="agent-choices">
                  <legend>{t("transfer.agent")}</legend>
                  {agents.map((m) => {
                    const status = people.get(m.user_id)?.status;
                    const statusText = status ? t(`presence.${status}`) : t("presence.offline");
                    return (
                      <label key={m.user_id} className="agent-choice">
                        <input type="radio" name="agent" value={m.user_id} checked={agentId === m.user_id} onChange={() => setAgentId(m.user_id)} />
                        <Avatar name={m.display_name} status={status ?? "offline"} size="sm" />
                        <span>{m.display_name}</span>
                        <span className="muted small">{statusText}{departmentsOf(m.user_id) ? ` · ${departmentsOf(m.user_id)}` : ""}</span>
                      </label>
                    );
                  })}
                </fieldset>
              )
              : (
                <label>
                  {t("transfer.department")}
                  <select aria-label={t("transfer.department")} value={departmentId} onChange={(e) => setDepartmentId(e.target.value)} required>
                    <option value="" disabled>{t("transfer.chooseDepartment")}</option>
                    {departments.map((d) => <option key={d.id} value={d.id}>{d.name}</option>)}
                  </select>
                </label>
              )}
            <label>
              {t("transfer.note")}
              <textarea value={note} onChange={(e) => setNote(e.target.value)} rows={2} />
            </label>
            {error && <ErrorText error={error} />}
            <div className="dialog-actions">
              <Dialog.Close type="button" className="secondary">{t("common.cancel")}</Dialog.Close>
              <button type="submit" className="primary" disabled={!ready || busy}>{t("transfer.submit")}</button>
            </div>
          </form>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
