// The configuration history of each connection: every haproxy.cfg text the extension read from or
// wrote to a server, kept so any two can be compared and an older one restored (the Data Plane API
// has no revert). A bounded ring per connection (by count and by bytes, oldest evicted first),
// deduplicated by content hash: reading the same text again only marks it seen again. The texts
// can hold `insecure-password` lines of userlists, so the store lives in the editor's own storage
// (never synced); the storage is injected, so this module stays pure of the editor.
import { createHash } from 'node:crypto';

/** Files under one root: the editor passes its global storage, tests a map in memory. */
export interface HistoryStorage {
  /** The bytes of a file, or undefined when it does not exist. */
  read(path: string): Promise<Uint8Array | undefined>;
  write(path: string, data: Uint8Array): Promise<void>;
  /** Deletes a file or a folder with everything in it; absent is fine. */
  delete(path: string): Promise<void>;
}

export type HistorySource = 'read' | 'write' | 'restore';

export interface HistoryEntry {
  /** sha256 of the text (hex). */
  hash: string;
  /** The server's configuration version the text was seen at (last time). */
  version?: number;
  /** When first and last seen (ms since the epoch). */
  firstSeen: number;
  lastSeen: number;
  /** How the text was last seen. */
  source: HistorySource;
  bytes: number;
  /**
   * Created by a write and not seen since: the server rewrites what it is sent (header comments,
   * `defaults` named), so the first read at the same version replaces it with the server's text.
   */
  pending?: boolean;
}

export interface HistoryLimits {
  maxVersions: number;
  maxBytes: number;
}

export const DEFAULT_LIMITS: HistoryLimits = { maxVersions: 50, maxBytes: 5 * 1024 * 1024 };

const ID = /^[a-z0-9][a-z0-9-]{0,62}$/;
const HASH = /^[0-9a-f]{64}$/;
const SOURCES: readonly HistorySource[] = ['read', 'write', 'restore'];

/**
 * The configuration without the server's `# _version=N` line (in the comment block at the top, after
 * `# _md5hash=…` on the real server): the same configuration at another version is the same text.
 */
