// The inbox's lists: conversations of one filter, newest activity first, paged from the server by keyset (the
// last row's activity time and id), so rows moving to the top while the agent scrolls never shift a page.
import { infiniteQueryOptions } from "@tanstack/react-query";
import { rows } from "../../lib/rest";
import { supabase } from "../../lib/supabase";
import type { Conversation } from "../../lib/types";
import { cursorAfter, type InboxFilter, type ListCursor, normaliseSearch } from "../../sync/conversations";

export const PAGE_SIZE = 50;

export const CONVERSATION_COLUMNS =
  "*, contact:contacts(id,tenant_id,name,push_name,phone,lid,bsuid,group_jid), channel:channels(id,name,provider)";

export const inboxKeys = {
  all: ["inbox"] as const,
  lists: () => [...inboxKeys.all, "list"] as const,
  list: (tenantId: string, me: string, filter: InboxFilter) => [...inboxKeys.lists(), tenantId, me, filter] as const,
};

/** The filter and viewer a list key was built from (the realtime module re-applies them to live rows). */
export function listKeyParts(key: readonly unknown[]): { me: string; filter: InboxFilter } {
  return { me: key[3] as string, filter: key[4] as InboxFilter };
}

async function fetchPage(tenantId: string, me: string, filter: InboxFilter, cursor: ListCursor | null) {
  const search = normaliseSearch(filter.search);
  const columns = search ? CONVERSATION_COLUMNS.replace("contact:contacts(", "contact:contacts!inner(") : CONVERSATION_COLUMNS;
  let query = supabase().from("conversations").select(columns).eq("tenant_id", tenantId).in("status", filter.statuses);
  if (filter.view === "mine") query = query.eq("assignee_id", me);
  if (filter.view === "unassigned") query = query.is("assignee_id", null);
  if (filter.view === "department" && filter.departmentId) query = query.eq("department_id", filter.departmentId);
  if (filter.view === "agent" && filter.agentId) query = query.eq("assignee_id", filter.agentId);
  if (search) {
    query = query.or(`name.ilike."*${search}*",push_name.ilike."*${search}*",phone.ilike."*${search}*"`, {
      referencedTable: "contact",
    });
  }
  if (cursor?.at === null) query = query.is("last_message_at", null).lt("id", cursor.id);
  else if (cursor) {
    query = query.or(
      `last_message_at.lt."${cursor.at}",and(last_message_at.eq."${cursor.at}",id.lt.${cursor.id}),last_message_at.is.null`,
    );
  }
  return rows<Conversation[]>(
    query.order("last_message_at", { ascending: false, nullsFirst: false }).order("id", { ascending: false })
      .limit(PAGE_SIZE),
  );
}

export const inboxListQuery = (tenantId: string, me: string, filter: InboxFilter) =>
  infiniteQueryOptions({
    queryKey: inboxKeys.list(tenantId, me, filter),
    queryFn: ({ pageParam }) => fetchPage(tenantId, me, filter, pageParam),
    initialPageParam: null as ListCursor | null,
    getNextPageParam: (last: Conversation[]) => (last.length < PAGE_SIZE ? undefined : cursorAfter(last)),
    // realtime and the sync engine keep lists current; a refetch would only re-page them
    staleTime: Infinity,
  });
