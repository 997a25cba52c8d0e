// The inbox's filters: Mine / Unassigned / All (managers also by department and by agent), statuses, search.
import * as Tabs from "@radix-ui/react-tabs";
import { useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useI18n } from "../../lib/i18n";
import type { ConversationStatus } from "../../lib/types";
import type { InboxFilter, InboxView } from "../../sync/conversations";
import { useMe } from "../auth/me";
import { departmentsQuery, membersQuery } from "../team/queries";

export const defaultFilter: InboxFilter = {
  view: "mine",
  departmentId: null,
  agentId: null,
  statuses: ["open", "pending"],
  search: "",
};

const allStatuses: ConversationStatus[] = ["open", "pending", "closed"];

export function InboxTabs(
  { filter, onChange, children }: { filter: InboxFilter; onChange: (f: InboxFilter) => void; children: React.ReactNode },
) {
  const { t } = useI18n();
  const me = useMe();
  const views: InboxView[] = me.isManager ? ["mine", "unassigned", "all", "department", "agent"] : ["mine", "unassigned", "all"];
  return (
    <Tabs.Root value={filter.view} onValueChange={(v) => onChange({ ...filter, view: v as InboxView })} className="inbox-tabs">
      <Tabs.List aria-label={t("inbox.views")} className="tab-list">
        {views.map((v) => (
          <Tabs.Trigger key={v} value={v} className="tab">
            {t(`inbox.view.${v}`)}
          </Tabs.Trigger>
        ))}
      </Tabs.List>
      {views.map((v) => (
        <Tabs.Content key={v} value={v} className="tab-panel">
          {v === filter.view && children}
        </Tabs.Content>
      ))}
    </Tabs.Root>
  );
}

export function InboxFilters({ filter, onChange }: { filter: InboxFilter; onChange: (f: InboxFilter) => void }) {
  const { t } = useI18n();
  const me = useMe();
  const { data: departments = [] } = useQuery({ ...departmentsQuery(me.tenantId), enabled: filter.view === "department" });
  const { data: members = [] } = useQuery({ ...membersQuery(me.tenantId), enabled: filter.view === "agent" });
  const [search, setSearch] = useState(filter.search);

  // typing in the search box asks the server once the agent pauses
  useEffect(() => {
    if (search === filter.search) return;
    const timer = setTimeout(() => onChange({ ...filter, search }), 300);
    return () => clearTimeout(timer);
  }, [search, filter, onChange]);

  const toggleStatus = (status: ConversationStatus, on: boolean) => {
    const statuses = on ? [...filter.statuses, status] : filter.statuses.filter((s) => s !== status);
    if (statuses.length) onChange({ ...filter, statuses: allStatuses.filter((s) => statuses.includes(s)) });
  };

  return (
    <div className="inbox-filters">
      <input
        type="search"
        aria-label={t("inbox.search")}
        placeholder={t("inbox.search")}
        value={search}
        onChange={(e) => setSearch(e.target.value)}
      />
      {filter.view === "department" && (
        <label className="inline-label">
          {t("inbox.department")}
          <select
            aria-label={t("inbox.department")}
            value={filter.departmentId ?? ""}
            onChange={(e) => onChange({ ...filter, departmentId: e.target.value || null })}
          >
            <option value="">{t("inbox.anyDepartment")}</option>
            {departments.map((d) => <option key={d.id} value={d.id}>{d.name}</option>)}
          </select>
        </label>
      )}
      {filter.view === "agent" && (
        <label className="inline-label">
          {t("inbox.agent")}
          <select aria-label={t("inbox.agent")} value={filter.agentId ?? ""} onChange={(e) => onChange({ ...filter, agentId: e.target.value || null })}>
            <option value="">{t("inbox.anyAgent")}</option>
            {members.map((m) => <option key={m.user_id} value={m.user_id}>{m.display_name}</option>)}
          </select>
        </label>
      )}
      <fieldset className="status-filter">
        <legend className="visually-hidden">{t("inbox.statusFilter")}</legend>
        {allStatuses.map((s) => (
          <label key={s} className="chip-check">
            <input
              type="checkbox"
              checked={filter.statuses.includes(s)}
              onChange={(e) => toggleStatus(s, e.target.checked)}
            />
            {t(`status.${s}`)}
          </label>
        ))}
      </fieldset>
    </div>
  );
}