export function historyText(text: string): string {
  const header = /^(?:#[^\n]*\n)*/.exec(text)![0];
  return header.replace(/^# _version=\d+\r?\n/m, '') + text.slice(header.length);
}

export function contentHash(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export class ConfigHistory {
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(
    private readonly storage: HistoryStorage,
    private readonly limits: HistoryLimits = DEFAULT_LIMITS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records a text; returns its entry (undefined for an empty text). Serialized per connection. */
  async record(
    connectionId: string,
    rawText: string,
    meta: { version?: number; source: HistorySource },
  ): Promise<HistoryEntry | undefined> {
    checkId(connectionId);
    const text = historyText(rawText);
    if (text.trim() === '') return undefined;
    return this.serial(connectionId, async () => {
      const entries = await this.index(connectionId);
      const hash = contentHash(text);
      const at = this.now();
      const bytes = Buffer.byteLength(text, 'utf8');
      let source = meta.source;
      const written = entries.find((e) => e.pending && e.version === meta.version && e.hash !== hash);
      if (written && source === 'read' && meta.version !== undefined) {
        // The server's rendering of what was just written: one version, labelled as written.
        entries.splice(entries.indexOf(written), 1);
        await this.storage.delete(`${connectionId}/${written.hash}.cfg`);
        source = written.source;
      }
      let entry = entries.find((e) => e.hash === hash);
      if (entry) {
        Object.assign(entry, { lastSeen: at, source, version: meta.version ?? entry.version });
        delete entry.pending;
      } else {
        entry = { hash, version: meta.version, firstSeen: at, lastSeen: at, source, bytes };
        if (source !== 'read') entry.pending = true;
        await this.storage.write(`${connectionId}/${hash}.cfg`, Buffer.from(text, 'utf8'));
        entries.push(entry);
      }
      await this.evict(connectionId, entries, hash);
      await this.saveIndex(connectionId, entries);
      return { ...entry };
    });
  }

  /** Newest first. */
  async list(connectionId: string): Promise<HistoryEntry[]> {
    checkId(connectionId);
    return this.serial(connectionId, async () =>
      (await this.index(connectionId)).sort((a, b) => b.lastSeen - a.lastSeen).map((e) => ({ ...e })),
    );
  }

  /** The text of one version, or undefined when it is not (or no longer) kept. */
  async text(connectionId: string, hash: string): Promise<string | undefined> {
    checkId(connectionId);
    if (!HASH.test(hash)) return undefined;
    const data = await this.storage.read(`${connectionId}/${hash}.cfg`);
    if (!data) return undefined;
    const text = Buffer.from(data).toString('utf8');
    // A file changed on disk is not what was seen: refuse it rather than restore it.
    return contentHash(text) === hash ? text : undefined;
  }

  /** Forgets a connection's history (the connection was removed). */
  async clear(connectionId: string): Promise<void> {
    checkId(connectionId);
    return this.serial(connectionId, () => this.storage.delete(connectionId));
  }

  private async evict(connectionId: string, entries: HistoryEntry[], keep: string): Promise<void> {
    entries.sort((a, b) => a.lastSeen - b.lastSeen);
    let total = entries.reduce((n, e) => n + e.bytes, 0);
    // Oldest first; the version just recorded stays even when it alone exceeds the byte bound.
    while (entries.length > 1 && (entries.length > this.limits.maxVersions || total > this.limits.maxBytes)) {
      const at = entries.findIndex((e) => e.hash !== keep);
      const [gone] = entries.splice(at, 1);
      total -= gone!.bytes;
      await this.storage.delete(`${connectionId}/${gone!.hash}.cfg`);
    }
  }

  private async index(connectionId: string): Promise<HistoryEntry[]> {
    const data = await this.storage.read(`${connectionId}/index.json`);
    if (!data) return [];
    try {
      return parseIndex(JSON.parse(Buffer.from(data).toString('utf8')));
    } catch {
      return []; // a damaged index starts afresh; it only ever held what can be read again
    }
  }

  private saveIndex(connectionId: string, entries: HistoryEntry[]): Promise<void> {
    return this.storage.write(`${connectionId}/index.json`, Buffer.from(JSON.stringify({ entries }), 'utf8'));
  }

  private serial<T>(key: string, work: () => Promise<T>): Promise<T> {
    const run = (this.queues.get(key) ?? Promise.resolve()).then(work, work);
    this.queues.set(
      key,
      run.catch(() => undefined),
    );
    return run;
  }
}

function checkId(id: string): void {
  // The id names a folder: nothing that could leave the store's root.
  if (!ID.test(id)) throw new RangeError(`"${id}" is not a connection id`);
}

/** Validates the index read back from storage; malformed entries are dropped. */
export function parseIndex(v: unknown): HistoryEntry[] {
  const list = (v as { entries?: unknown } | null)?.entries;
  if (!Array.isArray(list)) return [];
  const out: HistoryEntry[] = [];
  for (const e of list as Record<string, unknown>[]) {
    if (typeof e !== 'object' || e === null) continue;
    const { hash, version, firstSeen, lastSeen, source, bytes, pending } = e;
    if (typeof hash !== 'string' || !HASH.test(hash)) continue;
    if (version !== undefined && !(Number.isInteger(version) && (version as number) >= 0)) continue;
    if (![firstSeen, lastSeen, bytes].every((n) => Number.isFinite(n) && (n as number) >= 0)) continue;
    if (!SOURCES.includes(source as HistorySource)) continue;
    out.push({
      hash,
      version: version as number | undefined,
      firstSeen: firstSeen as number,
      lastSeen: lastSeen as number,
      source: source as HistorySource,
      bytes: bytes as number,
      ...(pending === true ? { pending: true } : {}),
    });
  }
  return out;
}

/** In memory, for tests and for a window without global storage. */
export function memoryStorage(): HistoryStorage & { files: Map<string, Uint8Array> } {
  const files = new Map<string, Uint8Array>();
  return {
    files,
    read: async (p) => files.get(p),
    write: async (p, d) => void files.set(p, d),
    delete: async (p) => {
      for (const k of [...files.keys()]) if (k === p || k.startsWith(`${p}/`)) files.delete(k);
    },
  };
}
