/**
 * The inventory in a local JSON file (`--state-file`), for users who cannot write an index: the same
 * records as the cluster store, per cluster, written atomically. Its lock is a lease file beside it.
 */
import {
  appendFileSync,
  closeSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { InferctlError } from '../errors.js';
import {
  newLease,
  type HeldLock,
  type Inventory,
  type InventoryRecord,
  type InventorySnapshot,
  type Lease,
  type Lock,
} from './types.js';

export const DEFAULT_STATE_FILE = '.inferctl-state.json';

interface StateFile {
  readonly format_version: 2;
  readonly clusters: Readonly<
    Record<string, { readonly salt: string; readonly endpoints: Readonly<Record<string, InventoryRecord>> }>
  >;
}

/**
 * Each change is appended to a journal beside the state file (one JSON line: O(1) per change, and a
 * crash loses at most the change in flight); `flush()` folds the journal into the state file. A journal
 * left by a crashed run is replayed by the next read.
 */
export class FileInventory implements Inventory {
  readonly description: string;
  private readonly journal: string;

  /** @param key the cluster (its UUID, or URL): one file can hold several clusters. */
  constructor(
    private readonly path: string,
    private readonly key: string,
    private readonly defaultSalt: string,
  ) {
    this.description = `state file ${path}`;
    this.journal = `${path}.journal`;
  }

  async read(): Promise<InventorySnapshot> {
    const file = replay(readState(this.path), readJournal(this.journal));
    const cluster = file.clusters[this.key];
    if (!cluster) return { salt: this.defaultSalt, records: new Map(), exists: false };
    return { salt: cluster.salt, records: new Map(Object.entries(cluster.endpoints)), exists: true };
  }

  async put(record: InventoryRecord): Promise<void> {
    this.append({ op: 'put', key: this.key, salt: this.defaultSalt, record });
  }

  async remove(id: string): Promise<void> {
    this.append({ op: 'remove', key: this.key, salt: this.defaultSalt, id });
  }

  /** Folds the journal into the state file (atomically), then removes the journal. */
  async flush(): Promise<void> {
    const entries = readJournal(this.journal);
    if (entries.length === 0) return;
    writeState(this.path, replay(readState(this.path), entries));
    rmSync(this.journal, { force: true });
  }

  private append(entry: JournalEntry): void {
    mkdirSync(dirname(this.path), { recursive: true });
    appendFileSync(this.journal, JSON.stringify(entry) + '\n', { mode: 0o600 });
  }
}

type JournalEntry =
  | { readonly op: 'put'; readonly key: string; readonly salt: string; readonly record: InventoryRecord }
  | { readonly op: 'remove'; readonly key: string; readonly salt: string; readonly id: string };

function readJournal(path: string): JournalEntry[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return [];
  }
  // A line cut short by a crash is the change in flight: dropped.
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .flatMap((l) => {
      try {
        return [JSON.parse(l) as JournalEntry];
      } catch {
        return [];
      }
    });
}

function replay(file: StateFile, entries: readonly JournalEntry[]): StateFile {
  if (entries.length === 0) return file;
  const clusters: Record<string, { salt: string; endpoints: Record<string, InventoryRecord> }> = {};
  for (const [k, c] of Object.entries(file.clusters))
    clusters[k] = { salt: c.salt, endpoints: { ...c.endpoints } };
  for (const e of entries) {
    const cluster = (clusters[e.key] ??= { salt: e.salt, endpoints: {} });
    if (e.op === 'put') cluster.endpoints[e.record.id] = e.record;
    else delete cluster.endpoints[e.id];
  }
  for (const c of Object.values(clusters)) {
    c.endpoints = Object.fromEntries(Object.entries(c.endpoints).sort(([a], [b]) => (a < b ? -1 : 1)));
  }
  return { format_version: 2, clusters };
}

function writeState(path: string, next: StateFile): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(next, null, 2) + '\n', { mode: 0o600 });
  renameSync(temporary, path);
}

