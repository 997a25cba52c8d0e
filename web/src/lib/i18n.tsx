// A tiny i18n layer: typed keys, {placeholders}, pt-BR first, English available; the choice is remembered.
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from "react";
import { en } from "./locales/en";
import { ptBR } from "./locales/pt-BR";

export type MessageKey = keyof typeof ptBR;
export type Locale = "pt-BR" | "en";
export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

const dictionaries: Record<Locale, Record<MessageKey, string>> = { "pt-BR": ptBR, en };
export const locales: Locale[] = ["pt-BR", "en"];
const storageKey = "atende.locale";

export function translate(locale: Locale, key: MessageKey, params?: Record<string, string | number>): string {
  const text = dictionaries[locale][key] ?? ptBR[key] ?? key;
  return params ? text.replace(/\{(\w+)\}/g, (all, name: string) => String(params[name] ?? all)) : text;
}

/** Whether a string names a translation (error codes from the server are looked up this way). */
export function isMessageKey(key: string): key is MessageKey {
  return key in ptBR;
}

interface I18n {
  locale: Locale;
  setLocale: (locale: Locale) => void;
  t: Translate;
}

const I18nContext = createContext<I18n | null>(null);

function initialLocale(): Locale {
  const saved = localStorage.getItem(storageKey);
  return saved === "en" || saved === "pt-BR" ? saved : "pt-BR";
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(initialLocale);
  const setLocale = useCallback((next: Locale) => {
    localStorage.setItem(storageKey, next);
    setLocaleState(next);
  }, []);
  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);
  const value = useMemo<I18n>(() => ({ locale, setLocale, t: (key, params) => translate(locale, key, params) }), [
    locale,
    setLocale,
  ]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const i18n = useContext(I18nContext);
  if (!i18n) throw new Error("useI18n needs an I18nProvider");
  return i18n;
}
