// The managers' dead letters: filter by channel, kind and error; open one to read its payload (secrets redacted by
// the server) and every attempt's error; retry or discard one or many. Each action lands in the tenant's event
// log, and the dead-letter events Realtime brings refresh every manager's table. Lazy-loaded.
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useMemo, useState } from "react";
import { describeError, ErrorText } from "../../components/ErrorText";
import { useToast } from "../../components/Toaster";
import { toAppError } from "../../lib/errors";
import { formatDateTime } from "../../lib/format";
import { isMessageKey, useI18n } from "../../lib/i18n";
import { useMe } from "../auth/me";
import { channelsQuery } from "../team/queries";
import { DeadLetterDetails } from "./DeadLetterDetails";
import {
  type DeadLetterFilter,
  type DeadLetterState,
  defaultDeadLetterFilter,
  keepVisible,
  type Selection,
  selectionState,
  toggleAll,
  toggleOne,
} from "./dead-letters";
import { DiscardDialog } from "./DiscardDialog";
import "./monitoring.css";
import { deadLettersQuery, discardDeadLetters, retryDeadLetters } from "./queries";
import { deadLetterKinds } from "./types";

const states: DeadLetterState[] = ["active", "discarded", "all"];

export default function DeadLettersPage() {
  const { t, locale } = useI18n();
  const me = useMe();
  const queryClient = useQueryClient();
  const notify = useToast();
  const [filter, setFilter] = useState<DeadLetterFilter>(defaultDeadLetterFilter);
  const [errorText, setErrorText] = useState("");
  const [chosen, setChosen] = useState<Selection>(new Set());
  const [openId, setOpenId] = useState<number | null>(null);
  const [discarding, setDiscarding] = useState<number[] | null>(null);
  const { data: channels = [] } = useQuery(channelsQuery(me.tenantId));
  const list = useInfiniteQuery(deadLettersQuery(me.tenantId, filter));
  const rows = useMemo(() => list.data?.pages.flat() ?? [], [list.data]);
  const visibleIds = useMemo(() => rows.map((r) => r.id), [rows]);
  const selected = keepVisible(chosen, visibleIds);
  const selectedIds = visibleIds.filter((id) => selected.has(id));
  const allState = selectionState(selected, visibleIds);
  const open = rows.find((r) => r.id === openId) ?? null;

  // the error filter asks the server once typing pauses
  useEffect(() => {
    const timer = setTimeout(() => setFilter((f) => (f.error === errorText ? f : { ...f, error: errorText })), 300);
    return () => clearTimeout(timer);
  }, [errorText]);

  const failed = (e: unknown) =>
    notify({ title: t("deadLetters.actionFailed"), description: describeError(t, toAppError(e)), tone: "error" });
  const retry = useMutation({
    mutationFn: (ids: number[]) => retryDeadLetters(queryClient, me.tenantId, ids),
    onSuccess: (count) => {
      setOpenId(null);
      notify({ title: t("deadLetters.retried", { count }) });
    },
    onError: failed,
  });
  const discard = useMutation({
    mutationFn: ({ ids, reason }: { ids: number[]; reason: string }) => discardDeadLetters(queryClient, me.tenantId, ids, reason),
    onSuccess: (count) => {
      setDiscarding(null);
      setOpenId(null);
      notify({ title: t("deadLetters.discardedCount", { count }) });
    },
  });
  const busy = retry.isPending || discard.isPending;
  const kindLabel = (kind: string) => {
    const key = `deadLetters.kind.${kind}`;
    return isMessageKey(key) ? t(key) : kind;
  };

  return (
    <main className="monitoring dead-letters" aria-labelledby="dead-letters-title">
      <header className="page-head">
        <div>
          <h1 id="dead-letters-title">{t("deadLetters.title")}</h1>
          <p className="muted small">{t("deadLetters.subtitle")}</p>
        </div>
      </header>

      <form className="filters" role="search" aria-label={t("deadLetters.filters")} onSubmit={(e) => e.preventDefault()}>
        <label>
          {t("deadLetters.channel")}
          <select value={filter.channelId ?? ""} onChange={(e) => setFilter({ ...filter, channelId: e.target.value || null })}>
            <option value="">{t("deadLetters.anyChannel")}</option>
            {channels.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
          </select>
        </label>
        <label>
          {t("deadLetters.kind")}
          <select value={filter.kind ?? ""} onChange={(e) => setFilter({ ...filter, kind: e.target.value || null })}>
            <option value="">{t("deadLetters.anyKind")}</option>
            {deadLetterKinds.map((k) => <option key={k} value={k}>{kindLabel(k)}</option>)}
          </select>
        </label>
        <label>
          {t("deadLetters.error")}
          <input type="search" value={errorText} onChange={(e) => setErrorText(e.target.value)} />
        </label>
        <label>
          {t("deadLetters.state")}
          <select value={filter.state} onChange={(e) => setFilter({ ...filter, state: e.target.value as DeadLetterState })}>
            {states.map((s) => <option key={s} value={s}>{t(`deadLetters.state.${s}`)}</option>)}
          </select>
        </label>
      </form>

      <div className="bulk-bar" role="toolbar" aria-label={t("deadLetters.selected", { count: selectedIds.length })}>
        <span className="muted small">{t("deadLetters.selected", { count: selectedIds.length })}</span>
        <button type="button" className="primary small" disabled={!selectedIds.length || busy} onClick={() => retry.mutate(selectedIds)}>
          {t("deadLetters.retrySelected")}
        </button>
        <button type="button" className="secondary small" disabled={!selectedIds.length || busy} onClick={() => setDiscarding(selectedIds)}>
          {t("deadLetters.discardSelected")}
        </button>
      </div>

      {list.isPending && <p className="muted" aria-busy="true">{t("common.loading")}</p>}
      {list.isError && <ErrorText error={toAppError(list.error)} />}
      {list.data && (
        <div className="table-frame">
          <table className="data-table" aria-label={t("deadLetters.table")}>
            <thead>
              <tr>
                <th scope="col" className="check">
                  <input
                    type="checkbox"
                    aria-label={t("deadLetters.selectAll")}
                    checked={allState === "all"}
                    ref={(box) => {
                      if (box) box.indeterminate = allState === "some";
                    }}
                    disabled={!rows.length}
                    onChange={() => setChosen(toggleAll(selected, visibleIds))}
                  />
                </th>
                <th scope="col">{t("deadLetters.failedAt")}</th>
                <th scope="col">{t("deadLetters.kind")}</th>
                <th scope="col">{t("deadLetters.channel")}</th>
                <th scope="col">{t("deadLetters.lastError")}</th>
                <th scope="col">{t("deadLetters.attempts")}</th>
                <th scope="col"><span className="visually-hidden">{t("deadLetters.details")}</span></th>
              </tr>
            </thead>
            <tbody>
              {rows.map((d) => (
                <tr key={d.id} className={selected.has(d.id) ? "selected" : undefined}>
                  <td className="check">
                    <input
                      type="checkbox"
                      aria-label={t("deadLetters.select", { id: d.id })}
                      checked={selected.has(d.id)}
                      onChange={() => setChosen(toggleOne(selected, d.id))}
                    />
                  </td>
                  <td><time dateTime={d.failed_at}>{formatDateTime(d.failed_at, locale)}</time></td>
                  <td><span className="tag">{kindLabel(d.kind)}</span></td>
                  <td>{d.channel_name ?? "—"}</td>
                  <td className="error-cell" title={d.last_error ?? undefined}>
                    {d.last_error ?? "—"}
                    {d.discarded_at && (
                      <span className="muted small block">
                        {t("deadLetters.discardedOn", { at: formatDateTime(d.discarded_at, locale), reason: d.discard_reason ?? "" })}
                      </span>
                    )}
                  </td>
                  <td>{t("deadLetters.attemptsOf", { attempts: d.attempts, max: d.max_attempts })}</td>
                  <td>
                    <button type="button" className="secondary small" aria-label={t("deadLetters.detailsOf", { id: d.id })} onClick={() => setOpenId(d.id)}>
                      {t("deadLetters.details")}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {!rows.length && <p className="muted pad">{t("deadLetters.empty")}</p>}
          {list.hasNextPage && (
            <button type="button" className="secondary load-more" disabled={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
              {list.isFetchingNextPage ? t("common.loading") : t("deadLetters.loadMore")}
            </button>
          )}
        </div>
      )}

      {open && (
        <DeadLetterDetails
          deadLetter={open}
          kindLabel={kindLabel(open.kind)}
          busy={busy}
          onRetry={() => retry.mutate([open.id])}
          onDiscard={() => {
            setOpenId(null);
            setDiscarding([open.id]);
          }}
          onClose={() => setOpenId(null)}
        />
      )}
      {discarding && (
        <DiscardDialog
          count={discarding.length}
          busy={discard.isPending}
          error={discard.error ? toAppError(discard.error) : null}
          onDiscard={(reason) => discard.mutate({ ids: discarding, reason })}
          onClose={() => {
            setDiscarding(null);
            discard.reset();
          }}
        />
      )}
    </main>
  );
}
