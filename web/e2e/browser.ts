// Debian's Chromium through playwright-core (no browser download). Each agent signs in through the form once
// per run; later contexts reuse the saved session.
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll } from "vitest";
import { launchFlags } from "./chromium-flags";
import { agents, chromiumPath, password, webUrl } from "./env";

export function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, args: launchFlags });
}

type Agent = keyof typeof agents;

/** Pages opened by the running test, photographed if it fails (web/test-results/). */
export const openPages: { name: string; page: Page }[] = [];
type StorageState = Awaited<ReturnType<BrowserContext["storageState"]>>;
const sessions = new Map<Agent, StorageState>();

export async function signIn(page: Page, agent: Agent) {
  await page.goto(webUrl);
  await page.getByLabel("E-mail").fill(agents[agent].email);
  await page.getByLabel("Senha").fill(password);
  await page.getByRole("button", { name: "Entrar" }).click();
  await page.getByRole("status", { name: "Conexão" }).getByText("Conectado").waitFor({ timeout: 20_000 });
}

/** A browser context where the agent is signed in, with the console open and connected. */
export async function agentPage(browser: Browser, agent: Agent): Promise<{ context: BrowserContext; page: Page }> {
  const saved = sessions.get(agent);
  const context = await browser.newContext({
    locale: "pt-BR",
    viewport: { width: 1280, height: 800 },
    ...(saved ? { storageState: saved } : {}),
  });
  const page = await context.newPage();
  openPages.push({ name: agent, page });
  if (saved) {
    await page.goto(webUrl);
    await page.getByRole("status", { name: "Conexão" }).getByText("Conectado").waitFor({ timeout: 20_000 });
  } else {
    await signIn(page, agent);
    sessions.set(agent, await context.storageState());
  }
  return { context, page };
}

/**
 * After each test: a failed one leaves a screenshot of every page it opened (web/test-results/); then every
 * context is closed, or its people would stay online for the next test.
 */
async function closeOpenPages(task: { name: string; result?: { state?: string } }) {
  if (task.result?.state === "fail") {
    const slug = task.name.replace(/[^a-z0-9]+/gi, "-").slice(0, 60);
    for (const { name, page } of openPages) {
      if (!page.isClosed()) await page.screenshot({ path: `test-results/${slug}-${name}.png` }).catch(() => undefined);
    }
  }
  await Promise.all(openPages.map(({ page }) => page.context().close().catch(() => undefined)));
  openPages.length = 0;
}

/** Opens a conversation from the given inbox tab by the contact's name. */
export async function openConversation(page: Page, tab: "Minhas" | "Não atribuídas" | "Todas", contact: string) {
  await page.getByRole("tab", { name: tab }).click();
  await page.getByRole("link", { name: new RegExp(contact) }).click();
  await page.getByRole("region", { name: `Conversa com ${contact}` }).waitFor();
}

/** A picture of the whole page for web/test-results/, the scrolling main area stretched to fit. */
export async function photograph(page: Page, file: string) {
  const viewport = page.viewportSize();
  const height = await page.evaluate(() => {
    const main = document.querySelector("main");
    return (main ? main.scrollHeight + main.getBoundingClientRect().top : document.body.scrollHeight) + 16;
  });
  if (viewport) await page.setViewportSize({ width: viewport.width, height: Math.max(viewport.height, Math.ceil(height)) });
  await page.screenshot({ path: `test-results/${file}` });
  if (viewport) await page.setViewportSize(viewport);
}

/** A spec's Chromium: launched once for the file, closed after it; after each test its pages are closed. */
export function specBrowser(): () => Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });
  afterEach(({ task }) => closeOpenPages(task));
  return () => {
    if (!browser) throw new Error("Chromium is not running: specBrowser() hooks have not run");
    return browser;
  };
}
