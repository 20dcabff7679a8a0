/**
 * `inferctl adopt`, `forget` and `unlock`: ownership and the lock, by hand.
 */
import { parseArgs } from 'node:util';
import { probeCluster, type ProbedCluster } from '../core/reconcile.js';
import { createOpenSearchMlClient, isOpenSearchKind, readOpenSearch } from '../opensearch/index.js';
import type { OpenSearchKind } from '../opensearch/kinds.js';
import type { Lock } from '../inventory/types.js';
import { parseDuration } from './apply.js';
import { InferctlError } from '../errors.js';
import { whoAmI } from '../inventory/cluster.js';
import { EXIT, type CliIO, type Command } from './command.js';
import { openSearchStoresFor, readInventory } from '../core/session.js';
import { resolveTarget, storesFor, TARGET_HELP, TARGET_OPTIONS, type Target } from './target.js';
import { usageError } from './util.js';

const LOCK_OPTIONS = { 'lock-timeout': { type: 'string', default: '2m' } } as const;

/** The inventory and lock of the probed cluster, whichever its flavor. */
function storesOf(target: Target, probed: ProbedCluster) {
  const key = probed.info.clusterUuid ?? target.connection.url;
  return probed.flavor === 'opensearch' ? openSearchStoresFor(target, key) : storesFor(target, key);
}

/** Runs `fn` under the apply lock; the inventory is flushed and the lock released whatever happens. */
async function underLock<T>(
  stores: { inventory: { readonly description: string; flush?(): Promise<void> }; lock: Lock },
  command: string,
  timeoutMs: number,
  fn: () => Promise<T>,
): Promise<T> {
  const held = await stores.lock.acquire(whoAmI(command), { timeoutMs, ttlMs: 120_000 });
  try {
    return await fn();
  } finally {
    await stores.inventory.flush?.();
    await held.release();
  }
}

/**
 * adopt and forget alike: the arguments parsed, the cluster probed once, `act` run with its flavor's answer,
 * the client closed.
 */
async function runOwnership(
  command: Command,
  args: readonly string[],
  io: CliIO,
  act: (c: {
    target: Target;
    probed: ProbedCluster;
    wanted: string[];
    lockTimeoutMs: number;
  }) => Promise<number>,
): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: { ...TARGET_OPTIONS, ...LOCK_OPTIONS },
  });
  if (values.help) return help(io, command);
  const wanted = ids(positionals, command.name);
  const lockTimeoutMs = parseDuration(values['lock-timeout']);
  const target = resolveTarget(values, [], io);
  try {
    return await act({ target, probed: await probeCluster(target.client), wanted, lockTimeoutMs });
  } finally {
    await target.client.close();
  }
}

/** On OpenSearch, objects are named `kind/name` (`OpenSearchModel/openai-embeddings`), as plans show them. */
function openSearchKeys(
  wanted: readonly string[],
): { key: string; kind: OpenSearchKind; name: string; id?: string }[] {
  return wanted.map((arg) => {
    const eq = arg.lastIndexOf('=');
    const key = eq > 0 ? arg.slice(0, eq) : arg;
    const slash = key.indexOf('/');
    const kind = key.slice(0, slash);
    if (slash < 0 || !isOpenSearchKind(kind) || slash === key.length - 1) {
      throw usageError(
        `"${arg}" is not an OpenSearch object: name it kind/name, e.g. OpenSearchModel/openai-embeddings (optionally =ID when several share the name)`,
      );
    }
    return { key, kind, name: key.slice(slash + 1), ...(eq > 0 ? { id: arg.slice(eq + 1) } : {}) };
  });
}

