// What the console benchmark runs inside the page (each function is sent to Chromium as its source, so it may
// use only its argument and the page's globals). Times are the page's performance.now(): milliseconds since the
// navigation started.

declare global {
  // set in the page by firstRowProbe
  var __benchFirstRowAt: number | undefined;
}

/** An init script: records when the first inbox row is first painted (globalThis.__benchFirstRowAt). */
export function firstRowProbe(rowSelector: string) {
  const observer = new MutationObserver(() => {
    if (!document.querySelector(rowSelector)) return;
    observer.disconnect();
    // a rAF callback runs just before the paint, a message posted from it just after
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => (globalThis.__benchFirstRowAt = performance.now());
      channel.port2.postMessage(null);
    });
  });
  observer.observe(document, { childList: true, subtree: true });
}

/** When the first row and the first content were painted, and the requests made before the first row (what the
 * wait was spent on), named by path. */
export function paintTimes() {
  const fcp = performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? null;
  const firstRow = globalThis.__benchFirstRowAt ?? null;
  const requests = performance.getEntriesByType("resource")
    .filter((r) => firstRow !== null && r.startTime < firstRow)
    .map((r) => {
      const url = new URL(r.name);
      return { path: url.pathname, start: r.startTime, end: (r as PerformanceResourceTiming).responseEnd };
    });
  return { firstRow, fcp, requests };
}

/** Clicks the inbox row that holds `contact` and answers the milliseconds until `text` is painted in the thread. */
export function openAndTime(
  a: { rowSelector: string; contact: string; threadSelector: string; text: string },
) {
  const row = [...document.querySelectorAll<HTMLElement>(a.rowSelector)].find((r) =>
    r.textContent?.includes(a.contact)
  );
  if (!row) return Promise.reject(new Error(`no inbox row shows ${a.contact}`));
  const shown = () =>
    [...document.querySelectorAll(`${a.threadSelector} article`)].some((m) =>
      m.textContent?.includes(a.text)
    );
  return new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      observer.disconnect();
      reject(new Error(`"${a.text}" was not shown within 30 s of opening the conversation`));
    }, 30_000);
    const started = performance.now();
    const observer = new MutationObserver(() => {
      if (!shown()) return;
      observer.disconnect();
      clearTimeout(timer);
      // a rAF callback runs just before the paint, a message posted from it just after
      requestAnimationFrame(() => {
        const channel = new MessageChannel();
        channel.port1.onmessage = () => resolve(performance.now() - started);
        channel.port2.postMessage(null);
      });
    });
    observer.observe(document.body, { childList: true, subtree: true, characterData: true });
    row.click();
  });
}

export interface ScrollRun {
  /** Time between consecutive animation frames while scrolling, in ms. */
  frames: number[];
  seconds: number;
  /** Time spent at the edge of what was loaded, waiting for the next page. */
  waitingSeconds: number;
  longTasks: number;
  /** The furthest row on screen at the end, by the number in its text (null: none seen). */
  reached: number | null;
  reachedEnd: boolean;
}

/** Scrolls `scroller` at a steady pace (direction 1: down, -1: up), one step per animation frame, until it is at
 * the edge with row `endAt` on screen, or `maxSeconds` pass. Rows are told apart by the number `marker` (a
 * regular expression with one group) finds in their text. At the edge of what is loaded it waits for the next
 * page, then carries on at the same pace. */
export function scrollSteadily(
  a: {
    scroller: string;
    direction: number;
    pxPerSecond: number;
    maxSeconds: number;
    marker: string;
    endAt: number;
  },
): Promise<ScrollRun> {
  const el = document.querySelector<HTMLElement>(a.scroller);
  if (!el) return Promise.reject(new Error(`nothing matches ${a.scroller}`));
  let longTasks = 0;
  const tasks = new PerformanceObserver((list) => (longTasks += list.getEntries().length));
  try {
    tasks.observe({ type: "longtask" });
  } catch { /* long tasks unsupported: counted as none */ }
  const atEdge = () =>
    a.direction > 0 ? el.scrollTop + el.clientHeight >= el.scrollHeight - 1 : el.scrollTop <= 0;
  const furthest = () => {
    const seen = [...el.textContent!.matchAll(new RegExp(a.marker, "g"))].map((m) => Number(m[1]));
    return seen.length ? (a.direction > 0 ? Math.max(...seen) : Math.min(...seen)) : null;
  };
  const frames: number[] = [];
  let waiting = 0;
  return new Promise((resolve) => {
    const started = performance.now();
    let last = started;
    const step = (now: number) => {
      const dt = now - last;
      last = now;
      frames.push(dt);
      const edge = atEdge();
      const done = edge && furthest() === a.endAt;
      if (done || now - started > a.maxSeconds * 1000) {
        tasks.disconnect();
        resolve({
          frames: frames.slice(1), // the first delta is from the call, not from a frame
          seconds: (now - started) / 1000,
          waitingSeconds: waiting / 1000,
          longTasks,
          reached: furthest(),
          reachedEnd: done,
        });
        return;
      }
      if (edge) waiting += dt;
      // read before writing, never after: a read after the write would force a layout inside the frame
      el.scrollTop += a.direction * a.pxPerSecond * dt / 1000;
      requestAnimationFrame(step);
    };
    requestAnimationFrame(step);
  });
}
