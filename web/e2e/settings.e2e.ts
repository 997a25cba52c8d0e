// The admins' pages in Chromium against the running product. Dora (admin) connects an Evolution number the way an
// integrator does: creates the channel, copies its webhook URL and `POST /webhook/set` body from the page (the
// clipboard, read back), sends that body to the WhatsApp simulator playing Evolution API, then sends a test event
// and watches it arrive. She rotates the webhook secret with a grace period and adds a manager. Ana (agent) has
// no way in. Each page is photographed into web/test-results/ on every run.
import type { BrowserContext, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { agentPage, openPages, photograph, specBrowser } from "./browser";
import { apiUrl, simulatorUrl, webUrl } from "./env";
import { eventually } from "./wait";

const browser = specBrowser();

const unique = () => `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;

async function adminPage() {
  const dora = await agentPage(browser(), "dora");
  await dora.context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: webUrl });
  return dora;
}

/** Clicks a value's copy button and reads the clipboard back. */
async function copied(page: Page, label: string): Promise<string> {
  await page.evaluate(() => navigator.clipboard.writeText(""));
  const button = page.getByRole("button", { name: `Copiar ${label}`, exact: true });
  await button.click();
  await button.getByText("Copiado").waitFor({ timeout: 5_000 });
  return page.evaluate(() => navigator.clipboard.readText());
}

async function simulator(path: string, init: { body: unknown; headers?: Record<string, string> }) {
  const response = await fetch(`${simulatorUrl}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...init.headers },
    body: JSON.stringify(init.body),
  });
  if (!response.ok) throw new Error(`simulator POST ${path} answered ${response.status}: ${await response.text()}`);
}

/** The webhook secret as the Evolution setup shows it: in clear right after it is generated. */
async function headerSecret(page: Page): Promise<string> {
  return await page.getByRole("group", { name: "Valor do cabeçalho (segredo do webhook)" }).locator("code").textContent() ?? "";
}

interface Connected {
  id: string;
  instance: string;
  name: string;
  secret: string;
}

/**
 * Dora creates an Evolution channel on the Channels page (after the empty form is refused inline); Evolution's
 * admin has the instance with this API key; the integrator sends the page's copied `POST /webhook/set` body to it.
 */
async function connectEvolution(page: Page): Promise<Connected> {
  const instance = `loja-${unique()}`;
  const apiKey = `evolution-key-${unique()}`;
  const name = `Loja ${instance.slice(5)}`;
  await page.getByRole("navigation", { name: "Visões" }).getByRole("link", { name: "Canais" }).click();
  await page.getByRole("heading", { name: "Canais", level: 1 }).waitFor();
  await page.getByRole("button", { name: "Novo canal" }).click();
  const dialog = page.getByRole("dialog", { name: "Novo canal" });
  await dialog.getByRole("button", { name: "Criar canal" }).click();
  await eventually(async () => (await dialog.getByText("Preencha este campo.").count()) === 4, "the empty form is refused inline");
  await dialog.getByLabel("Nome do canal").fill(name);
  await dialog.getByLabel("Nome da instância").fill(instance);
  await dialog.getByLabel("Endereço da Evolution API").fill("evolution sem http");
  await dialog.getByLabel("Chave de API (apikey)").fill(apiKey);
  await dialog.getByRole("button", { name: "Criar canal" }).click();
  await dialog.getByText("Use um endereço http:// ou https://.").waitFor();
  await photograph(page, "settings-new-channel-errors.png");
  await dialog.getByLabel("Endereço da Evolution API").fill(simulatorUrl);
  await dialog.getByRole("button", { name: "Criar canal" }).click();

  await page.getByRole("heading", { name, level: 2 }).waitFor({ timeout: 15_000 });
  const id = new URL(page.url()).hash.replace("#/channels/", "");
  await page.getByRole("region", { name: "Guarde agora: mostrado só uma vez" }).getByText(/^Segredo do webhook:/).waitFor();
  const secret = await headerSecret(page);
  expect(secret).toMatch(/^[0-9a-f]{48}$/);

  expect(await copied(page, "URL do webhook")).toBe(`${apiUrl}/functions/v1/webhook-evolution/${id}`);
  const body = JSON.parse(await copied(page, "Corpo do POST /webhook/set"));
  expect(body.webhook.headers).toEqual({ "x-atende-secret": secret });
  await simulator("/_control/channels/evolution", { body: { instance, apikey: apiKey } });
  await simulator(`/webhook/set/${instance}`, { body, headers: { apikey: apiKey } });
  return { id, instance, name, secret };
}

/** Sends a test event from the channel's page and waits for each step to be done. */
async function testEventArrives(page: Page) {
  const panel = page.getByRole("region", { name: "Evento de teste" });
  await panel.getByRole("button", { name: "Enviar evento de teste" }).click();
  const steps = panel.getByRole("list", { name: "Progresso do evento de teste" });
  for (const step of ["Enviado", "Recebido", "Gravado"]) {
    await steps.getByRole("listitem", { name: `${step}: concluído` }).waitFor({ timeout: 20_000 });
  }
  await panel.getByText("Chegou de ponta a ponta.").waitFor();
  await panel.getByText("O cliente de teste +5500000000000 escreveu pelo simulador.").waitFor();
  return panel;
}

