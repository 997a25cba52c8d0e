import { useState } from "react";
import { useI18n } from "../lib/i18n";

/** Asks for desktop notifications (browsers only allow asking from a click). Hidden once answered. */
export function NotificationsButton() {
  const { t } = useI18n();
  const supported = typeof Notification !== "undefined";
  const [permission, setPermission] = useState(supported ? Notification.permission : "denied");
  if (!supported || permission !== "default") return null;
  return (
    <button type="button" className="secondary small" onClick={() => void Notification.requestPermission().then(setPermission)}>
      {t("notice.enable")}
    </button>
  );
}
