import { describe, expect, it } from "vitest";
import { maskedSecret, testEventSteps, webhookSetBody, webhookSetCurl } from "./setup";

const request = {
  method: "POST",
  url: "http://evolution.local:8080/webhook/set/loja's",
  headers: { "content-type": "application/json", apikey: "<Evolution API key>" },
  body: { webhook: { enabled: true, url: "http://api/functions/v1/webhook-evolution/abc", events: ["MESSAGES_UPSERT"] } },
};

describe("the channel setup an integrator copies", () => {
  it("gives Evolution's webhook request as a JSON body and as a curl line that survives the shell", () => {
    expect(JSON.parse(webhookSetBody(request))).toEqual(request.body);
    const curl = webhookSetCurl(request);
    expect(curl).toContain(`curl -X POST 'http://evolution.local:8080/webhook/set/loja'\\''s'`);
    expect(curl).toContain(`-H 'apikey: <Evolution API key>'`);
    expect(curl).toContain(`--data '${JSON.stringify(request.body)}'`);
  });

  it("shows a stored secret by its last characters only", () => {
    expect(maskedSecret({ set: true, hint: "…a1b2" })).toBe("••••••••a1b2");
    expect(maskedSecret({ set: true, hint: null })).toBe("••••••••");
    expect(maskedSecret({ set: false, hint: null })).toBe("");
    const inSetup = { value: null, hint: "…c3d4" };
    expect(maskedSecret(inSetup)).toBe("••••••••c3d4");
  });

  it("follows a test event from sent to stored, and says where it stopped", () => {
    expect(testEventSteps(undefined)).toEqual({ sent: "done", received: "current", stored: "waiting" });
    expect(testEventSteps("sent")).toEqual({ sent: "done", received: "current", stored: "waiting" });
    expect(testEventSteps("received")).toEqual({ sent: "done", received: "done", stored: "current" });
    expect(testEventSteps("applied")).toEqual({ sent: "done", received: "done", stored: "done" });
    expect(testEventSteps("dead_lettered")).toEqual({ sent: "done", received: "done", stored: "failed" });
  });
});
