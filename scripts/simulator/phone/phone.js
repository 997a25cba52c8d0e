// The customer's phone: pick a channel and a number, chat with the agents. What is typed goes through the
// simulator's control API (and reaches our product as the provider's webhook); the chat follows a server-sent
// event stream. Agents' messages count as read while this page shows them.
"use strict";

const $ = (id) => document.getElementById(id);
const api = async (method, path, body) => {
  const res = await fetch(`/_control${path}`, {
    method,
    headers: body ? { "content-type": "application/json" } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  const data = await res.json();
  if (!res.ok) throw new Error(data.error?.message ?? res.statusText);
  return data;
};

const TICKS = {
  pending: ["🕓", "pendente"],
  sent: ["✓", "enviada"],
  delivered: ["✓✓", "entregue"],
  read: ["✓✓", "lida"],
  failed: ["⚠", "não entregue"],
};
const MEDIA = ["image", "audio", "video", "document", "sticker"];

const state = { channel: "", phone: "", messages: new Map(), source: null };

function label(channel) {
  return channel.provider === "evolution"
    ? `Evolution API · ${channel.instance} (+${channel.number})`
    : `Cloud API · +${channel.displayPhoneNumber} (${channel.phoneNumberId})`;
}

async function loadChannels() {
  const channels = await api("GET", "/channels");
  const select = $("channel");
  select.replaceChildren(...channels.map((c) => new Option(label(c), c.key)));
  if (!channels.length) select.append(new Option("Nenhum canal registrado", ""));
  select.value = localStorage.getItem("sim.channel") ?? select.value;
  if (!select.value && channels.length) select.value = channels[0].key;
  $("phone").value = localStorage.getItem("sim.phone") ?? "";
  $("name").value = localStorage.getItem("sim.name") ?? "";
  await loadKnown();
}

async function loadKnown() {
  if (!$("channel").value) return;
  const customers = await api("GET", `/customers/${encodeURIComponent($("channel").value)}`);
  $("known").replaceChildren(...customers.map((c) => new Option(c.name, c.phone)));
}

function open(event) {
  event.preventDefault();
  state.channel = $("channel").value;
  state.phone = $("phone").value.replace(/\D/g, "");
  if (!state.channel || !state.phone) return;
  localStorage.setItem("sim.channel", state.channel);
  localStorage.setItem("sim.phone", state.phone);
  localStorage.setItem("sim.name", $("name").value);
  state.source?.close();
  state.messages.clear();
  const query = new URLSearchParams({ channel: state.channel, phone: state.phone });
  const source = state.source = new EventSource(`/_phone/events?${query}`);
  source.addEventListener("snapshot", (e) => {
    const { customer, messages } = JSON.parse(e.data);
    $("title").textContent = `${$("name").value || customer.name} · +${customer.phone}`;
    state.messages = new Map(messages.map((m) => [m.id, m]));
    render();
  });
  source.addEventListener("message", (e) => {
    const message = JSON.parse(e.data);
    state.messages.set(message.id, message);
    render();
  });
  source.onopen = () => $("connection").textContent = "conectado";
  source.onerror = () => $("connection").textContent = "reconectando…";
  $("composer").hidden = false;
  $("text").focus();
}

/** On a phone, agents' messages appear once delivered; failed ones are shown here so the demo can see them. */
const visible = (m) =>
  m.kind !== "reaction" && (m.direction === "in" || !["pending", "sent"].includes(m.status));

function mediaElement(m) {
  const src = m.media?.link ??
    (m.media?.mediaId ? `/_phone/media/${encodeURIComponent(m.media.mediaId)}` : "");
  if (!src) return null;
  if (m.kind === "image" || m.kind === "sticker") {
    return Object.assign(document.createElement("img"), { src, alt: "" });
  }
  if (m.kind === "audio" || m.kind === "video") {
    return Object.assign(document.createElement(m.kind), { src, controls: true });
  }
  const link = Object.assign(document.createElement("a"), { href: src, target: "_blank" });
  link.textContent = `📄 ${m.media.fileName ?? "documento"}`;
  return link;
}

function bubble(m, reactions) {
  const li = document.createElement("li");
  li.className = `bubble${m.direction === "in" ? " mine" : ""}${m.status === "failed" ? " failed" : ""}`;
  li.dataset.id = m.id;
  const media = MEDIA.includes(m.kind) ? mediaElement(m) : null;
  if (media) li.append(media);
  if (m.text) li.append(Object.assign(document.createElement("p"), { textContent: m.text }));
  if (m.error) {
    const error = Object.assign(document.createElement("p"), { className: "error" });
    error.textContent = `${m.error.code} · ${m.error.title}`;
    li.append(error);
  }
  const meta = Object.assign(document.createElement("div"), { className: "meta" });
  if (m.direction === "out") {
    const react = Object.assign(document.createElement("button"), {
      className: "react",
      title: "Reagir com 👍",
    });
    react.textContent = "👍";
    react.onclick = () => send({ type: "reaction", refersTo: m.id, text: "👍" });
    meta.append(react);
  }
  const time = new Date(m.at).toLocaleTimeString("pt-BR", { hour: "2-digit", minute: "2-digit" });
  const [tick, title] = TICKS[m.status];
  const ticks = Object.assign(document.createElement("span"), { className: `ticks ${m.status}`, title });
  ticks.textContent = tick;
  meta.append(time, ticks);
  li.append(meta);
  if (reactions) {
    li.append(
      Object.assign(document.createElement("span"), { className: "reactions", textContent: reactions }),
    );
  }
  return li;
}

function render() {
  const all = [...state.messages.values()].sort((a, b) => a.at - b.at);
  const reactions = new Map();
  for (const r of all.filter((m) => m.kind === "reaction")) reactions.set(r.refersTo, r.text);
  const list = $("messages");
  list.replaceChildren(...all.filter(visible).map((m) => bubble(m, reactions.get(m.id))));
  list.scrollTop = list.scrollHeight;
  markRead();
}

async function markRead() {
  const unread = [...state.messages.values()].some((m) => m.direction === "out" && m.status === "delivered");
  if (!unread || document.visibilityState !== "visible") return;
  await api("POST", `/customers/${encodeURIComponent(state.channel)}/${state.phone}/read`);
}

async function send(message) {
  const name = $("name").value.trim();
  try {
    await api("POST", `/customers/${encodeURIComponent(state.channel)}/${state.phone}/send`, {
      ...message,
      ...(name ? { name } : {}),
    });
  } catch (e) {
    alert(`Não foi possível enviar: ${e.message}`);
  }
}

function typeOf(file) {
  const major = file.type.split("/")[0];
  return ["image", "audio", "video"].includes(major) ? major : "document";
}

async function attach() {
  const file = $("file").files[0];
  if (!file) return;
  const base64 = await new Promise((resolve) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ""));
    reader.readAsDataURL(file);
  });
  const type = typeOf(file);
  const mimetype = file.type || "application/octet-stream";
  await send({ type, text: $("text").value, media: { base64, mimetype, fileName: file.name }, voice: false });
  $("text").value = "";
  $("file").value = "";
}

$("setup").addEventListener("submit", open);
$("channel").addEventListener("change", loadKnown);
$("composer").addEventListener("submit", async (event) => {
  event.preventDefault();
  const text = $("text").value;
  if (!text.trim()) return;
  $("text").value = "";
  await send({ type: "text", text });
});
$("file").addEventListener("change", attach);
document.addEventListener("visibilitychange", markRead);
loadChannels().catch((e) => $("title").textContent = `Erro: ${e.message}`);
