// While a conversation is open its topic is joined: message broadcasts reach the cache, and typing signals
// come and go. Returns who else is typing and the two calls the reply box makes.
import { useCallback, useEffect, useRef, useState } from "react";
import { useSyncEngine } from "../../realtime/RealtimeProvider";
import type { ThreadHandle } from "../../realtime/sync";
import {
  activeTypers,
  idleSender,
  onKeystroke,
  onSend,
  onTick,
  receiveTyping,
  type TypingIndicators,
  type TypingSender,
} from "../../sync/typing";

export function useConversationTopic(conversationId: string, me: { userId: string; name: string }) {
  const engine = useSyncEngine();
  const [shown, setShown] = useState<TypingIndicators>({});
  const [now, setNow] = useState(() => Date.now());
  const handle = useRef<ThreadHandle | null>(null);
  const sender = useRef<TypingSender>(idleSender);

  const signal = useCallback((typing: boolean) => {
    handle.current?.sendTyping({ user_id: me.userId, name: me.name, typing });
  }, [me.userId, me.name]);

  useEffect(() => {
    const joined = engine.joinConversation(conversationId, (s) => setShown((current) => receiveTyping(current, s, Date.now())));
    handle.current = joined;
    return () => {
      if (sender.current.announcedAt !== null) signal(false);
      sender.current = idleSender;
      handle.current = null;
      joined.leave();
    };
  }, [engine, conversationId, signal]);

  // one clock drives both the 3 s stop of our typing and the 10 s expiry of others'
  useEffect(() => {
    const timer = setInterval(() => {
      const at = Date.now();
      setNow(at);
      const step = onTick(sender.current, at);
      sender.current = step.sender;
      if (step.send === false) signal(false);
    }, 1000);
    return () => clearInterval(timer);
  }, [signal]);

  const keystroke = useCallback(() => {
    const step = onKeystroke(sender.current, Date.now());
    sender.current = step.sender;
    if (step.send) signal(true);
  }, [signal]);

  const sent = useCallback(() => {
    const step = onSend(sender.current);
    sender.current = step.sender;
    if (step.send === false) signal(false);
  }, [signal]);

  return { typers: activeTypers(shown, now, me.userId), keystroke, sent };
}
