// Reading tables through supabase-js behaves as on hosted Supabase: filters, logic trees, ordering, paging,
// counts, single rows, embedded relations and CSV.
import { deepStrictEqual, equal, match } from "node:assert/strict";
import { anon, rest, seedBlog, service } from "../rest/testing.ts";

const titles = (rows: { title: string }[] | null) => (rows ?? []).map((r) => r.title).sort();

Deno.test("every comparison filter narrows the rows, and not. negates it", async () => {
  const { tag } = await seedBlog();
  const posts = () => anon.from("rest_posts").select("title").eq("tag", tag);
  const cases: [string, PromiseLike<{ data: { title: string }[] | null }>, string[]][] = [
    ["eq", posts().eq("views", 5), ["Hello"]],
    ["neq", posts().neq("views", 5), ["Draft", "Third", "World"]],
    ["gt", posts().gt("views", 2), ["Hello", "World"]],
    ["gte", posts().gte("views", 2), ["Draft", "Hello", "World"]],
    ["lt", posts().lt("views", 2), ["Third"]],
    ["lte", posts().lte("views", 2), ["Draft", "Third"]],
    ["like", posts().like("title", "%or%"), ["World"]],
    ["ilike", posts().ilike("title", "h%"), ["Hello"]],
    ["in", posts().in("title", ["Hello", "Third", "Nope"]), ["Hello", "Third"]],
    ["is null", posts().is("rating", null), ["Draft", "World"]],
    ["is true", posts().is("published", true), ["Hello", "Third"]],
    ["not is null", posts().not("rating", "is", null), ["Hello", "Third"]],
    ["not in", posts().not("title", "in", "(Hello,World)"), ["Draft", "Third"]],
    ["not eq", posts().not("views", "eq", 0), ["Draft", "Hello", "World"]],
    ["match", posts().match({ views: 7, published: false }), ["World"]],
    ["json path", posts().eq("meta->>lang", "en"), ["Third"]],
  ];
  for (const [name, query, expected] of cases) {
    const { data } = await query;
    deepStrictEqual(titles(data), expected, name);
  }
});

Deno.test("or() and nested and() combine filters", async () => {
  const { tag } = await seedBlog();
  const either = await anon.from("rest_posts").select("title").eq("tag", tag).or("views.gt.6,title.eq.Third");
  deepStrictEqual(titles(either.data), ["Third", "World"]);
  const nested = await anon.from("rest_posts").select("title").eq("tag", tag)
    .or("and(published.is.true,views.gte.5),rating.is.null");
  deepStrictEqual(titles(nested.data), ["Draft", "Hello", "World"]);
  const negated = await anon.from("rest_posts").select("title").eq("tag", tag).not("title", "in", "(Hello)")
    .or("views.lt.1,views.gt.6");
  deepStrictEqual(titles(negated.data), ["Third", "World"]);
});

Deno.test("order sorts by several columns and places nulls as asked", async () => {
  const { tag } = await seedBlog();
  const byRating = await anon.from("rest_posts").select("title").eq("tag", tag)
    .order("rating", { ascending: false, nullsFirst: false }).order("views");
  deepStrictEqual(byRating.data!.map((r) => r.title), ["Hello", "Third", "Draft", "World"]);
  const nullsFirst = await anon.from("rest_posts").select("title").eq("tag", tag)
    .order("rating", { nullsFirst: true }).order("title", { ascending: false });
  deepStrictEqual(nullsFirst.data!.map((r) => r.title), ["World", "Draft", "Third", "Hello"]);
});

Deno.test("limit and range page through ordered rows", async () => {
  const { tag } = await seedBlog();
  const ordered = () => anon.from("rest_posts").select("title").eq("tag", tag).order("views");
  deepStrictEqual((await ordered().limit(2)).data!.map((r) => r.title), ["Third", "Draft"]);
  deepStrictEqual((await ordered().range(1, 2)).data!.map((r) => r.title), ["Draft", "Hello"]);
  deepStrictEqual((await ordered().range(3, 9)).data!.map((r) => r.title), ["World"]);
  const viaHeader = await rest(`/rest_posts?select=title&tag=eq.${tag}&order=views`, {
    headers: { Range: "1-2" },
  });
  deepStrictEqual((await viaHeader.json()).map((r: { title: string }) => r.title), ["Draft", "Hello"]);
});

