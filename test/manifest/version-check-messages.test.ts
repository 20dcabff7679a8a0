// What planning against a cluster says about a manifest its release cannot take: the release that added it.
import { describe, expect, it } from 'vitest';
import { checkForVersion } from '../../src/manifest/version-check.js';
import { manifest } from '../helpers/engine.js';

describe('checkForVersion messages name the release needed', () => {
  it('a task type added later', () => {
    const m = manifest(
      'claude',
      `task_type: chat_completion
service: anthropic
service_settings:
  model_id: claude-sonnet-4
  api_key: { secretRef: { env: ANTHROPIC_API_KEY } }
task_settings: { max_tokens: 256 }`,
      { env: { ANTHROPIC_API_KEY: 'k' } },
    );
    const [d] = checkForVersion([m], '9.1.0');
    expect(d?.message).toBe(
      'task type chat_completion of the anthropic service needs Elasticsearch 9.5 or later; 9.1 does not have it',
    );
  });
});
