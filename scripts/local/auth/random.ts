// Random strings as GoTrue's `crypto.SecureAlphanumeric` makes them: uniform over [a-z0-9].
const ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

export function randomAlphanumeric(length: number): string {
  let out = "";
  while (out.length < length) {
    for (const byte of crypto.getRandomValues(new Uint8Array(length + 8))) {
      // 252 is the largest multiple of 36 below 256: dropping the rest keeps every character equally likely.
      if (byte < 252 && out.length < length) out += ALPHABET[byte % 36];
    }
  }
  return out;
}
