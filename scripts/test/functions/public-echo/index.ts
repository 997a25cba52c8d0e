// A function with verify_jwt = false, like a webhook.
Deno.serve(async (req) =>
  Response.json({ public: true, body: req.method === "GET" ? null : await req.text() })
);