describe("the admins' pages", () => {
  it("an admin connects an Evolution number with the copied setup, and a test event arrives end to end", async () => {
    const dora = await adminPage();
    const watcher = await adminPage();
    await watcher.page.goto(`${webUrl}/#/channels`);
    await watcher.page.getByRole("heading", { name: "Canais", level: 1 }).waitFor();

    const channel = await connectEvolution(dora.page);
    // a second admin console lists the new channel live
    await watcher.page.getByRole("navigation", { name: "Canais do WhatsApp" }).getByRole("link", { name: new RegExp(channel.name) })
      .waitFor({ timeout: 15_000 });

    const panel = await testEventArrives(dora.page);
    await photograph(dora.page, "settings-channel.png");
    await panel.getByRole("link", { name: "Abrir a conversa de teste" }).click();
    await dora.page.getByRole("log", { name: "Mensagens" }).getByText("Mensagem de teste do Atende").first().waitFor({ timeout: 15_000 });

    // the secret was shown once: back on the channel it is only its last characters, even after a reload
    await dora.page.goto(`${webUrl}/#/channels/${channel.id}`);
    await dora.page.getByRole("heading", { name: channel.name, level: 2 }).waitFor();
    await dora.page.reload();
    const header = dora.page.getByRole("group", { name: "Valor do cabeçalho (segredo do webhook)" });
    await header.getByText(`••••••••${channel.secret.slice(-4)}`).waitFor({ timeout: 15_000 });
    expect(await dora.page.content()).not.toContain(channel.secret);
    await photograph(dora.page, "settings-channels.png");
  });

  it("a rotated webhook secret is shown once, and the old one keeps working during the grace period", async () => {
    const dora = await adminPage();
    const channel = await connectEvolution(dora.page);
    await dora.page.getByRole("button", { name: "Já guardei" }).click();
    await dora.page.getByRole("region", { name: "Guarde agora: mostrado só uma vez" }).waitFor({ state: "detached" });
    expect(await dora.page.content()).not.toContain(channel.secret);

    const row = dora.page.getByRole("region", { name: "Segredos" }).getByRole("group", { name: "Segredo do webhook" });
    await row.getByLabel("O anterior continua valendo por").selectOption({ label: "1 hora" });
    await row.getByRole("button", { name: "Gerar novo" }).click();
    await row.getByText(/Segredo trocado\. O anterior vale até/).waitFor({ timeout: 15_000 });
    await dora.page.getByRole("region", { name: "Guarde agora: mostrado só uma vez" }).waitFor();
    const rotated = await headerSecret(dora.page);
    expect(rotated).toMatch(/^[0-9a-f]{48}$/);
    expect(rotated).not.toBe(channel.secret);
    const body = JSON.parse(await copied(dora.page, "Corpo do POST /webhook/set"));
    expect(body.webhook.headers, "the setup to send again carries the new secret").toEqual({ "x-atende-secret": rotated });
    await dora.page.getByText(/O segredo anterior ainda é aceito até/).waitFor();

    // Evolution still posts with the old secret: during the grace period its events still land
    await testEventArrives(dora.page);
  });

  it("a Cloud API number shows its callback URL and verify token, and a signed test webhook arrives", async () => {
    const dora = await adminPage();
    const phoneNumberId = `1077${String(Math.floor(Math.random() * 1e11)).padStart(11, "0")}`;
    await dora.page.goto(`${webUrl}/#/channels`);
    await dora.page.getByRole("button", { name: "Novo canal" }).click();
    const dialog = dora.page.getByRole("dialog", { name: "Novo canal" });
    await dialog.getByRole("radio", { name: "WhatsApp Cloud API" }).check();
    await dialog.getByLabel("Nome do canal").fill(`Suporte ${phoneNumberId}`);
    await dialog.getByLabel("ID do número (phone number id)").fill(phoneNumberId);
    await dialog.getByLabel("ID da conta WhatsApp Business (WABA)").fill("102290129340398");
    await dialog.getByLabel("Token de acesso").fill(`EAAG${unique()}`);
    await dialog.getByLabel("App Secret").fill(`app-secret-${unique()}`);
    await dialog.getByRole("button", { name: "Criar canal" }).click();

    await dora.page.getByRole("heading", { name: `Suporte ${phoneNumberId}`, level: 2 }).waitFor({ timeout: 15_000 });
    const id = new URL(dora.page.url()).hash.replace("#/channels/", "");
    expect(await copied(dora.page, "URL de callback")).toBe(`${apiUrl}/functions/v1/webhook-whatsapp/${id}`);
    const token = await copied(dora.page, "Token de verificação");
    expect(token).toMatch(/^[0-9a-f]{48}$/);
    await dora.page.getByRole("region", { name: "Guarde agora: mostrado só uma vez" }).getByText(/^Token de verificação:/).waitFor();

    // a number on no simulator: the test event is a webhook in Meta's format, signed with the App Secret
    const panel = dora.page.getByRole("region", { name: "Evento de teste" });
    await panel.getByRole("button", { name: "Enviar evento de teste" }).click();
    await panel.getByRole("listitem", { name: "Gravado: concluído" }).waitFor({ timeout: 20_000 });
    await panel.getByText("Webhook no formato do provedor enviado ao Atende (HTTP 200).").waitFor();
    await photograph(dora.page, "settings-channel-cloud.png");
  });

  it("an agent has no way into the channels and members pages", async () => {
    const ana = await agentPage(browser(), "ana");
    const nav = ana.page.getByRole("navigation", { name: "Visões" });
    await nav.getByRole("link", { name: "Caixa de entrada" }).waitFor();
    expect(await nav.getByRole("link", { name: "Canais" }).count()).toBe(0);
    expect(await nav.getByRole("link", { name: "Membros" }).count()).toBe(0);

    for (const hash of ["#/channels", "#/channels/de000000-0000-4000-8000-000000000301", "#/members"]) {
      await ana.page.goto(`${webUrl}/${hash}`);
      await ana.page.getByRole("heading", { name: "Acesso não permitido" }).waitFor();
      expect(await ana.page.getByText("WhatsApp Vendas (Evolution)").count()).toBe(0);
      expect(await ana.page.getByText("bruno@atende.test").count()).toBe(0);
    }
    await photograph(ana.page, "settings-not-allowed.png");
  });

  it("an admin adds a manager in a department, who signs in at once; the last admin cannot step down", async () => {
    const dora = await adminPage();
    const watcher = await adminPage();
    await watcher.page.goto(`${webUrl}/#/members`);
    await watcher.page.getByRole("table", { name: "Membros da equipe" }).waitFor();

    await dora.page.getByRole("navigation", { name: "Visões" }).getByRole("link", { name: "Membros" }).click();
    const table = dora.page.getByRole("table", { name: "Membros da equipe" });
    await table.getByRole("row", { name: /Ana/ }).waitFor();
    await dora.page.getByRole("button", { name: "Adicionar membro" }).click();
    const dialog = dora.page.getByRole("dialog", { name: "Adicionar membro" });
    await dialog.getByLabel("E-mail").fill("eva@");
    await dialog.getByRole("button", { name: "Adicionar" }).click();
    await dialog.getByText("Informe um e-mail válido.").waitFor();
    await dialog.getByText("Preencha este campo.").waitFor();

    const name = `Eva ${unique()}`;
    const email = `eva-${unique()}@atende.test`;
    await dialog.getByLabel("E-mail").fill(email);
    await dialog.getByLabel("Nome").fill(name);
    await dialog.getByLabel("Papel").selectOption({ label: "Gerente" });
    await dialog.getByRole("checkbox", { name: "Suporte" }).check();
    await dialog.getByLabel("Senha inicial (opcional)").fill("senha-da-eva");
    await dialog.getByRole("button", { name: "Adicionar" }).click();
    await dora.page.getByRole("heading", { name: `${name} entrou na equipe` }).waitFor({ timeout: 15_000 });
    const row = table.getByRole("row", { name: new RegExp(name) });
    await row.getByText("Gerente").waitFor();
    await row.getByText("Suporte").waitFor();
    await watcher.page.getByRole("row", { name: new RegExp(name) }).getByText("Gerente").waitFor({ timeout: 15_000 });
    await photograph(dora.page, "settings-members.png");

    // the only admin cannot make herself an agent: the refusal shows at the role
    await table.getByRole("button", { name: "Editar Dora" }).click();
    const edit = dora.page.getByRole("dialog", { name: "Editar Dora" });
    await edit.getByLabel("Papel").selectOption({ label: "Agente" });
    await edit.getByRole("button", { name: "Salvar" }).click();
    await edit.getByText("A empresa precisa de um administrador: promova outra pessoa antes.").waitFor({ timeout: 15_000 });
    await edit.getByRole("button", { name: "Cancelar" }).click();

    const eva = await signInAs(email, "senha-da-eva");
    await eva.page.getByRole("navigation", { name: "Visões" }).getByRole("link", { name: "Quadro" }).waitFor();
    expect(await eva.page.getByRole("link", { name: "Canais" }).count(), "a manager has no Channels page").toBe(0);
  });
});

/** Someone who is not in the seed signs in through the form. */
async function signInAs(email: string, secret: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser().newContext({ locale: "pt-BR", viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  openPages.push({ name: email, page });
  await page.goto(webUrl);
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Senha").fill(secret);
  await page.getByRole("button", { name: "Entrar" }).click();
  await page.getByRole("status", { name: "Conexão" }).getByText("Conectado").waitFor({ timeout: 20_000 });
  return { context, page };
}
