// Commands go through the edge functions. A failure answers { error: { code, message } } with its HTTP status;
// this turns it into an AppError the caller can match on.
import { FunctionsHttpError, FunctionsRelayError } from "@supabase/supabase-js";
import { toAppError } from "./errors";
import { supabase } from "./supabase";

export async function callFunction<T>(
  path: string,
  { method = "POST", body }: { method?: "GET" | "POST" | "PATCH" | "DELETE"; body?: Record<string, unknown> } = {},
): Promise<T> {
  let result;
  try {
    result = await supabase().functions.invoke<T>(path, { method, body });
  } catch (e) {
    throw toAppError(e);
  }
  const { data, error } = result;
  if (!error) return data as T;
  if (error instanceof FunctionsHttpError || error instanceof FunctionsRelayError) {
    const response = error.context as Response;
    const answer = await response.json().catch(() => null);
    throw toAppError(answer ?? { error: { code: "internal", message: response.statusText } }, response.status);
  }
  throw toAppError(error);
}
