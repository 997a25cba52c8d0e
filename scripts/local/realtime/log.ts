// Realtime's failures, one line each, named with Realtime's own error codes so they read like its logs.

export function logFailure(code: string, detail: unknown): void {
  console.error(`realtime ${code}: ${detail instanceof Error ? detail.message : detail}`);
}
