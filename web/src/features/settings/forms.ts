// The admins' forms as pure functions: what a draft lacks (checked before anything is sent, with the same rules
// as the functions' schemas), the request it becomes, and which field a server refusal belongs to.
import type { MessageKey } from "../../lib/i18n";
import type { Role } from "../../lib/types";
import type { Provider } from "./types";

export type FieldErrors<F extends string> = Partial<Record<F, MessageKey>>;

export interface ChannelDraft {
  provider: Provider;
  name: string;
  default_department_id: string;
  instance_name: string;
  base_url: string;
  api_key: string;
  phone_number_id: string;
  waba_id: string;
  access_token: string;
  app_secret: string;
  verify_token: string;
  /** Cloud API only, optional: another Graph API address (the simulator); Meta's when empty. */
  graph_url: string;
}
export type ChannelField = keyof ChannelDraft;

export const emptyChannelDraft = (provider: Provider = "evolution"): ChannelDraft => ({
  provider,
  name: "",
  default_department_id: "",
  instance_name: "",
  base_url: "",
  api_key: "",
  phone_number_id: "",
  waba_id: "",
  access_token: "",
  app_secret: "",
  verify_token: "",
  graph_url: "",
});

const isHttpUrl = (value: string) => {
  try {
    return /^https?:$/.test(new URL(value).protocol);
  } catch {
    return false;
  }
};

function text(value: string, max: number): MessageKey | undefined {
  const v = value.trim();
  if (!v) return "validation.required";
  if (v.length > max) return "validation.tooLong";
}

const digits = (value: string): MessageKey | undefined =>
  !value.trim() ? "validation.required" : /^[0-9]{1,32}$/.test(value.trim()) ? undefined : "validation.digits";

const url = (value: string, required: boolean): MessageKey | undefined =>
  !value.trim() ? (required ? "validation.required" : undefined) : isHttpUrl(value.trim()) ? undefined : "validation.url";

function only<F extends string>(errors: Partial<Record<F, MessageKey | undefined>>): FieldErrors<F> {
  return Object.fromEntries(Object.entries(errors).filter(([, e]) => e)) as FieldErrors<F>;
}

export function validateChannel(draft: ChannelDraft): FieldErrors<ChannelField> {
  if (draft.provider === "evolution") {
    return only<ChannelField>({
      name: text(draft.name, 100),
      instance_name: text(draft.instance_name, 200),
      base_url: url(draft.base_url, true),
      api_key: text(draft.api_key, 1000),
    });
  }
  return only<ChannelField>({
    name: text(draft.name, 100),
    phone_number_id: digits(draft.phone_number_id),
    waba_id: digits(draft.waba_id),
    access_token: text(draft.access_token, 1000),
    app_secret: text(draft.app_secret, 1000),
    verify_token: draft.verify_token.trim() ? text(draft.verify_token, 1000) : undefined,
    graph_url: url(draft.graph_url, false),
  });
}

/** The body of POST /channels. */
export function channelRequest(draft: ChannelDraft, tenantId: string): Record<string, unknown> {
  const common = {
    tenant_id: tenantId,
    name: draft.name.trim(),
    ...(draft.default_department_id ? { default_department_id: draft.default_department_id } : {}),
  };
  if (draft.provider === "evolution") {
    return {
      ...common,
      provider: "evolution",
      instance_name: draft.instance_name.trim(),
      base_url: draft.base_url.trim(),
      api_key: draft.api_key.trim(),
    };
  }
  return {
    ...common,
    provider: "cloud",
    phone_number_id: draft.phone_number_id.trim(),
    waba_id: draft.waba_id.trim(),
    access_token: draft.access_token.trim(),
    app_secret: draft.app_secret.trim(),
    ...(draft.verify_token.trim() ? { verify_token: draft.verify_token.trim() } : {}),
    ...(draft.graph_url.trim() ? { base_url: draft.graph_url.trim() } : {}),
  };
}

/** The field a refusal of POST /channels is about; the rest is shown above the buttons. */
export function channelFieldOf(code: string, provider: Provider): ChannelField | null {
  switch (code) {
    case "channel_exists":
    case "invalid_external_id":
      return provider === "evolution" ? "instance_name" : "phone_number_id";
    case "invalid_base_url":
      return "base_url";
    case "department_not_found":
      return "default_department_id";
    default:
      return null;
  }
}

export interface MemberDraft {
  email: string;
  display_name: string;
  role: Role;
  department_ids: string[];
  /** Empty: the server makes a temporary one and answers it once. */
  password: string;
}
export type MemberField = keyof MemberDraft;

export const emptyMemberDraft = (): MemberDraft => ({
  email: "",
  display_name: "",
  role: "agent",
  department_ids: [],
  password: "",
});

export function validateMember(draft: MemberDraft, { isNew }: { isNew: boolean }): FieldErrors<MemberField> {
  const email = draft.email.trim();
  return only<MemberField>({
    email: !isNew ? undefined : !email ? "validation.required" : /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) ? undefined : "validation.email",
    display_name: text(draft.display_name, 200),
    password: !isNew || !draft.password ? undefined : draft.password.length < 6 || draft.password.length > 72 ? "validation.password" : undefined,
  });
}

/** The body of POST /members. */
export function memberRequest(draft: MemberDraft, tenantId: string): Record<string, unknown> {
  return {
    tenant_id: tenantId,
    email: draft.email.trim().toLowerCase(),
    display_name: draft.display_name.trim(),
    role: draft.role,
    department_ids: draft.department_ids,
    ...(draft.password ? { password: draft.password } : {}),
  };
}

export function memberFieldOf(code: string): MemberField | null {
  switch (code) {
    case "already_a_member":
    case "user_conflict":
      return "email";
    case "invalid_display_name":
      return "display_name";
    case "department_not_found":
      return "department_ids";
    case "last_admin":
      return "role";
    default:
      return null;
  }
}
