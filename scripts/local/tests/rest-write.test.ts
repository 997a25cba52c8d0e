// Writing through supabase-js answers as PostgREST does: 201/200/204 by what was asked to return, upserts that
// merge or ignore duplicates, defaults for missing columns, and filtered updates and deletes.
import { deepStrictEqual, equal } from "node:assert/strict";
import { cfg, rest, seedBlog, service, signedInUser, stillServes, uniqueTag } from "../rest/testing.ts";

Deno.test("insert answers 201 with no body, or the rows when select() is chained", async () => {
  const { client } = await signedInUser();
  const tag = uniqueTag();
  const minimal = await client.from("rest_authors").insert({ name: `Quiet ${tag}`, tag });
  equal(minimal.status, 201);
  equal(minimal.error, null);
  equal(minimal.data, null);
  const full = await client.from("rest_authors").insert([
    { name: `Loud ${tag}`, country: "PT", tag },
    { name: `Louder ${tag}`, tag },
  ]).select("name, country").order("name");
  equal(full.status, 201);
  deepStrictEqual(full.data, [{ name: `Loud ${tag}`, country: "PT" }, {
    name: `Louder ${tag}`,
    country: null,
  }]);
  const single = await client.from("rest_authors").insert({ name: `One ${tag}`, tag }).select("name")
    .single();
  deepStrictEqual(single.data, { name: `One ${tag}` });
});

Deno.test("a bulk insert with defaultToNull: false lets missing columns take their defaults", async () => {
  const { client } = await signedInUser();
  const { authors, tag } = await seedBlog();
  const nulls = await client.from("rest_posts").insert([
    { author_id: authors.cy, title: "A", views: 3, tag },
    { author_id: authors.cy, title: "B", tag },
  ]);
  equal(nulls.status, 400);
  equal(nulls.error?.code, "23502");
  const defaults = await client.from("rest_posts").insert([
    { author_id: authors.cy, title: "A", views: 3, tag },
    { author_id: authors.cy, title: "B", tag },
  ], { defaultToNull: false }).select("title, views, published").order("title");
  equal(defaults.error, null);
  deepStrictEqual(defaults.data, [
    { title: "A", views: 3, published: false },
    { title: "B", views: 0, published: false },
  ]);
});

Deno.test("upsert merges duplicates (200 when it only updated, 201 when it inserted) or ignores them", async () => {
  const { client } = await signedInUser();
  const tag = uniqueTag();
  const name = `Upsert ${tag}`;
  const first = await client.from("rest_authors").upsert({ name, country: "BR", tag }, { onConflict: "name" })
    .select("name, country");
  equal(first.status, 201);
  deepStrictEqual(first.data, [{ name, country: "BR" }]);
  const merged = await client.from("rest_authors").upsert({ name, country: "AR", tag }, {
    onConflict: "name",
  })
    .select("name, country");
  equal(merged.status, 200);
  deepStrictEqual(merged.data, [{ name, country: "AR" }]);
  const ignored = await client.from("rest_authors")
    .upsert([{ name, country: "CL", tag }, { name: `Other ${tag}`, country: "CL", tag }], {
      onConflict: "name",
      ignoreDuplicates: true,
    }).select("name, country");
  equal(ignored.status, 201);
  deepStrictEqual(ignored.data, [{ name: `Other ${tag}`, country: "CL" }]);
  const stored = await service.from("rest_authors").select("name, country").eq("tag", tag).order("name");
  deepStrictEqual(stored.data, [{ name: `Other ${tag}`, country: "CL" }, { name, country: "AR" }]);
});

Deno.test("update changes only the filtered rows: 204 without select, 200 with the rows", async () => {
  const { client } = await signedInUser();
  const { tag, posts } = await seedBlog();
  const minimal = await client.from("rest_posts").update({ views: 100 }).eq("tag", tag).eq("published", true);
  equal(minimal.status, 204);
  equal(minimal.data, null);
  const counted = await client.from("rest_posts").update({ published: true }, { count: "exact" })
    .eq("id", posts.draft).select("title, published, views");
  equal(counted.status, 200);
  equal(counted.count, 1);
  deepStrictEqual(counted.data, [{ title: "Draft", published: true, views: 2 }]);
  const stored = await service.from("rest_posts").select("title, views").eq("tag", tag).order("title");
  deepStrictEqual(stored.data, [
    { title: "Draft", views: 2 },
    { title: "Hello", views: 100 },
    { title: "Third", views: 100 },
    { title: "World", views: 7 },
  ]);
  const unknown = await client.from("rest_posts").update({ nope: 1 } as never).eq("id", posts.draft);
  equal(unknown.status, 400);
  deepStrictEqual(unknown.error, {
    code: "PGRST204",
    details: null,
    hint: null,
    message: "Could not find the 'nope' column of 'rest_posts' in the schema cache",
  });
});

Deno.test("delete removes the filtered rows: 204 without select, 200 with the rows", async () => {
  const { client } = await signedInUser();
  const { tag, posts } = await seedBlog();
  const minimal = await client.from("rest_posts").delete().eq("id", posts.draft);
  equal(minimal.status, 204);
  const full = await client.from("rest_posts").delete({ count: "exact" }).eq("tag", tag).lt("views", 6)
    .select("title").order("title");
  equal(full.status, 200);
  equal(full.count, 2);
  deepStrictEqual(full.data, [{ title: "Hello" }, { title: "Third" }]);
  const left = await service.from("rest_posts").select("title").eq("tag", tag);
  deepStrictEqual(left.data, [{ title: "World" }]);
});

Deno.test("an update or delete without any filter is refused as hosted Supabase's safeupdate does", async () => {
  const { client } = await signedInUser();
  const del = await client.from("rest_posts").delete();
  equal(del.status, 400);
  deepStrictEqual(del.error, {
    code: "21000",
    details: null,
    hint: null,
    message: "DELETE requires a WHERE clause",
  });
  const upd = await client.from("rest_posts").update({ views: 1 });
  equal(upd.status, 400);
  equal(upd.error?.message, "UPDATE requires a WHERE clause");
  await stillServes();
});

Deno.test("return=headers-only answers the new row's Location", async () => {
  const tag = uniqueTag();
  const res = await rest("/rest_authors", {
    method: "POST",
    headers: {
      Authorization: `Bearer ${cfg.serviceRoleKey}`,
      "Content-Type": "application/json",
      Prefer: "return=headers-only",
    },
    body: JSON.stringify({ name: `Located ${tag}`, tag }),
  });
  await res.body?.cancel();
  equal(res.status, 201);
  const { data } = await service.from("rest_authors").select("id").eq("tag", tag).single();
  equal(res.headers.get("location"), `/rest_authors?id=eq.${data!.id}`);
  equal(res.headers.get("content-range"), "*/*");
  equal(res.headers.get("preference-applied"), "return=headers-only");
});
