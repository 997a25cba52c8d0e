// Tiny path helpers: Deno code may import npm: specifiers only, so no std/path.
export function join(...parts: string[]): string {
  const joined = parts.filter((p) => p !== "").join("/").replace(/\/+/g, "/");
  const out: string[] = [];
  for (const seg of joined.split("/")) {
    if (seg === "..") out.pop();
    else if (seg !== ".") out.push(seg);
  }
  const path = out.join("/");
  return path.length > 1 ? path.replace(/\/$/, "") : path || "/";
}

export function fromFileUrl(url: URL): string {
  return decodeURIComponent(url.pathname);
}
