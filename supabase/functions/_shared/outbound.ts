// What the processor needs to send one message, and what a provider adapter answers.

export interface SendContext {
  id: string;
  type: string;
  body: string | null;
  media: { url?: string; mime_type?: string; file_name?: string; caption?: string } | null;
  template: { name: string; language: string; components?: unknown[] } | null;
  reply_to_provider_id: string | null;
  phone: string | null;
  lid: string | null;
  bsuid: string | null;
  group_jid: string | null;
  channel_id: string;
  provider: "evolution" | "cloud";
  external_id: string;
  base_url: string | null;
  api_key: string | null;
  access_token: string | null;
}

export interface SendError {
  code: string;
  title: string;
  detail?: string;
}

export type SendResult =
  | { ok: true; providerMessageId: string }
  | {
    ok: false;
    error: SendError;
    /** Retrying cannot help (not on WhatsApp, window closed, bad token): the message fails at once. */
    permanent: boolean;
    /** No answer came back, so the provider may have accepted it: the next attempt waits for an echo first. */
    sentMaybe: boolean;
  };

export const SEND_TIMEOUT_MS = Number(Deno.env.get("ATENDE_SEND_TIMEOUT_MS") ?? 15_000);

/** Calls a provider endpoint and tells "no answer" apart from "refused to connect". */
export async function postJson(
  url: string,
  headers: Record<string, string>,
  body: unknown,
): Promise<{ status: number; json: unknown } | { failure: SendResult }> {
  const signal = AbortSignal.timeout(SEND_TIMEOUT_MS);
  try {
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
      signal,
    });
    const text = await res.text();
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = { raw: text.slice(0, 500) };
    }
    return { status: res.status, json };
  } catch (e) {
    const timedOut = signal.aborted;
    return {
      failure: {
        ok: false,
        error: {
          code: timedOut ? "provider_timeout" : "provider_unreachable",
          title: timedOut ? "The provider did not answer in time" : "The provider could not be reached",
          detail: e instanceof Error ? e.message : String(e),
        },
        permanent: false,
        sentMaybe: timedOut,
      },
    };
  }
}
