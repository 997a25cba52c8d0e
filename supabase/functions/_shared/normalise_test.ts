import { deepStrictEqual, equal, ok, rejects, throws } from "node:assert/strict";
import { InvalidPayload, normalise, parseWebhookJson } from "./normalise.ts";
import { fixture, fixtureBytes } from "./fixtures/load.ts";
import { readBodyWithin } from "./providers/body.ts";
import { CLOUD_MAX_BODY_BYTES } from "./providers/cloud.ts";

const receivedAt = new Date("2026-11-24T10:15:31.000Z");

const isInvalidPayload = (e: unknown) => {
  ok(e instanceof InvalidPayload);
  equal(e.status, 400);
  equal(e.code, "invalid_payload");
  return true;
};

Deno.test("a webhook body that is not a JSON object is an invalid payload for either provider", () => {
  for (const body of [null, [], "messages.upsert", 42]) {
    throws(() => normalise("evolution", body), isInvalidPayload);
    throws(() => normalise("cloud", body), isInvalidPayload);
  }
});

Deno.test("bytes that are not JSON are an invalid payload; JSON is parsed as sent", async () => {
  throws(() => parseWebhookJson(new TextEncoder().encode('{"event": "messages.upsert",')), isInvalidPayload);
  deepStrictEqual(
    parseWebhookJson(await fixtureBytes("cloud", "text.json")),
    await fixture("cloud", "text.json"),
  );
});

Deno.test("each provider's body goes to its own normaliser and names its channel", async () => {
  const evolution = normalise("evolution", await fixture("evolution", "messages-upsert-text.json"), {
    receivedAt,
  });
  const cloud = normalise("cloud", await fixture("cloud", "text.json"), { receivedAt });
  equal(evolution.channel_key, "loja-centro");
  equal(cloud.channel_key, "106540352242922");
  equal(evolution.events[0].event.type, "message");
  equal(cloud.events[0].event.type, "message");
});

/** A request whose body arrives in chunks, without Content-Length, as a chunked upload does. */
function streamed(chunks: Uint8Array[]): Request {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
  return new Request("http://webhook.test/", { method: "POST", body });
}

Deno.test("a webhook body within the limit is read byte for byte, even in chunks", async () => {
  const bytes = await fixtureBytes("cloud", "batch-two-numbers.json");
  const chunks = [bytes.subarray(0, 100), bytes.subarray(100, 2000), bytes.subarray(2000)];
  deepStrictEqual(await readBodyWithin(streamed(chunks), CLOUD_MAX_BODY_BYTES), bytes);
});

Deno.test("a chunked webhook body that passes the limit is refused with 413 without a Content-Length", async () => {
  const chunk = new Uint8Array(64 * 1024);
  const chunks = Array.from({ length: CLOUD_MAX_BODY_BYTES / chunk.length + 1 }, () => chunk);
  await rejects(readBodyWithin(streamed(chunks), CLOUD_MAX_BODY_BYTES), {
    status: 413,
    code: "payload_too_large",
  });
});

Deno.test("a body carrying U+0000 or a lone surrogate parses into text Postgres can store, names included", () => {
  const bytes = (s: string) => new TextEncoder().encode(s);
  deepStrictEqual(
    parseWebhookJson(bytes('{"text":"antes\\u0000depois","list":["a\\u0000"],"od\\u0000d":{"n":1}}')),
    { text: "antesdepois", list: ["a"], odd: { n: 1 } },
  );
  deepStrictEqual(
    parseWebhookJson(bytes('{"half":"x\\ud83d","emoji":"\\ud83d\\ude00","\\udc00":1}')),
    { half: "x\ufffd", emoji: "\u{1F600}", "\ufffd": 1 },
  );
  deepStrictEqual(parseWebhookJson(bytes('{"text":"literal \\\\u0000 stays"}')), {
    text: "literal \\u0000 stays",
  });
});