/** adopt on OpenSearch: each name resolved to its one live id (or the id given), recorded in the inventory. */
async function adoptOpenSearch(
  target: Target,
  probed: ProbedCluster,
  wanted: readonly string[],
  io: CliIO,
  lockTimeoutMs: number,
): Promise<number> {
  const stores = openSearchStoresFor(target, probed.info.clusterUuid ?? target.connection.url);
  const { inventory } = stores;
  const live = await readOpenSearch(createOpenSearchMlClient(target.client), [], new Map(), {
    everything: true,
  });
  const objects = {
    OpenSearchConnector: live.connectors,
    OpenSearchModelGroup: live.groups,
    OpenSearchModel: live.models,
  };
  const resolved = openSearchKeys(wanted).map((w) => {
    const named = objects[w.kind].filter((o) => o.source['name'] === w.name);
    const chosen = w.id !== undefined ? named.filter((o) => o.id === w.id) : named;
    if (chosen.length === 0)
      throw new InferctlError('not_found', `not on the cluster: ${w.key}${w.id ? ` with id ${w.id}` : ''}`, {
        hint: 'inferctl export lists what is there',
      });
    if (chosen.length > 1)
      throw new InferctlError(
        'ambiguous_names',
        `${chosen.length} objects are named ${w.key}: ${chosen.map((o) => o.id).join(', ')}`,
        { hint: `say which: inferctl adopt ${w.key}=ID` },
      );
    return { ...w, id: chosen[0]!.id };
  });
  return underLock(stores, 'inferctl adopt', lockTimeoutMs, async () => {
    const current = await readInventory(inventory);
    for (const r of resolved) {
      const existing = current.records.get(r.key);
      if (existing && existing.object_id !== r.id) {
        // Never silently re-point a record (and drop its fingerprints and protect flag); checked before any write.
        throw new InferctlError(
          'already_owned',
          `${r.key} is already owned with id ${existing.object_id}, not ${r.id}`,
          { hint: `if the record is stale, inferctl forget ${r.key} first, then adopt again` },
        );
      }
    }
    for (const r of resolved) {
      const existing = current.records.get(r.key);
      if (existing?.object_id === r.id) {
        io.stdout.write(`${r.key}: already owned (id ${r.id})\n`);
        continue;
      }
      await inventory.put({
        key: r.key,
        kind: r.kind,
        name: r.name,
        object_id: r.id,
        secrets: {},
        protect: false,
        applied_at: new Date().toISOString(),
        applied_by: whoAmI('adopt').owner,
      });
      io.stdout.write(`${r.key}: adopted, id ${r.id} (recorded in the ${inventory.description})\n`);
    }
    return EXIT.ok;
  });
}

/** forget, either flavor: under the lock, each owned record removed; the objects stay. */
async function forgetRecords(
  stores: {
    inventory: {
      readonly description: string;
      read(): Promise<{ records: ReadonlyMap<string, unknown> }>;
      remove(key: string): Promise<void>;
      flush?(): Promise<void>;
    };
    lock: Lock;
  },
  keys: readonly string[],
  io: CliIO,
  lockTimeoutMs: number,
): Promise<number> {
  const { inventory } = stores;
  return underLock(stores, 'inferctl forget', lockTimeoutMs, async () => {
    const current = await readInventory(inventory);
    for (const key of keys) {
      if (!current.records.has(key)) {
        io.stdout.write(`${key}: not owned\n`);
        continue;
      }
      await inventory.remove(key);
      io.stdout.write(`${key}: forgotten (still on the cluster)\n`);
    }
    return EXIT.ok;
  });
}

function ids(positionals: readonly string[], command: string): string[] {
  if (positionals.length === 0) throw usageError(`name the endpoints: inferctl ${command} ID...`);
  return [...new Set(positionals)];
}

