import { deepStrictEqual, equal, ok, throws } from "node:assert/strict";
import type { ContactRef, InboundEvent, MessageEvent, StatusEvent } from "../inbound.ts";
import { InvalidPayload, normalise } from "../normalise.ts";
import { fixture } from "../fixtures/load.ts";
import { verifyCloudHandshake } from "./cloud.ts";

const receivedAt = new Date("2026-11-24T10:15:31.000Z");
const PHONE_NUMBER_ID = "106540352242922";
/** `timestamp` of the fixtures' messages. */
const SENT_AT = "2026-11-24T10:15:30.000Z";
const MARIA = "5511988887777";
const BSUID = "BR.13491208655302741918";
const maria: ContactRef = { phone: MARIA, name: "Maria Souza" };
const GROUP = "Y2FwaV9ncm91cDoxNTU1MDc4Mzg4MToxMjAzNjMwNDEyMzQ1Njc4OTA";
const wamid = (tag: string) => `wamid.HBgNNTUxMTk4ODg4Nzc3NxUCABIYFDNBR${tag}AA=`;
/** The business message customers reply or react to in these fixtures. */
const OURS = "wamid.HBgNNTUxMTk4ODg4Nzc3NxUCABEYEjQ1QUJDMDEyMzQ1Njc4OUFCAA==";

const message = (tag: string, fields: Partial<MessageEvent>): MessageEvent => ({
  type: "message",
  occurred_at: SENT_AT,
  dedupe_key: `message:${wamid(tag)}`,
  provider_message_id: wamid(tag),
  from_me: false,
  contact: maria,
  message_type: "text",
  ...fields,
});

const status = (
  tag: string,
  value: StatusEvent["status"],
  occurred_at: string,
  fields: Partial<StatusEvent> = {},
): StatusEvent => ({
  type: "status",
  occurred_at,
  dedupe_key: `status:${wamid(tag)}:${value}`,
  provider_message_id: wamid(tag),
  status: value,
  contact: { phone: MARIA },
  ...fields,
});

interface Case {
  behaviour: string;
  fixture: string;
  events?: Array<[InboundEvent, string]>;
  ignored?: Array<{ reason: string; dedupe_key?: string }>;
  channel?: string;
}

