// The signed-in console: header (views, connection, presence status, notifications, language, sign out), and
// the inbox, the board, or the pages a role opens: monitoring and dead letters (managers and admins), channels
// and members (admins). Realtime, presence and the outbox live as long as the member is signed in.
import { useQueryClient } from "@tanstack/react-query";
import { lazy, Suspense, useState } from "react";
import { ConnectionIndicator } from "./components/ConnectionIndicator";
import { LocaleSelect } from "./components/LocaleSelect";
import { RoleGate } from "./components/NotAllowed";
import { NotificationsButton } from "./components/NotificationsButton";
import { useI18n } from "./lib/i18n";
import { isManagerView, routeHref, useRoute } from "./lib/router";
import { supabase } from "./lib/supabase";
import { type Me, MeContext } from "./features/auth/me";
import { ConversationView } from "./features/conversation/ConversationView";
import { OutboxProvider } from "./features/conversation/outbox-context";
import { ConversationList } from "./features/inbox/ConversationList";
import { defaultFilter, InboxFilters, InboxTabs } from "./features/inbox/InboxFilters";
import { useNotices } from "./features/inbox/notices";
import { PresenceProvider } from "./features/presence/PresenceProvider";
import { StatusSelect } from "./features/presence/StatusSelect";
import { TeamPresence } from "./features/presence/TeamPresence";
import { RealtimeProvider } from "./realtime/RealtimeProvider";
import type { InboxFilter } from "./sync/conversations";

const KanbanPage = lazy(() => import("./features/kanban/KanbanPage"));
const MonitoringPage = lazy(() => import("./features/monitoring/MonitoringPage"));
const DeadLettersPage = lazy(() => import("./features/monitoring/DeadLettersPage"));
const ChannelsPage = lazy(() => import("./features/settings/ChannelsPage"));
const MembersPage = lazy(() => import("./features/settings/MembersPage"));

export function Console({ me }: { me: Me }) {
  return (
    <MeContext.Provider value={me}>
      <Realtime me={me} />
    </MeContext.Provider>
  );
}

function Realtime({ me }: { me: Me }) {
  const onNotice = useNotices(me.userId);
  return (
    <RealtimeProvider tenantId={me.tenantId} me={me.userId} onNotice={onNotice}>
      <PresenceProvider tenantId={me.tenantId} userId={me.userId} name={me.name}>
        <OutboxProvider userId={me.userId}>
          <Layout me={me} />
        </OutboxProvider>
      </PresenceProvider>
    </RealtimeProvider>
  );
}

function Layout({ me }: { me: Me }) {
  const { t } = useI18n();
  const route = useRoute();
  const queryClient = useQueryClient();
  const [filter, setFilter] = useState<InboxFilter>(defaultFilter);

  async function signOut() {
    await supabase().auth.signOut();
    queryClient.clear();
  }

  return (
    <div className="console">
      <header className="topbar">
        <strong className="brand">{t("app.name")}</strong>
        <nav aria-label={t("nav.label")} className="views">
          <a href={routeHref({ view: "inbox", conversationId: null })} aria-current={route.view === "inbox" ? "page" : undefined}>
            {t("nav.inbox")}
          </a>
          <a href={routeHref({ view: "kanban", conversationId: null })} aria-current={route.view === "kanban" ? "page" : undefined}>
            {t("nav.kanban")}
          </a>
          {me.isManager && (
            <>
              <a href={routeHref({ view: "monitoring", conversationId: null })} aria-current={route.view === "monitoring" ? "page" : undefined}>
                {t("nav.monitoring")}
              </a>
              <a href={routeHref({ view: "dead-letters", conversationId: null })} aria-current={route.view === "dead-letters" ? "page" : undefined}>
                {t("nav.deadLetters")}
              </a>
            </>
          )}
          {me.isAdmin && (
            <>
              <a href={routeHref({ view: "channels", conversationId: null })} aria-current={route.view === "channels" ? "page" : undefined}>
                {t("nav.channels")}
              </a>
              <a href={routeHref({ view: "members", conversationId: null })} aria-current={route.view === "members" ? "page" : undefined}>
                {t("nav.members")}
              </a>
            </>
          )}
        </nav>
        <span className="row-spacer" />
        <ConnectionIndicator />
        <StatusSelect />
        <NotificationsButton />
        <LocaleSelect />
        <span className="who-am-i">{me.name}</span>
        <button type="button" className="secondary small" onClick={signOut}>{t("auth.signOut")}</button>
      </header>
      {isManagerView(route.view)
        ? (
          <RoleGate allowed={me.isManager} reason={t("notAllowed.managers")}>
            {route.view === "monitoring" ? <MonitoringPage /> : <DeadLettersPage />}
          </RoleGate>
        )
        : route.view === "channels" || route.view === "members"
        ? (
          <RoleGate allowed={me.isAdmin} reason={t("notAllowed.admins")}>
            {route.view === "channels" ? <ChannelsPage channelId={route.channelId ?? null} /> : <MembersPage />}
          </RoleGate>
        )
        : route.view === "inbox"
        ? (
          <main className="inbox">
            <aside className="sidebar" aria-label={t("inbox.title")}>
              <TeamPresence />
              <InboxTabs filter={filter} onChange={setFilter}>
                <InboxFilters filter={filter} onChange={setFilter} />
                <ConversationList filter={filter} route={route} />
              </InboxTabs>
            </aside>
            {route.conversationId
              ? <ConversationView key={route.conversationId} conversationId={route.conversationId} />
              : <section className="conversation empty"><p className="muted">{t("conversation.choose")}</p></section>}
          </main>
        )
        : (
          <main className="board">
            <Suspense fallback={<p className="muted pad">{t("common.loading")}</p>}>
              <KanbanPage filter={filter} conversationId={route.conversationId} />
            </Suspense>
          </main>
        )}
    </div>
  );
}
