import { deepStrictEqual, equal, rejects } from "node:assert/strict";
import { HttpError } from "../errors.ts";
import { readBodyWithin } from "./body.ts";

const bytes = (n: number) => new Uint8Array(n).fill(65);

/** A body sent in chunks, with no Content-Length, as a chunked upload arrives. */
function chunked(chunks: Uint8Array[]): Request {
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const c of chunks) controller.enqueue(c);
      controller.close();
    },
  });
  return new Request("http://x/", { method: "POST", body: stream });
}

const tooLarge = (e: unknown) => e instanceof HttpError && e.status === 413 && e.code === "payload_too_large";

Deno.test("a body with a declared length within the limit is read whole", async () => {
  const req = new Request("http://x/", {
    method: "POST",
    body: bytes(10),
    headers: { "content-length": "10" },
  });
  deepStrictEqual(await readBodyWithin(req, 10), bytes(10));
});

Deno.test("a declared length over the limit is refused before reading", async () => {
  const req = new Request("http://x/", {
    method: "POST",
    body: bytes(11),
    headers: { "content-length": "11" },
  });
  await rejects(readBodyWithin(req, 10), tooLarge);
});

Deno.test("a chunked body is read whole within the limit, and refused as soon as it passes it", async () => {
  equal((await readBodyWithin(chunked([bytes(4), bytes(6)]), 10)).byteLength, 10);
  await rejects(readBodyWithin(chunked([bytes(6), bytes(6)]), 10), tooLarge);
});
