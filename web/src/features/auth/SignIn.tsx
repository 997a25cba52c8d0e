import { type FormEvent, useState } from "react";
import { type AppError, toAppError } from "../../lib/errors";
import { useI18n } from "../../lib/i18n";
import { supabase } from "../../lib/supabase";
import { ErrorText } from "../../components/ErrorText";
import { LocaleSelect } from "../../components/LocaleSelect";

export function SignIn() {
  const { t } = useI18n();
  const [error, setError] = useState<AppError | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    const { error } = await supabase().auth.signInWithPassword({
      email: String(form.get("email")),
      password: String(form.get("password")),
    }).catch((e: unknown) => ({ error: e }));
    setBusy(false);
    if (error) setError(toAppError(error));
  }

  return (
    <main className="sign-in">
      <form className="card sign-in-form" onSubmit={submit} aria-labelledby="sign-in-title">
        <h1 id="sign-in-title">{t("app.name")}</h1>
        <p className="muted">{t("signIn.subtitle")}</p>
        <label>
          {t("signIn.email")}
          <input name="email" type="email" autoComplete="username" required autoFocus />
        </label>
        <label>
          {t("signIn.password")}
          <input name="password" type="password" autoComplete="current-password" required />
        </label>
        {error && <ErrorText error={error} />}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? t("signIn.busy") : t("signIn.submit")}
        </button>
        <LocaleSelect />
      </form>
    </main>
  );
}