function readState(path: string): StateFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { format_version: 2, clusters: {} };
    throw new InferctlError(
      'state_unreadable',
      `cannot read the state file ${path}: ${(error as Error).message}`,
    );
  }
  try {
    const parsed = JSON.parse(text) as StateFile;
    if (parsed.format_version !== 2 || typeof parsed.clusters !== 'object') throw new Error('unknown format');
    return parsed;
  } catch (error) {
    throw new InferctlError(
      'state_invalid',
      `the state file ${path} is not valid: ${(error as Error).message}`,
      {
        hint: 'restore it from a backup, or delete it: ownership and secret fingerprints are then forgotten',
      },
    );
  }
}

/** A lease file beside the state file, created exclusively; a lease past its expiry may be taken over. */
export class FileLock implements Lock {
  readonly description: string;
  private readonly path: string;

  constructor(
    statePath: string,
    private readonly clock: { now: () => number; sleep: (ms: number) => Promise<void> } = {
      now: Date.now,
      sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
    },
  ) {
    this.path = `${statePath}.lock`;
    this.description = `lock file ${this.path}`;
  }

  async holder(): Promise<(Lease & { expired: boolean }) | undefined> {
    const lease = this.read();
    return lease ? { ...lease, expired: Date.parse(lease.expires_at) <= this.clock.now() } : undefined;
  }

  async breakLock(): Promise<boolean> {
    const had = this.read() !== undefined;
    rmSync(this.path, { force: true });
    return had;
  }

  async acquire(
    base: Omit<Lease, 'acquired_at' | 'expires_at'>,
    options: { timeoutMs: number; ttlMs: number },
  ): Promise<HeldLock> {
    const deadline = this.clock.now() + options.timeoutMs;
    const lease = (): Lease => newLease(base, this.clock.now(), options.ttlMs);
    for (;;) {
      mkdirSync(dirname(this.path), { recursive: true });
      try {
        const fd = openSync(this.path, 'wx', 0o600);
        writeFileSync(fd, JSON.stringify(lease()));
        closeSync(fd);
        return this.held(base, options.ttlMs);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const current = this.read();
      if (!current || Date.parse(current.expires_at) <= this.clock.now()) {
        rmSync(this.path, { force: true }); // stale: the next loop takes it, exclusively
        continue;
      }
      if (this.clock.now() >= deadline) {
        throw new InferctlError(
          'locked',
          `another inferctl run holds the lock: ${current.owner} on ${current.host} (pid ${current.pid}, "${current.command}") since ${current.acquired_at}, until ${current.expires_at}`,
          { hint: `wait for it to finish (raise --lock-timeout), or, if it died, run inferctl unlock` },
        );
      }
      await this.clock.sleep(Math.min(1000, Math.max(50, deadline - this.clock.now())));
    }
  }

  private read(): Lease | undefined {
    try {
      return JSON.parse(readFileSync(this.path, 'utf8')) as Lease;
    } catch {
      return undefined;
    }
  }

  private held(base: Omit<Lease, 'acquired_at' | 'expires_at'>, ttlMs: number): HeldLock {
    const controller = new AbortController();
    const timer = setInterval(
      () => {
        const current = this.read();
        if (!current || current.pid !== base.pid || current.host !== base.host) {
          controller.abort(new InferctlError('lock_lost', 'the apply lock was taken over by another run'));
          return;
        }
        const renewed: Lease = { ...current, expires_at: new Date(this.clock.now() + ttlMs).toISOString() };
        writeFileSync(this.path, JSON.stringify(renewed));
      },
      Math.max(50, Math.floor(ttlMs / 3)),
    );
    timer.unref?.();
    return {
      lost: controller.signal,
      release: async () => {
        clearInterval(timer);
        const current = this.read();
        if (current && current.pid === base.pid && current.host === base.host)
          rmSync(this.path, { force: true });
      },
    };
  }
}
