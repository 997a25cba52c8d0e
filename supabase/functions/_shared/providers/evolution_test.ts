import { deepStrictEqual, equal, ok, rejects, throws } from "node:assert/strict";
import type { ContactRef, InboundEvent, MessageEvent, StatusEvent } from "../inbound.ts";
import { InvalidPayload, normalise } from "../normalise.ts";
import { fixture } from "../fixtures/load.ts";
import { readBodyWithin } from "./body.ts";
import {
  EVOLUTION_EVENTS,
  EVOLUTION_MAX_BODY_BYTES,
  evolutionEventForPath,
  evolutionEventPath,
  evolutionEventTime,
  redactEvolutionBody,
} from "./evolution.ts";
import type { Json } from "./fields.ts";

const receivedAt = new Date("2026-11-24T10:15:31.000Z");
const CHANNEL = "loja-centro";
/** `messageTimestamp` of the fixtures' messages. */
const SENT_AT = "2026-11-24T10:15:30.000Z";
/** The fixtures' envelope `date_time`, from a server running in UTC. */
const POSTED_AT = "2026-11-24T10:15:30.412Z";
const MARIA = "5511988887777";
const maria: ContactRef = { phone: MARIA, name: "Maria Souza" };
const joao: ContactRef = { phone: "5521977776666", lid: "987654321098765@lid", name: "João Pedro" };
const GROUP = "120363041234567890@g.us";

const message = (id: string, fields: Partial<MessageEvent>): MessageEvent => ({
  type: "message",
  occurred_at: SENT_AT,
  dedupe_key: `message:${id}`,
  provider_message_id: id,
  from_me: false,
  contact: maria,
  message_type: "text",
  ...fields,
});

const status = (
  id: string,
  value: StatusEvent["status"],
  fields: Partial<StatusEvent> = {},
): StatusEvent => ({
  type: "status",
  occurred_at: POSTED_AT,
  dedupe_key: `status:${id}:${value}`,
  provider_message_id: id,
  status: value,
  contact: { phone: MARIA },
  ...fields,
});

interface Case {
  behaviour: string;
  fixture: string;
  events?: Array<[InboundEvent, string]>;
  ignored?: Array<{ reason: string; dedupe_key?: string }>;
}

