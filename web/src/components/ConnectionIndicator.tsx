import { useI18n } from "../lib/i18n";
import { useConnection } from "../realtime/connection";

export function ConnectionIndicator() {
  const { t } = useI18n();
  const connection = useConnection();
  return (
    <p className={`connection ${connection}`} role="status" aria-label={t("connection.label")}>
      <span className="connection-dot" aria-hidden="true" />
      {t(`connection.${connection}`)}
    </p>
  );
}
