import type { AppError } from "../lib/errors";
import { isMessageKey, type Translate, useI18n } from "../lib/i18n";

/** The agent-facing text of an error: its code's own text where there is one, else by kind. */
export function describeError(t: Translate, error: Pick<AppError, "status" | "code" | "message">): string {
  const key = `error.${error.code}`;
  if (isMessageKey(key)) return t(key);
  if (error.status === 0) return t("error.network");
  if (error.status >= 500) return t("error.server");
  return t("error.unknown", { message: error.message });
}

export function ErrorText({ error }: { error: AppError }) {
  const { t } = useI18n();
  return (
    <p role="alert" className="error-text">
      {describeError(t, error)}
    </p>
  );
}
