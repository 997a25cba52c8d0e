import { type Locale, locales, useI18n } from "../lib/i18n";

export function LocaleSelect() {
  const { t, locale, setLocale } = useI18n();
  return (
    <label className="inline-label">
      <span className="visually-hidden">{t("locale.label")}</span>
      <select value={locale} onChange={(e) => setLocale(e.target.value as Locale)} aria-label={t("locale.label")}>
        {locales.map((l) => (
          <option key={l} value={l}>
            {t(`locale.${l}`)}
          </option>
        ))}
      </select>
    </label>
  );
}
