// PostgREST answers { data, error, status }; the features want rows or an AppError thrown.
import { toAppError } from "./errors";

interface Answer<T> {
  data: T | null;
  error: unknown;
  status: number;
}

export async function rows<T>(query: PromiseLike<Answer<unknown>>): Promise<T> {
  let answer: Answer<unknown>;
  try {
    answer = await query;
  } catch (e) {
    throw toAppError(e);
  }
  if (answer.error) throw toAppError(answer.error, answer.status);
  return answer.data as T;
}
