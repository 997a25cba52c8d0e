// A value an integrator pastes elsewhere, with its own copy button ("Copy webhook URL"). Long values (JSON, curl)
// show as a block. The clipboard API needs a secure context (https or localhost); where it fails, the value is
// selected so Ctrl+C still works.
import { useEffect, useRef, useState } from "react";
import { useI18n } from "../../lib/i18n";

export function CopyButton({ label, value, onFailed }: { label: string; value: string; onFailed?: () => void }) {
  const { t } = useI18n();
  const [copied, setCopied] = useState<"yes" | "no" | null>(null);
  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(null), 2_000);
    return () => clearTimeout(timer);
  }, [copied]);

  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      setCopied("yes");
    } catch {
      setCopied("no");
      onFailed?.();
    }
  }

  return (
    <button type="button" className="secondary small" onClick={copy} aria-label={t("copy.label", { label })}>
      <span aria-live="polite">{copied === "yes" ? t("copy.done") : copied === "no" ? t("copy.failed") : t("copy.button")}</span>
    </button>
  );
}

export function CopyField({ label, value, block = false, note }: { label: string; value: string; block?: boolean; note?: string }) {
  const node = useRef<HTMLElement | null>(null);
  const keep = (el: HTMLElement | null) => {
    node.current = el;
  };
  const selectAll = () => {
    if (node.current) window.getSelection()?.selectAllChildren(node.current);
  };
  return (
    <div className="copy-field" role="group" aria-label={label}>
      <div className="copy-field-head">
        <span className="copy-field-label">{label}</span>
        <CopyButton label={label} value={value} onFailed={selectAll} />
      </div>
      {block ? <pre className="copy-value block" ref={keep}>{value}</pre> : <code className="copy-value" ref={keep}>{value}</code>}
      {note && <p className="muted small">{note}</p>}
    </div>
  );
}
