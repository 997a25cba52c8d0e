// Personal notices: a conversation assigned or transferred to this agent by someone else shows a toast and,
// where the agent allowed it, a desktop notification with a short sound.
import { type QueryClient, useQueryClient } from "@tanstack/react-query";
import { useCallback, useRef } from "react";
import { type ToastMessage, useToast } from "../../components/Toaster";
import { contactName } from "../../lib/format";
import { useI18n } from "../../lib/i18n";
import { routeHref } from "../../lib/router";
import type { ChangeEvent, Conversation } from "../../lib/types";
import { isOwnRecentAction } from "../conversation/commands";
import { conversationQuery } from "../conversation/queries";

let audio: AudioContext | undefined;

/** Two short tones; no sound file to ship. Browsers allow it once the agent has interacted with the page. */
function chime() {
  try {
    audio ??= new AudioContext();
    const now = audio.currentTime;
    [880, 1320].forEach((frequency, i) => {
      const osc = audio!.createOscillator();
      const gain = audio!.createGain();
      osc.frequency.value = frequency;
      gain.gain.setValueAtTime(0.12, now + i * 0.15);
      gain.gain.exponentialRampToValueAtTime(0.001, now + i * 0.15 + 0.14);
      osc.connect(gain).connect(audio!.destination);
      osc.start(now + i * 0.15);
      osc.stop(now + i * 0.15 + 0.15);
    });
  } catch {
    // no audio device: the toast and the notification still say it
  }
}

function desktop(message: ToastMessage, conversationId: string) {
  if (typeof Notification === "undefined" || Notification.permission !== "granted") return;
  const n = new Notification(message.title, { body: message.description, tag: `conversation-${conversationId}` });
  n.onclick = () => {
    window.focus();
    window.location.hash = routeHref({ view: "inbox", conversationId });
  };
  chime();
}

async function conversationFor(queryClient: QueryClient, id: string): Promise<Conversation | null> {
  return queryClient.fetchQuery(conversationQuery(id)).catch(() => null);
}

export function useNotices(me: string) {
  const { t } = useI18n();
  const notify = useToast();
  const queryClient = useQueryClient();
  const seen = useRef(new Set<number>());
  return useCallback((event: ChangeEvent) => {
    if (event.type !== "conversation.assigned" && event.type !== "conversation.transferred") return;
    const id = event.conversation_id;
    if (!id || event.record.assignee_id !== me || isOwnRecentAction(id) || seen.current.has(event.event_id)) return;
    seen.current.add(event.event_id);
    void conversationFor(queryClient, id).then((conversation) => {
      const message: ToastMessage = {
        title: t(event.type === "conversation.transferred" ? "notice.transferred" : "notice.assigned"),
        description: t("notice.conversationWith", { name: contactName(conversation?.contact) }),
      };
      notify(message);
      desktop(message, id);
    });
  }, [me, notify, queryClient, t]);
}
