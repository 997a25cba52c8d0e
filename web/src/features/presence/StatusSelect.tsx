import { useI18n } from "../../lib/i18n";
import type { PresenceStatus } from "../../sync/presence";
import { usePresence } from "./PresenceProvider";

export function StatusSelect() {
  const { t } = useI18n();
  const { myStatus, setMyStatus } = usePresence();
  return (
    <label className="inline-label">
      <span className={`presence-dot ${myStatus}`} aria-hidden="true" />
      <select
        aria-label={t("presence.myStatus")}
        value={myStatus}
        onChange={(e) => setMyStatus(e.target.value as PresenceStatus)}
      >
        {(["online", "away", "busy"] as const).map((s) => (
          <option key={s} value={s}>
            {t(`presence.${s}`)}
          </option>
        ))}
      </select>
    </label>
  );
}
