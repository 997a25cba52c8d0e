// The agents' console in Chromium against the running product: two agents side by side, a customer played by the
// WhatsApp simulator. Realtime is proved with two browser contexts: one acts, the other sees it without a reload.
import type { Page } from "playwright-core";
import { describe, it } from "vitest";
import { agentPage, openConversation, photograph, specBrowser } from "./browser";
import { conversationOf, customerReads, customerWrites, rest, uniquePhone } from "./customer";
import { agents, cloudPhoneNumberId } from "./env";
import { eventually } from "./wait";

const browser = specBrowser();

const thread = (page: Page) => page.getByRole("log", { name: "Mensagens" });
const replyBox = (page: Page) => page.getByRole("textbox", { name: "Mensagem" });

async function newCustomer(text: string, channel?: string) {
  const phone = uniquePhone();
  const name = `Cliente ${phone.slice(-6)}`;
  await customerWrites(phone, text, name, channel);
  const conversation = await conversationOf(phone);
  return { phone, name, conversation };
}

describe("the agents' console", () => {
  it("shows a customer's new conversation live, and a reply reaches read ticks on both consoles", async () => {
    const ana = await agentPage(browser(), "ana");
    const bruno = await agentPage(browser(), "bruno");
    await ana.page.getByRole("tab", { name: "Não atribuídas" }).click();
    await bruno.page.getByRole("tab", { name: "Não atribuídas" }).click();

    const customer = await newCustomer("Oi, quero saber do meu pedido");
    await ana.page.getByRole("link", { name: new RegExp(customer.name) }).waitFor({ timeout: 15_000 });
    await bruno.page.getByRole("link", { name: new RegExp(customer.name) }).waitFor({ timeout: 15_000 });

    await openConversation(ana.page, "Não atribuídas", customer.name);
    await ana.page.getByRole("button", { name: "Assumir" }).click();
    // taken: it leaves Bruno's unassigned list without a reload
    await bruno.page.getByRole("link", { name: new RegExp(customer.name) }).waitFor({ state: "detached", timeout: 15_000 });

    await openConversation(bruno.page, "Todas", customer.name);
    await replyBox(ana.page).pressSequentially("Olá! Já vejo");
    await bruno.page.getByText("Ana está digitando…").waitFor({ timeout: 10_000 });
    await replyBox(ana.page).press("Enter");
    await bruno.page.getByText("Ana está digitando…").waitFor({ state: "detached", timeout: 10_000 });

    const sent = thread(ana.page).getByRole("article", { name: "Mensagem de Ana" }).filter({ hasText: "Olá! Já vejo" });
    await sent.waitFor({ timeout: 5_000 });
    await thread(bruno.page).getByText("Olá! Já vejo").waitFor({ timeout: 15_000 });
    await sent.getByRole("img", { name: "Entregue" }).or(sent.getByRole("img", { name: "Lida" })).waitFor({ timeout: 20_000 });
    await customerReads(customer.phone);
    await sent.getByRole("img", { name: "Lida" }).waitFor({ timeout: 20_000 });
    const onBruno = thread(bruno.page).getByRole("article").filter({ hasText: "Olá! Já vejo" });
    await onBruno.getByRole("img", { name: "Lida" }).waitFor({ timeout: 20_000 });
    await eventually(async () => (await onBruno.count()) === 1, "Bruno sees Ana's reply exactly once");

    await ana.context.close();
    await bruno.context.close();
  });

  it("opening a conversation clears its unread count on every console", async () => {
    const ana = await agentPage(browser(), "ana");
    const bruno = await agentPage(browser(), "bruno");
    const customer = await newCustomer("Tem alguém aí?");
    await bruno.page.getByRole("tab", { name: "Todas" }).click();
    const row = bruno.page.getByRole("link", { name: new RegExp(customer.name) });
    await row.getByLabel("1 não lidas").waitFor({ timeout: 15_000 });

    await openConversation(ana.page, "Todas", customer.name);
    await row.getByLabel("1 não lidas").waitFor({ state: "detached", timeout: 15_000 });

    await ana.context.close();
    await bruno.context.close();
  });

  it("a transfer reaches the receiving agent as a notification, and every console's lists follow", async () => {
    const ana = await agentPage(browser(), "ana");
    const bruno = await agentPage(browser(), "bruno");
    const customer = await newCustomer("Preciso trocar um produto");
    await bruno.page.getByRole("tab", { name: "Minhas" }).click();

    await openConversation(ana.page, "Não atribuídas", customer.name);
    await ana.page.getByRole("button", { name: "Assumir" }).click();
    await ana.page.getByText("Atribuída a Ana").waitFor();
    await ana.page.getByRole("button", { name: "Transferir" }).click();
    const dialog = ana.page.getByRole("dialog", { name: "Transferir conversa" });
    await dialog.getByRole("radio", { name: /Bruno/ }).check();
    await dialog.getByLabel("Observação (opcional)").fill("Cliente quer troca, você cuida do estoque");
    await dialog.getByRole("button", { name: "Transferir" }).click();

    const notice = bruno.page.getByRole("region", { name: /Avisos/ }).getByRole("listitem")
      .filter({ hasText: `Conversa com ${customer.name}` });
    await notice.getByText(/transferida para você|atribuída a você/).waitFor({ timeout: 15_000 });
    await bruno.page.getByRole("link", { name: new RegExp(customer.name) }).waitFor({ timeout: 15_000 });
    await ana.page.getByText("Atribuída a Bruno").waitFor({ timeout: 15_000 });

    await ana.context.close();
    await bruno.context.close();
  });

  it("two agents taking one conversation at once: one wins, the other is told who", async () => {
    const ana = await agentPage(browser(), "ana");
    const bruno = await agentPage(browser(), "bruno");
    const customer = await newCustomer("Quem me atende?");
    await openConversation(ana.page, "Não atribuídas", customer.name);
    await openConversation(bruno.page, "Não atribuídas", customer.name);

    // Both agents click while the conversation is still free: each "take" is held until the other's is on its way
    // too, so neither console can learn of the other's take before asking.
    let held = 0;
    let releaseBoth!: () => void;
    const bothSent = new Promise<void>((resolve) => (releaseBoth = resolve));
    for (const { context } of [ana, bruno]) {
      await context.route("**/functions/v1/conversations/*/assign", async (route) => {
        if (route.request().method() === "POST" && ++held === 2) releaseBoth();
        if (route.request().method() === "POST") await bothSent;
        await route.continue();
      });
    }
    await Promise.all([ana.page, bruno.page].map((p) => p.getByRole("button", { name: "Assumir" }).click()));
    const stored = await eventually(async () => {
      const [row] = await rest(`conversations?select=assignee_id&id=eq.${customer.conversation.id}`);
      return row?.assignee_id as string | undefined;
    }, "someone took the conversation");
    const [winner, loser] = stored === agents.ana.id ? [ana, bruno] : [bruno, ana];
    const winnerName = stored === agents.ana.id ? "Ana" : "Bruno";
    await loser.page.getByRole("alert").filter({ hasText: `${winnerName} já assumiu esta conversa` })
      .waitFor({ timeout: 15_000 });
    await winner.page.getByText(`Atribuída a ${winnerName}`).waitFor({ timeout: 15_000 });

    await ana.context.close();
    await bruno.context.close();
  });

  it("messages typed offline wait as pending and go out in order, once each, when the connection returns", async () => {
    const ana = await agentPage(browser(), "ana");
    const bruno = await agentPage(browser(), "bruno");
    const customer = await newCustomer("Vou esperar a resposta");
    await openConversation(ana.page, "Não atribuídas", customer.name);
    await ana.page.getByRole("button", { name: "Assumir" }).click();
    await ana.page.getByText("Atribuída a Ana").waitFor();
    await openConversation(bruno.page, "Todas", customer.name);

    await ana.context.setOffline(true);
    await ana.page.getByRole("status", { name: "Conexão" }).getByText("Sem conexão").waitFor({ timeout: 10_000 });
    for (const text of ["primeira offline", "segunda offline", "terceira offline"]) {
      await replyBox(ana.page).fill(text);
      await replyBox(ana.page).press("Enter");
    }
    for (const text of ["primeira offline", "segunda offline", "terceira offline"]) {
      const bubble = thread(ana.page).getByRole("article").filter({ hasText: text });
      await bubble.getByRole("img", { name: "Aguardando envio" }).or(bubble.getByRole("img", { name: "Enviando" })).waitFor();
    }

    // meanwhile the customer writes: Ana's console must catch up with it, once
    await customerWrites(customer.phone, "escrevi enquanto você estava offline", customer.name);
    await thread(bruno.page).getByText("escrevi enquanto você estava offline").waitFor({ timeout: 15_000 });

    await ana.context.setOffline(false);
    await ana.page.getByRole("status", { name: "Conexão" }).getByText("Conectado").waitFor({ timeout: 30_000 });
    const caughtUp = thread(ana.page).getByText("escrevi enquanto você estava offline");
    await caughtUp.waitFor({ timeout: 15_000 });
    await eventually(async () => (await caughtUp.count()) === 1, "Ana sees the customer's message once");
    const texts = await eventually(async () => {
      const bodies = await thread(bruno.page).getByRole("article", { name: "Mensagem de Ana" }).filter({ hasText: "offline" })
        .allTextContents();
      return bodies.length === 3 ? bodies : undefined;
    }, "Bruno sees the three offline messages", 30_000);
    if (!(texts[0].includes("primeira") && texts[1].includes("segunda") && texts[2].includes("terceira"))) {
      throw new Error(`the offline messages arrived out of order: ${texts.join(" | ")}`);
    }
    const stored = await rest(`messages?select=body,seq&conversation_id=eq.${customer.conversation.id}&direction=eq.outbound&order=seq`);
    if (stored.length !== 3) throw new Error(`expected 3 stored messages, found ${stored.length}`);

    await ana.context.close();
    await bruno.context.close();
  });

  it("a send the server refuses (24 h window closed) says why", async () => {
    const ana = await agentPage(browser(), "ana");
    const customer = await newCustomer("Mensagem antiga", cloudPhoneNumberId);
    await rest(`conversations?id=eq.${customer.conversation.id}`, {
      method: "PATCH",
      body: JSON.stringify({ window_expires_at: new Date(Date.now() - 3_600_000).toISOString() }),
    });
    await openConversation(ana.page, "Não atribuídas", customer.name);
    await ana.page.getByRole("button", { name: "Assumir" }).click();
    await replyBox(ana.page).fill("Ainda posso ajudar?");
    await replyBox(ana.page).press("Enter");
    await ana.page.getByRole("alert").filter({ hasText: "janela de 24 h" }).waitFor({ timeout: 15_000 });
    await ana.context.close();
  });

  it("team presence: an agent with two tabs is one person, and leaving shows them offline", async () => {
    const bruno = await agentPage(browser(), "bruno");
    const anaTab1 = await agentPage(browser(), "ana");
    const anaTab2 = await anaTab1.context.newPage();
    await anaTab2.goto(anaTab1.page.url());
    await anaTab2.getByRole("status", { name: "Conexão" }).getByText("Conectado").waitFor({ timeout: 20_000 });
    const team = bruno.page.getByRole("list", { name: /Equipe/ });
    await team.getByRole("listitem", { name: "Ana: Online" }).waitFor({ timeout: 15_000 });
    if ((await team.getByRole("listitem", { name: /^Ana:/ }).count()) !== 1) throw new Error("Ana shows more than once");

    await anaTab1.page.getByLabel("Meu status").selectOption("busy");
    await team.getByRole("listitem", { name: "Ana: Ocupado" }).waitFor({ timeout: 15_000 });
    await eventually(async () => (await anaTab2.getByLabel("Meu status").inputValue()) === "busy", "Ana's other tab follows her status");

    await anaTab1.context.close();
    await team.getByRole("listitem", { name: "Ana: Offline" }).waitFor({ timeout: 20_000 });
    await bruno.context.close();
  });

  it("dragging a card on the board changes the conversation's status on every console", async () => {
    const ana = await agentPage(browser(), "ana");
    const bruno = await agentPage(browser(), "bruno");
    const customer = await newCustomer("Pode deixar pendente");
    await openConversation(ana.page, "Não atribuídas", customer.name);
    await ana.page.getByRole("button", { name: "Assumir" }).click();
    await ana.page.getByText("Atribuída a Ana").waitFor();
    for (const page of [ana.page, bruno.page]) {
      await page.getByRole("tab", { name: "Todas" }).click();
      await page.getByRole("link", { name: "Quadro" }).click();
    }
    const card = (page: Page, column: string) =>
      page.getByRole("region", { name: column }).getByRole("button", { name: new RegExp(customer.name) });
    await card(ana.page, "Em atendimento").waitFor({ timeout: 15_000 });
    await card(bruno.page, "Em atendimento").waitFor({ timeout: 15_000 });

    await card(ana.page, "Em atendimento").dragTo(ana.page.getByRole("region", { name: "Pendente" }));
    await card(ana.page, "Pendente").waitFor({ timeout: 15_000 });
    await card(bruno.page, "Pendente").waitFor({ timeout: 15_000 });
    await card(bruno.page, "Em atendimento").waitFor({ state: "detached" });

    // the keyboard way: the card's own "move to" select
    await ana.page.getByLabel(`Mover ${customer.name} para`).selectOption({ label: "Em atendimento" });
    await card(bruno.page, "Em atendimento").waitFor({ timeout: 15_000 });

    await ana.context.close();
    await bruno.context.close();
  });

  it("photographs the inbox, an open conversation and the board, so a person can look at them", async () => {
    const ana = await agentPage(browser(), "ana");
    const customer = await newCustomer("Oi! Vocês entregam em Campinas?");
    await customerWrites(customer.phone, "Queria comprar duas cadeiras do modelo Aurora", customer.name);
    await openConversation(ana.page, "Não atribuídas", customer.name);
    await ana.page.getByRole("button", { name: "Assumir" }).click();
    await ana.page.getByText("Atribuída a Ana").waitFor();
    await thread(ana.page).getByText("modelo Aurora").waitFor({ timeout: 15_000 });

    await replyBox(ana.page).fill("Olá! Entregamos, sim: em até 3 dias úteis.");
    await replyBox(ana.page).press("Enter");
    const answered = thread(ana.page).getByRole("article").filter({ hasText: "em até 3 dias úteis" });
    await answered.getByRole("img", { name: "Entregue" }).or(answered.getByRole("img", { name: "Lida" })).waitFor({ timeout: 20_000 });
    await customerReads(customer.phone);
    await answered.getByRole("img", { name: "Lida" }).waitFor({ timeout: 20_000 });

    // a reply that quotes the customer's question
    await thread(ana.page).getByRole("article").filter({ hasText: "modelo Aurora" }).getByRole("button", { name: "Responder" }).click();
    await replyBox(ana.page).fill("Temos as duas em estoque, na cor natural.");
    await replyBox(ana.page).press("Enter");
    const quoting = thread(ana.page).getByRole("article").filter({ hasText: "Temos as duas em estoque" });
    await quoting.getByRole("blockquote").getByText("modelo Aurora").waitFor({ timeout: 15_000 });
    await quoting.getByRole("img", { name: "Entregue" }).or(quoting.getByRole("img", { name: "Lida" })).waitFor({ timeout: 20_000 });
    await customerWrites(customer.phone, "Perfeito, obrigado!", customer.name);
    await thread(ana.page).getByText("Perfeito, obrigado!").waitFor({ timeout: 15_000 });
    await ana.page.getByRole("tab", { name: "Todas" }).click();
    await ana.page.getByRole("link", { name: new RegExp(customer.name) }).waitFor();
    await photograph(ana.page, "conversation.png");

    await ana.page.getByRole("link", { name: "Caixa de entrada" }).click();
    await ana.page.getByText("Escolha uma conversa à esquerda.").waitFor();
    await photograph(ana.page, "inbox.png");

    await ana.page.getByRole("link", { name: "Quadro" }).click();
    await ana.page.getByRole("region", { name: "Em atendimento" }).getByRole("button", { name: new RegExp(customer.name) })
      .waitFor({ timeout: 15_000 });
    await photograph(ana.page, "kanban.png");
    await ana.context.close();
  });
});
