/**
 * `inferctl adopt`, `forget` and `unlock`: ownership and the lock, by hand.
 */
import { parseArgs } from 'node:util';
import { readCluster } from '../core/reconcile.js';
import { InferctlError } from '../errors.js';
import { whoAmI } from '../inventory/cluster.js';
import { EXIT, type CliIO, type Command } from './command.js';
import { readInventory } from '../core/session.js';
import { resolveTarget, storesFor, TARGET_HELP, TARGET_OPTIONS, type Target } from './target.js';
import { usageError } from './util.js';

const LOCK_OPTIONS = { 'lock-timeout': { type: 'string', default: '2m' } } as const;

async function withStores<T>(
  target: Target,
  fn: (stores: ReturnType<typeof storesFor>, live: Set<string>) => Promise<T>,
): Promise<T> {
  const snapshot = await readCluster(target.client);
  const stores = storesFor(target, snapshot.info.clusterUuid ?? target.connection.url);
  return fn(stores, new Set(snapshot.live.map((e) => e.inference_id)));
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

${TARGET_HELP}`,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: { ...TARGET_OPTIONS, ...LOCK_OPTIONS },
    });
    if (values.help) return help(io, adoptCommand);
    const wanted = ids(positionals, 'adopt');
    const target = resolveTarget(values, [], io);
    try {
      return await withStores(target, async ({ inventory, lock }, live) => {
        const reserved = wanted.filter((id) => id.startsWith('.'));
        if (reserved.length)
          throw new InferctlError(
            'reserved_id',
            `${reserved.join(', ')}: preconfigured endpoints can never be managed`,
          );
        const missing = wanted.filter((id) => !live.has(id));
        if (missing.length) {
          throw new InferctlError('not_found', `not on the cluster: ${missing.join(', ')}`, {
            hint: 'inferctl export lists what is there',
          });
        }
        const held = await lock.acquire(whoAmI('inferctl adopt'), { timeoutMs: 120_000, ttlMs: 120_000 });
        try {
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
        } finally {
          await inventory.flush?.();
          await held.release();
        }
        return EXIT.ok;
      });
    } finally {
      await target.client.close();
    }
  },
};

export const forgetCommand: Command = {
  name: 'forget',
  summary: 'release endpoints from inferctl’s ownership without deleting them',
  help: `Usage: inferctl forget ID... [options]

Removes endpoints from inferctl's inventory. They stay on the cluster, untouched; from now on plans list
them as unmanaged (when no manifest declares them) and --prune never deletes them.

${TARGET_HELP}`,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: { ...TARGET_OPTIONS, ...LOCK_OPTIONS },
    });
    if (values.help) return help(io, forgetCommand);
    const wanted = ids(positionals, 'forget');
    const target = resolveTarget(values, [], io);
    try {
      return await withStores(target, async ({ inventory, lock }) => {
        const held = await lock.acquire(whoAmI('inferctl forget'), { timeoutMs: 120_000, ttlMs: 120_000 });
        try {
          const current = await readInventory(inventory);
          for (const id of wanted) {
            if (!current.records.has(id)) {
              io.stdout.write(`${id}: not owned\n`);
              continue;
            }
            await inventory.remove(id);
            io.stdout.write(`${id}: forgotten (still on the cluster)\n`);
          }
        } finally {
          await inventory.flush?.();
          await held.release();
        }
        return EXIT.ok;
      });
    } finally {
      await target.client.close();
    }
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
      return await withStores(target, async ({ lock }) => {
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
      });
    } finally {
      await target.client.close();
    }
  },
};

function help(io: CliIO, command: Command): number {
  io.stdout.write(command.help + '\n');
  return EXIT.ok;
}
