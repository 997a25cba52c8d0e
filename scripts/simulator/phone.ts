// The customer-phone page: static assets from ./phone/, a server-sent event stream of one chat, and the media
// files the page shows.
import { utf8 } from "./encoding.ts";
import type { Sim } from "./sim.ts";

const ASSETS: Record<string, [file: string, type: string]> = {
  "/": ["index.html", "text/html; charset=utf-8"],
  "/phone.js": ["phone.js", "text/javascript; charset=utf-8"],
  "/phone.css": ["phone.css", "text/css; charset=utf-8"],
};

const KEEP_ALIVE_MS = 15_000;

export async function phonePage(sim: Sim, req: Request, url: URL): Promise<Response | null> {
  if (req.method !== "GET") return null;
  const asset = ASSETS[url.pathname];
  if (asset) {
    const body = await Deno.readFile(new URL(`./phone/${asset[0]}`, import.meta.url));
    return new Response(body, { headers: { "content-type": asset[1], "cache-control": "no-cache" } });
  }
  if (url.pathname === "/_phone/events") return chatEvents(sim, url);
  const media = url.pathname.match(/^\/_phone\/media\/([^/]+)$/);
  if (media) {
    const item = sim.media.get(decodeURIComponent(media[1]));
    if (!item) return new Response("not found", { status: 404 });
    return new Response(item.bytes as BodyInit, { headers: { "content-type": item.mimetype } });
  }
  return null;
}

/** `snapshot` with the whole chat, then `message` whenever one is added or changes status. */
function chatEvents(sim: Sim, url: URL): Response {
  const channel = url.searchParams.get("channel") ?? "";
  const phone = (url.searchParams.get("phone") ?? "").replace(/\D/g, "");
  if (!sim.channels.has(channel) || !phone) return new Response("unknown channel or phone", { status: 400 });
  let close = () => {};
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      const send = (text: string) => controller.enqueue(utf8(text));
      const event = (name: string, data: unknown) =>
        send(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`);
      event("snapshot", {
        customer: sim.phones.customer(channel, phone),
        messages: sim.phones.chat(channel, phone),
      });
      const unsubscribe = sim.phones.subscribe(channel, phone, (message) => event("message", message));
      const keepAlive = setInterval(() => send(": keep-alive\n\n"), KEEP_ALIVE_MS);
      const onStop = () => {
        close();
        controller.close();
      };
      close = () => {
        unsubscribe();
        clearInterval(keepAlive);
        sim.timers.signal.removeEventListener("abort", onStop);
      };
      sim.timers.signal.addEventListener("abort", onStop, { once: true });
    },
    cancel: () => close(),
  });
  return new Response(stream, {
    headers: { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" },
  });
}
