// Members (admins): who works in the tenant, their role and departments; add someone (a new sign-in, or an
// existing one joining), change a role or departments, remove someone. A temporary password the server made is
// shown once. The server keeps the last admin from being demoted or removed; the refusal shows at the role.
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { ErrorText } from "../../components/ErrorText";
import { toAppError } from "../../lib/errors";
import { useI18n } from "../../lib/i18n";
import { useMe } from "../auth/me";
import { departmentsQuery } from "../team/queries";
import { CopyField } from "./CopyField";
import { MemberDialog } from "./MemberDialog";
import { teamMembersQuery } from "./queries";
import type { AddedMember, TeamMember } from "./types";

export default function MembersPage() {
  const { t } = useI18n();
  const me = useMe();
  const members = useQuery(teamMembersQuery(me.tenantId));
  const { data: departments = [] } = useQuery(departmentsQuery(me.tenantId));
  const [editing, setEditing] = useState<TeamMember | "new" | null>(null);
  const [added, setAdded] = useState<AddedMember | null>(null);
  const departmentNames = (ids: string[]) =>
    ids.map((id) => departments.find((d) => d.id === id)?.name).filter(Boolean).join(", ") || "—";

  return (
    <main className="settings-page">
      <header className="settings-header">
        <div>
          <h1>{t("members.title")}</h1>
          <p className="muted">{t("members.description")}</p>
        </div>
        <button type="button" className="primary" onClick={() => setEditing("new")}>{t("members.add")}</button>
      </header>
      {added && (
        <section className="card stack once" aria-labelledby="added-title">
          <h3 id="added-title">{t("members.added", { name: added.member.display_name })}</h3>
          {added.temporary_password
            ? (
              <>
                <p>{t("members.temporaryPasswordNote", { email: added.member.email ?? "" })}</p>
                <CopyField label={t("members.temporaryPassword")} value={added.temporary_password} />
              </>
            )
            : <p>{added.created_user ? t("members.signInWithPassword") : t("members.existingUser")}</p>}
          <div><button type="button" className="secondary" onClick={() => setAdded(null)}>{t("once.dismiss")}</button></div>
        </section>
      )}
      <section className="card">
        {members.isPending && <p className="muted" aria-busy="true">{t("common.loading")}</p>}
        {members.isError && <ErrorText error={toAppError(members.error)} />}
        {members.data && (
          <table className="members-table" aria-label={t("members.tableLabel")}>
            <thead>
              <tr>
                <th scope="col">{t("members.name")}</th>
                <th scope="col">{t("members.email")}</th>
                <th scope="col">{t("members.role")}</th>
                <th scope="col">{t("members.departments")}</th>
                <th scope="col"><span className="visually-hidden">{t("members.actions")}</span></th>
              </tr>
            </thead>
            <tbody>
              {members.data.map((m) => (
                <tr key={m.user_id}>
                  <th scope="row">{m.display_name}{m.user_id === me.userId && <span className="muted small"> {t("members.you")}</span>}</th>
                  <td>{m.email ?? "—"}</td>
                  <td><span className={`tag role-${m.role}`}>{t(`role.${m.role}`)}</span></td>
                  <td>{departmentNames(m.department_ids)}</td>
                  <td>
                    <button type="button" className="secondary small" onClick={() => setEditing(m)} aria-label={t("members.editName", { name: m.display_name })}>
                      {t("members.edit")}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      {editing && (
        <MemberDialog
          member={editing === "new" ? null : editing}
          departments={departments}
          onClose={() => setEditing(null)}
          onAdded={(answer) => {
            setEditing(null);
            setAdded(answer);
          }}
        />
      )}
    </main>
  );
}
