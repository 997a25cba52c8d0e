// Names, numbers and times as the agent reads them.
import type { Contact } from "./types";
import type { Locale } from "./i18n";

// Building an Intl formatter costs far more than using one, and lists format a time per row per frame.
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(locale: Locale, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let f = formatters.get(key);
  if (!f) formatters.set(key, (f = new Intl.DateTimeFormat(locale, options)));
  return f;
}

export function formatPhone(phone: string): string {
  const br = /^55(\d{2})(\d{4,5})(\d{4})$/.exec(phone);
  return br ? `+55 ${br[1]} ${br[2]}-${br[3]}` : `+${phone}`;
}

export function contactName(contact: Contact | null | undefined): string {
  if (!contact) return "…";
  return contact.name ?? contact.push_name ?? (contact.phone ? formatPhone(contact.phone) : contact.group_jid ?? "—");
}

export function initials(name: string): string {
  const words = name.replace(/[^\p{L}\p{N} ]/gu, "").trim().split(/\s+/).filter(Boolean);
  if (!words.length) return "?";
  return (words[0][0] + (words.length > 1 ? words[words.length - 1][0] : "")).toUpperCase();
}

export function formatTime(instant: string | number, locale: Locale): string {
  return formatter(locale, { hour: "2-digit", minute: "2-digit" }).format(new Date(instant));
}

/** A list row's time: the hour today, the weekday this week, the date before that. */
export function formatListTime(instant: string, locale: Locale, now = Date.now()): string {
  const date = new Date(instant);
  const age = now - date.getTime();
  if (new Date(now).toDateString() === date.toDateString()) return formatTime(instant, locale);
  if (age < 6 * 86_400_000) return formatter(locale, { weekday: "short" }).format(date);
  return formatter(locale, { day: "2-digit", month: "2-digit", year: "2-digit" }).format(date);
}

/** A day heading: "YYYY-MM-DD" → a long local date (the caller says "today"/"yesterday" itself). */
export function formatDay(day: string, locale: Locale): string {
  const [y, m, d] = day.split("-").map(Number);
  return formatter(locale, { weekday: "long", day: "numeric", month: "long", year: "numeric" }).format(new Date(y, m - 1, d));
}

export function formatDateTime(instant: string, locale: Locale): string {
  return formatter(locale, { dateStyle: "short", timeStyle: "medium" }).format(new Date(instant));
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
}
