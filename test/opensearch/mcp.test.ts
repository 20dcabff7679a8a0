// MCP connectors: protocol mcp_sse (3.0+) and mcp_streamable_http (3.3+), with a url
// and headers instead of actions, a credential only when the headers need one; refused on older
// clusters with the version they need; created, then planned empty, on a cluster that has them.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSearchCapabilitiesFor } from '../../src/catalog/opensearch-capabilities.js';
import { InferctlError } from '../../src/errors.js';
import { loadManifests } from '../../src/manifest/load.js';
import { compileOpenSearchChange } from '../../src/opensearch/compile.js';
import { checkOpenSearchVersion } from '../../src/opensearch/manifest.js';
import { buildOpenSearchPlan } from '../../src/opensearch/plan.js';
import { actions, cluster, manifestsFrom } from './helpers.js';

const TOKEN = 'mcp-canary-token-9f2';
const env = { MCP_TOKEN: TOKEN, KEY: 'sk-canary' };

function load(text: string) {
  const dir = mkdtempSync(join(tmpdir(), 'inferctl-os-mcp-'));
  writeFileSync(join(dir, 'os.yaml'), text);
  return loadManifests(['os.yaml'], { cwd: dir, env });
}
/** A cluster that trusts the MCP server's URL (plugins.ml_commons.trusted_connector_endpoints_regex). */
const trusting = { trustedConnectorEndpointsRegex: ['^https://mcp\\.example\\.com(/.*)?$'] };

const problems = (text: string) => load(text).diagnostics.map((d) => `${d.line} ${d.path}: ${d.message}`);

const mcp = (protocol = 'mcp_streamable_http', extra = '') => `apiVersion: inferctl/v1
kind: OpenSearchConnector
metadata: { name: tools }
spec:
  description: Brands MCP server
  version: 1
  protocol: ${protocol}
  url: https://mcp.example.com
  credential: { mcp_token: { secretRef: { env: MCP_TOKEN } } }
  headers:
    Authorization: Bearer \${credential.mcp_token}
    Content-Type: application/json
${extra}`;

describe('MCP connectors: the schema', () => {
  it('accepts mcp_streamable_http and mcp_sse with url and headers, a credential optional', () => {
    expect(problems(mcp())).toEqual([]);
    expect(problems(mcp('mcp_sse', '  parameters: { sse_endpoint: /sse }\n'))).toEqual([]);
    const bare = `apiVersion: inferctl/v1
kind: OpenSearchConnector
metadata: { name: open-tools }
spec: { version: 1, protocol: mcp_sse, url: 'https://mcp.example.com' }
`;
    expect(problems(bare)).toEqual([]);
    const [m] = load(mcp()).openSearch;
    expect(m!.spec).toMatchObject({ protocol: 'mcp_streamable_http', url: 'https://mcp.example.com' });
  });

  it('refuses an MCP connector without url or with actions, and url/headers on an http one', () => {
    const noUrl = mcp().replace('  url: https://mcp.example.com\n', '');
    expect(problems(noUrl)).toEqual(['4 spec.url: missing required field "url"']);
    const withActions = mcp(
      'mcp_sse',
      "  actions: [{ action_type: predict, method: POST, url: 'https://mcp.example.com' }]\n",
    );
    expect(problems(withActions)).toEqual([
      '13 spec.actions: an MCP connector (protocol mcp_sse or mcp_streamable_http) has no actions: OpenSearch ignores them; remove actions',
    ]);
    const http = mcp('http');
    expect(problems(http)).toEqual([
      '8 spec.url: url belongs to MCP connectors (protocol mcp_sse or mcp_streamable_http); an http or aws_sigv4 connector ignores it — use actions[].url',
      '10 spec.headers: headers belongs to MCP connectors (protocol mcp_sse or mcp_streamable_http); an http or aws_sigv4 connector ignores it — use actions[].headers',
    ]);
    // A credential stays required (and non-empty) for http and aws_sigv4.
    const noCredential = `apiVersion: inferctl/v1
kind: OpenSearchConnector
metadata: { name: c }
spec:
  version: 1
  protocol: http
  actions: [{ action_type: predict, method: POST, url: 'https://api.openai.com/v1/embeddings' }]
`;
    expect(problems(noCredential)).toEqual(['4 spec.credential: missing required field "credential"']);
    expect(problems(`${mcp('grpc')}`)[0]).toMatch(/spec\.protocol: .*aws_sigv4.*mcp_streamable_http/);
  });

  it('refuses ${parameters.*} in auth-like headers, a literal secret in one, an undeclared ${credential.x}', () => {
    const headers = mcp().replace(
      '    Authorization: Bearer ${credential.mcp_token}\n',
      '    Authorization: Bearer ${parameters.token}\n    X-Api-Key: literal-secret-value\n    X-Trace: ${credential.nope}\n',
    );
    const found = load(headers).diagnostics;
    expect(found.map((d) => `${d.path}: ${d.message}`)).toEqual([
      'spec.headers.Authorization: header "Authorization" cannot use a ${parameters.*} placeholder: an MCP connector has no parameters (OpenSearch refuses it)',
      'spec.headers["X-Api-Key"]: header "X-Api-Key" carries a secret written in the manifest (value not shown): it would be stored in Git and shown in every plan',
      'spec.headers["X-Trace"]: header "X-Trace" uses ${credential.nope}, which the connector\'s credential does not declare (OpenSearch would send the placeholder as it is)',
    ]);
    expect(JSON.stringify(found)).not.toContain('literal-secret-value');
    // The same rule on an http connector's action headers (OpenSearch: "… Use ${credential.*} instead.").
    const http = `apiVersion: inferctl/v1
kind: OpenSearchConnector
metadata: { name: c }
spec:
  version: 1
  protocol: http
  credential: { key: { secretRef: { env: KEY } } }
  actions:
    - action_type: predict
      method: POST
      url: https://api.openai.com/v1/embeddings
      headers: { Authorization: 'Bearer \${parameters.key}', X-Tenant: '\${parameters.tenant}' }
`;
    expect(problems(http)).toEqual([
      '12 spec.actions[0].headers.Authorization: header "Authorization" cannot use a ${parameters.*} placeholder: OpenSearch refuses it for security reasons',
    ]);
  });

  it('refuses a model on an MCP connector, and an MCP inline connector', () => {
    const model = `${mcp()}---
apiVersion: inferctl/v1
kind: OpenSearchModelGroup
metadata: { name: g }
spec: {}
---
apiVersion: inferctl/v1
kind: OpenSearchModel
metadata: { name: m }
spec: { model_group: g, connector: tools }
`;
    expect(problems(model)).toEqual([
      '22 spec.connector: OpenSearchConnector "tools" is an MCP connector (protocol mcp_streamable_http): it gives agents tools and has no actions a model could call',
    ]);
    const inline = `apiVersion: inferctl/v1
kind: OpenSearchModelGroup
metadata: { name: g }
spec: {}
---
apiVersion: inferctl/v1
kind: OpenSearchModel
metadata: { name: m }
spec:
  model_group: g
  connector:
    version: 1
    protocol: mcp_sse
    url: https://mcp.example.com
    credential: { k: { secretRef: { env: KEY } } }
`;
    const found = problems(inline);
    expect(found.some((p) => p.includes('spec.connector.protocol'))).toBe(true);
    expect(found.some((p) => p.includes('unknown field "url"'))).toBe(true);
  });
});