Deno.test("count=exact reports the total: 200 for everything, 206 for a page, 416 past the end", async () => {
  const { tag } = await seedBlog();
  const all = await anon.from("rest_posts").select("title", { count: "exact" }).eq("tag", tag);
  equal(all.status, 200);
  equal(all.count, 4);
  const page = await anon.from("rest_posts").select("title", { count: "exact" }).eq("tag", tag).order("id")
    .range(1, 2);
  equal(page.status, 206);
  equal(page.count, 4);
  deepStrictEqual(page.data!.length, 2);
  const past = await anon.from("rest_posts").select("title", { count: "exact" }).eq("tag", tag).range(10, 12);
  equal(past.status, 416);
  deepStrictEqual(past.error, {
    code: "PGRST103",
    details: "An offset of 10 was requested, but there are only 4 rows.",
    hint: null,
    message: "Requested range not satisfiable",
  });
  const headers = await rest(`/rest_posts?select=id&tag=eq.${tag}&order=id&offset=1&limit=2`, {
    headers: { Prefer: "count=exact" },
  });
  await headers.body?.cancel();
  equal(headers.status, 206);
  equal(headers.headers.get("content-range"), "1-2/4");
  const none = await rest(`/rest_posts?select=id&tag=eq.nothing-${tag}`, {
    headers: { Prefer: "count=exact" },
  });
  await none.body?.cancel();
  equal(none.headers.get("content-range"), "*/0");
  const uncounted = await rest(`/rest_posts?select=id&tag=eq.${tag}`);
  await uncounted.body?.cancel();
  equal(uncounted.headers.get("content-range"), "0-3/*");
});

Deno.test("head with count answers the count without rows", async () => {
  const { tag } = await seedBlog();
  const { data, count, error } = await anon.from("rest_posts").select("*", { count: "exact", head: true })
    .eq("tag", tag).gt("views", 1);
  equal(error, null);
  equal(data, null);
  equal(count, 3);
});

Deno.test("single() returns one object and refuses none or many with 406 PGRST116", async () => {
  const { tag, posts } = await seedBlog();
  const one = await anon.from("rest_posts").select("id, title").eq("id", posts.hello).single();
  deepStrictEqual(one.data, { id: posts.hello, title: "Hello" });
  const none = await anon.from("rest_posts").select("id").eq("tag", tag).eq("views", 999).single();
  equal(none.status, 406);
  deepStrictEqual(none.error, {
    code: "PGRST116",
    details: "The result contains 0 rows",
    hint: null,
    message: "Cannot coerce the result to a single JSON object",
  });
  const many = await anon.from("rest_posts").select("id").eq("tag", tag).single();
  equal(many.status, 406);
  equal(many.error?.details, "The result contains 4 rows");
});

Deno.test("maybeSingle() gives the row, null for none, and an error for many", async () => {
  const { tag } = await seedBlog();
  const one = await anon.from("rest_posts").select("title").eq("tag", tag).eq("views", 7).maybeSingle();
  deepStrictEqual(one.data, { title: "World" });
  const none = await anon.from("rest_posts").select("title").eq("tag", tag).eq("views", 999).maybeSingle();
  equal(none.error, null);
  equal(none.data, null);
  const many = await anon.from("rest_posts").select("title").eq("tag", tag).maybeSingle();
  equal(many.error?.code, "PGRST116");
});

