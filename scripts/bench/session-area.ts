/**
 * An in-memory stand-in for chrome.storage.session, for the benchmarks. Like the real one it keeps
 * values outside the extension's JS heap: it holds each key's serialised size only, and rejects a
 * write that would pass the 10 MB quota whole, with Chrome's message.
 */
import type { KeyValueArea } from '../../src/background/store.ts';

/** chrome.storage.session.QUOTA_BYTES (Chromium 112+). */
export const SESSION_QUOTA_BYTES = 10 * 1024 * 1024;

export class SizeOnlySessionArea implements KeyValueArea {
  readonly #sizes = new Map<string, number>();
  #total = 0;
  writes = 0;
  rejected = 0;

  get bytes(): number {
    return this.#total;
  }

  get keys(): number {
    return this.#sizes.size;
  }

  async get(): Promise<Record<string, unknown>> {
    return {};
  }

  async set(items: Record<string, unknown>): Promise<void> {
    let total = this.#total;
    const sizes: Array<[string, number]> = [];
    for (const [key, value] of Object.entries(items)) {
      const size = key.length + JSON.stringify(value).length;
      total += size - (this.#sizes.get(key) ?? 0);
      sizes.push([key, size]);
    }
    if (total > SESSION_QUOTA_BYTES) {
      this.rejected++;
      throw new Error('Session storage quota bytes exceeded. Values were not stored.');
    }
    for (const [key, size] of sizes) this.#sizes.set(key, size);
    this.#total = total;
    this.writes++;
  }

  async remove(keys: string | string[]): Promise<void> {
    for (const key of Array.isArray(keys) ? keys : [keys]) {
      this.#total -= this.#sizes.get(key) ?? 0;
      this.#sizes.delete(key);
    }
  }
}

/** Keeps the values themselves (for seeding a real browser's storage.session from the store's own layout). */
export class RecordingArea implements KeyValueArea {
  readonly items: Record<string, unknown> = {};

  async get(): Promise<Record<string, unknown>> {
    return { ...this.items };
  }

  async set(items: Record<string, unknown>): Promise<void> {
    Object.assign(this.items, structuredClone(items));
  }

  async remove(keys: string | string[]): Promise<void> {
    for (const key of Array.isArray(keys) ? keys : [keys]) delete this.items[key];
  }
}
