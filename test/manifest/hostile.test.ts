// Hostile manifests ("Bad input"): each gets a clear diagnostic at the right file and line, and
// nothing else; none throws out of loadManifests, hangs, or pollutes Object.prototype; and `inferctl plan`
// on them fails before it sends anything. Small inputs are committed in test/fixtures/hostile/; huge,
// binary and file-system ones are written here into a temporary directory.
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/manifest/diagnostics.js';
import { loadManifests, MAX_FILE_BYTES, type LoadResult } from '../../src/manifest/load.js';
import { MAX_SECRET_BYTES, type Secret } from '../../src/manifest/secrets.js';
import { MAX_NESTING, parseYaml, parseYamlFast } from '../../src/manifest/yaml.js';
import { inferctlAsync } from '../helpers/cli.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/hostile/', import.meta.url));
/** Generous: every case takes well under a second; a hang or a runaway parse fails here. */
const BOUNDED = 10_000;
const env = { OPENAI_API_KEY: 'sk-test' };
const isRoot = process.getuid?.() === 0;
const hasMkfifo = process.platform !== 'win32' && spawnSync('mkfifo', ['--version']).status === 0;

let tmp: string;

const endpoint = (name: string, apiKey = '{ secretRef: { env: OPENAI_API_KEY } }', extra = '') =>
  `apiVersion: inferctl/v1
kind: InferenceEndpoint
metadata:
  name: ${name}
spec:
  task_type: text_embedding
  service: openai
  service_settings:
    model_id: text-embedding-3-small
    api_key: ${apiKey}
${extra}`;

/** Writes `content` at `name` under the temporary directory (creating directories) and returns the path. */
function write(name: string, content: string | Uint8Array): string {
  const path = join(tmp, name);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, content);
  return path;
}

function load(paths: string[], cwd = tmp): LoadResult {
  return loadManifests(paths, { cwd, env });
}

/** `file:line:column code path`, with `warning` before the code of a warning: exact and readable. */
function summary(result: LoadResult): string[] {
  return result.diagnostics.map((d) =>
    `${d.file}:${d.line}:${d.column} ${d.severity === 'warning' ? 'warning ' : ''}${d.code} ${d.path}`.trimEnd(),
  );
}

function only(result: LoadResult): Diagnostic {
  expect(result.diagnostics).toHaveLength(1);
  return result.diagnostics[0]!;
}

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'inferctl-hostile-'));
});

afterAll(() => {
  if (tmp) {
    // chmod 000 files and directories must be made removable again.
    try {
      chmodSync(join(tmp, 'secrets-unreadable', 'key.txt'), 0o600);
    } catch {
      // not created (running as root)
    }
    rmSync(tmp, { recursive: true, force: true });
  }
});

afterEach(() => {
  // Whatever a manifest says about __proto__ or constructor, no object anywhere gains a property.
  expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  expect(Object.prototype).not.toHaveProperty('polluted');
});