Deno.test("a many-to-one embed is an object and a one-to-many embed an array", async () => {
  const { tag, authors } = await seedBlog();
  const posts = await anon.from("rest_posts").select("title, author:rest_authors(name, country)")
    .eq("tag", tag).order("views", { ascending: false });
  deepStrictEqual(posts.data, [
    { title: "World", author: { name: `Ana ${tag}`, country: "BR" } },
    { title: "Hello", author: { name: `Ana ${tag}`, country: "BR" } },
    { title: "Draft", author: null },
    { title: "Third", author: { name: `Bo ${tag}`, country: "US" } },
  ]);
  const people = await anon.from("rest_authors").select("id, rest_posts(title)")
    .eq("tag", tag).order("id").order("title", { referencedTable: "rest_posts" });
  deepStrictEqual(people.data, [
    { id: authors.ana, rest_posts: [{ title: "Hello" }, { title: "World" }] },
    { id: authors.bo, rest_posts: [{ title: "Third" }] },
    { id: authors.cy, rest_posts: [] },
  ]);
});

Deno.test("filters on embedded columns filter the embed, and !inner filters the parent too", async () => {
  const { tag } = await seedBlog();
  const loose = await anon.from("rest_posts").select("title, rest_authors(name)")
    .eq("tag", tag).eq("rest_authors.country", "US").order("title");
  deepStrictEqual(loose.data, [
    { title: "Draft", rest_authors: null },
    { title: "Hello", rest_authors: null },
    { title: "Third", rest_authors: { name: `Bo ${tag}` } },
    { title: "World", rest_authors: null },
  ]);
  const inner = await anon.from("rest_posts").select("title, rest_authors!inner(name)", { count: "exact" })
    .eq("tag", tag).eq("rest_authors.country", "BR").order("title");
  deepStrictEqual(inner.data!.map((r) => r.title), ["Hello", "World"]);
  equal(inner.count, 2);
  const limited = await anon.from("rest_authors").select("name, rest_posts(title)")
    .eq("tag", tag).eq("country", "BR").order("views", { referencedTable: "rest_posts", ascending: false })
    .limit(1, { referencedTable: "rest_posts" });
  deepStrictEqual(limited.data, [{ name: `Ana ${tag}`, rest_posts: [{ title: "World" }] }]);
});

Deno.test("a foreign key hint picks one of two relationships to the same table", async () => {
  const { tag, authors, posts } = await seedBlog();
  const review = await service.from("rest_reviews").insert({
    post_id: posts.hello,
    reviewer_id: authors.bo,
    subject_id: authors.ana,
    stars: 5,
    tag,
  });
  equal(review.error, null);
  const ambiguous = await anon.from("rest_reviews").select("stars, rest_authors(name)").eq("tag", tag);
  equal(ambiguous.status, 300);
  equal(ambiguous.error?.code, "PGRST201");
  const hinted = await anon.from("rest_reviews")
    .select("stars, reviewer:rest_authors!rest_reviews_reviewer_id_fkey(name), subject:subject_id(name)")
    .eq("tag", tag);
  deepStrictEqual(hinted.data, [{
    stars: 5,
    reviewer: { name: `Bo ${tag}` },
    subject: { name: `Ana ${tag}` },
  }]);
  const missing = await anon.from("rest_posts").select("title, rest_events(id)").eq("tag", tag);
  equal(missing.status, 400);
  equal(missing.error?.code, "PGRST200");
  match(missing.error!.message, /Could not find a relationship between 'rest_posts' and 'rest_events'/);
});

Deno.test("aliases, casts and JSON paths shape the selected columns", async () => {
  const { posts } = await seedBlog();
  const { data } = await anon.from("rest_posts").select(
    "heading:title, views::text, meta->>lang, n:meta->n, rating",
  )
    .eq("id", posts.hello).single();
  deepStrictEqual(data, { heading: "Hello", views: "5", lang: "pt", n: 1, rating: 4.5 });
});

Deno.test("csv() answers text/csv with a header line", async () => {
  const { tag } = await seedBlog();
  const { data, error } = await anon.from("rest_posts").select("title,views").eq("tag", tag).order("views")
    .csv();
  equal(error, null);
  equal(data, "title,views\nThird,0\nDraft,2\nHello,5\nWorld,7");
});