const cases: Case[] = [
  {
    behaviour: "a customer's text becomes an inbound text message with their name and phone",
    fixture: "messages-upsert-text.json",
    events: [[message("3A5C9D2E1F0B4A6C8D7E", { body: "Oi, meu pedido 1042 ainda não chegou" }), MARIA]],
  },
  {
    behaviour: "a reply keeps the id of the message it quotes",
    fixture: "messages-upsert-reply-extended-text.json",
    events: [[
      message("3EB0B1C2D3E4F5061728", {
        body: "Pode ser amanhã às 10h?",
        reply_to_provider_id: "3EB0A1B2C3D4E5F60718",
      }),
      MARIA,
    ]],
  },
  {
    behaviour: "an image sent with base64 inline keeps its size and type but never the bytes",
    fixture: "messages-upsert-image-base64.json",
    events: [[
      message("ABCDEF0123456789ABCDEF0123456789", {
        message_type: "image",
        media: {
          mime_type: "image/jpeg",
          size_bytes: 300,
          sha256: "msH5iJ9chcZUCHODuyeUl1ptOFQZDMmXHz6XklsXl5Y=",
          caption: "Chegou assim, amassado",
        },
      }),
      MARIA,
    ]],
  },
  {
    behaviour: "an image from Evolution before 2.3.6 (binary fields as strings) reads the same way",
    fixture: "messages-upsert-image-legacy-strings.json",
    events: [[
      message("3EB0C767D097B7C7C030", {
        message_type: "image",
        media: {
          mime_type: "image/jpeg",
          url:
            "https://s3.example.com/evolution/0b9a3c4e/5511988887777@s.whatsapp.net/imageMessage/1795515330000_3EB0C767D097B7C7C030.jpeg",
          size_bytes: 48213,
          sha256: "e36Y1k0Ejbnkohg3p8wRclxiZNcew5LvOiyX36fRU3w=",
        },
      }),
      MARIA,
    ]],
  },
  {
    behaviour: "a voice note is an audio message marked as voice, with its length",
    fixture: "messages-upsert-audio-voice.json",
    events: [[
      message("3A6F1E2D3C4B5A697887", {
        message_type: "audio",
        media: {
          mime_type: "audio/ogg; codecs=opus",
          size_bytes: 120,
          sha256: "EjW0MuA2h0fgsLkxZ8D7ZP2oFEOsKJl7V+bRieIX+Nk=",
          duration: 7,
          voice: true,
        },
      }),
      MARIA,
    ]],
  },
  {
    behaviour: "a video keeps its caption and duration",
    fixture: "messages-upsert-video.json",
    events: [[
      message("3A7A8B9C0D1E2F304152", {
        message_type: "video",
        media: {
          mime_type: "video/mp4",
          size_bytes: 2097152,
          sha256: "DKsclhdAT68rJOIh4YnKWUWBPhTT92Y0WwnKE7vij/w=",
          caption: "Olha o barulho que faz",
          duration: 12,
        },
      }),
      MARIA,
    ]],
  },
  {
    behaviour: "a document with a caption keeps its file name and caption",
    fixture: "messages-upsert-document-with-caption.json",
    events: [[
      message("3A8B9C0D1E2F30415263", {
        message_type: "document",
        media: {
          mime_type: "application/pdf",
          file_name: "nota-fiscal-1042.pdf",
          size_bytes: 183406,
          sha256: "e36Y1k0Ejbnkohg3p8wRclxiZNcew5LvOiyX36fRU3w=",
          caption: "Segue a nota",
        },
      }),
      MARIA,
    ]],
  },
  {
    behaviour: "a sticker is a sticker message",
    fixture: "messages-upsert-sticker.json",
    events: [[
      message("ABCDEF0123456789ABCDEF01234567AA", {
        message_type: "sticker",
        media: {
          mime_type: "image/webp",
          size_bytes: 18232,
          sha256: "V8SxOkxzNecvFmngUG6ZII3x2gUMEl2meLI+u1W/TGE=",
        },
      }),
      MARIA,
    ]],
  },
  {
    behaviour: "a shared location keeps its coordinates, name and address",
    fixture: "messages-upsert-location.json",
    events: [[
      message("ABCDEF0123456789ABCDEF01234567BB", {
        message_type: "location",
        location: {
          latitude: -23.561414,
          longitude: -46.655881,
          name: "Loja Paulista",
          address: "Av. Paulista, 1000 - Bela Vista, São Paulo",
        },
      }),
      MARIA,
    ]],
  },
  {
    behaviour: "shared contact cards read as one line per person with their numbers",
    fixture: "messages-upsert-contacts-array.json",
    events: [[
      message("ABCDEF0123456789ABCDEF01234567CC", {
        message_type: "contacts",
        body: "Carlos Lima (+55 11 97777-1234)\nAna Reis (+55 21 96666-4321)",
      }),
      MARIA,
    ]],
  },
  {
    behaviour: "a list choice is an interactive reply showing the chosen row",
    fixture: "messages-upsert-list-response.json",
    events: [[
      message("3EB0D1E2F30415263748", {
        message_type: "interactive",
        body: "Segunda via do boleto",
        reply_to_provider_id: "3EB0AA11BB22CC33DD44",
      }),
      MARIA,
    ]],
  },
  {
    behaviour: "a button tap is an interactive reply showing the button's text",
    fixture: "messages-upsert-buttons-response.json",
    events: [[
      message("3EB0E2F3041526374859", { message_type: "interactive", body: "Falar com atendente" }),
      MARIA,
    ]],
  },
  {
    behaviour: "a message in a chat with disappearing messages is read through its wrapper",
    fixture: "messages-upsert-ephemeral.json",
    events: [[message("3A9C0D1E2F3041526374", { body: "Essa conversa tem mensagens temporárias" }), MARIA]],
  },
  {
    behaviour: "a view-once photo is an image message",
    fixture: "messages-upsert-view-once-image.json",
    events: [[
      message("3AA0B1C2D3E4F5061728", {
        message_type: "image",
        media: {
          mime_type: "image/jpeg",
          size_bytes: 40,
          sha256: "UUMy92UzD4Uh9YHzDBDifumwd27shWW7ACUHOgH4qa8=",
        },
      }),
      MARIA,
    ]],
  },
  {
    behaviour: "a reaction is a reaction on the message it points at, not a new message",
    fixture: "messages-upsert-reaction.json",
    events: [[{
      type: "reaction",
      occurred_at: SENT_AT,
      dedupe_key: "message:3AB1C2D3E4F506172839",
      target_provider_id: "3EB0A1B2C3D4E5F60718",
      emoji: "👍",
      from_me: false,
      contact: maria,
    }, MARIA]],
  },
  {
    behaviour: "a reaction taken back is a reaction with an empty emoji",
    fixture: "messages-upsert-reaction-removed.json",
    events: [[{
      type: "reaction",
      occurred_at: "2026-11-24T10:16:30.000Z",
      dedupe_key: "message:3AC2D3E4F5061728394A",
      target_provider_id: "3EB0A1B2C3D4E5F60718",
      emoji: "",
      from_me: false,
      contact: maria,
    }, MARIA]],
  },
  {
    behaviour: "Evolution 2.3.6 LID addressing (LID in remoteJid, phone in remoteJidAlt) keeps both",
    fixture: "messages-upsert-lid-2.3.6.json",
    events: [[
      message("3AD3E4F5061728394A5B", {
        contact: { ...maria, lid: "123456789012345@lid" },
        body: "Vocês entregam no sábado?",
      }),
      MARIA,
    ]],
  },
  {
    behaviour: "Evolution 2.3.7 LID addressing (phone written over remoteJid) still finds the phone",
    fixture: "messages-upsert-lid-2.3.7.json",
    events: [[message("3AE4F5061728394A5B6C", { body: "Vocês entregam no sábado?" }), MARIA]],
  },
  {
    behaviour: "Evolution 2.4 addressing (phone in remoteJid, LID in remoteJidAlt) keeps both",
    fixture: "messages-upsert-lid-2.4.0.json",
    events: [[
      message("3AF5061728394A5B6C7D", {
        contact: { ...maria, lid: "123456789012345@lid" },
        body: "Vocês entregam no sábado?",
      }),
      MARIA,
    ]],
  },
  {
    behaviour: "a customer known only by LID is a contact with a LID and no phone",
    fixture: "messages-upsert-lid-without-phone.json",
    events: [[
      message("3B061728394A5B6C7D8E", {
        contact: { lid: "987654321098765@lid", name: "João Pedro" },
        body: "Boa tarde",
      }),
      "987654321098765@lid",
    ]],
  },
  {
    behaviour: "Evolution 2.3.0's senderLid is kept as the contact's LID",
    fixture: "messages-upsert-sender-lid-2.3.0.json",
    events: [[
      message("3B1728394A5B6C7D8E9F", { contact: joao, body: "Quero trocar o tamanho" }),
      "5521977776666",
    ]],
  },
  {
    behaviour: "a group message names the group and its author by phone and LID",
    fixture: "messages-upsert-group-lid-author.json",
    events: [[
      message("3B28394A5B6C7D8E9FA0", {
        contact: joao,
        group: { id: GROUP },
        author: joao,
        body: "Alguém da loja pode confirmar o horário?",
      }),
      GROUP,
    ]],
  },
  {
    behaviour: "our own group message typed on the phone is outbound, authored by the instance's number",
    fixture: "messages-upsert-group-from-me.json",
    events: [[
      message("3EB0F3041526374859AB", {
        from_me: true,
        contact: { phone: "5511999990000" },
        group: { id: GROUP },
        author: { phone: "5511999990000" },
        body: "Abrimos às 9h",
      }),
      GROUP,
    ]],
  },
  {
    behaviour:
      "a message typed on the business phone is outbound and does not take 'Você' as the customer's name",
    fixture: "messages-upsert-from-me-phone-echo.json",
    events: [[
      message("3EB0A1B2C3D4E5F60718", {
        from_me: true,
        contact: { phone: MARIA },
        body: "Qual horário fica melhor para a entrega?",
      }),
      MARIA,
    ]],
  },
  {
    behaviour: "a status story is not a conversation",
    fixture: "messages-upsert-status-broadcast.json",
    ignored: [{
      reason: "status@broadcast is a WhatsApp status story, not a conversation",
      dedupe_key: "message:3B394A5B6C7D8E9FA0B1",
    }],
  },
  {
    behaviour: "a poll is stored as unsupported, naming its type for the agent",
    fixture: "messages-upsert-poll-creation.json",
    events: [[
      message("3B4A5B6C7D8E9FA0B1C2", {
        message_type: "unsupported",
        provider_type: "pollCreationMessageV3",
      }),
      MARIA,
    ]],
  },
  {
    behaviour: "a poll vote is not a message of its own",
    fixture: "messages-upsert-poll-vote.json",
    ignored: [{
      reason: "pollUpdateMessage changes another message; it is not one",
      dedupe_key: "message:3B5B6C7D8E9FA0B1C2D3",
    }],
  },
  {
    behaviour: "a timestamp written as a protobuf Long is read as seconds",
    fixture: "messages-upsert-long-timestamp.json",
    events: [[message("3B6C7D8E9FA0B1C2D3E4", { body: "Obrigada!" }), MARIA]],
  },
  {
    behaviour: "our own API send comes back as an outbound message",
    fixture: "send-message-text.json",
    events: [[
      message("3EB0D4C3B2A1908F7E6D", {
        from_me: true,
        contact: { phone: MARIA },
        body: "Seu pedido sai para entrega hoje.",
      }),
      MARIA,
    ]],
  },
  {
    behaviour: "SERVER_ACK marks our message sent",
    fixture: "messages-update-server-ack.json",
    events: [[status("3EB0D4C3B2A1908F7E6D", "sent"), MARIA]],
  },
  {
    behaviour: "DELIVERY_ACK marks our message delivered",
    fixture: "messages-update-delivery-ack.json",
    events: [[status("3EB0D4C3B2A1908F7E6D", "delivered"), MARIA]],
  },
  {
    behaviour: "READ marks our message read",
    fixture: "messages-update-read.json",
    events: [[status("3EB0D4C3B2A1908F7E6D", "read"), MARIA]],
  },
  {
    behaviour: "PLAYED (a voice note heard) marks our message read",
    fixture: "messages-update-played.json",
    events: [[status("3EB0AB12CD34EF56A7B8", "read"), MARIA]],
  },
  {
    behaviour: "ERROR marks our message failed",
    fixture: "messages-update-error.json",
    events: [[status("3EB0D4C3B2A1908F7E6D", "failed"), MARIA]],
  },
  {
    behaviour: "a receipt in a group is ordered with the group's messages",
    fixture: "messages-update-group-read.json",
    events: [[
      {
        type: "status",
        occurred_at: POSTED_AT,
        dedupe_key: "status:3EB0F3041526374859AB:read",
        provider_message_id: "3EB0F3041526374859AB",
        status: "read",
      },
      GROUP,
    ]],
  },
  {
    behaviour: "an update Evolution 2.3.6 labels DELETED (an edit without its text) deletes nothing",
    fixture: "messages-update-deleted-edit-2.3.6.json",
    ignored: [{ reason: "messages.update without a delivery status" }],
  },
  {
    behaviour: "an edit copied into messages.update is left to messages.edited, which has its time",
    fixture: "messages-update-edit-2.3.7.json",
    ignored: [{ reason: "edits are taken from messages.edited, which carries their time" }],
  },
  {
    behaviour: "the business reading a customer's message on its phone is not a receipt for us",
    fixture: "messages-update-read-inbound.json",
    ignored: [{
      reason: "receipt for a message the customer sent",
      dedupe_key: "status:3A5C9D2E1F0B4A6C8D7E:read",
    }],
  },
  {
    behaviour: "poll vote tallies are not receipts",
    fixture: "messages-update-poll-votes.json",
    ignored: [{ reason: "poll votes are not messages", dedupe_key: "poll:3EB0CC00DD11EE22FF33" }],
  },
  {
    behaviour: "a message deleted for everyone is a delete of that message",
    fixture: "messages-delete-revoke.json",
    events: [[
      {
        type: "delete",
        occurred_at: POSTED_AT,
        dedupe_key: "delete:3A5C9D2E1F0B4A6C8D7E",
        target_provider_id: "3A5C9D2E1F0B4A6C8D7E",
      },
      MARIA,
    ]],
  },
  {
    behaviour: "our own delete through the API (Evolution's stored row) deletes the WhatsApp message id",
    fixture: "messages-delete-own-api.json",
    events: [[
      {
        type: "delete",
        occurred_at: POSTED_AT,
        dedupe_key: "delete:3EB0D4C3B2A1908F7E6D",
        target_provider_id: "3EB0D4C3B2A1908F7E6D",
      },
      MARIA,
    ]],
  },
  {
    behaviour: "an edit carries the new text and the time it was made",
    fixture: "messages-edited-edit.json",
    events: [[{
      type: "edit",
      occurred_at: "2026-11-24T10:17:05.000Z",
      dedupe_key: "edit:3A5C9D2E1F0B4A6C8D7E:1795515425000",
      target_provider_id: "3A5C9D2E1F0B4A6C8D7E",
      body: "Oi, meu pedido 1042 chegou, obrigada",
    }, "5511999990000"]],
  },
  {
    behaviour: "an edited caption with numeric enums and a Long time is an edit",
    fixture: "messages-edited-caption-numeric.json",
    events: [[{
      type: "edit",
      occurred_at: "2026-11-24T10:17:05.000Z",
      dedupe_key: "edit:ABCDEF0123456789ABCDEF0123456789:1795515425000",
      target_provider_id: "ABCDEF0123456789ABCDEF0123456789",
      body: "Chegou assim, amassado na lateral",
    }, MARIA]],
  },
  {
    behaviour: "a revoke sent as messages.edited is the same delete as messages.delete",
    fixture: "messages-edited-revoke.json",
    events: [[
      {
        type: "delete",
        occurred_at: POSTED_AT,
        dedupe_key: "delete:3A5C9D2E1F0B4A6C8D7E",
        target_provider_id: "3A5C9D2E1F0B4A6C8D7E",
      },
      MARIA,
    ]],
  },
  {
    behaviour: "other protocol messages in messages.edited are not edits",
    fixture: "messages-edited-ephemeral-setting.json",
    ignored: [{ reason: "protocol message EPHEMERAL_SETTING is not an edit" }],
  },
  {
    behaviour: "a connected instance is an open connection",
    fixture: "connection-update-open.json",
    events: [[{
      type: "connection",
      occurred_at: POSTED_AT,
      dedupe_key: `connection:open:${POSTED_AT}`,
      state: "open",
      status_reason: 200,
    }, "channel"]],
  },
  {
    behaviour: "a logout reported by a server on São Paulo time is placed at the right UTC time",
    fixture: "connection-update-close-sao-paulo-clock.json",
    events: [[{
      type: "connection",
      occurred_at: POSTED_AT,
      dedupe_key: "connection:close:2026-11-24T07:15:30.412Z",
      state: "close",
      status_reason: 401,
    }, "channel"]],
  },
  {
    behaviour: "a refused connection (QR code limit) is a closed connection",
    fixture: "connection-update-refused.json",
    events: [[{
      type: "connection",
      occurred_at: POSTED_AT,
      dedupe_key: `connection:refused:${POSTED_AT}`,
      state: "close",
      status_reason: 428,
    }, "channel"]],
  },
  {
    behaviour: "a QR code is not ingested",
    fixture: "qrcode-updated.json",
    ignored: [{ reason: "Evolution event qrcode.updated is not ingested" }],
  },
  {
    behaviour: "a contact update (an array) is not ingested",
    fixture: "contacts-update.json",
    ignored: [{ reason: "Evolution event contacts.update is not ingested" }],
  },
  {
    behaviour: "typing presence is not ingested",
    fixture: "presence-update.json",
    ignored: [{ reason: "Evolution event presence.update is not ingested" }],
  },
  {
    behaviour: "a chat list update is not ingested",
    fixture: "chats-upsert.json",
    ignored: [{ reason: "Evolution event chats.upsert is not ingested" }],
  },
];

