import { describe, expect, it } from "vitest";
import {
  channelFieldOf,
  channelRequest,
  emptyChannelDraft,
  emptyMemberDraft,
  memberFieldOf,
  memberRequest,
  validateChannel,
  validateMember,
} from "./forms";

const tenant = "de000000-0000-4000-8000-000000000001";

describe("the new channel form", () => {
  it("asks for what each provider needs before anything is sent", () => {
    expect(validateChannel(emptyChannelDraft("evolution"))).toEqual({
      name: "validation.required",
      instance_name: "validation.required",
      base_url: "validation.required",
      api_key: "validation.required",
    });
    expect(validateChannel(emptyChannelDraft("cloud"))).toEqual({
      name: "validation.required",
      phone_number_id: "validation.required",
      waba_id: "validation.required",
      access_token: "validation.required",
      app_secret: "validation.required",
    });
  });

  it("refuses addresses that are not http(s) and ids that are not digits", () => {
    const evolution = { ...emptyChannelDraft("evolution"), name: "Loja", instance_name: "loja", api_key: "k" };
    expect(validateChannel({ ...evolution, base_url: "evolution.local" })).toEqual({ base_url: "validation.url" });
    expect(validateChannel({ ...evolution, base_url: "ftp://evolution.local" })).toEqual({ base_url: "validation.url" });
    expect(validateChannel({ ...evolution, base_url: "https://evolution.local" })).toEqual({});
    const cloud = {
      ...emptyChannelDraft("cloud"),
      name: "Suporte",
      phone_number_id: "+55 11",
      waba_id: "123",
      access_token: "t",
      app_secret: "s",
      graph_url: "graph",
    };
    expect(validateChannel(cloud)).toEqual({ phone_number_id: "validation.digits", graph_url: "validation.url" });
    expect(validateChannel({ ...cloud, name: "x".repeat(101), phone_number_id: "1", graph_url: "" })).toEqual({
      name: "validation.tooLong",
    });
  });

  it("sends only the chosen provider's fields, trimmed, and leaves the verify token to the server when empty", () => {
    const draft = {
      ...emptyChannelDraft("cloud"),
      name: " Suporte ",
      phone_number_id: "100",
      waba_id: "300",
      access_token: " token ",
      app_secret: "secret",
      instance_name: "typed before switching provider",
    };
    expect(channelRequest(draft, tenant)).toEqual({
      tenant_id: tenant,
      provider: "cloud",
      name: "Suporte",
      phone_number_id: "100",
      waba_id: "300",
      access_token: "token",
      app_secret: "secret",
    });
  });

  it("puts a refusal next to the field it is about", () => {
    expect(channelFieldOf("channel_exists", "evolution")).toBe("instance_name");
    expect(channelFieldOf("channel_exists", "cloud")).toBe("phone_number_id");
    expect(channelFieldOf("not_allowed", "cloud")).toBeNull();
  });
});

describe("the member form", () => {
  it("checks the email, the name and an optional password", () => {
    expect(validateMember(emptyMemberDraft(), { isNew: true })).toEqual({
      email: "validation.required",
      display_name: "validation.required",
    });
    const draft = { ...emptyMemberDraft(), email: "eva@", display_name: "Eva", password: "123" };
    expect(validateMember(draft, { isNew: true })).toEqual({ email: "validation.email", password: "validation.password" });
    expect(validateMember({ ...draft, email: "x" }, { isNew: false })).toEqual({});
  });

  it("sends the email in lower case and a password only when one was typed", () => {
    const draft = { ...emptyMemberDraft(), email: " Eva@Atende.Test ", display_name: "Eva ", role: "manager" as const };
    expect(memberRequest(draft, tenant)).toEqual({
      tenant_id: tenant,
      email: "eva@atende.test",
      display_name: "Eva",
      role: "manager",
      department_ids: [],
    });
  });

  it("shows 'already a member' at the email and 'last admin' at the role", () => {
    expect(memberFieldOf("already_a_member")).toBe("email");
    expect(memberFieldOf("last_admin")).toBe("role");
    expect(memberFieldOf("internal")).toBeNull();
  });
});
