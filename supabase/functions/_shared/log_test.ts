import { deepStrictEqual, equal } from "node:assert/strict";
import { redact } from "./log.ts";

Deno.test("redact hides every secret-looking value, however deep, and leaves the caller's object as it was", () => {
  const fields = {
    fn: "channels",
    headers: { authorization: "Bearer abc", "content-type": "application/json" },
    attempts: [{ apikey: "k1", status: 401 }, { status: 200 }],
    webhook_secret: "s3cret",
    token: null,
  };
  const before = structuredClone(fields);
  deepStrictEqual(redact(fields), {
    fn: "channels",
    headers: { authorization: "[redacted]", "content-type": "application/json" },
    attempts: [{ apikey: "[redacted]", status: 401 }, { status: 200 }],
    webhook_secret: "[redacted]",
    token: null,
  });
  deepStrictEqual(fields, before);
});

Deno.test("redact returns what holds no secret as it is, without a copy", () => {
  const line = {
    fn: "webhook-evolution",
    method: "POST",
    path: "/webhook-evolution/x",
    status: 200,
    tags: ["a"],
  };
  equal(redact(line), line);
});

Deno.test("redact prints an object that is not plain data as its own fields, never through its toJSON", () => {
  const fields = { url: new URL("https://evolution.example/instance?apikey=abc"), ratio: NaN };
  deepStrictEqual(JSON.parse(JSON.stringify(redact(fields))), { url: {}, ratio: null });
  equal(JSON.stringify(redact(fields)).includes("abc"), false);
});
