// Add a member (email, name, role, departments, an optional first password) or change one (name, role,
// departments), or remove them. Refusals show next to the field they are about.
import * as Dialog from "@radix-ui/react-dialog";
import { useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useRef, useState } from "react";
import { describeError } from "../../components/ErrorText";
import { useI18n } from "../../lib/i18n";
import type { Department, Role } from "../../lib/types";
import { useMe } from "../auth/me";
import { addMember, removeMember, updateMember } from "./commands";
import { FieldError, SelectField, TextField, useReportFailure } from "./Field";
import { emptyMemberDraft, type MemberDraft, type MemberField, memberFieldOf, memberRequest, validateMember } from "./forms";
import type { AddedMember, TeamMember } from "./types";

const roles: Role[] = ["agent", "manager", "admin"];

export function MemberDialog({ member, departments, onClose, onAdded }: {
  /** null: a new member */
  member: TeamMember | null;
  departments: Department[];
  onClose: () => void;
  onAdded: (added: AddedMember) => void;
}) {
  const { t } = useI18n();
  const me = useMe();
  const queryClient = useQueryClient();
  const report = useReportFailure();
  const isNew = member === null;
  const [draft, setDraft] = useState<MemberDraft>(() =>
    member
      ? { ...emptyMemberDraft(), email: member.email ?? "", display_name: member.display_name, role: member.role, department_ids: member.department_ids }
      : emptyMemberDraft()
  );
  const [errors, setErrors] = useState<Partial<Record<MemberField, string>>>({});
  const [formError, setFormError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [confirmingRemoval, setConfirmingRemoval] = useState(false);
  const form = useRef<HTMLFormElement>(null);

  const set = <F extends MemberField>(field: F, value: MemberDraft[F]) => {
    setDraft((d) => ({ ...d, [field]: value }));
    setErrors((e) => ({ ...e, [field]: undefined }));
  };
  const toggleDepartment = (id: string) =>
    set("department_ids", draft.department_ids.includes(id) ? draft.department_ids.filter((d) => d !== id) : [...draft.department_ids, id]);

  const refused = (e: unknown) =>
    report(e, (error) => {
      const at = memberFieldOf(error.code);
      if (at) setErrors((x) => ({ ...x, [at]: describeError(t, error) }));
      else setFormError(describeError(t, error));
    });

  async function submit(event: FormEvent) {
    event.preventDefault();
    setFormError(undefined);
    const invalid = validateMember(draft, { isNew });
    if (Object.keys(invalid).length) {
      setErrors(Object.fromEntries(Object.entries(invalid).map(([f, key]) => [f, t(key)])));
      setTimeout(() => form.current?.querySelector<HTMLElement>("[aria-invalid=true]")?.focus());
      return;
    }
    setBusy(true);
    try {
      if (isNew) onAdded(await addMember(queryClient, me.tenantId, memberRequest(draft, me.tenantId)));
      else {
        await updateMember(queryClient, me.tenantId, member.user_id, {
          display_name: draft.display_name.trim(),
          role: draft.role,
          department_ids: draft.department_ids,
        });
        onClose();
      }
    } catch (e) {
      refused(e);
    } finally {
      setBusy(false);
    }
  }

  async function remove() {
    if (!member) return;
    setBusy(true);
    setFormError(undefined);
    try {
      await removeMember(queryClient, me.tenantId, member.user_id);
      onClose();
    } catch (e) {
      refused(e);
      setConfirmingRemoval(false);
    } finally {
      setBusy(false);
    }
  }

  const title = isNew ? t("memberForm.addTitle") : t("memberForm.editTitle", { name: member.display_name });
  return (
    <Dialog.Root open onOpenChange={(open) => !open && onClose()}>
      <Dialog.Portal>
        <Dialog.Overlay className="dialog-overlay" />
        <Dialog.Content className="dialog">
          <Dialog.Title>{title}</Dialog.Title>
          <Dialog.Description className="muted">{isNew ? t("memberForm.addDescription") : member.email}</Dialog.Description>
          <form ref={form} onSubmit={submit} className="stack" noValidate>
            {isNew && (
              <TextField
                label={t("memberForm.email")}
                value={draft.email}
                onChange={(v) => set("email", v)}
                error={errors.email}
                type="email"
                autoComplete="off"
                autoFocus
              />
            )}
            <TextField label={t("memberForm.name")} value={draft.display_name} onChange={(v) => set("display_name", v)} error={errors.display_name} />
            <SelectField
              label={t("memberForm.role")}
              value={draft.role}
              onChange={(v) => set("role", v as Role)}
              error={errors.role}
              hint={t(`roleHint.${draft.role}`)}
            >
              {roles.map((r) => <option key={r} value={r}>{t(`role.${r}`)}</option>)}
            </SelectField>
            <fieldset className="checks">
              <legend>{t("memberForm.departments")}</legend>
              {departments.map((d) => (
                <label key={d.id} className="inline-label">
                  <input type="checkbox" checked={draft.department_ids.includes(d.id)} onChange={() => toggleDepartment(d.id)} />
                  {d.name}
                </label>
              ))}
              <FieldError error={errors.department_ids} />
            </fieldset>
            {isNew && (
              <TextField
                label={t("memberForm.password")}
                value={draft.password}
                onChange={(v) => set("password", v)}
                error={errors.password}
                hint={t("memberForm.passwordHint")}
                type="password"
                autoComplete="new-password"
              />
            )}
            <FieldError error={formError} />
            {confirmingRemoval && member && (
              <div className="confirm" role="alertdialog" aria-label={t("memberForm.removeTitle", { name: member.display_name })}>
                <p>{t("memberForm.removeConfirm", { name: member.display_name })}</p>
                <div className="dialog-actions">
                  <button type="button" className="secondary" onClick={() => setConfirmingRemoval(false)}>{t("common.cancel")}</button>
                  <button type="button" className="danger" onClick={remove} disabled={busy}>{t("memberForm.remove")}</button>
                </div>
              </div>
            )}
            <div className="dialog-actions">
              {!isNew && !confirmingRemoval && (
                <button type="button" className="danger-link" onClick={() => setConfirmingRemoval(true)}>{t("memberForm.removeButton")}</button>
              )}
              <span className="row-spacer" />
              <Dialog.Close type="button" className="secondary">{t("common.cancel")}</Dialog.Close>
              <button type="submit" className="primary" disabled={busy}>{isNew ? t("memberForm.add") : t("memberForm.save")}</button>
            </div>
          </form>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
