// `deno run -A scripts/simulator/main.ts [--port 54330] [--hostname 127.0.0.1] [--receipt-delay-ms 300]
// [--read-on view|delivery|never] [--channels channels.json] [--quiet]`: the WhatsApp simulator from the command
// line. The port also comes from ATENDE_SIMULATOR_PORT. A channels file holds
// `{"evolution": [{instance, apikey, …}], "cloud": [{phone_number_id, …}]}`, registered at start as through the
// control API.
import type { ReadOn } from "./model.ts";
import { type RunningSimulator, startSimulator } from "./server.ts";

function flag(name: string): string | undefined {
  const i = Deno.args.indexOf(`--${name}`);
  return i >= 0
    ? Deno.args[i + 1]
    : Deno.args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
}

function fail(message: string): never {
  console.error(`error: ${message}`);
  Deno.exit(2);
}

const port = Number(flag("port") ?? Deno.env.get("ATENDE_SIMULATOR_PORT") ?? 54330);
const readOn = flag("read-on");
if (readOn && !["view", "delivery", "never"].includes(readOn)) {
  fail("--read-on takes view, delivery or never");
}
const receiptDelay = flag("receipt-delay-ms");

let simulator: RunningSimulator;
try {
  simulator = startSimulator({
    port,
    hostname: flag("hostname") ?? "127.0.0.1",
    ...(receiptDelay !== undefined ? { receiptDelayMs: Number(receiptDelay) } : {}),
    ...(readOn ? { readOn: readOn as ReadOn } : {}),
    ...(Deno.args.includes("--quiet") ? {} : { log: (line: string) => console.log(`[simulator] ${line}`) }),
  });
} catch (e) {
  if (e instanceof Deno.errors.AddrInUse) fail(`port ${port} is in use; pick another with --port`);
  throw e;
}

const channelsFile = flag("channels");
if (channelsFile) {
  const file = JSON.parse(await Deno.readTextFile(channelsFile)) as Record<"evolution" | "cloud", unknown[]>;
  for (const provider of ["evolution", "cloud"] as const) {
    for (const channel of file[provider] ?? []) {
      const res = await fetch(`${simulator.url}/_control/channels/${provider}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(channel),
      });
      const body = await res.json();
      if (!res.ok) {
        await simulator.stop();
        fail(`${channelsFile}: ${provider} channel refused: ${body.error?.message}`);
      }
      console.log(`registered ${provider} channel ${body.key}`);
    }
  }
}

console.log(`WhatsApp simulator listening on ${simulator.url}
  customer phone page   ${simulator.url}/
  Evolution API         ${simulator.url}/message/sendText/{instance}  (apikey header)
  Cloud API             ${simulator.url}/v21.0/{phone_number_id}/messages  (Bearer token)
  control API           ${simulator.url}/_control/channels, /_control/faults/{channel}, /_control/sent …`);

const shutdown = async () => {
  await simulator.stop();
  Deno.exit(0);
};
Deno.addSignalListener("SIGINT", shutdown);
Deno.addSignalListener("SIGTERM", shutdown);
