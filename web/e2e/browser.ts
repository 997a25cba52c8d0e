// Debian's Chromium through playwright-core (no browser download). Each agent signs in through the form once
// per run; later contexts reuse the saved session.
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
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

/** Opens a conversation from the given inbox tab by the contact's name. */
export async function openConversation(page: Page, tab: "Minhas" | "Não atribuídas" | "Todas", contact: string) {
  await page.getByRole("tab", { name: tab }).click();
  await page.getByRole("link", { name: new RegExp(contact) }).click();
  await page.getByRole("region", { name: `Conversa com ${contact}` }).waitFor();
}