for (const c of cases) {
  Deno.test(`Evolution: ${c.behaviour}`, async () => {
    deepStrictEqual(normalise("evolution", await fixture("evolution", c.fixture), { receivedAt }), {
      channel_key: CHANNEL,
      events: (c.events ?? []).map(([event, ordering_key]) => ({
        event,
        ordering_key,
        channel_key: CHANNEL,
      })),
      ignored: (c.ignored ?? []).map((ignored) => ({ ...ignored, channel_key: CHANNEL })),
    });
  });
}

Deno.test("Evolution: the global error hook (no instance) is acknowledged and ignored", async () => {
  deepStrictEqual(normalise("evolution", await fixture("evolution", "error-hook.json"), { receivedAt }), {
    channel_key: "",
    events: [],
    ignored: [{ reason: "Evolution event error is not ingested", channel_key: "" }],
  });
});

Deno.test("Evolution: every item of a data array becomes its own event", async () => {
  const one = await fixture("evolution", "messages-update-read.json") as Json;
  const other = await fixture("evolution", "messages-update-played.json") as Json;
  const result = normalise("evolution", { ...one, data: [one.data, other.data, "not an object"] }, {
    receivedAt,
  });
  deepStrictEqual(result.events.map((e) => e.event.dedupe_key), [
    "status:3EB0D4C3B2A1908F7E6D:read",
    "status:3EB0AB12CD34EF56A7B8:read",
  ]);
  deepStrictEqual(result.ignored, [{
    reason: "messages.update data is not an object",
    channel_key: CHANNEL,
  }]);
});

