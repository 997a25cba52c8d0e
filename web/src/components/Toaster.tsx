// Toasts for what happens away from the agent's eyes (a transfer to them) and for commands that failed.
import * as Toast from "@radix-ui/react-toast";
import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from "react";
import { useI18n } from "../lib/i18n";

export interface ToastMessage {
  title: string;
  description?: string;
  tone?: "info" | "error";
}

type Notify = (message: ToastMessage) => void;
const ToastContext = createContext<Notify | null>(null);

export function Toaster({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  const [toasts, setToasts] = useState<(ToastMessage & { id: number })[]>([]);
  const notify = useCallback<Notify>((message) => {
    setToasts((shown) => [...shown.slice(-3), { ...message, id: Date.now() + Math.random() }]);
  }, []);
  const close = (id: number) => setToasts((shown) => shown.filter((s) => s.id !== id));
  const value = useMemo(() => notify, [notify]);
  return (
    <ToastContext.Provider value={value}>
      <Toast.Provider swipeDirection="right" duration={8000} label={t("toast.region")}>
        {children}
        {toasts.map((toast) => (
          <Toast.Root
            key={toast.id}
            className={`toast ${toast.tone ?? "info"}`}
            type={toast.tone === "error" ? "foreground" : "background"}
            onOpenChange={(open) => !open && close(toast.id)}
          >
            <Toast.Title className="toast-title">{toast.title}</Toast.Title>
            {toast.description && <Toast.Description className="toast-description">{toast.description}</Toast.Description>}
            <Toast.Close className="icon-button" aria-label={t("toast.close")}>×</Toast.Close>
          </Toast.Root>
        ))}
        <Toast.Viewport className="toast-viewport" label={t("toast.region")} />
      </Toast.Provider>
    </ToastContext.Provider>
  );
}

export function useToast(): Notify {
  const notify = useContext(ToastContext);
  if (!notify) throw new Error("useToast needs a Toaster");
  return notify;
}
