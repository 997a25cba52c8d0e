// The stack's console output (the gateway's access log, every function's log lines) leaves in batches: one write
// every few milliseconds instead of one per line, so a busy stack spends its time serving rather than in write
// calls, and whoever reads its output wakes once per batch, not once per request. Each stream keeps its order;
// what is pending is written before the process exits, and before an uncaught error is reported.
const FLUSH_MS = 10;

interface Stream {
  file: typeof Deno.stdout;
  pending: string[];
}

const encoder = new TextEncoder();

function writeAll(stream: Stream) {
  if (!stream.pending.length) return;
  const bytes = encoder.encode(stream.pending.join(""));
  stream.pending = [];
  for (let done = 0; done < bytes.length;) done += stream.file.writeSync(bytes.subarray(done));
}

/** What console.log would print for these arguments. */
const line = (args: unknown[]) =>
  args.map((a) => typeof a === "string" ? a : Deno.inspect(a)).join(" ") + "\n";

export function batchConsoleOutput(): void {
  const out: Stream = { file: Deno.stdout, pending: [] };
  const err: Stream = { file: Deno.stderr, pending: [] };
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    writeAll(out);
    writeAll(err);
  };
  const to = (stream: Stream) => (...args: unknown[]) => {
    stream.pending.push(line(args));
    timer ??= setTimeout(flush, FLUSH_MS);
  };
  console.log = console.info = console.debug = to(out);
  console.error = console.warn = to(err);
  for (const event of ["unload", "error", "unhandledrejection"]) globalThis.addEventListener(event, flush);
}
