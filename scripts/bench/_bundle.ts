// The console's JavaScript as a browser first loads it: the entry script and modulepreloads that web/dist/index.html
// names (the initial route), each gzipped as a server would send it, apart from the chunks loaded later (lazy
// pages). Sizes in kB of 1,000 bytes, as Vite reports them.
import { gzipSync } from "node:zlib";
import { repoRoot } from "../local/config.ts";
import { join } from "../local/path.ts";

export interface Asset {
  file: string;
  bytes: number;
  gzipped: number;
}

export interface Bundle {
  initial: Asset[];
  lazy: Asset[];
  /** The initial route's stylesheets, shown for completeness. */
  css: Asset[];
}

export const kB = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`;
export const totalGzipped = (assets: Asset[]) => assets.reduce((n, a) => n + a.gzipped, 0);

const tags = (html: string, name: string) => html.match(new RegExp(`<${name}\\b[^>]*>`, "gi")) ?? [];
const attr = (tag: string, name: string) => tag.match(new RegExp(`\\b${name}="([^"]*)"`, "i"))?.[1];

async function asset(dist: string, file: string): Promise<Asset> {
  const body = await Deno.readFile(join(dist, file));
  return { file, bytes: body.length, gzipped: gzipSync(body, { level: 9 }).length };
}

export async function consoleBundle(): Promise<Bundle> {
  const dist = join(repoRoot, "web", "dist");
  const html = await Deno.readTextFile(join(dist, "index.html"));
  const local = (url: string | undefined): url is string => !!url && !/^[a-z]+:/i.test(url);
  const entry = tags(html, "script").filter((t) => attr(t, "type") === "module").map((t) => attr(t, "src"));
  const links = tags(html, "link");
  const preloads = links.filter((t) => attr(t, "rel") === "modulepreload").map((t) => attr(t, "href"));
  const styles = links.filter((t) => attr(t, "rel") === "stylesheet").map((t) => attr(t, "href"));
  const initial = [...new Set([...entry, ...preloads].filter(local).map((u) => u.replace(/^\//, "")))];
  const lazy: string[] = [];
  for await (const e of Deno.readDir(join(dist, "assets"))) {
    const file = `assets/${e.name}`;
    if (e.isFile && e.name.endsWith(".js") && !initial.includes(file)) lazy.push(file);
  }
  const read = (files: string[]) => Promise.all(files.sort().map((f) => asset(dist, f)));
  return {
    initial: await read(initial),
    lazy: await read(lazy),
    css: await read(styles.filter(local).map((u) => u.replace(/^\//, ""))),
  };
}
