// The state-file inventory: a journal line per change (O(1) each, at most the change in flight lost),
// folded into the state file by flush(); a journal left by a crash is replayed by the next read.
import { existsSync, mkdtempSync, readFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileInventory } from '../../src/inventory/file.js';

const record = (id: string) => ({
  id,
  kind: 'InferenceEndpoint' as const,
  secrets: { api_key: 'f'.repeat(64) },
  protect: false,
  applied_at: '2026-11-22T00:00:00.000Z',
});

describe('FileInventory', () => {
  it('records changes in a journal and folds them into the state file on flush', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'inferctl-inv-')), 'state.json');
    const inventory = new FileInventory(path, 'cluster-a', 'salt-a');
    expect((await inventory.read()).exists).toBe(false);
    await inventory.put(record('a'));
    await inventory.put(record('b'));
    await inventory.remove('a');
    expect(existsSync(`${path}.journal`)).toBe(true);
    expect([...(await inventory.read()).records.keys()]).toEqual(['b']);
    await inventory.flush();
    expect(existsSync(`${path}.journal`)).toBe(false);
    const file = JSON.parse(readFileSync(path, 'utf8'));
    expect(Object.keys(file.clusters['cluster-a'].endpoints)).toEqual(['b']);
    expect(file.clusters['cluster-a'].salt).toBe('salt-a');
  });

  it('replays the journal of a crashed run, dropping a line cut short', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'inferctl-inv-')), 'state.json');
    const inventory = new FileInventory(path, 'k', 's');
    await inventory.put(record('kept'));
    appendFileSync(`${path}.journal`, '{"op":"put","key":"k","salt":"s","record":{"id":"half'); // the crash
    const again = new FileInventory(path, 'k', 's');
    expect([...(await again.read()).records.keys()]).toEqual(['kept']);
  });

  it('keeps clusters apart in one file', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'inferctl-inv-')), 'state.json');
    const a = new FileInventory(path, 'a', 's');
    const b = new FileInventory(path, 'b', 's');
    await a.put(record('x'));
    await b.put(record('y'));
    await a.flush();
    expect([...(await a.read()).records.keys()]).toEqual(['x']);
    expect([...(await b.read()).records.keys()]).toEqual(['y']);
  });
});