describe('MCP connectors: versions', () => {
  it('mcp_sse needs 3.0, mcp_streamable_http 3.3, MCP parameters 3.1', () => {
    const sse = manifestsFrom(mcp('mcp_sse'), env);
    const on219 = checkOpenSearchVersion(sse, openSearchCapabilitiesFor('2.19.0'));
    expect(on219.map((d) => `${d.path}: ${d.message}`)).toEqual([
      'spec.url: url needs OpenSearch 3.0 or later; the cluster is 2.19.0, which would silently ignore it',
      'spec.headers: headers needs OpenSearch 3.0 or later; the cluster is 2.19.0, which would silently ignore it',
      'spec.protocol: protocol mcp_sse needs OpenSearch 3.0 or later; the cluster is 2.19.0, which refuses it ("Can\'t find class for type mcp_sse")',
    ]);
    expect(checkOpenSearchVersion(sse, openSearchCapabilitiesFor('3.0.0'))).toEqual([]);
    const streamable = manifestsFrom(mcp('mcp_streamable_http', '  parameters: { endpoint: /mcp/ }\n'), env);
    expect(
      checkOpenSearchVersion(streamable, openSearchCapabilitiesFor('3.0.0')).map((d) => d.message),
    ).toEqual([
      'protocol mcp_streamable_http needs OpenSearch 3.3 or later; the cluster is 3.0.0, which refuses it ("Can\'t find class for type mcp_streamable_http")',
      'parameters of an MCP connector needs OpenSearch 3.1 or later; the cluster is 3.0.0, which would silently ignore it',
    ]);
    expect(checkOpenSearchVersion(streamable, openSearchCapabilitiesFor('3.3.0'))).toEqual([]);
  });

  it('a plan against 2.19 refuses mcp_sse before sending anything', async () => {
    const c = await cluster('2.19.0');
    try {
      const error = await c.plan(manifestsFrom(mcp('mcp_sse'), env)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InferctlError);
      const e = error as InferctlError;
      expect(e.code).toBe('invalid_manifests');
      expect(e.message).toBe('the manifests ask for what OpenSearch 2.19.0 does not have');
      const diagnostics = (e.context as { diagnostics: { message: string }[] }).diagnostics;
      expect(diagnostics.map((d) => d.message)).toContain(
        'protocol mcp_sse needs OpenSearch 3.0 or later; the cluster is 2.19.0, which refuses it ("Can\'t find class for type mcp_sse")',
      );
      expect(c.emulator.state.connectors.docs.size).toBe(0);
    } finally {
      await c.close();
    }
  });
});