describe('malformed YAML', () => {
  it('unclosed flow collections: at the bracket that is never closed', { timeout: BOUNDED }, () => {
    const result = load(['unclosed-flow.yaml'], FIXTURES);
    expect(summary(result)).toEqual([
      'unclosed-flow.yaml:3:11 yaml_syntax',
      'unclosed-flow.yaml:11:11 yaml_syntax',
    ]);
    expect(result.diagnostics[0]!.message).toMatch(
      /^this \{ is never closed: a flow mapping must end with \}/,
    );
    expect(result.diagnostics[1]!.message).toMatch(
      /^this \[ is never closed: a flow sequence must end with \]/,
    );
  });

  it('tabs as indentation: at the tab', { timeout: BOUNDED }, () => {
    const d = only(load(['tabs.yaml'], FIXTURES));
    expect(`${d.line}:${d.column} ${d.code}`).toBe('4:1 yaml_syntax');
    expect(d.message).toBe('Tabs are not allowed as indentation');
  });

  it(
    'duplicate keys at every level, in flow and block style, in every document',
    { timeout: BOUNDED },
    () => {
      const result = load(['duplicate-keys.yaml'], FIXTURES);
      expect(result.diagnostics.map((d) => `${d.line}:${d.column} ${d.code} ${d.message}`)).toEqual([
        '3:1 yaml_duplicate_key duplicate key "apiVersion" (first at line 1, column 1)',
        '6:27 yaml_duplicate_key duplicate key "team" (first at line 6, column 13)',
        '12:5 yaml_duplicate_key duplicate key "model_id" (first at line 11, column 5)',
        '13:50 yaml_duplicate_key duplicate key "env" (first at line 13, column 29)',
        '19:3 yaml_duplicate_key duplicate key "name" (first at line 18, column 3)',
        '26:1 yaml_duplicate_key duplicate key "spec" (first at line 20, column 1)',
      ]);
      expect(result.manifests).toEqual([]);
    },
  );

  it(
    'documents that are a scalar, a list or null are refused; empty ones are skipped',
    { timeout: BOUNDED },
    () => {
      const result = load(['not-a-mapping.yaml'], FIXTURES);
      expect(result.diagnostics.map((d) => `${d.line}:${d.column} ${d.code} ${d.message}`)).toEqual([
        '1:1 yaml_not_a_map a manifest document must be a mapping (apiVersion, kind, metadata, spec), not a string',
        '3:1 yaml_not_a_map a manifest document must be a mapping (apiVersion, kind, metadata, spec), not a list',
        '6:1 yaml_not_a_map a manifest document must be a mapping (apiVersion, kind, metadata, spec), not null',
        '8:1 yaml_not_a_map a manifest document must be a mapping (apiVersion, kind, metadata, spec), not null',
      ]);
      // The valid document after them is still read.
      expect(result.manifests.map((m) => [m.id, m.source.line])).toEqual([['after-the-odd-ones', 15]]);
    },
  );

  it(
    'thousands of empty documents: skipped, quickly, with positions intact after them',
    { timeout: BOUNDED },
    () => {
      write('empty-docs/only.yaml', '---\n'.repeat(5000));
      write('empty-docs/then-one.yaml', '---\n'.repeat(5000) + endpoint('after-empties'));
      const result = load(['empty-docs']);
      expect(summary(result)).toEqual([]);
      expect(
        result.manifests.map((m) => `${m.id} ${m.source.file}:${m.source.line}:${m.source.column}`),
      ).toEqual(['after-empties empty-docs/then-one.yaml:5004:9']);
    },
  );

  it(
    'very long lines: a valid one is read, an error at the end of one is pointed at',
    { timeout: BOUNDED },
    () => {
      const long = 'x'.repeat(2_000_000);
      write('long/valid.yaml', endpoint('long-line', undefined, `  task_settings: { user: "${long}" }\n`));
      write('long/broken.yaml', `metadata: { name: broken, labels: { k: "${long}" }\n`);
      const result = load(['long']);
      expect(summary(result)).toEqual(['long/broken.yaml:1:11 yaml_syntax']);
      expect(result.diagnostics[0]!.message).toMatch(/^this \{ is never closed/);
      expect(result.manifests.map((m) => m.id)).toEqual(['long-line']);
    },
  );
});

describe('deep nesting', () => {
  const tooDeep = `nesting too deep: inferctl reads at most ${MAX_NESTING} levels of mappings and sequences inside each other`;

  it('10,000 levels of flow mappings: at the first one too deep', { timeout: BOUNDED }, () => {
    write('deep/flow-map.yaml', 'a: ' + '{a: '.repeat(10_000) + '1' + '}'.repeat(10_000) + '\n');
    const d = only(load(['deep/flow-map.yaml']));
    // `a: ` then `{a: ` per level: the 65th flow mapping opens at column 4 + 64 × 4.
    expect(`${d.line}:${d.column} ${d.code}`).toBe(`1:${4 + MAX_NESTING * 4} yaml_syntax`);
    expect(d.message).toBe(tooDeep);
  });

  it('10,000 levels of flow sequences, never closed: at the first one too deep', { timeout: BOUNDED }, () => {
    write('deep/flow-seq.yaml', 'a: ' + '['.repeat(10_000) + '\n');
    const d = only(load(['deep/flow-seq.yaml']));
    expect(`${d.line}:${d.column} ${d.code}`).toBe(`1:${4 + MAX_NESTING} yaml_syntax`);
    expect(d.message).toBe(tooDeep);
  });

  it(
    '10,000 levels of block sequences (`- - - …`) and explicit keys (`? ? ? …`)',
    { timeout: BOUNDED },
    () => {
      write('deep-compact/block-seq.yaml', '- '.repeat(10_000) + '1\n');
      write('deep-compact/block-keys.yaml', '? '.repeat(10_000) + 'a\n');
      const result = load(['deep-compact']);
      expect(summary(result)).toEqual([
        `deep-compact/block-keys.yaml:1:${1 + MAX_NESTING * 2} yaml_syntax`,
        `deep-compact/block-seq.yaml:1:${1 + MAX_NESTING * 2} yaml_syntax`,
      ]);
      for (const d of result.diagnostics) expect(d.message).toBe(tooDeep);
    },
  );

  it(
    '10,000 levels of indented block mappings are 50 MB: refused as too large, unread',
    { timeout: BOUNDED },
    () => {
      const lines = Array.from({ length: 10_000 }, (_, i) => ' '.repeat(i) + 'a:');
      write('deep-indented/map.yaml', lines.join('\n') + ' 1\n');
      const d = only(load(['deep-indented/map.yaml']));
      expect(`${d.line}:${d.column} ${d.code}`).toBe('1:1 file_too_large');
    },
  );

  it('indented block mappings and sequences within the size limit: at line 65', { timeout: BOUNDED }, () => {
    // 2,000 levels of mappings (2 MB) and 1,000 of sequences (1 MB): yaml parses them; the tree is measured.
    write(
      'deep-block/map.yaml',
      Array.from({ length: 2000 }, (_, i) => ' '.repeat(i) + 'a:').join('\n') + ' 1\n',
    );
    write(
      'deep-block/seq.yaml',
      Array.from({ length: 1000 }, (_, i) => ' '.repeat(i * 2) + '-').join('\n') + ' 1\n',
    );
    const result = load(['deep-block']);
    // The mapping at line 65 (indented 64) is the 65th level; so is the sequence at line 65 (indented 128).
    expect(summary(result)).toEqual([
      `deep-block/map.yaml:${MAX_NESTING + 1}:${MAX_NESTING + 1} yaml_syntax`,
      `deep-block/seq.yaml:${MAX_NESTING + 1}:${MAX_NESTING * 2 + 1} yaml_syntax`,
    ]);
    for (const d of result.diagnostics) expect(d.message).toBe(tooDeep);
  });

  it('aliases that nest collections deeper than the limit: at the alias', { timeout: BOUNDED }, () => {
    const half = 40;
    write(
      'deep-alias.yaml',
      `a: &a ${'['.repeat(half)}1${']'.repeat(half)}\nb: ${'['.repeat(half)}*a${']'.repeat(half)}\n`,
    );
    const d = only(load(['deep-alias.yaml']));
    expect(`${d.line}:${d.column} ${d.code}`).toBe(`2:${4 + half} yaml_syntax`);
    expect(d.message).toBe(tooDeep);
  });

  it('64 levels are still fine', { timeout: BOUNDED }, () => {
    // The document's mapping, then 63 flow levels under `a`.
    write('deep-ok.yaml', 'a: ' + '['.repeat(MAX_NESTING - 1) + ']'.repeat(MAX_NESTING - 1) + '\n');
    const result = load(['deep-ok.yaml']);
    // Not a manifest, but no YAML problem: only the schema speaks.
    expect(result.diagnostics.map((d) => d.code)).not.toContain('yaml_syntax');
  });
});

describe('YAML bombs and aliases', () => {
  it('billion laughs: refused at its first alias of a collection', { timeout: BOUNDED }, () => {
    const d = only(load(['billion-laughs.yaml'], FIXTURES));
    expect(`${d.line}:${d.column} ${d.code}`).toBe('7:12 yaml_alias_limit');
    expect(d.message).toBe(
      'aliases expand more than 100 times in this document (a "billion laughs" YAML bomb?); inferctl refuses it',
    );
  });

  it('aliases to scalars only: harmless, the manifest is valid', { timeout: BOUNDED }, () => {
    const result = load(['scalar-aliases.yaml'], FIXTURES);
    expect(summary(result)).toEqual([]);
    const [m] = result.manifests;
    expect(m!.id).toBe('scalar-aliases');
    expect(m!.labels).toEqual({ team: 'search', owner: 'search' });
    expect(m!.spec.task_settings).toEqual({ user: 'scalar-aliases' });
    // The name's position is its value's, after the anchor.
    expect(`${m!.source.line}:${m!.source.column}`).toBe('5:13');
  });

  it('an alias to an anchor of another document: says anchors are per document', { timeout: BOUNDED }, () => {
    write(
      'cross-doc-alias.yaml',
      'x: &common text-embedding-3-small\n---\n' +
        endpoint('cross').replace('model_id: text-embedding-3-small', 'model_id: *common'),
    );
    const result = load(['cross-doc-alias.yaml']);
    const alias = result.diagnostics.find((d) => d.code === 'yaml_syntax');
    expect(alias?.message).toMatch(/an alias cannot refer to an anchor in another document/);
    expect(alias?.line).toBe(3);
  });
});

describe('huge files and bad bytes', () => {
  it('a 20 MB file: refused by its size, unread', { timeout: BOUNDED }, () => {
    write(
      'huge.yaml',
      endpoint('huge', undefined, `  task_settings: { user: "${'x'.repeat(20 * 1024 * 1024)}" }\n`),
    );
    const d = only(load(['huge.yaml']));
    expect(`${d.file}:${d.line}:${d.column} ${d.code}`).toBe('huge.yaml:1:1 file_too_large');
    expect(d.message).toMatch(/^file is \d+ bytes \(20\.0 MiB\); manifests larger than 8 MiB are refused$/);
    expect(MAX_FILE_BYTES).toBe(8 * 1024 * 1024);
  });

  it('a NUL byte: at its line and column', { timeout: BOUNDED }, () => {
    write('nul.yaml', endpoint('nul').replace('service: openai', 'service: open\0ai'));
    const d = only(load(['nul.yaml']));
    expect(`${d.line}:${d.column} ${d.code}`).toBe('7:16 yaml_syntax');
    expect(d.message).toBe('a NUL character (byte 0) is not allowed in YAML: is this a binary file?');
  });

  it('another control character: named, at its position', { timeout: BOUNDED }, () => {
    write('bell.yaml', endpoint('bell').replace('model_id: text', 'model_id: \u0007text'));
    const d = only(load(['bell.yaml']));
    expect(`${d.line}:${d.column} ${d.code}`).toBe('9:15 yaml_syntax');
    expect(d.message).toMatch(/^control character U\+0007 is not allowed in YAML/);
  });

  it('Latin-1: the first byte that is not UTF-8, by line and column', { timeout: BOUNDED }, () => {
    write(
      'latin1.yaml',
      Buffer.from(endpoint('latin').replace('model_id: text', 'model_id: tëxt'), 'latin1'),
    );
    const d = only(load(['latin1.yaml']));
    expect(`${d.line}:${d.column} ${d.code}`).toBe('9:16 file_not_utf8');
    expect(d.message).toBe(
      'file is not valid UTF-8: byte 0xEB at line 9, column 16 (Latin-1 or Windows-1252 text?)',
    );
    expect(d.hint).toMatch(/UTF-8/);
  });

  it.each([
    [
      'UTF-16 (little-endian, with a byte order mark)',
      () => Buffer.from('\ufeff' + endpoint('u'), 'utf16le'),
    ],
    ['UTF-16 (little-endian, without a byte order mark)', () => Buffer.from(endpoint('u'), 'utf16le')],
    [
      'UTF-16 (big-endian, with a byte order mark)',
      () => Buffer.from('\ufeff' + endpoint('u'), 'utf16le').swap16(),
    ],
    ['UTF-16 (big-endian, without a byte order mark)', () => Buffer.from(endpoint('u'), 'utf16le').swap16()],
  ])('%s: named as such', { timeout: BOUNDED }, (encoding, bytes) => {
    const name = `${encoding.replace(/\W+/g, '-')}.yaml`;
    write(name, bytes());
    const d = only(load([name]));
    expect(`${d.line}:${d.column} ${d.code}`).toBe('1:1 file_not_utf8');
    expect(d.message).toBe(`file is ${encoding}; inferctl reads manifests as UTF-8`);
    expect(d.hint).toMatch(/save it as UTF-8/);
  });

  it('a UTF-8 byte order mark: read, with exact positions', { timeout: BOUNDED }, () => {
    write('bom.yaml', '\ufeff' + endpoint('with-bom') + '  task_settings: { nope: 1 }\n');
    const result = load(['bom.yaml']);
    expect(summary(result)).toEqual(['bom.yaml:11:20 unknown_field spec.task_settings.nope']);
    write('bom-ok.yaml', '\ufeff' + endpoint('with-bom'));
    const ok = load(['bom-ok.yaml']);
    expect(summary(ok)).toEqual([]);
    expect(ok.manifests.map((m) => `${m.id} ${m.source.line}:${m.source.column}`)).toEqual(['with-bom 4:9']);
  });
});

describe('file system', () => {
  it('a directory symlink loop: files read once, the loop named in a warning', { timeout: BOUNDED }, () => {
    write('loop/ok.yaml', endpoint('loop-ep'));
    mkdirSync(join(tmp, 'loop/sub'));
    symlinkSync('..', join(tmp, 'loop/sub/up'));
    const result = load(['loop']);
    expect(summary(result)).toEqual(['loop/sub/up:1:1 warning file_unreadable']);
    expect(result.diagnostics[0]!.message).toBe(
      'symbolic link loop: this is loop, which contains it; not followed again',
    );
    expect(result.manifests.map((m) => m.id)).toEqual(['loop-ep']);
    expect(result.files).toEqual(['loop/ok.yaml']);
  });

  it('a dangling symlink and a symlink to itself: each named, the rest read', { timeout: BOUNDED }, () => {
    write('links/ok.yaml', endpoint('links-ep'));
    symlinkSync('nowhere.yaml', join(tmp, 'links/dangling.yaml'));
    symlinkSync('self.yaml', join(tmp, 'links/self.yaml'));
    const result = load(['links']);
    expect(summary(result)).toEqual([
      'links/dangling.yaml:1:1 file_unreadable',
      'links/self.yaml:1:1 file_unreadable',
    ]);
    expect(result.diagnostics[0]!.message).toBe(
      'cannot read: broken symbolic link (its target does not exist)',
    );
    expect(result.diagnostics[1]!.message).toMatch(/^cannot read: ELOOP: symbolic link loop/);
    expect(result.manifests.map((m) => m.id)).toEqual(['links-ep']);
  });

  it.skipIf(!hasMkfifo)(
    'a named pipe called *.yaml: refused without waiting for a writer',
    { timeout: BOUNDED },
    () => {
      write('pipe/ok.yaml', endpoint('pipe-ep'));
      expect(spawnSync('mkfifo', [join(tmp, 'pipe/pipe.yaml')]).status).toBe(0);
      const result = load(['pipe']);
      expect(summary(result)).toEqual(['pipe/pipe.yaml:1:1 file_unreadable']);
      expect(result.diagnostics[0]!.message).toBe('cannot read: a named pipe, not a regular file');
    },
  );

  it.skipIf(process.platform === 'win32')(
    '/dev/zero given as a manifest: refused, not read forever',
    { timeout: BOUNDED },
    () => {
      const d = only(load(['/dev/zero']));
      expect(`${d.file}:${d.line}:${d.column} ${d.code}`).toBe('/dev/zero:1:1 file_unreadable');
      expect(d.message).toBe('cannot read: a character device, not a regular file');
    },
  );
});

describe('secret files', () => {
  const key = (result: LoadResult) =>
    (result.manifests[0]?.spec.service_settings['api_key'] as Secret).reveal();

  it('missing: names the path and where it was looked for', { timeout: BOUNDED }, () => {
    const d = only(load(['secrets/missing.yaml'], FIXTURES));
    expect(`${d.line}:${d.column} ${d.code} ${d.path}`).toBe(
      '10:27 secret_file_missing spec.service_settings.api_key',
    );
    expect(d.message).toBe('cannot read secret file ./no-such.key (ENOENT: no such file)');
    expect(d.hint).toBe(
      `the path is relative to the manifest; create ${join(FIXTURES, 'secrets/no-such.key')} or fix the path`,
    );
  });

  it('a directory: says so', { timeout: BOUNDED }, () => {
    const d = only(load(['secrets/directory.yaml'], FIXTURES));
    expect(`${d.line}:${d.column} ${d.code}`).toBe('10:27 secret_file_missing');
    expect(d.message).toBe('secret file . is a directory');
  });

  it.skipIf(process.platform === 'win32')(
    '/dev/zero: refused as a device, never read',
    { timeout: BOUNDED },
    () => {
      const d = only(load(['secrets/dev-zero.yaml'], FIXTURES));
      expect(`${d.line}:${d.column} ${d.code}`).toBe('10:27 secret_file_missing');
      expect(d.message).toBe(
        'secret file /dev/zero is a character device, not a regular file; inferctl reads secrets only from regular files',
      );
    },
  );

  it.skipIf(!hasMkfifo)('a named pipe: refused without waiting for a writer', { timeout: BOUNDED }, () => {
    write('secrets-pipe/m.yaml', endpoint('pipe-secret', '{ secretRef: { file: key.pipe } }'));
    expect(spawnSync('mkfifo', [join(tmp, 'secrets-pipe/key.pipe')]).status).toBe(0);
    const d = only(load(['secrets-pipe']));
    expect(d.message).toBe(
      'secret file key.pipe is a named pipe, not a regular file; inferctl reads secrets only from regular files',
    );
  });

  it(
    `over ${MAX_SECRET_BYTES / 1024} KiB: refused unread; exactly ${MAX_SECRET_BYTES / 1024} KiB is read`,
    { timeout: BOUNDED },
    () => {
      write('secrets-size/big.yaml', endpoint('big-secret', '{ secretRef: { file: big.key } }'));
      write('secrets-size/big.key', Buffer.alloc(100 * 1024 * 1024, 'k'));
      const d = only(load(['secrets-size/big.yaml']));
      expect(`${d.line}:${d.column} ${d.code}`).toBe('10:27 secret_file_missing');
      expect(d.message).toBe('secret file big.key is larger than 64 KiB; inferctl does not read it');
      write('secrets-size/limit.yaml', endpoint('limit-secret', '{ secretRef: { file: limit.key } }'));
      write('secrets-size/limit.key', Buffer.alloc(MAX_SECRET_BYTES, 'k'));
      const ok = load(['secrets-size/limit.yaml']);
      expect(summary(ok)).toEqual([]);
      expect(key(ok)).toHaveLength(MAX_SECRET_BYTES);
    },
  );

  it(
    'not UTF-8: refused rather than sent mangled; a UTF-8 byte order mark is dropped',
    { timeout: BOUNDED },
    () => {
      write('secrets-bytes/latin.yaml', endpoint('latin-secret', '{ secretRef: { file: latin.key } }'));
      write('secrets-bytes/latin.key', Buffer.from('clé', 'latin1'));
      const d = only(load(['secrets-bytes/latin.yaml']));
      expect(d.message).toBe('secret file latin.key is not valid UTF-8');
      write('secrets-bytes/bom.yaml', endpoint('bom-secret', '{ secretRef: { file: bom.key } }'));
      write('secrets-bytes/bom.key', '\ufeffsk-bom\n');
      const ok = load(['secrets-bytes/bom.yaml']);
      expect(summary(ok)).toEqual([]);
      expect(key(ok)).toBe('sk-bom');
    },
  );

  // Root reads any file whatever its mode: the case only means something for other users.
  it.skipIf(isRoot || process.platform === 'win32')(
    'unreadable (chmod 000): permission denied',
    { timeout: BOUNDED },
    () => {
      write('secrets-unreadable/m.yaml', endpoint('unreadable-secret', '{ secretRef: { file: key.txt } }'));
      const file = write('secrets-unreadable/key.txt', 'sk-hidden');
      chmodSync(file, 0o000);
      const d = only(load(['secrets-unreadable']));
      expect(`${d.line}:${d.column} ${d.code}`).toBe('10:27 secret_file_missing');
      expect(d.message).toBe('cannot read secret file key.txt (EACCES: permission denied)');
      expect(d.hint).toMatch(/readable by the user running inferctl/);
    },
  );

  it('the running user is detected: root skips the permission case', () => {
    expect(typeof isRoot).toBe('boolean');
    if (isRoot) expect(statSync('/').uid).toBe(0);
  });
});

describe('ids that collide', () => {
  it(
    'the same id in two files, written plainly or quoted; a capitalised copy is invalid',
    { timeout: BOUNDED },
    () => {
      const result = load(['collide'], FIXTURES);
      expect(summary(result)).toEqual([
        'collide/b.yaml:4:9 duplicate_name metadata.name',
        'collide/c-quoted.yaml:4:9 duplicate_name metadata.name',
        'collide/d-upper.yaml:4:9 invalid_id metadata.name',
      ]);
      const [b, c, upper] = result.diagnostics;
      expect(b!.message).toBe(
        'duplicate InferenceEndpoint "my-endpoint": also defined at collide/a.yaml:4:9',
      );
      expect(c!.message).toBe(b!.message);
      expect(upper!.message).toBe(
        'invalid inference id "My-Endpoint": use lowercase letters, digits, "_", "-" and ".", starting and ending with a letter or digit',
      );
      // Suggesting "my-endpoint" would only trade this error for a duplicate: the hint says so.
      expect(upper!.hint).toBe(
        '"my-endpoint" is the valid spelling, but it is already declared at collide/a.yaml:4:9; choose another id or delete this copy',
      );
    },
  );

  it('a capitalised id alone still gets the plain suggestion', { timeout: BOUNDED }, () => {
    const d = only(load(['collide/d-upper.yaml'], FIXTURES));
    expect(d.hint).toBe('did you mean "my-endpoint"?');
  });
});

describe('YAML features inferctl does not read', () => {
  it(
    'tags (!!js/function, !Ref, !!binary, !!set): each refused at the tag, none evaluated',
    { timeout: BOUNDED },
    () => {
      const result = load(['tags.yaml'], FIXTURES);
      expect(
        result.diagnostics.map((d) => `${d.line}:${d.column} ${d.code} ${d.message.split(':')[0]}`),
      ).toEqual([
        '9:15 yaml_syntax unsupported YAML tag !!js/function',
        '10:14 yaml_syntax unsupported YAML tag !Ref',
        '11:17 yaml_syntax unsupported YAML tag !!binary',
        '12:18 yaml_syntax unsupported YAML tag !!set',
      ]);
      expect(result.diagnostics[0]!.message).toMatch(/does not evaluate tags; remove it$/);
      expect(result.manifests).toEqual([]);
    },
  );

  it('merge keys (<<): an unknown field, with a hint that says what they are', { timeout: BOUNDED }, () => {
    const result = load(['merge-keys.yaml'], FIXTURES);
    expect(summary(result)).toEqual([
      'merge-keys.yaml:8:3 missing_field spec.service_settings.model_id',
      'merge-keys.yaml:9:5 unknown_field spec.service_settings["<<"]',
    ]);
    expect(result.diagnostics[1]!.hint).toMatch(
      /^merge keys \(<<\) are YAML 1\.1, which inferctl does not read/,
    );
  });

  it(
    'numbers: 0x1F is 31; .inf and 1e400 are refused as numbers JSON cannot carry',
    { timeout: BOUNDED },
    () => {
      const result = load(['numbers.yaml'], FIXTURES);
      expect(summary(result)).toEqual([
        'numbers.yaml:23:17 invalid_type spec.service_settings.dimensions',
        'numbers.yaml:35:17 invalid_type spec.service_settings.dimensions',
      ]);
      for (const d of result.diagnostics) {
        expect(d.message).toBe(
          'expected an integer, got .inf (not a number JSON can carry; a number too large, such as 1e400, reads as .inf)',
        );
      }
      expect(result.manifests.map((m) => [m.id, m.spec.service_settings['dimensions']])).toEqual([
        ['hex-dimensions', 31],
      ]);
    },
  );

  it('keys that are not strings: a list, a mapping, null', { timeout: BOUNDED }, () => {
    const result = load(['complex-keys.yaml'], FIXTURES);
    expect(result.diagnostics.map((d) => `${d.line}:${d.column} ${d.code} ${d.message}`)).toEqual([
      '6:7 yaml_syntax mapping keys must be strings, not a list',
      '16:7 yaml_syntax mapping keys must be strings, not a mapping',
      '17:7 yaml_syntax mapping keys must be strings: this key is empty or null (quote it, "null", if you mean the word)',
    ]);
  });

  it(
    '__proto__ and constructor keys: ordinary unknown or invalid fields, no pollution',
    { timeout: BOUNDED },
    () => {
      const result = load(['prototype.yaml'], FIXTURES);
      expect(summary(result)).toEqual([
        'prototype.yaml:1:1 unknown_field __proto__',
        'prototype.yaml:3:1 unknown_field constructor',
        'prototype.yaml:11:16 invalid_type metadata.labels.__proto__',
        'prototype.yaml:18:5 unknown_field spec.service_settings.__proto__',
        'prototype.yaml:20:27 invalid_type spec.task_settings.headers.__proto__',
      ]);
      // The data keeps __proto__ as an own key: no prototype was replaced on the way.
      const parsed = parseYaml(readFileSync(join(FIXTURES, 'prototype.yaml'), 'utf8')).documents[0]!
        .value as object;
      expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
      expect(Object.keys(parsed)).toContain('__proto__');
    },
  );
});

describe('the fast path agrees with the careful path, or steps aside', () => {
  const texts = (): [string, string][] => [
    ...readdirSync(FIXTURES, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.yaml'))
      .map((f): [string, string] => [f, readFileSync(join(FIXTURES, f), 'utf8')]),
    ...[
      'a: 0b101',
      'a: 1e400',
      'a: 1_000',
      'a: 0o17',
      'a: .NaN',
      'a: !!float 1',
      '%YAML 1.1\n---\na: yes\n<<: {b: 1}',
      'null: x',
      '~: x',
      '[a]: 1',
      'a: &x [1]\n*x : 2',
      'null\n',
      'a: "\\u0000"',
      `a: ${'['.repeat(MAX_NESTING)}${']'.repeat(MAX_NESTING)}`,
    ].map((t): [string, string] => [JSON.stringify(t), t]),
  ];

  it('on every fixture and every edge of the core schema', { timeout: BOUNDED }, () => {
    for (const [name, text] of texts()) {
      const fast = parseYamlFast(text);
      if (fast === undefined) continue;
      const careful = parseYaml(text);
      expect(careful.problems, name).toEqual([]);
      expect(
        fast.documents.map((d) => d.value),
        name,
      ).toEqual(careful.documents.map((d) => d.value));
    }
  });
});

describe('plain scalars read alike on both paths', () => {
  // The fast path takes these (no tag, alias or odd key): js-yaml must read them as yaml's core schema does.
  const scalars = [
    '0x1F',
    '0o17',
    '017',
    '-017',
    '+1',
    '1_000',
    '0b101',
    '12345678901234567890',
    '1.',
    '.5',
    '1e3',
    '1E3',
    '1e400',
    '-1e400',
    '.inf',
    '-.Inf',
    '+.INF',
    '.nan',
    '.NaN',
    '-.nan',
    'nan',
    'inf',
    '1.5e-3',
    '0.',
    '-0',
    'true',
    'True',
    'TRUE',
    'tRUE',
    'yes',
    'no',
    'on',
    'off',
    'y',
    'null',
    'Null',
    'NULL',
    '~',
    'nULL',
    '',
    '2024-02-01',
    '12:30:00',
    '0x',
    '0xG',
    '1e',
    '.',
    '+',
    '0o8',
    '1__0',
  ];

  it.each(scalars)('%j', (scalar) => {
    const text = `a: ${scalar}
b: [${scalar}]
`;
    const fast = parseYamlFast(text);
    expect(fast).toBeDefined();
    const careful = parseYaml(text);
    expect(careful.problems).toEqual([]);
    expect(fast!.documents.map((d) => d.value)).toEqual(careful.documents.map((d) => d.value));
  });
});

describe('inferctl plan on hostile manifests', () => {
  it(
    'fails on the manifests (exit 1, diagnostics on stderr) without a single request',
    { timeout: 60_000 },
    async () => {
      const dir = join(tmp, 'e2e');
      cpSync(FIXTURES, dir, { recursive: true });
      writeFileSync(join(dir, 'deep.yaml'), 'a: ' + '['.repeat(100_000) + '\n');
      writeFileSync(join(dir, 'utf16.yaml'), Buffer.from('\ufeff' + endpoint('u'), 'utf16le'));
      writeFileSync(join(dir, 'huge.yaml'), Buffer.alloc(MAX_FILE_BYTES + 1, 'a'));
      const requests: string[] = [];
      const server = createServer((request: IncomingMessage, response) => {
        requests.push(`${request.method} ${request.url}`);
        response.writeHead(500).end();
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as AddressInfo;
      try {
        const result = await inferctlAsync(['plan', dir, '--url', `http://127.0.0.1:${port}`], {
          cwd: tmp,
          env: { OPENAI_API_KEY: 'sk-test' },
        });
        expect(result.code, result.stderr).toBe(1);
        expect(result.stderr).toContain('e2e/billion-laughs.yaml:7:12: error:');
        expect(result.stderr).toContain('e2e/deep.yaml:1:68: error: nesting too deep');
        expect(result.stderr).toContain('e2e/utf16.yaml:1:1: error: file is UTF-16');
        expect(result.stderr).toContain('e2e/huge.yaml:1:1: error: file is');
        expect(result.stderr).toContain('e2e/secrets/dev-zero.yaml:10:27: error:');
        expect(result.stderr).toContain('nothing was sent to the cluster');
        expect(result.stdout).toBe('');
      } finally {
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
      expect(requests).toEqual([]);
    },
  );
});