Deno.test("Evolution: a body without an event can never be valid", () => {
  throws(() => normalise("evolution", { instance: CHANNEL, data: {} }), (e) => {
    ok(e instanceof InvalidPayload);
    equal(e.status, 400);
    equal(e.code, "invalid_payload");
    return true;
  });
});

Deno.test("Evolution: byEvents suffixes map back to their event names", () => {
  equal(evolutionEventForPath("messages-upsert"), "messages.upsert");
  equal(evolutionEventForPath("/send-message-update"), "send.message.update");
  equal(evolutionEventForPath("group-participants-update"), "group-participants.update");
  equal(evolutionEventForPath("typebot-change-status"), "typebot.change-status");
  equal(evolutionEventForPath("messages-upserted"), undefined);
  for (const event of EVOLUTION_EVENTS) equal(evolutionEventForPath(evolutionEventPath(event)), event);
});

Deno.test("Evolution: a body posted to another event's byEvents URL is refused", async () => {
  const body = await fixture("evolution", "messages-upsert-text.json");
  equal(normalise("evolution", body, { receivedAt, eventPath: "/messages-upsert" }).events.length, 1);
  throws(() => normalise("evolution", body, { receivedAt, eventPath: "messages-update" }), (e) => {
    ok(e instanceof InvalidPayload);
    equal(e.code, "event_path_mismatch");
    return true;
  });
});

