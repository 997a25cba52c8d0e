// Answers with what a function sees of its request and environment.
Deno.serve(async (req) => {
  const url = new URL(req.url);
  return Response.json({
    method: req.method,
    path: url.pathname,
    authorization: req.headers.get("authorization"),
    body: req.method === "GET" ? null : await req.text(),
    env: {
      SUPABASE_URL: Deno.env.get("SUPABASE_URL"),
      has_anon_key: Boolean(Deno.env.get("SUPABASE_ANON_KEY")),
      has_service_role_key: Boolean(Deno.env.get("SUPABASE_SERVICE_ROLE_KEY")),
      has_db_url: Boolean(Deno.env.get("SUPABASE_DB_URL")),
    },
  });
});
