// The customer's side, through the simulator's control API, and seeding through the service role.
import { apiUrl, evolutionInstance, serviceRoleKey, simulatorUrl } from "./env";
import { eventually } from "./wait";

/** A phone number no other test (or earlier run) uses, so each test has its own conversation. */
export function uniquePhone(): string {
  const digits = [...crypto.getRandomValues(new Uint8Array(8))].map((b) => b % 10).join("");
  return `55119${digits}`;
}

async function control(path: string, body?: unknown, method = "POST") {
  const response = await fetch(`${simulatorUrl}/_control${path}`, {
    method,
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`simulator ${method} ${path} answered ${response.status}: ${await response.text()}`);
  return response.json();
}

export function customerWrites(phone: string, text: string, name: string, channel = evolutionInstance) {
  return control(`/customers/${channel}/${phone}/send`, { type: "text", text, name });
}

/** The provider misbehaves for this channel, as the simulator's faults describe (e.g. `server_error` with a `count`). */
export function injectFault(fault: { kind: string; count?: number; to?: string }, channel = evolutionInstance) {
  return control(`/faults/${channel}`, fault);
}

/** The customer opens the chat on the phone: what reached it turns read. */
export function customerReads(phone: string, channel = evolutionInstance) {
  return control(`/customers/${channel}/${phone}/read`);
}

export async function rest(path: string, init: RequestInit = {}) {
  const response = await fetch(`${apiUrl}/rest/v1/${path}`, {
    ...init,
    headers: {
      apikey: serviceRoleKey,
      authorization: `Bearer ${serviceRoleKey}`,
      "content-type": "application/json",
      prefer: "return=representation",
      ...init.headers,
    },
  });
  if (!response.ok) throw new Error(`REST ${init.method ?? "GET"} ${path} answered ${response.status}: ${await response.text()}`);
  return response.json();
}

/** The conversation the product opened for this customer, once the webhook has been processed. */
export function conversationOf(phone: string): Promise<{ id: string; status: string; assignee_id: string | null }> {
  return eventually(async () => {
    const [row] = await rest(`conversations?select=id,status,assignee_id,contact:contacts!inner(phone)&contact.phone=eq.${phone}`);
    return row;
  }, `a conversation for the customer ${phone} is stored`);
}
