// The load generator and the command lines: what the generator reports having sent arrives exactly once.
import { deepEqual, equal, ok } from "node:assert/strict";
import { repoRoot } from "../local/config.ts";
import { runLoad } from "./load.ts";
import { CLOUD, EVOLUTION, type Received, withSimulator } from "./testing.ts";

const BASE = 55450;
const CLI_PORT = 55470;

/** The message id of an inbound webhook in either provider's format. */
function inboundId(post: Received): string | undefined {
  if (post.body.event === "messages.upsert") return post.body.data.key.id;
  return post.body.entry?.[0].changes[0].value.messages?.[0].id;
}

async function registerBoth(
  control: { ok(m: string, p: string, b?: unknown): Promise<unknown> },
  url: string,
) {
  await control.ok("POST", "/_control/channels/evolution", {
    ...EVOLUTION,
    webhook: { enabled: true, url: `${url}/evo`, events: ["MESSAGES_UPSERT"] },
  });
  await control.ok("POST", "/_control/channels/cloud", { ...CLOUD, webhook_url: `${url}/cloud` });
}

Deno.test("every message the load generator reports arrives at our webhook exactly once", () =>
  withSimulator(BASE, async ({ sim, receiver, control }) => {
    await registerBoth(control, receiver.url);
    const summary = await runLoad({
      simulatorUrl: sim.url,
      channels: [EVOLUTION.instance, CLOUD.phone_number_id],
      customers: 4,
      rate: 5,
      seconds: 1,
    });
    deepEqual([summary.planned, summary.sent, summary.failed], [20, 20, 0]);
    equal(new Set(summary.messages.map((m) => m.phone)).size, 4);
    deepEqual(
      new Set(summary.messages.map((m) => m.channel)),
      new Set([EVOLUTION.instance, CLOUD.phone_number_id]),
    );
    const posts = await receiver.waitFor("all 20 messages", (p) => inboundId(p) !== undefined, 20);
    const arrived = posts.map(inboundId).sort();
    deepEqual(arrived, summary.messages.map((m) => m.id).sort(), "each id once, none missing, none extra");
  }));

Deno.test("the load command line prints a JSON summary of what it sent", () =>
  withSimulator(BASE, async ({ sim, receiver, control }) => {
    await registerBoth(control, receiver.url);
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        "scripts/simulator/load.ts",
        "--url",
        sim.url,
        "--channel",
        `${EVOLUTION.instance},${CLOUD.phone_number_id}`,
        "--customers",
        "2",
        "--rate",
        "2",
        "--seconds",
        "1",
      ],
      cwd: repoRoot,
      stdout: "piped",
      stderr: "piped",
    }).output();
    equal(out.code, 0, new TextDecoder().decode(out.stderr));
    const summary = JSON.parse(new TextDecoder().decode(out.stdout));
    deepEqual([summary.planned, summary.sent], [4, 4]);
    const posts = await receiver.waitFor("the four messages", (p) => inboundId(p) !== undefined, 4);
    deepEqual(posts.map(inboundId).sort(), summary.messages.map((m: { id: string }) => m.id).sort());
  }));

Deno.test("the simulator command line serves on the port it is given and stops on SIGTERM", async () => {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "scripts/simulator/main.ts", "--port", String(CLI_PORT), "--quiet"],
    cwd: repoRoot,
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let seen = "";
  while (!seen.includes("listening")) {
    const { value, done } = await reader.read();
    if (done) break;
    seen += value;
  }
  try {
    ok(seen.includes(`http://127.0.0.1:${CLI_PORT}`), seen);
    const res = await fetch(`http://127.0.0.1:${CLI_PORT}/_control/channels`);
    deepEqual(await res.json(), []);
  } finally {
    child.kill("SIGTERM");
    await reader.cancel();
    equal((await child.status).code, 0);
  }
});
