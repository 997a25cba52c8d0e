// "Ana está digitando…": what a console sends while its agent types, and which indicators it shows. A sender
// starts on the first keystroke, repeats itself while typing goes on (so receivers' 10 s expiry never cuts a
// long message short), and stops after 3 s without a keystroke or on send. A receiver drops an indicator 10 s
// after it last heard from that agent, even if the stop never came (a closed tab, a lost connection).
export const TYPING_IDLE_MS = 3_000;
export const TYPING_EXPIRY_MS = 10_000;
export const TYPING_REPEAT_MS = 4_000;

export interface TypingSignal {
  user_id: string;
  name: string;
  typing: boolean;
}

/** user_id → who and when they were last heard typing. */
export type TypingIndicators = Record<string, { name: string; at: number }>;

export function receiveTyping(shown: TypingIndicators, signal: TypingSignal, now: number): TypingIndicators {
  const others = Object.fromEntries(Object.entries(shown).filter(([userId]) => userId !== signal.user_id));
  return signal.typing ? { ...others, [signal.user_id]: { name: signal.name, at: now } } : others;
}

export function activeTypers(shown: TypingIndicators, now: number, me: string): string[] {
  return Object.entries(shown)
    .filter(([userId, t]) => userId !== me && now - t.at < TYPING_EXPIRY_MS)
    .map(([, t]) => t.name)
    .sort();
}

export interface TypingSender {
  /** When this agent last announced typing, or null when it is not typing. */
  announcedAt: number | null;
  lastKeyAt: number;
}

export const idleSender: TypingSender = { announcedAt: null, lastKeyAt: 0 };

/** A keystroke: announce on the first, and again each TYPING_REPEAT_MS while typing goes on. */
export function onKeystroke(s: TypingSender, now: number): { sender: TypingSender; send?: boolean } {
  if (s.announcedAt === null || now - s.announcedAt >= TYPING_REPEAT_MS) {
    return { sender: { announcedAt: now, lastKeyAt: now }, send: true };
  }
  return { sender: { ...s, lastKeyAt: now } };
}

/** A clock tick: stop after TYPING_IDLE_MS without a keystroke. */
export function onTick(s: TypingSender, now: number): { sender: TypingSender; send?: boolean } {
  if (s.announcedAt !== null && now - s.lastKeyAt >= TYPING_IDLE_MS) return { sender: idleSender, send: false };
  return { sender: s };
}

/** Sending the message ends typing at once. */
export function onSend(s: TypingSender): { sender: TypingSender; send?: boolean } {
  return s.announcedAt === null ? { sender: s } : { sender: idleSender, send: false };
}
