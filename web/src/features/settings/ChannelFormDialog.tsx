// "New channel": an Evolution API instance or a Cloud API number. The provider's secrets are typed once into
// password fields and never shown again; the answer carries what we generated (the Evolution webhook secret, a
// verify token) for the setup page to show this one time.
import * as Dialog from "@radix-ui/react-dialog";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useRef, useState } from "react";
import { describeError } from "../../components/ErrorText";
import { useI18n } from "../../lib/i18n";
import { useMe } from "../auth/me";
import { departmentsQuery } from "../team/queries";
import { createChannel } from "./commands";
import { FieldError, SelectField, TextField, useReportFailure } from "./Field";
import { type ChannelDraft, type ChannelField, channelFieldOf, channelRequest, emptyChannelDraft, validateChannel } from "./forms";
import type { CreatedChannel, Provider } from "./types";

export function ChannelFormDialog({ onClose, onCreated }: { onClose: () => void; onCreated: (created: CreatedChannel) => void }) {
  const { t } = useI18n();
  const me = useMe();
  const queryClient = useQueryClient();
  const report = useReportFailure();
  const { data: departments = [] } = useQuery(departmentsQuery(me.tenantId));
  const [draft, setDraft] = useState<ChannelDraft>(() => emptyChannelDraft());
  const [errors, setErrors] = useState<Partial<Record<ChannelField, string>>>({});
  const [formError, setFormError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const form = useRef<HTMLFormElement>(null);

  const set = (field: ChannelField) => (value: string) => {
    setDraft((d) => ({ ...d, [field]: value }));
    setErrors((e) => ({ ...e, [field]: undefined }));
  };
  const field = (name: Exclude<ChannelField, "provider" | "default_department_id">, extra: Record<string, unknown> = {}) => ({
    label: t(`channelForm.${name}`),
    value: draft[name],
    onChange: set(name),
    error: errors[name],
    name,
    ...extra,
  });
  const secret = { type: "password", autoComplete: "new-password", spellCheck: false };
  const focusFirstError = () => setTimeout(() => form.current?.querySelector<HTMLElement>("[aria-invalid=true]")?.focus());

  async function submit(event: FormEvent) {
    event.preventDefault();
    setFormError(undefined);
    const invalid = validateChannel(draft);
    if (Object.keys(invalid).length) {
      setErrors(Object.fromEntries(Object.entries(invalid).map(([f, key]) => [f, t(key)])));
      focusFirstError();
      return;
    }
    setBusy(true);
    try {
      onCreated(await createChannel(queryClient, me.tenantId, channelRequest(draft, me.tenantId)));
    } catch (e) {
      report(e, (error) => {
        const at = channelFieldOf(error.code, draft.provider);
        if (at) {
          setErrors((x) => ({ ...x, [at]: describeError(t, error) }));
          focusFirstError();
        } else setFormError(describeError(t, error));
      });
    } finally {
      setBusy(false);
    }
  }

  const chooseProvider = (provider: Provider) => {
    setDraft((d) => ({ ...d, provider }));
    setErrors({});
  };

  return (
    <Dialog.Root open onOpenChange={(open) => !open && onClose()}>
      <Dialog.Portal>
        <Dialog.Overlay className="dialog-overlay" />
        <Dialog.Content className="dialog wide">
          <Dialog.Title>{t("channelForm.title")}</Dialog.Title>
          <Dialog.Description className="muted">{t("channelForm.description")}</Dialog.Description>
          <form ref={form} onSubmit={submit} className="stack" noValidate>
            <fieldset className="segmented">
              <legend className="visually-hidden">{t("channelForm.provider")}</legend>
              {(["evolution", "cloud"] as const).map((p) => (
                <label key={p}>
                  <input type="radio" name="provider" checked={draft.provider === p} onChange={() => chooseProvider(p)} />
                  {t(`provider.${p}`)}
                </label>
              ))}
            </fieldset>
            <TextField {...field("name")} placeholder={t("channelForm.namePlaceholder")} autoFocus />
            {draft.provider === "evolution"
              ? (
                <>
                  <TextField {...field("instance_name")} hint={t("channelForm.instanceHint")} spellCheck={false} />
                  <TextField {...field("base_url")} type="url" placeholder="https://evolution.example.com" spellCheck={false} />
                  <TextField {...field("api_key", secret)} hint={t("channelForm.writeOnly")} />
                </>
              )
              : (
                <>
                  <div className="field-row">
                    <TextField {...field("phone_number_id")} inputMode="numeric" />
                    <TextField {...field("waba_id")} inputMode="numeric" />
                  </div>
                  <TextField {...field("access_token", secret)} hint={t("channelForm.writeOnly")} />
                  <TextField {...field("app_secret", secret)} hint={t("channelForm.appSecretHint")} />
                  <TextField {...field("verify_token", secret)} hint={t("channelForm.verifyTokenHint")} />
                  <TextField {...field("graph_url")} type="url" hint={t("channelForm.graphUrlHint")} spellCheck={false} />
                </>
              )}
            <SelectField
              label={t("channelForm.default_department_id")}
              value={draft.default_department_id}
              onChange={set("default_department_id")}
              error={errors.default_department_id}
            >
              <option value="">{t("channelForm.noDepartment")}</option>
              {departments.map((d) => <option key={d.id} value={d.id}>{d.name}</option>)}
            </SelectField>
            <FieldError error={formError} />
            <div className="dialog-actions">
              <Dialog.Close type="button" className="secondary">{t("common.cancel")}</Dialog.Close>
              <button type="submit" className="primary" disabled={busy}>{busy ? t("channelForm.creating") : t("channelForm.submit")}</button>
            </div>
          </form>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
