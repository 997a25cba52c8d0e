// The managers' monitoring in Chromium against the running product: Carla (manager) watches the cards while the
// simulator's load generator writes and the provider refuses an agent's reply until it becomes a dead letter;
// she retries it and sees it clear. Agents get a "not allowed" page at the same addresses, and no data.
import type { Locator, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { agentPage, openConversation, photograph, specBrowser } from "./browser";
import { conversationOf, customerWrites, injectFault, rest, uniquePhone } from "./customer";
import { evolutionInstance, simulatorUrl, webUrl } from "./env";
import { eventually } from "./wait";

// The load generator is the simulator's own (Deno code whose CLI reads Deno.args); its runLoad only needs fetch.
// Imported by a computed URL so the browser app's type check does not walk into the Deno module.
type RunLoad = (options: {
  simulatorUrl: string;
  channels: string[];
  customers: number;
  rate: number;
  seconds: number;
  phonePrefix?: string;
}) => Promise<{ sent: number; failed: number; errors: unknown[] }>;
const loadGenerator = new URL("../../scripts/simulator/load.ts", import.meta.url).href;
const runLoad = async (...args: Parameters<RunLoad>) =>
  ((await import(/* @vite-ignore */ loadGenerator)) as { runLoad: RunLoad }).runLoad(...args);

const browser = specBrowser();

/** Quick retries for one test, so a refused send runs out of its attempts in a second or two. */
async function withQuickRetries(fn: () => Promise<void>) {
  const settings = (values: Record<string, unknown>) =>
    rest("rpc/e2e_queue_settings", { method: "POST", body: JSON.stringify({ settings: values }) });
  const saved = await settings({ backoff_base: "50 ms", backoff_cap: "200 ms", max_attempts: 3 });
  try {
    await fn();
  } finally {
    await settings(saved);
  }
}

const nav = (page: Page) => page.getByRole("navigation", { name: "Visões" });
const card = (page: Page, title: string) => page.getByRole("article", { name: title });
const thread = (page: Page) => page.getByRole("log", { name: "Mensagens" });

/** A card's figure as the manager reads it ("1.234", "3,6%", "16/min"). */
async function figure(locator: Locator): Promise<number> {
  const text = await locator.locator(".metric-value").innerText();
  return Number(text.replace(/[^\d,]/g, "").replace(",", ".") || "0");
}

/** A customer writes in; Ana takes the conversation and replies while the provider refuses her sends. */
async function replyThatFails(ana: Page, text: string) {
  const phone = uniquePhone();
  const name = `Cliente ${phone.slice(-6)}`;
  await customerWrites(phone, "Oi, vocês entregam hoje?", name);
  await conversationOf(phone);
  await injectFault({ kind: "server_error", count: 3, to: phone });
  await openConversation(ana, "Não atribuídas", name);
  await ana.getByRole("button", { name: "Assumir" }).click();
  await ana.getByText("Atribuída a Ana").waitFor();
  await ana.getByRole("textbox", { name: "Mensagem" }).fill(text);
  await ana.getByRole("textbox", { name: "Mensagem" }).press("Enter");
  const bubble = thread(ana).getByRole("article").filter({ hasText: text });
  await bubble.getByRole("img", { name: "Falhou" }).waitFor({ timeout: 20_000 });
  return bubble;
}

/**
 * Opens the newest dead letter's details and answers its id, once the drawer shows `text` as its message (the
 * dead letter is stored a moment after the message turns failed, so an older one may still be on top at first).
 */
function openNewestDeadLetter(page: Page, text: string): Promise<{ id: string; drawer: Locator }> {
  const table = page.getByRole("table", { name: "Lista de falhas" });
  const drawer = page.getByRole("dialog", { name: /^Falha \d+$/ });
  return eventually(async () => {
    await table.getByRole("button", { name: /^Falha \d+$/ }).first().click();
    const ours = await drawer.getByText(text).waitFor({ timeout: 3_000 }).then(() => true, () => false);
    if (!ours) {
      await drawer.getByRole("button", { name: "Fechar" }).click();
      return null;
    }
    const id = (await drawer.getByRole("heading", { level: 2 }).innerText()).replace(/\D/g, "");
    return { id, drawer };
  }, `the newest dead letter is the reply "${text}"`);
}

const deadLetterButton = (page: Page, id: string) => page.getByRole("button", { name: `Falha ${id}`, exact: true });

describe("the managers' monitoring", () => {
  it("a manager sees the cards move under load and a failing provider, retries the dead letter and sees it clear", async () => {
    await withQuickRetries(async () => {
      const carla = await agentPage(browser(), "carla");
      await nav(carla.page).getByRole("link", { name: "Monitoramento" }).click();
      const processed = card(carla.page, "Processadas por minuto");
      const deadLetters = card(carla.page, "Falhas definitivas");
      await processed.locator(".metric-value").waitFor({ timeout: 15_000 });
      const rateBefore = await figure(processed);
      const deadBefore = await figure(deadLetters);

      const ana = await agentPage(browser(), "ana");
      await carla.page.getByRole("list", { name: "Agentes online agora" }).getByRole("listitem", { name: "Ana: Online" })
        .waitFor({ timeout: 15_000 });

      const load = runLoad({
        simulatorUrl,
        channels: [evolutionInstance],
        customers: 4,
        rate: 2,
        seconds: 6,
        phonePrefix: `55119${String(Date.now()).slice(-4)}`,
      });
      const text = `Confirmo a entrega ${uniquePhone().slice(-4)}`;
      const failedBubble = await replyThatFails(ana.page, text);
      await eventually(async () => (await figure(processed)) > rateBefore, "the processing rate rises while the load runs");
      const summary = await load;
      expect(summary.failed, JSON.stringify(summary.errors.slice(0, 3))).toBe(0);

      await eventually(async () => (await figure(deadLetters)) > deadBefore, "the dead-letter card counts the refused reply");
      const deadAtPeak = await figure(deadLetters);
      await deadLetters.getByText(/Atenção|Crítico/).waitFor();
      await eventually(async () => (await figure(card(carla.page, "Erros (5 min)"))) > 0, "the 5-minute error rate shows the failures");
      await photograph(carla.page, "monitoring.png");

      await nav(carla.page).getByRole("link", { name: "Falhas" }).click();
      const { id, drawer } = await openNewestDeadLetter(carla.page, text);
      await drawer.getByText("Tentativa 3").waitFor();
      await drawer.getByText("Situação da mensagem: Falhou").waitFor();
      await drawer.getByRole("link", { name: "Abrir a conversa" }).waitFor();
      await photograph(carla.page, "dead-letter-details.png");
      await drawer.getByRole("button", { name: "Fechar" }).click();
      await photograph(carla.page, "dead-letters.png");

      await carla.page.getByRole("checkbox", { name: `Selecionar a falha ${id}`, exact: true }).check();
      await carla.page.getByRole("button", { name: "Reenviar selecionadas" }).click();
      await carla.page.getByRole("region", { name: /Avisos/ }).getByText("1 reenviadas para a fila").waitFor({ timeout: 10_000 });
      await deadLetterButton(carla.page, id).waitFor({ state: "detached", timeout: 15_000 });

      // the retried reply goes out once the fault is spent, and Ana's console shows it
      await failedBubble.getByRole("img", { name: /Entregue|Lida/ }).waitFor({ timeout: 20_000 });
      await nav(carla.page).getByRole("link", { name: "Monitoramento" }).click();
      await eventually(async () => (await figure(deadLetters)) < deadAtPeak, "the dead-letter card counts one fewer");
    });
  });

  it("discarding a dead letter asks for a reason and keeps it, with the reason, under Descartadas", async () => {
    await withQuickRetries(async () => {
      const ana = await agentPage(browser(), "ana");
      const carla = await agentPage(browser(), "carla");
      await carla.page.goto(`${webUrl}/#/dead-letters`);
      const text = `Posso ajudar em algo mais ${uniquePhone().slice(-4)}`;
      await replyThatFails(ana.page, text);

      const { id, drawer } = await openNewestDeadLetter(carla.page, text);
      await drawer.getByRole("button", { name: "Descartar" }).click();
      const dialog = carla.page.getByRole("dialog", { name: "Descartar 1 falhas" });
      await expect(dialog.getByRole("button", { name: "Descartar" }).isDisabled()).resolves.toBe(true);
      await dialog.getByLabel("Motivo").fill("Cliente já foi atendido por telefone");
      await dialog.getByRole("button", { name: "Descartar" }).click();
      await deadLetterButton(carla.page, id).waitFor({ state: "detached", timeout: 15_000 });

      const filters = carla.page.getByRole("search", { name: "Filtrar falhas" });
      await filters.getByLabel("Situação").selectOption({ label: "Descartadas" });
      const row = carla.page.getByRole("row").filter({ has: deadLetterButton(carla.page, id) });
      await row.getByText("Cliente já foi atendido por telefone").waitFor({ timeout: 15_000 });
      await filters.getByLabel("Erro contém").fill("nenhum erro diz isto");
      await carla.page.getByText("Nenhuma falha aqui.").waitFor({ timeout: 10_000 });
      await filters.getByLabel("Erro contém").fill("evolution_500");
      await row.waitFor({ timeout: 10_000 });
    });
  });

  it("an agent has no monitoring in the menu, and its addresses say not allowed without loading any figure", async () => {
    const ana = await agentPage(browser(), "ana");
    const opsCalls: string[] = [];
    ana.page.on("request", (request) => {
      if (request.url().includes("/functions/v1/ops/")) opsCalls.push(request.url());
    });
    await nav(ana.page).getByRole("link", { name: "Caixa de entrada" }).waitFor();
    expect(await nav(ana.page).getByRole("link", { name: "Monitoramento" }).count()).toBe(0);
    expect(await nav(ana.page).getByRole("link", { name: "Falhas" }).count()).toBe(0);

    for (const address of ["#/monitoring", "#/dead-letters"]) {
      await ana.page.goto(`${webUrl}/${address}`);
      await ana.page.getByRole("heading", { name: "Acesso não permitido" }).waitFor();
      expect(await ana.page.getByRole("article", { name: "Falhas definitivas" }).count()).toBe(0);
      expect(await ana.page.getByRole("table").count()).toBe(0);
    }
    expect(opsCalls).toEqual([]);
  });
});
