// What the console benchmark looks at, seeded straight through SQL with the schema's own triggers doing their
// work (seq, inbox previews, unread counts, the event log): Ana's inbox of 10,000 open conversations, each with a
// contact and a last message, the newest of them a thread of 10,000 messages. Set-based statements, so it takes
// seconds.
import type postgres from "npm:postgres@3.4.9";
import { DEMO } from "../../supabase/functions/tests/payloads.ts";
import { until } from "./_figures.ts";

export const INBOX_CONVERSATIONS = 10_000;
export const THREAD_MESSAGES = 10_000;
/** The contact of the long thread, at the top of the inbox. */
export const LONG_THREAD_CONTACT = "Cliente Histórico";
export const newestMessageBody = `Mensagem ${THREAD_MESSAGES}: tudo certo, obrigado!`;
/** Inbox row n (from 2) is the conversation of "Cliente n Silva"; thread message n says "Mensagem n: …". The
 * words after the number keep it apart from the digits of the time shown next to it. */
export const INBOX_ROW_MARKER = "Cliente (\\d+) Silva";
export const THREAD_MARKER = "Mensagem (\\d+):";
/** Statements of this many messages each: one transaction per batch keeps the conversation row's update chain short. */
const THREAD_BATCH = 1000;

export interface Seeded {
  longThreadId: string;
  seconds: number;
}

export async function seedConsole(sql: postgres.Sql): Promise<Seeded> {
  const started = performance.now();
  const tenant = DEMO.tenant;
  // Contacts 1 … N: number 1 is the long thread's customer; the rest get one message each, older as i grows.
  await sql`
    insert into public.contacts (tenant_id, phone, push_name)
    select ${tenant}, '5511' || lpad(i::text, 9, '0'),
      case when i = 1 then ${LONG_THREAD_CONTACT} else 'Cliente ' || i || ' Silva' end
    from generate_series(1, ${INBOX_CONVERSATIONS}) i`;
  await sql`
    insert into public.conversations (tenant_id, channel_id, contact_id, status, assignee_id, department_id)
    select ${tenant}, ${DEMO.evolutionChannel}, c.id,
      case when right(c.phone, 1) = '7' then 'pending' else 'open' end,
      ${DEMO.ana}, 'de000000-0000-4000-8000-000000000201'
    from public.contacts c
    where c.tenant_id = ${tenant} and c.phone like '5511%'`;
  const [{ id: longThreadId }] = await sql<{ id: string }[]>`
    select v.id from public.conversations v join public.contacts c on c.id = v.contact_id
    where c.tenant_id = ${tenant} and c.phone = '5511000000001'`;

  // One message per other conversation, a minute apart going back in time, every third one still unread.
  await sql`
    insert into public.messages (conversation_id, direction, status, sender_id, body, occurred_at)
    select v.id, d.direction, case when d.direction = 'inbound' then 'delivered' else 'read' end,
      case when d.direction = 'outbound' then ${DEMO.ana}::uuid end,
      case n % 4
        when 0 then 'Oi, gostaria de saber o prazo de entrega do pedido ' || n
        when 1 then 'Obrigado pelo retorno!'
        when 2 then 'Vocês têm esse modelo em outra cor? Vi no site mas não encontrei o tamanho M.'
        else 'Pode me mandar o boleto atualizado, por favor?'
      end,
      now() - n * interval '1 minute'
    from public.conversations v
    join public.contacts c on c.id = v.contact_id,
      lateral (select right(c.phone, 9)::int as n) i,
      lateral (select case when n % 3 = 0 then 'outbound' else 'inbound' end as direction) d
    where c.tenant_id = ${tenant} and c.phone like '5511%' and v.id <> ${longThreadId}`;

  // The long thread: 10,000 messages five minutes apart (a month of talk), alternating sides in runs, bodies of
  // varied length so the virtualised thread measures rows of different heights; the newest is the latest in
  // the inbox.
  for (let from = 1; from <= THREAD_MESSAGES; from += THREAD_BATCH) {
    await sql`
      insert into public.messages (conversation_id, direction, status, sender_id, body, occurred_at)
      select ${longThreadId}, d.direction, case when d.direction = 'inbound' then 'delivered' else 'read' end,
        case when d.direction = 'outbound' then ${DEMO.ana}::uuid end,
        case when i = ${THREAD_MESSAGES} then ${newestMessageBody}
          else 'Mensagem ' || i || case i % 5
            when 0 then ': sim.'
            when 1 then ': certo.'
            when 2 then ': recebi o pedido e já estou separando os itens, devo enviar ainda hoje.'
            when 3 then ': a nota fiscal segue em anexo; qualquer dúvida sobre os valores, me avise que eu explico '
              || 'item por item, inclusive o frete e o desconto que aplicamos nesta compra.'
            else ': ok, obrigado!'
          end
        end,
        now() - (${THREAD_MESSAGES} - i) * interval '5 minutes'
      from generate_series(${from}::int, ${Math.min(from + THREAD_BATCH - 1, THREAD_MESSAGES)}::int) i,
        lateral (select case when (i / 3) % 2 = 0 then 'inbound' else 'outbound' end as direction) d
      order by i`;
  }
  await sql`analyze public.contacts, public.conversations, public.messages, public.events`;
  await realtimeCaughtUp(sql);
  return { longThreadId, seconds: (performance.now() - started) / 1000 };
}

/** The seed broadcast an event per row; waits until the stack's Realtime has read them all from the replication
 * slot, so decoding them does not compete with what is measured next. */
async function realtimeCaughtUp(sql: postgres.Sql) {
  const [{ lsn }] = await sql<{ lsn: string }[]>`select pg_current_wal_lsn()::text as lsn`;
  const caughtUp = await until(
    async () => {
      const [{ behind }] = await sql<{ behind: number }[]>`
      select count(*)::int as behind from pg_replication_slots
      where slot_name like 'atende_realtime_%' and (confirmed_flush_lsn is null or confirmed_flush_lsn < ${lsn}::pg_lsn)`;
      return behind === 0;
    },
    120_000,
    250,
  );
  if (!caughtUp) throw new Error("Realtime did not read the seeded events within 120 s");
}
