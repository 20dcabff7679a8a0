// An inventory index created by an older inferctl lacks fields added since; its strict mapping would refuse a record
// that has one. The store adds the missing fields to the mapping before it writes, and where it may not (no
// `manage` privilege on the index), it writes records without them rather than failing the apply.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../src/emulator/index.js';
import { ClusterInventory, inventoryMapping, type DocumentClient } from '../../src/inventory/cluster.js';
import type { InventoryRecord } from '../../src/inventory/types.js';

let emulator: Awaited<ReturnType<typeof startEmulator>>;
beforeAll(async () => {
  emulator = await startEmulator({ esVersion: '9.2.1', port: 0 });
});
afterAll(async () => emulator.close());

/** A DocumentClient over fetch; `refuseMapping` answers PUT _mapping with a 403 as a user without `manage` gets. */
const client = (refuseMapping = false): DocumentClient => ({
  async raw(method, path, options = {}) {
    if (refuseMapping && method === 'PUT' && path.endsWith('/_mapping')) throw new Error('403 forbidden');
    const res = await fetch(emulator.url + path, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    });
    const text = await res.text();
    if (res.status >= 300 && !(options.accept ?? []).includes(res.status))
      throw new Error(`${res.status} ${text}`);
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  },
});

/** The inventory index as an inferctl without `created_on` created it. */
const oldIndex = async (name: string) => {
  const mapping = inventoryMapping('salt-1') as { properties: Record<string, unknown> };
  const { created_on: _dropped, ...properties } = mapping.properties;
  await client().raw('PUT', `/${name}`, { body: { mappings: { ...mapping, properties } } });
};
const record: InventoryRecord = {
  id: 'emb',
  kind: 'InferenceEndpoint',
  secrets: {},
  protect: false,
  applied_at: '2026-12-03T00:00:00.000Z',
  created_on: '9.2.1',
};

describe('an inventory index from an older inferctl', () => {
  it('gets the new fields added to its mapping, salt kept, and the record written whole', async () => {
    await oldIndex('inv-old');
    const inventory = new ClusterInventory(client(), 'inv-old', 'default-salt');
    expect((await inventory.read()).salt).toBe('salt-1');
    await inventory.put(record);
    const again = await new ClusterInventory(client(), 'inv-old', 'default-salt').read();
    expect(again.records.get('emb')?.created_on).toBe('9.2.1');
    expect(again.salt).toBe('salt-1');
  });

  it('without the privilege to change the mapping, writes the record without the new fields', async () => {
    await oldIndex('inv-locked');
    const inventory = new ClusterInventory(client(true), 'inv-locked', 'default-salt');
    await inventory.read();
    await inventory.put(record);
    const again = await new ClusterInventory(client(), 'inv-locked', 'default-salt').read();
    expect(again.records.get('emb')).toBeDefined();
    expect(again.records.get('emb')?.created_on).toBeUndefined();
  });
});