Deno.test("Evolution: redaction drops the instance token and inline files before anything is stored", async () => {
  const body = await fixture("evolution", "messages-upsert-image-base64.json") as Json;
  const redacted = redactEvolutionBody(body) as Json;
  const text = JSON.stringify(redacted);
  equal("apikey" in redacted, false);
  equal(text.includes(String(body.apikey)), false);
  deepStrictEqual(((redacted.data as Json).message as Json).base64, { omitted_bytes: 300 });
  deepStrictEqual(
    normalise("evolution", redacted, { receivedAt }),
    normalise("evolution", body, { receivedAt }),
  );
  equal("apikey" in body, true, "the original body is left as it was");

  const qrcode = JSON.stringify(redactEvolutionBody(await fixture("evolution", "qrcode-updated.json")));
  equal(qrcode.includes("data:image/png;base64"), false);
  const errorHook = redactEvolutionBody(await fixture("evolution", "error-hook.json")) as Json;
  equal("api_key" in errorHook, false);
});

Deno.test("Evolution: without fileLength the size of an inline file comes from its base64, redacted or not", async () => {
  const body = await fixture("evolution", "messages-upsert-audio-voice.json") as Json;
  delete (((body.data as Json).message as Json).audioMessage as Json).fileLength;
  const size = (b: unknown) =>
    (normalise("evolution", b, { receivedAt }).events[0].event as MessageEvent).media?.size_bytes;
  equal(size(body), 120);
  equal(size(redactEvolutionBody(body)), 120);
});

