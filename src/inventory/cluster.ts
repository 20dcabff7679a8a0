/**
 * The inventory and the lock as documents in the cluster: one index of inferctl's own, created on the
 * first apply with a strict mapping; one document per managed endpoint; the lock a lease document in a
 * sibling index, taken with `_create` and kept with optimistic concurrency (`if_seq_no`).
 */
import { hostname } from 'node:os';
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

/** The one call the stores need: a JSON request, with statuses that are answers rather than errors. */
export interface DocumentClient {
  raw(
    method: 'GET' | 'PUT' | 'POST' | 'DELETE' | 'HEAD',
    path: string,
    options?: { body?: unknown; accept?: readonly number[]; retry?: boolean | 'unapplied' },
  ): Promise<{ status: number; body: unknown }>;
}

export const DEFAULT_INVENTORY_INDEX = 'inferctl-inventory';
const FORMAT_VERSION = 1;

/** The strict mapping of the inventory index: nothing else can be written into it by mistake. */
export function inventoryMapping(salt: string): Record<string, unknown> {
  return {
    dynamic: 'strict',
    _meta: { inferctl: { format_version: FORMAT_VERSION, salt } },
    properties: {
      id: { type: 'keyword' },
      kind: { type: 'keyword' },
      // Field names depend on the service (api_key, access_key, …): stored, not indexed.
      secrets: { type: 'object', enabled: false },
      protect: { type: 'boolean' },
      source: { type: 'keyword' },
      spec_checksum: { type: 'keyword' },
      applied_at: { type: 'date' },
      applied_by: { type: 'keyword' },
      git_commit: { type: 'keyword' },
      plan_checksum: { type: 'keyword' },
      created_on: { type: 'keyword' },
    },
  };
}

const enc = encodeURIComponent;

/**
 * An inventory index: created on the first write with a strict mapping whose `_meta.inferctl` holds the salt
 * (and, for OpenSearch, the flavor), read back whole with `search_after` paging, one document per record. Shared by
 * the Elasticsearch inventory (records keyed by endpoint id) and the OpenSearch one (keyed by `kind/name`).
 */
export class InventoryIndex<R extends object> {
  readonly description: string;
  private created = false;

  /**
   * @param defaultSalt the salt to use until the index exists (then the index's own): derived from the
   *   cluster, so plans made before the first apply have stable checksums.
   * @param mapping the index's strict mapping for a salt (with `_meta.inferctl`).
   * @param keyField the keyword field records are sorted and keyed by.
   * @param flavor recorded in `_meta.inferctl.flavor` when set; an index of another flavor is refused.
   */
  constructor(
    private readonly client: DocumentClient,
    readonly index: string,
    private readonly defaultSalt: string,
    private readonly mapping: (salt: string) => Record<string, unknown>,
    private readonly keyField: keyof R & string,
    private readonly flavor?: string,
  ) {
    this.description = `index ${index} on the cluster`;
  }

  async read(): Promise<{ salt: string; records: Map<string, R>; exists: boolean }> {
    const mapping = await this.client.raw('GET', `/${enc(this.index)}`, { accept: [404] });
    if (mapping.status === 404) return { salt: this.defaultSalt, records: new Map(), exists: false };
    const mappings = (
      mapping.body as Record<
        string,
        {
          mappings?: {
            _meta?: { inferctl?: { salt?: unknown; flavor?: unknown } };
            properties?: Record<string, unknown>;
          };
        }
      >
    )[this.index]?.mappings;
    const meta = mappings?._meta?.inferctl;
    const wanted = (this.mapping(this.defaultSalt) as { properties: Record<string, unknown> }).properties;
    this.missing = Object.keys(wanted).filter((f) => !Object.hasOwn(mappings?.properties ?? {}, f));
    if (typeof meta?.salt !== 'string') {
      throw new InferctlError(
        'inventory_invalid',
        `index ${this.index} exists but was not created by inferctl (no _meta.inferctl in its mapping)`,
        {
          hint: 'choose another index with --inventory-index, or delete that index if it is inferctl’s and damaged',
        },
      );
    }
    if ((meta.flavor ?? undefined) !== this.flavor) {
      throw new InferctlError(
        'inventory_invalid',
        `index ${this.index} holds an inventory of ${typeof meta.flavor === 'string' ? meta.flavor : 'elasticsearch'} objects, not of ${this.flavor ?? 'elasticsearch'} ones`,
        { hint: 'choose another index with --inventory-index' },
      );
    }
    await this.client.raw('POST', `/${enc(this.index)}/_refresh`);
    const records = new Map<string, R>();
    let after: unknown[] | undefined;
    for (;;) {
      const page = await this.client.raw('POST', `/${enc(this.index)}/_search`, {
        body: {
          size: 1000,
          query: { match_all: {} },
          sort: [{ [this.keyField]: 'asc' }],
          ...(after ? { search_after: after } : {}),
        },
      });
      const hits = (page.body as { hits?: { hits?: { _source?: R; sort?: unknown[] }[] } }).hits?.hits ?? [];
      for (const hit of hits) {
        const key = hit._source?.[this.keyField];
        if (typeof key === 'string') records.set(key, hit._source!);
      }
      if (hits.length < 1000) break;
      after = hits[hits.length - 1]!.sort;
    }
    return { salt: meta.salt, records, exists: true };
  }

