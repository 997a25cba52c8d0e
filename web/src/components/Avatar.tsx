import { initials } from "../lib/format";

/** Initials in a circle, with an optional presence dot. */
export function Avatar(
  { name, status, size = "md" }: { name: string; status?: "online" | "away" | "busy" | "offline"; size?: "sm" | "md" },
) {
  const hue = [...name].reduce((h, ch) => (h * 31 + ch.charCodeAt(0)) % 360, 7);
  return (
    <span className={`avatar ${size}`} style={{ backgroundColor: `hsl(${hue} 45% 42%)` }} aria-hidden="true">
      {initials(name)}
      {status && <span className={`presence-dot ${status}`} />}
    </span>
  );
}