const cases: Case[] = [
  {
    behaviour: "a customer's text becomes an inbound text message with their profile name",
    fixture: "text.json",
    events: [[message("TEXT01", { body: "Oi, meu pedido 1042 ainda não chegou" }), MARIA]],
  },
  {
    behaviour: "a reply keeps the wamid it answers",
    fixture: "text-reply-context.json",
    events: [[message("REPLY1", { body: "Pode ser amanhã às 10h?", reply_to_provider_id: OURS }), MARIA]],
  },
  {
    behaviour: "an image keeps its media id, type, hash and caption",
    fixture: "image.json",
    events: [[
      message("IMAGE1", {
        message_type: "image",
        media: {
          id: "1037543291543636",
          mime_type: "image/jpeg",
          sha256: "Nw2Z4g+2bP0pDXVpw7Yr9d5tTIfAB1EhUDt4e/7pNG0=",
          caption: "Chegou assim, amassado",
        },
      }),
      MARIA,
    ]],
  },
  {
    behaviour: "a video keeps its media id and caption",
    fixture: "video.json",
    events: [[
      message("VIDEO1", {
        message_type: "video",
        media: {
          id: "1184352870028717",
          mime_type: "video/mp4",
          sha256: "m3Q1wVY8S0a1Hk0c4oq2Hk2mQkVJ7o0p1Y9g0zYb9s8=",
          caption: "Olha o barulho que faz",
        },
      }),
      MARIA,
    ]],
  },
  {
    behaviour: "a voice note is audio marked as voice",
    fixture: "audio-voice.json",
    events: [[
      message("AUDIO1", {
        message_type: "audio",
        media: {
          id: "1612845966143025",
          mime_type: "audio/ogg; codecs=opus",
          sha256: "x9d3mYl0Vbq8pQ0Jz1Yb0u3R7nq6n2Jc3yKkJc0y1aA=",
          voice: true,
        },
      }),
      MARIA,
    ]],
  },
  {
    behaviour: "a document keeps its file name and caption",
    fixture: "document.json",
    events: [[
      message("DOCUM1", {
        message_type: "document",
        media: {
          id: "3728815207393125",
          mime_type: "application/pdf",
          file_name: "nota-fiscal-1042.pdf",
          sha256: "b1s0Zr7Q0m0yJ0n9b9o4z3lO2vJ1wq3h5a2y8c0d9e4=",
          caption: "Segue a nota",
        },
      }),
      MARIA,
    ]],
  },
  {
    behaviour: "a sticker is a sticker message",
    fixture: "sticker.json",
    events: [[
      message("STICK1", {
        message_type: "sticker",
        media: {
          id: "1001934307838231",
          mime_type: "image/webp",
          sha256: "Zz9Ck1Wq9k4Y3p2b7v8c1n0m5x6z7a8s9d0f1g2h3j4=",
        },
      }),
      MARIA,
    ]],
  },
  {
    behaviour: "a shared location keeps its coordinates, name and address",
    fixture: "location.json",
    events: [[
      message("LOCAT1", {
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
    behaviour: "shared contacts read as one line per person with their numbers",
    fixture: "contacts.json",
    events: [[
      message("CONTA1", { message_type: "contacts", body: "Carlos Lima (+55 11 97777-1234)\nAna Reis" }),
      MARIA,
    ]],
  },
  {
    behaviour: "a reply button tap is an interactive reply showing the button's title",
    fixture: "interactive-button-reply.json",
    events: [[
      message("BUTTN1", {
        message_type: "interactive",
        body: "Falar com atendente",
        reply_to_provider_id: "wamid.HBgNNTUxMTk4ODg4Nzc3NxUCABEYEkJUTjAxMjM0NTY3ODlBQkNEAA==",
      }),
      MARIA,
    ]],
  },
  {
    behaviour: "a list choice is an interactive reply showing the row's title",
    fixture: "interactive-list-reply.json",
    events: [[
      message("LISTR1", {
        message_type: "interactive",
        body: "Segunda via do boleto",
        reply_to_provider_id: "wamid.HBgNNTUxMTk4ODg4Nzc3NxUCABEYEkxJU1QwMTIzNDU2Nzg5QUJDAA==",
      }),
      MARIA,
    ]],
  },
  {
    behaviour: "a completed Flow is an interactive reply",
    fixture: "interactive-nfm-reply.json",
    events: [[
      message("FLOWR1", {
        message_type: "interactive",
        body: "Sent",
        reply_to_provider_id: "wamid.HBgNNTUxMTk4ODg4Nzc3NxUCABEYEkZMT1cwMTIzNDU2Nzg5QUJDAA==",
      }),
      MARIA,
    ]],
  },
  {
    behaviour: "a template quick-reply button is an interactive reply showing its text",
    fixture: "button-template-quick-reply.json",
    events: [[
      message("TPLBT1", {
        message_type: "interactive",
        body: "Confirmar entrega",
        reply_to_provider_id: "wamid.HBgNNTUxMTk4ODg4Nzc3NxUCABEYElRQTDAxMjM0NTY3ODlBQkNEAA==",
      }),
      MARIA,
    ]],
  },
  {
    behaviour: "a reaction is a reaction on the wamid it points at",
    fixture: "reaction.json",
    events: [[{
      type: "reaction",
      occurred_at: SENT_AT,
      dedupe_key: `message:${wamid("REACT1")}`,
      target_provider_id: OURS,
      emoji: "👍",
      from_me: false,
      contact: maria,
    }, MARIA]],
  },
  {
    behaviour: "a reaction without an emoji takes the reaction back",
    fixture: "reaction-removed.json",
    events: [[{
      type: "reaction",
      occurred_at: "2026-11-24T10:16:30.000Z",
      dedupe_key: `message:${wamid("REACT2")}`,
      target_provider_id: OURS,
      emoji: "",
      from_me: false,
      contact: maria,
    }, MARIA]],
  },
  {
    behaviour: "an unsupported message is stored as unsupported, naming what the customer sent",
    fixture: "unsupported.json",
    events: [[message("UNSUP1", { message_type: "unsupported", provider_type: "poll_creation" }), MARIA]],
  },
  {
    behaviour: "a system notice (number changed) is stored as unsupported",
    fixture: "system-user-changed-number.json",
    events: [[message("SYSTM1", { message_type: "unsupported", provider_type: "system" }), MARIA]],
  },
  {
    behaviour: "a welcome request says nothing and is not a message",
    fixture: "request-welcome.json",
    ignored: [{
      reason: "request_welcome: the user opened the chat, nothing was said",
      dedupe_key: `message:${wamid("WELCM1")}`,
    }],
  },
  {
    behaviour: "an edit (Coexistence) replaces the original's text",
    fixture: "edit.json",
    events: [[{
      type: "edit",
      occurred_at: SENT_AT,
      dedupe_key: `message:${wamid("EDIT01")}`,
      target_provider_id: wamid("TEXT01"),
      body: "Oi, meu pedido 1042 chegou, obrigada",
    }, MARIA]],
  },
  {
    behaviour: "a revoke (Coexistence) deletes the original",
    fixture: "revoke.json",
    events: [[{
      type: "delete",
      occurred_at: SENT_AT,
      dedupe_key: `message:${wamid("REVOK1")}`,
      target_provider_id: wamid("TEXT01"),
    }, MARIA]],
  },
  {
    behaviour: "a message carrying both a phone and a BSUID keeps both",
    fixture: "bsuid-with-phone.json",
    events: [[message("BSUID1", { contact: { ...maria, bsuid: BSUID }, body: "Tem na cor azul?" }), MARIA]],
  },
  {
    behaviour: "a customer with a username and no phone is known by BSUID",
    fixture: "bsuid-username-only.json",
    events: [[
      message("BSUID2", { contact: { bsuid: BSUID, name: "Maria Souza" }, body: "Tem na cor azul?" }),
      BSUID,
    ]],
  },
  {
    behaviour: "a group message names the group and its author",
    fixture: "group-message.json",
    events: [[
      message("GROUP1", {
        contact: { phone: "5521977776666", name: "João Pedro" },
        group: { id: GROUP },
        author: { phone: "5521977776666", name: "João Pedro" },
        body: "Alguém da loja pode confirmar o horário?",
      }),
      GROUP,
    ]],
  },
  {
    behaviour: "a sent receipt (new PMP pricing) marks our message sent",
    fixture: "statuses-sent-pricing-pmp.json",
    events: [[status("OUT001", "sent", "2026-11-24T10:15:35.000Z"), MARIA]],
  },
  {
    behaviour: "a delivered receipt marks our message delivered",
    fixture: "statuses-delivered.json",
    events: [[status("OUT001", "delivered", "2026-11-24T10:15:37.000Z"), MARIA]],
  },
  {
    behaviour: "a read receipt marks our message read",
    fixture: "statuses-read.json",
    events: [[status("OUT001", "read", "2026-11-24T10:16:10.000Z"), MARIA]],
  },
  {
    behaviour: "a played voice note counts as read",
    fixture: "statuses-played-voice.json",
    events: [[status("OUT002", "read", "2026-11-24T10:17:00.000Z"), MARIA]],
  },
  {
    behaviour: "a send outside the 24-hour window fails with Meta's code, title and detail",
    fixture: "statuses-failed-131047.json",
    events: [[
      status("OUT003", "failed", "2026-11-24T10:15:32.000Z", {
        error: {
          code: "131047",
          title: "Re-engagement message",
          detail:
            "Message failed to send because more than 24 hours have passed since the customer last replied to this number.",
        },
      }),
      MARIA,
    ]],
  },
  {
    behaviour: "a receipt in a group is ordered with the group's messages",
    fixture: "statuses-group-read.json",
    events: [[{
      type: "status",
      occurred_at: "2026-11-24T10:16:00.000Z",
      dedupe_key: `status:${wamid("OUT004")}:read`,
      provider_message_id: wamid("OUT004"),
      status: "read",
    }, GROUP]],
  },
  {
    behaviour: "a receipt naming only the recipient's BSUID keeps it",
    fixture: "statuses-bsuid-recipient.json",
    events: [[
      status("OUT005", "delivered", "2026-11-24T10:15:36.000Z", { contact: { bsuid: BSUID } }),
      BSUID,
    ]],
  },
  {
    behaviour: "a status we do not know is acknowledged and ignored",
    fixture: "statuses-unknown-deleted.json",
    ignored: [{ reason: "unknown message status deleted", dedupe_key: `status:${wamid("OUT006")}:deleted` }],
  },
  {
    behaviour: "an error about the webhook itself is acknowledged and ignored",
    fixture: "errors-change-level.json",
    ignored: [{ reason: "Cloud API error 131000: Something went wrong" }],
  },
  {
    behaviour: "a message typed in the WhatsApp Business app (Coexistence echo) is outbound",
    fixture: "smb-message-echoes.json",
    events: [[
      message("ECHO01", {
        occurred_at: "2026-11-24T10:17:30.000Z",
        from_me: true,
        contact: { phone: MARIA },
        body: "Já verifiquei, sai hoje à tarde.",
      }),
      MARIA,
    ]],
  },
  {
    behaviour: "account updates are not ingested",
    fixture: "account-update.json",
    channel: "",
    ignored: [{ reason: "webhook field account_update is not ingested" }],
  },
  {
    behaviour: "a webhook for another Meta product is not ingested",
    fixture: "object-page.json",
    channel: "",
    ignored: [{ reason: "webhook object page is not WhatsApp" }],
  },
];

for (const c of cases) {
  Deno.test(`Cloud API: ${c.behaviour}`, async () => {
    const channel = c.channel ?? PHONE_NUMBER_ID;
    deepStrictEqual(normalise("cloud", await fixture("cloud", c.fixture), { receivedAt }), {
      channel_key: channel,
      events: (c.events ?? []).map(([event, ordering_key]) => ({
        event,
        ordering_key,
        channel_key: channel,
      })),
      ignored: (c.ignored ?? []).map((ignored) => ({ ...ignored, channel_key: channel })),
    });
  });
}

Deno.test("Cloud API: every message and status of every entry and change is its own event, on its own number", async () => {
  const result = normalise("cloud", await fixture("cloud", "batch-two-numbers.json"), { receivedAt });
  equal(result.channel_key, PHONE_NUMBER_ID);
  deepStrictEqual(
    result.events.map((e) => [e.channel_key, e.event.dedupe_key, e.ordering_key]),
    [
      [PHONE_NUMBER_ID, `message:${wamid("BATCH1")}`, MARIA],
      [PHONE_NUMBER_ID, `message:${wamid("BATCH2")}`, MARIA],
      [PHONE_NUMBER_ID, `status:${wamid("OUT001")}:delivered`, MARIA],
      [PHONE_NUMBER_ID, `status:${wamid("OUT001")}:read`, MARIA],
      ["106540352242999", `message:${wamid("BATCH3")}`, "5521977776666"],
    ],
  );
  deepStrictEqual(result.ignored, []);
});

Deno.test("Cloud API: a body without an object can never be valid", () => {
  throws(() => normalise("cloud", { entry: [] }), (e) => {
    ok(e instanceof InvalidPayload);
    equal(e.status, 400);
    equal(e.code, "invalid_payload");
    return true;
  });
});

const handshake = (query: string) => verifyCloudHandshake(new URLSearchParams(query), "token-da-loja-centro");

Deno.test("Cloud API: the verification handshake answers Meta's challenge when the verify token matches", () => {
  deepStrictEqual(
    handshake("hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=token-da-loja-centro"),
    {
      ok: true,
      challenge: "1158201444",
    },
  );
});

Deno.test("Cloud API: the verification handshake refuses a wrong token, another mode or no challenge", () => {
  deepStrictEqual(
    handshake("hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=token-de-outra-loja"),
    {
      ok: false,
      reason: "wrong_verify_token",
    },
  );
  deepStrictEqual(handshake("hub.mode=subscribe&hub.challenge=1158201444"), {
    ok: false,
    reason: "wrong_verify_token",
  });
  deepStrictEqual(handshake("hub.mode=unsubscribe&hub.challenge=1&hub.verify_token=token-da-loja-centro"), {
    ok: false,
    reason: "not_a_subscription",
  });
  deepStrictEqual(handshake("hub.mode=subscribe&hub.verify_token=token-da-loja-centro"), {
    ok: false,
    reason: "missing_challenge",
  });
  equal(
    verifyCloudHandshake(new URLSearchParams("hub.mode=subscribe&hub.challenge=1&hub.verify_token="), "").ok,
    false,
  );
});

Deno.test("Cloud API: a receipt carries back our message id from biz_opaque_callback_data", async () => {
  const body = structuredClone(await fixture("cloud", "statuses-delivered.json")) as {
    entry: { changes: { value: { statuses: Record<string, unknown>[] } }[] }[];
  };
  body.entry[0].changes[0].value.statuses[0].biz_opaque_callback_data =
    "6f1c2a3b-0000-4000-8000-000000000001";
  const [{ event }] = normalise("cloud", body, { receivedAt }).events;
  equal((event as StatusEvent).client_reference, "6f1c2a3b-0000-4000-8000-000000000001");
});