export const adoptCommand: Command = {
  name: 'adopt',
  summary: 'take ownership of endpoints already on the cluster (after export)',
  help: `Usage: inferctl adopt ID... [options]

Records existing endpoints as owned by inferctl, so that --prune may delete them once they are no
longer declared. Their secrets are unknown until the next apply sends them: plans say "cannot verify"
until then (or pass --rotate-secrets). Typical use: inferctl export, commit the manifests, adopt.

On OpenSearch, name objects kind/name (OpenSearchConnector/x, OpenSearchModelGroup/x,
OpenSearchModel/x), as export prints them; when several objects share a name, pick one with
kind/name=ID.

Options:
  --lock-timeout DURATION    how long to wait for a running apply (default 2m)

${TARGET_HELP}`,
  async run(args, io) {
    return runOwnership(adoptCommand, args, io, async ({ target, probed, wanted, lockTimeoutMs }) => {
      if (probed.flavor === 'opensearch') return adoptOpenSearch(target, probed, wanted, io, lockTimeoutMs);
      const reserved = wanted.filter((id) => id.startsWith('.'));
      if (reserved.length)
        throw new InferctlError(
          'reserved_id',
          `${reserved.join(', ')}: preconfigured endpoints can never be managed`,
        );
      const live = new Set((await target.client.listEndpoints()).map((e) => e.inference_id));
      const missing = wanted.filter((id) => !live.has(id));
      if (missing.length) {
        throw new InferctlError('not_found', `not on the cluster: ${missing.join(', ')}`, {
          hint: 'inferctl export lists what is there',
        });
      }
      const stores = storesFor(target, probed.info.clusterUuid ?? target.connection.url);
      const { inventory } = stores;
      return underLock(stores, 'inferctl adopt', lockTimeoutMs, async () => {
        const current = await readInventory(inventory);
        for (const id of wanted) {
          if (current.records.has(id)) {
            io.stdout.write(`${id}: already owned\n`);
            continue;
          }
          await inventory.put({
            id,
            kind: 'InferenceEndpoint',
            secrets: {},
            protect: false,
            applied_at: new Date().toISOString(),
            applied_by: whoAmI('adopt').owner,
          });
          io.stdout.write(`${id}: adopted (recorded in the ${inventory.description})\n`);
        }
        return EXIT.ok;
      });
    });
  },
};

export const forgetCommand: Command = {
  name: 'forget',
  summary: 'release endpoints from inferctl’s ownership without deleting them',
  help: `Usage: inferctl forget ID... [options]

Removes endpoints from inferctl's inventory. They stay on the cluster, untouched; from now on plans list
them as unmanaged (when no manifest declares them) and --prune never deletes them. On OpenSearch, name
objects kind/name (OpenSearchModel/x).

Options:
  --lock-timeout DURATION    how long to wait for a running apply (default 2m)

${TARGET_HELP}`,
  async run(args, io) {
    return runOwnership(forgetCommand, args, io, ({ target, probed, wanted, lockTimeoutMs }) =>
      forgetRecords(
        storesOf(target, probed),
        probed.flavor === 'opensearch' ? openSearchKeys(wanted).map((k) => k.key) : wanted,
        io,
        lockTimeoutMs,
      ),
    );
  },
};

export const unlockCommand: Command = {
  name: 'unlock',
  summary: 'remove the apply lock left by a run that died',
  help: `Usage: inferctl unlock [options]

Shows who holds the apply lock and removes it. Only for a run that died without releasing it: a live
run would go on without the lock. (A lock also expires by itself two minutes after its last heartbeat.)

${TARGET_HELP}`,
  async run(args, io) {
    const { values } = parseArgs({ args: [...args], allowPositionals: false, options: TARGET_OPTIONS });
    if (values.help) return help(io, unlockCommand);
    const target = resolveTarget(values, [], io);
    try {
      const { lock } = storesOf(target, await probeCluster(target.client));
      const holder = await lock.holder();
      if (!holder) {
        io.stdout.write('Nobody holds the lock.\n');
        return EXIT.ok;
      }
      await lock.breakLock();
      io.stdout.write(
        `Removed the lock held by ${holder.owner} on ${holder.host} (pid ${holder.pid}, "${holder.command}") since ${holder.acquired_at}${holder.expired ? ' (expired)' : ''}.\n`,
      );
      return EXIT.ok;
    } finally {
      await target.client.close();
    }
  },
};

function help(io: CliIO, command: Command): number {
  io.stdout.write(command.help + '\n');
  return EXIT.ok;
}
