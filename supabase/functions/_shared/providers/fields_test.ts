import { equal } from "node:assert/strict";
import { base64Bytes, int, isoFromSeconds } from "./fields.ts";

const SHA = [0x9a, 0xc1, 0xf9, 0x88, 0x9f, 0x5c, 0x85, 0xc6];
const SHA_BASE64 = btoa(String.fromCharCode(...SHA));

Deno.test("binary fields read the same whichever way Evolution serialised them", () => {
  equal(base64Bytes(Object.fromEntries(SHA.map((b, i) => [String(i), b]))), SHA_BASE64);
  equal(base64Bytes({ type: "Buffer", data: SHA }), SHA_BASE64);
  equal(base64Bytes(SHA), SHA_BASE64);
  equal(base64Bytes(SHA_BASE64), SHA_BASE64);
  equal(base64Bytes({ "0": 300 }), undefined);
  equal(base64Bytes({}), undefined);
});

Deno.test("64-bit numbers read the same as numbers, digit strings or protobuf Longs", () => {
  equal(int(48213), 48213);
  equal(int("48213"), 48213);
  equal(int({ low: 48213, high: 0, unsigned: true }), 48213);
  // protobufjs keeps the low word signed: a low word past 2^31 arrives negative.
  equal(int({ low: -1280271296, high: 418, unsigned: false }), 1798311025728);
  equal(int("12a"), undefined);
  equal(isoFromSeconds({ low: 1795515330, high: 0, unsigned: true }), "2026-11-24T10:15:30.000Z");
  equal(isoFromSeconds(0), undefined);
});
