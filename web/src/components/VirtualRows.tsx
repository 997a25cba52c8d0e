// A virtualised, paged list: only the rows in view are in the DOM, and the next page loads as the end nears.
// Rows have a fixed height, so 10,000 of them scroll as smoothly as ten.
import { useVirtualizer } from "@tanstack/react-virtual";
import { type ReactNode, useEffect, useRef } from "react";

interface Props<T> {
  rows: T[];
  rowHeight: number;
  rowKey: (row: T) => string;
  renderRow: (row: T, index: number) => ReactNode;
  hasMore: boolean;
  loadingMore: boolean;
  loadMore: () => void;
  label: string;
  loadingLabel: string;
  className?: string;
}

export function VirtualRows<T>(
  { rows, rowHeight, rowKey, renderRow, hasMore, loadingMore, loadMore, label, loadingLabel, className }: Props<T>,
) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const count = rows.length + (hasMore ? 1 : 0);
  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer is read during render by design
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 10,
    getItemKey: (i) => (i < rows.length ? rowKey(rows[i]) : "more"),
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.length ? items[items.length - 1].index : -1;

  useEffect(() => {
    if (hasMore && !loadingMore && lastIndex >= rows.length - 1) loadMore();
  }, [hasMore, loadingMore, lastIndex, rows.length, loadMore]);

  return (
    <div ref={scrollRef} className={`virtual-scroll ${className ?? ""}`}>
      <div role="list" aria-label={label} style={{ height: virtualizer.getTotalSize(), position: "relative" }}>
        {items.map((item) => (
          <div
            key={item.key}
            role="listitem"
            aria-setsize={hasMore ? -1 : rows.length}
            aria-posinset={item.index + 1}
            className="virtual-row"
            style={{ height: item.size, transform: `translateY(${item.start}px)` }}
          >
            {item.index < rows.length ? renderRow(rows[item.index], item.index) : (
              <span className="muted loading-row" aria-busy="true">{loadingLabel}</span>
            )}
          </div>
        ))}
      </div>
    </div>
  );
}
