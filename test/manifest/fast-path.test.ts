// The fast path (js-yaml for data, yaml per document for positions) must give exactly the positions of
// the careful path (yaml for everything), whatever the layout of the file.
import { describe, expect, it } from 'vitest';
import { parseYaml, parseYamlFast } from '../../src/manifest/yaml.js';

const doc = (name: string, pad = '') => `${pad}apiVersion: inferctl/v1
kind: InferenceEndpoint
metadata: { name: ${name} }
spec:
  service_settings:
    model_id: "m"
    block: |
      text
      more text
`;

const layouts: Record<string, string> = {
  'one document': doc('a'),
  'several documents': [doc('a'), doc('b'), doc('c')].join('---\n'),
  'a leading marker and comments': `# header\n---\n${doc('a')}---\n${doc('b')}`,
  'a trailing marker': `${doc('a')}---\n`,
  'empty documents between': `${doc('a')}---\n---\n${doc('b')}`,
  'content on the marker line': `--- ${doc('a').replace('apiVersion', '{ x: 1 }\n---\napiVersion')}`,
  'windows line endings': [doc('a'), doc('b')].join('---\n').replace(/\n/g, '\r\n'),
  'comments at the end of documents': [doc('a') + '# trailing\n', doc('b')].join('---\n'),
};

describe('fast path positions', () => {
  it.each(Object.entries(layouts))('%s', (_name, text) => {
    const fast = parseYamlFast(text);
    const careful = parseYaml(text);
    expect(fast).toBeDefined();
    expect(fast!.documents.map((d) => d.value)).toEqual(careful.documents.map((d) => d.value));
    const paths: (string | number)[][] = [
      [],
      ['metadata', 'name'],
      ['spec', 'service_settings', 'model_id'],
      ['spec', 'service_settings', 'block'],
      ['kind'],
    ];
    for (const [i, d] of careful.documents.entries()) {
      for (const path of paths) {
        expect(fast!.documents[i]!.locate(path), `${i} ${path.join('.')}`).toEqual(d.locate(path));
        expect(fast!.documents[i]!.locate(path, { key: true })).toEqual(d.locate(path, { key: true }));
      }
      expect(fast!.documents[i]!.start).toEqual(d.start);
    }
  });
});