  async put(docId: string, record: R): Promise<void> {
    await this.ensureIndex();
    const body = this.missing.length
      ? Object.fromEntries(Object.entries(record).filter(([k]) => !this.missing.includes(k)))
      : record;
    await this.client.raw('PUT', `/${enc(this.index)}/_doc/${enc(docId)}`, { body });
  }

  async remove(docId: string): Promise<void> {
    await this.client.raw('DELETE', `/${enc(this.index)}/_doc/${enc(docId)}`, { accept: [404] });
  }

  private async ensureIndex(): Promise<void> {
    if (this.created) return;
    const head = await this.client.raw('HEAD', `/${enc(this.index)}`, { accept: [404] });
    if (head.status === 404) {
      // A concurrent first apply may win the race: "already exists" is then fine.
      const created = await this.client.raw('PUT', `/${enc(this.index)}`, {
        body: {
          settings: { number_of_shards: 1, auto_expand_replicas: '0-1' },
          mappings: this.mapping(this.defaultSalt),
        },
        accept: [400],
      });
      const type = (created.body as { error?: { type?: string } } | undefined)?.error?.type;
      if (created.status === 400 && type !== 'resource_already_exists_exception') {
        throw new InferctlError(
          'inventory_create_failed',
          `cannot create the inventory index ${this.index}: ${JSON.stringify((created.body as { error?: { reason?: string } })?.error?.reason ?? created.body)}`,
        );
      }
    } else if (this.missing.length > 0) {
      // An inventory created by an older inferctl lacks fields added since, and its strict mapping would refuse a
      // record that has one. Adding them changes nothing else (`_meta`, the salt, is kept). Without the privilege to
      // (PUT _mapping needs `manage` on the index), records are written without those fields.
      const { properties } = this.mapping(this.defaultSalt) as { properties: Record<string, unknown> };
      const added = Object.fromEntries(this.missing.map((f) => [f, properties[f]]));
      const put = await this.client
        .raw('PUT', `/${enc(this.index)}/_mapping`, { body: { properties: added } })
        .then(() => true)
        .catch(() => false);
      if (put) this.missing = [];
    }
    this.created = true;
  }

  /** Fields of the current mapping the existing index lacks (read from its mapping by `read`). */
  private missing: string[] = [];
}

export class ClusterInventory implements Inventory {
  readonly description: string;
  private readonly store: InventoryIndex<InventoryRecord>;

  /** @param defaultSalt see `InventoryIndex`. */
  constructor(client: DocumentClient, index: string, defaultSalt: string) {
    this.store = new InventoryIndex<InventoryRecord>(client, index, defaultSalt, inventoryMapping, 'id');
    this.description = this.store.description;
  }

  read(): Promise<InventorySnapshot> {
    return this.store.read();
  }

  put(record: InventoryRecord): Promise<void> {
    return this.store.put(`endpoint:${record.id}`, record);
  }

  remove(id: string): Promise<void> {
    return this.store.remove(`endpoint:${id}`);
  }
}

/**
 * The apply lock: a lease document. Taken with `_create` (only one creator wins); a lease past its expiry
 * (a crashed run) is taken over with `if_seq_no`/`if_primary_term`, so two runs cannot both take it over;
 * kept alive by a heartbeat that extends it the same way, and released by a conditional delete.
 */
export class ClusterLock implements Lock {
  readonly description: string;
  private readonly path: string;

  constructor(
    private readonly client: DocumentClient,
    index: string,
    private readonly clock: { now: () => number; sleep: (ms: number) => Promise<void> } = {
      now: Date.now,
      sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
    },
  ) {
    this.description = `lease document in index ${index}`;
    this.path = `/${enc(index)}`;
  }

  async holder(): Promise<(Lease & { expired: boolean }) | undefined> {
    const found = await this.read();
    return found
      ? { ...found.lease, expired: Date.parse(found.lease.expires_at) <= this.clock.now() }
      : undefined;
  }

  async breakLock(): Promise<boolean> {
    const res = await this.client.raw('DELETE', `${this.path}/_doc/lock`, { accept: [404] });
    return res.status !== 404;
  }