Deno.test("Evolution: a message emitted again later (Evolution 2.3.7 no longer dedupes) keeps its dedupe key", async () => {
  const first = await fixture("evolution", "messages-upsert-text.json") as Json;
  const again = { ...first, date_time: "2026-11-24T10:20:41.007Z" };
  const later = new Date("2026-11-24T10:20:41.500Z");
  equal(
    normalise("evolution", again, { receivedAt: later }).events[0].event.dedupe_key,
    normalise("evolution", first, { receivedAt }).events[0].event.dedupe_key,
  );
});

Deno.test("Evolution: envelope times are recovered to UTC, and a late retry keeps its original time", () => {
  // Server on UTC−3, delivered within a second.
  equal(
    evolutionEventTime("2026-11-24T07:15:30.412Z", new Date("2026-11-24T10:15:31.000Z")),
    "2026-11-24T10:15:30.412Z",
  );
  // Server on UTC+5:30, a retry delivered five minutes later.
  equal(
    evolutionEventTime("2026-11-24T15:45:30.000Z", new Date("2026-11-24T10:20:30.000Z")),
    "2026-11-24T10:15:30.000Z",
  );
  // Never after we received it, and our clock when there is no usable stamp.
  equal(evolutionEventTime("2026-11-24T10:15:32.000Z", receivedAt), receivedAt.toISOString());
  equal(evolutionEventTime(undefined, receivedAt), receivedAt.toISOString());
});

Deno.test("Evolution: a body over the documented limit is refused with 413 before it is read whole", async () => {
  const oversized = new Request("http://webhook.test/", {
    method: "POST",
    headers: { "content-length": String(EVOLUTION_MAX_BODY_BYTES + 1) },
    body: "{}",
  });
  await rejects(readBodyWithin(oversized, EVOLUTION_MAX_BODY_BYTES), {
    status: 413,
    code: "payload_too_large",
  });
});
