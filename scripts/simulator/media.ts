// Media the simulator holds: files customers send (downloadable as the providers allow) and files our product
// uploads or sends inline (so the phone page can show them).
import { alnum, fromBase64, randomBytes, sha256, utf8 } from "./encoding.ts";
import type { MessageKind } from "./model.ts";

export interface StoredMedia {
  id: string;
  channel: string;
  bytes: Uint8Array;
  mimetype: string;
  fileName?: string;
  sha256: Uint8Array;
}

// A 1×1 PNG, so an image a test customer sends is a real image.
const PIXEL = fromBase64(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
)!;

const samples: Partial<
  Record<MessageKind, () => { bytes: Uint8Array; mimetype: string; fileName?: string }>
> = {
  image: () => ({ bytes: PIXEL, mimetype: "image/png" }),
  sticker: () => ({ bytes: PIXEL, mimetype: "image/webp" }),
  audio: () => ({
    bytes: new Uint8Array([...utf8("OggS"), ...randomBytes(60)]),
    mimetype: "audio/ogg; codecs=opus",
  }),
  video: () => ({
    bytes: new Uint8Array([0, 0, 0, 24, ...utf8("ftypmp42"), ...randomBytes(64)]),
    mimetype: "video/mp4",
  }),
  document: () => ({
    bytes: utf8("%PDF-1.4\n% simulator sample\n%%EOF\n"),
    mimetype: "application/pdf",
    fileName: "documento.pdf",
  }),
};

/** Placeholder content for a media message a customer sends without giving a file. */
export function sampleMedia(kind: MessageKind) {
  const make = samples[kind];
  if (!make) throw new Error(`${kind} is not a media kind`);
  return make();
}

export const MEDIA_KINDS: MessageKind[] = ["image", "audio", "video", "document", "sticker"];

export class MediaStore {
  #items = new Map<string, StoredMedia>();

  put(input: Omit<StoredMedia, "sha256" | "id"> & { id?: string }): StoredMedia {
    // Meta's media ids are 15–16 digit numbers.
    const id = input.id ?? `1${alnum(15, "0123456789")}`;
    const item = { ...input, id, sha256: sha256(input.bytes) };
    this.#items.set(id, item);
    return item;
  }

  get(id: string): StoredMedia | undefined {
    return this.#items.get(id);
  }

  clear(): void {
    this.#items.clear();
  }
}