  async acquire(
    base: Omit<Lease, 'acquired_at' | 'expires_at'>,
    options: { timeoutMs: number; ttlMs: number },
  ): Promise<HeldLock> {
    const deadline = this.clock.now() + options.timeoutMs;
    const lease = (): Lease => newLease(base, this.clock.now(), options.ttlMs);
    for (;;) {
      // Retried on transient failures: if an attempt took the lease but its answer was lost, the retry
      // meets 409 and the lease read back is recognisably this run's (owner, host, pid and command).
      const created = await this.client.raw('PUT', `${this.path}/_create/lock`, {
        body: lease(),
        accept: [409],
      });
      if (created.status !== 409) return this.held(created.body, base, options.ttlMs);
      const current = await this.read();
      if (current && sameRun(current.lease, base)) {
        return this.held({ _seq_no: current.seqNo, _primary_term: current.primaryTerm }, base, options.ttlMs);
      }
      if (current && Date.parse(current.lease.expires_at) <= this.clock.now()) {
        // A crashed run's lease: take it over, conditionally, so that only one waiter can.
        const taken = await this.client.raw(
          'PUT',
          `${this.path}/_doc/lock?if_seq_no=${current.seqNo}&if_primary_term=${current.primaryTerm}`,
          { body: lease(), accept: [409, 404] },
        );
        if (taken.status < 300) return this.held(taken.body, base, options.ttlMs);
        continue; // lost the race, or a retried take-over that went through: the next read tells
      }
      if (this.clock.now() >= deadline) {
        const who = current?.lease;
        throw new InferctlError(
          'locked',
          who
            ? `another inferctl run holds the lock: ${who.owner} on ${who.host} (pid ${who.pid}, "${who.command}") since ${who.acquired_at}, until ${who.expires_at}`
            : 'another inferctl run holds the lock',
          { hint: 'wait for it to finish (raise --lock-timeout), or, if it died, run inferctl unlock' },
        );
      }
      await this.clock.sleep(Math.min(1000, Math.max(50, deadline - this.clock.now())));
    }
  }

  private async read(): Promise<{ lease: Lease; seqNo: number; primaryTerm: number } | undefined> {
    const res = await this.client.raw('GET', `${this.path}/_doc/lock`, { accept: [404] });
    if (res.status === 404) return undefined;
    const body = res.body as { _source: Lease; _seq_no: number; _primary_term: number; found?: boolean };
    if (body.found === false) return undefined;
    return { lease: body._source, seqNo: body._seq_no, primaryTerm: body._primary_term };
  }

  private held(written: unknown, base: Omit<Lease, 'acquired_at' | 'expires_at'>, ttlMs: number): HeldLock {
    let seqNo = (written as { _seq_no: number })._seq_no;
    let primaryTerm = (written as { _primary_term: number })._primary_term;
    const controller = new AbortController();
    let released = false;
    const condition = () => `if_seq_no=${seqNo}&if_primary_term=${primaryTerm}`;
    /** After a 409 on our own conditional write: is the lease still ours (a retry whose first attempt went through)? */
    const reclaim = async (): Promise<boolean> => {
      const current = await this.read();
      if (!current || !sameRun(current.lease, base)) return false;
      seqNo = current.seqNo;
      primaryTerm = current.primaryTerm;
      return true;
    };
    const beat = async () => {
      if (released) return;
      const lease = newLease(base, this.clock.now(), ttlMs);
      try {
        const res = await this.client.raw('PUT', `${this.path}/_doc/lock?${condition()}`, {
          body: lease,
          accept: [409, 404],
        });
        if (res.status < 300) {
          seqNo = (res.body as { _seq_no: number })._seq_no;
          primaryTerm = (res.body as { _primary_term: number })._primary_term;
        } else if (!(await reclaim())) {
          controller.abort(new InferctlError('lock_lost', 'the apply lock was taken over by another run'));
        }
      } catch {
        // A failed heartbeat is tried again at the next beat; the lease is valid until it expires.
      }
    };
    const timer = setInterval(() => void beat(), Math.max(50, Math.floor(ttlMs / 3)));
    timer.unref?.();
    return {
      lost: controller.signal,
      release: async () => {
        released = true;
        clearInterval(timer);
        const res = await this.client.raw('DELETE', `${this.path}/_doc/lock?${condition()}`, {
          accept: [404, 409],
        });
        if (res.status === 409 && (await reclaim())) {
          await this.client.raw('DELETE', `${this.path}/_doc/lock?${condition()}`, { accept: [404, 409] });
        }
      },
    };
  }
}

function sameRun(lease: Lease, base: Omit<Lease, 'acquired_at' | 'expires_at'>): boolean {
  return (
    lease.owner === base.owner &&
    lease.host === base.host &&
    lease.pid === base.pid &&
    lease.command === base.command
  );
}

/** Who is running: `user@host` and the command, for lock messages. */
export function whoAmI(command: string): Omit<Lease, 'acquired_at' | 'expires_at'> {
  const user = process.env['GITHUB_ACTOR'] ?? process.env['USER'] ?? process.env['USERNAME'] ?? 'unknown';
  return { owner: user, host: hostname(), pid: process.pid, command };
}
