// The customer-phone page: served at /, in Portuguese, following one chat live; what it shows counts as read.
import { equal, match, ok } from "node:assert/strict";
import { eventually } from "../test/wait.ts";
import { CUSTOMER, EVOLUTION, withSimulator } from "./testing.ts";

const BASE = 55460;

/** Reads a server-sent event stream and hands each event to whoever waits for one like it. */
// deno-lint-ignore no-explicit-any
type ChatEvent = { name: string; data: any };

function followEvents(res: Response) {
  const events: ChatEvent[] = [];
  const listeners = new Set<() => void>();
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  const pump = (async () => {
    let buffer = "";
    while (true) {
      const { value, done } = await reader.read().catch(() => ({ value: "", done: true }));
      if (done) return;
      buffer += value;
      let end;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const name = block.match(/^event: (.*)$/m)?.[1];
        const data = block.match(/^data: (.*)$/m)?.[1];
        if (name && data) events.push({ name, data: JSON.parse(data) });
        for (const listener of listeners) listener();
      }
    }
  })();
  return {
    next(what: string, match: (e: ChatEvent) => boolean) {
      return eventually<ChatEvent>(what, (resolve) => {
        const check = () => {
          const hit = events.find(match);
          if (hit) resolve(hit);
        };
        listeners.add(check);
        check();
        return () => listeners.delete(check);
      }, 5_000);
    },
    async close() {
      await reader.cancel();
      await pump;
    },
  };
}

Deno.test("the customer-phone page is served in Portuguese with its script and styles", () =>
  withSimulator(BASE, async ({ sim }) => {
    const page = await fetch(`${sim.url}/`);
    equal(page.headers.get("content-type"), "text/html; charset=utf-8");
    const html = await page.text();
    match(html, /<html lang="pt-BR">/);
    match(html, /Abrir conversa/);
    match(html, /Número do cliente/);
    for (const asset of ["/phone.js", "/phone.css"]) {
      const res = await fetch(`${sim.url}${asset}`);
      ok((await res.text()).length > 100, `${asset} is served`);
    }
  }));

Deno.test("the phone shows an agent's message once delivered, and viewing it sends READ to our webhook", () =>
  withSimulator(
    BASE,
    async ({ sim, receiver, control }) => {
      await control.ok("POST", "/_control/channels/evolution", {
        ...EVOLUTION,
        webhook: { enabled: true, url: receiver.url, events: ["MESSAGES_UPDATE"] },
      });
      const stream = await fetch(`${sim.url}/_phone/events?channel=${EVOLUTION.instance}&phone=${CUSTOMER}`);
      equal(stream.headers.get("content-type"), "text/event-stream");
      const events = followEvents(stream);
      try {
        const snapshot = await events.next("the chat snapshot", (e) => e.name === "snapshot");
        equal(snapshot.data.messages.length, 0);
        const sent = await control.call("POST", `/message/sendText/${EVOLUTION.instance}`, {
          number: CUSTOMER,
          text: "Seu pedido foi enviado",
        }, { apikey: EVOLUTION.apikey });
        const id = sent.body.key.id;
        const delivered = await events.next(
          "the agent's message delivered to the phone",
          (e) => e.data.id === id && e.data.status === "delivered",
        );
        equal(delivered.data.text, "Seu pedido foi enviado");
        equal(delivered.data.direction, "out");

        // What the page does when it shows the message:
        equal(
          (await control.ok("POST", `/_control/customers/${EVOLUTION.instance}/${CUSTOMER}/read`)).read,
          1,
        );
        await events.next("the blue ticks", (e) => e.data.id === id && e.data.status === "read");
        await receiver.waitFor(
          "the READ receipt",
          (p) => p.body.data.status === "READ" && p.body.data.keyId === id,
        );
      } finally {
        await events.close();
      }
    },
    { readOn: "view" },
  ));
