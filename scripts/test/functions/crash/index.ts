// A function that throws, to prove the stack answers 500 and keeps serving.
Deno.serve((_req) => {
  throw new Error("this function always fails");
});
