import { deepStrictEqual, equal, ok } from "node:assert/strict";
import { fixtureBytes } from "./fixtures/load.ts";
import { sameSecret, signCloudBody, verifyCloudSignature } from "./signature.ts";

const APP_SECRET = "5f2b8e1c9a7d4e3f6b0a1c2d3e4f5a6b";

Deno.test("Cloud API signature: a body signed with our app secret is accepted", async () => {
  const body = await fixtureBytes("cloud", "text.json");
  deepStrictEqual(await verifyCloudSignature(body, await signCloudBody(body, APP_SECRET), APP_SECRET), {
    ok: true,
  });
});

Deno.test("Cloud API signature: Meta's hex may arrive in upper case", async () => {
  const body = await fixtureBytes("cloud", "statuses-read.json");
  const header = (await signCloudBody(body, APP_SECRET)).replace(/[0-9a-f]{64}$/, (hex) => hex.toUpperCase());
  deepStrictEqual(await verifyCloudSignature(body, header, APP_SECRET), { ok: true });
});

Deno.test("Cloud API signature: a body signed with another secret is refused", async () => {
  const body = await fixtureBytes("cloud", "text.json");
  deepStrictEqual(
    await verifyCloudSignature(body, await signCloudBody(body, "another-app-secret"), APP_SECRET),
    {
      ok: false,
      reason: "signature_mismatch",
    },
  );
});

Deno.test("Cloud API signature: a body changed after signing is refused", async () => {
  const body = await fixtureBytes("cloud", "text.json");
  const header = await signCloudBody(body, APP_SECRET);
  const tampered = new TextEncoder().encode(new TextDecoder().decode(body).replace("1042", "1043"));
  deepStrictEqual(await verifyCloudSignature(tampered, header, APP_SECRET), {
    ok: false,
    reason: "signature_mismatch",
  });
});

Deno.test("Cloud API signature: it covers the raw bytes, so re-serialised JSON (\\u escapes undone) does not match", async () => {
  const body = await fixtureBytes("cloud", "text.json");
  const header = await signCloudBody(body, APP_SECRET);
  const reserialised = new TextEncoder().encode(JSON.stringify(JSON.parse(new TextDecoder().decode(body))));
  equal((await verifyCloudSignature(reserialised, header, APP_SECRET)).ok, false);
});

Deno.test("Cloud API signature: a missing or malformed header is refused", async () => {
  const body = await fixtureBytes("cloud", "text.json");
  const signed = await signCloudBody(body, APP_SECRET);
  deepStrictEqual(await verifyCloudSignature(body, null, APP_SECRET), {
    ok: false,
    reason: "missing_signature",
  });
  deepStrictEqual(await verifyCloudSignature(body, "", APP_SECRET), {
    ok: false,
    reason: "missing_signature",
  });
  for (
    const header of [signed.slice("sha256=".length), signed.replace("sha256=", "sha1="), signed.slice(0, -2)]
  ) {
    deepStrictEqual(await verifyCloudSignature(body, header, APP_SECRET), {
      ok: false,
      reason: "malformed_signature",
    });
  }
});

Deno.test("Cloud API signature: a channel without an app secret accepts nothing", async () => {
  const body = await fixtureBytes("cloud", "text.json");
  deepStrictEqual(await verifyCloudSignature(body, await signCloudBody(body, APP_SECRET), ""), {
    ok: false,
    reason: "no_app_secret",
  });
});

Deno.test("shared secrets compare equal only when identical, and never against an empty expected secret", () => {
  ok(sameSecret("segredo-do-webhook", "segredo-do-webhook"));
  equal(sameSecret("segredo-do-webhooK", "segredo-do-webhook"), false);
  equal(sameSecret("segredo", "segredo-do-webhook"), false);
  equal(sameSecret("", ""), false);
});