describe('MCP connectors: apply', () => {
  it('creates an mcp_streamable_http connector on 3.3, then plans nothing; a change is one in-place update', async () => {
    const c = await cluster('3.3.0', trusting);
    try {
      const manifests = manifestsFrom(mcp('mcp_streamable_http', '  parameters: { endpoint: /mcp/ }\n'), env);
      const plan = await c.plan(manifests);
      expect(actions(plan)).toEqual(['create OpenSearchConnector/tools']);
      expect(JSON.stringify(plan)).not.toContain(TOKEN);
      const result = await c.apply(plan, manifests);
      expect(result.summary).toMatchObject({ succeeded: 1, failed: 0 });
      expect(result.results[0]!.message).toBe('created and verified');
      const [stored] = [...c.emulator.state.connectors.docs.values()];
      expect(stored!.source).toMatchObject({
        protocol: 'mcp_streamable_http',
        url: 'https://mcp.example.com',
        headers: { Authorization: 'Bearer ${credential.mcp_token}', 'Content-Type': 'application/json' },
        parameters: { endpoint: '/mcp/' },
      });
      expect(stored!.source).not.toHaveProperty('actions');
      expect(JSON.stringify(stored!.source)).not.toContain(TOKEN);
      const again = await c.plan(manifests);
      expect(again.changes).toEqual([]);
      expect(again.unchanged).toEqual(['OpenSearchConnector/tools']);

      // Headers changed and one removed: the update replaces the headers; parameters merge, so they are
      // not sent.
      const changed = manifestsFrom(
        mcp('mcp_streamable_http', '  parameters: { endpoint: /mcp/ }\n').replace(
          '    Content-Type: application/json\n',
          '',
        ),
        env,
      );
      const update = await c.plan(changed);
      expect(actions(update)).toEqual(['update OpenSearchConnector/tools']);
      expect(update.changes[0]!.diff.map((d) => `${d.op} ${d.path}`)).toEqual([
        'remove /headers/Content-Type',
      ]);
      const steps = compileOpenSearchChange(update.changes[0]!, changed[0], c.caps, () => undefined);
      expect(steps).toEqual([
        {
          kind: 'update-connector',
          id: update.changes[0]!.id,
          body: { headers: { Authorization: 'Bearer ${credential.mcp_token}' } },
        },
      ]);
      expect((await c.apply(update, changed)).summary).toMatchObject({ succeeded: 1 });
      expect((await c.plan(changed)).changes).toEqual([]);
    } finally {
      await c.close();
    }
  });

  it('mcp_sse without a credential: refused before 3.3, created on 3.3', async () => {
    const bare = manifestsFrom(
      `apiVersion: inferctl/v1
kind: OpenSearchConnector
metadata: { name: open-tools }
spec: { version: 1, protocol: mcp_sse, url: 'https://mcp.example.com' }
`,
    );
    expect(checkOpenSearchVersion(bare, openSearchCapabilitiesFor('3.2.0')).map((d) => d.message)).toEqual([
      'an MCP connector without a credential needs OpenSearch 3.3 or later; the cluster is 3.2.0, which refuses it ("Connector credential is null or empty list")',
    ]);
    const c = await cluster('3.3.0', trusting);
    try {
      const manifests = manifestsFrom(
        `apiVersion: inferctl/v1
kind: OpenSearchConnector
metadata: { name: open-tools }
spec: { version: 1, protocol: mcp_sse, url: 'https://mcp.example.com' }
`,
      );
      const result = await c.apply(await c.plan(manifests), manifests);
      expect(result.summary).toMatchObject({ succeeded: 1, failed: 0 });
      expect((await c.plan(manifests)).changes).toEqual([]);
    } finally {
      await c.close();
    }
  });

  it('MCP parameters merge on update like any connector’s: a removed key replaces the connector', () => {
    const caps = openSearchCapabilitiesFor('3.3.0');
    const manifests = manifestsFrom(mcp(), env);
    const plan = buildOpenSearchPlan({
      desired: manifests,
      live: {
        connectors: [
          {
            id: 'C1',
            source: {
              name: 'tools',
              version: '1',
              description: 'Brands MCP server',
              protocol: 'mcp_streamable_http',
              parameters: { endpoint: '/mcp/' },
              url: 'https://mcp.example.com',
              headers: {
                Authorization: 'Bearer ${credential.mcp_token}',
                'Content-Type': 'application/json',
              },
            },
          },
        ],
        groups: [],
        models: [],
      },
      capabilities: caps,
      target: { url: 'http://os' },
    });
    expect(actions(plan)).toEqual(['replace OpenSearchConnector/tools', 'delete OpenSearchConnector/tools']);
    expect(plan.changes[0]!.reasons[0]!.code).toBe('cannot_remove');
    expect(plan.changes[0]!.diff.map((d) => `${d.op} ${d.path}`)).toContain('remove /parameters');
  });
});
