// The create guard of PR #137055 and the semantic_text compatibility rule, as data: which release refuses what,
// and how inferctl classifies the refusal.
import { describe, expect, it } from 'vitest';
import { capabilitiesFor } from '../../src/catalog/capabilities.js';
import { canMergeWith, modelSettingsOf, recordedModelSettings } from '../../src/catalog/semantic-settings.js';
import { errorFromResponse } from '../../src/backends/elasticsearch/errors.js';

describe('createGuard by release (PR #137055 and its back-ports #137587, #137584, #137583)', () => {
  it.each([
    ['8.19.6', 'none'],
    ['8.19.7', 'strict'],
    ['9.0.8', 'none'],
    ['9.1.6', 'none'],
    ['9.1.7', 'strict'],
    ['9.2.0', 'none'],
    ['9.2.1', 'strict'],
    ['9.3.0', 'strict'],
    ['9.3.5', 'strict'],
    ['9.3.6', 'compatible'],
    ['9.4.0', 'strict'],
    ['9.5.3', 'strict'],
  ])('%s → %s', (version, form) => {
    expect(capabilitiesFor(version).createGuard).toBe(form);
  });

  it('a semantic_text inference_id can be switched from 9.3.0 (PR #136120)', () => {
    expect(capabilitiesFor('9.2.6').semanticInferenceIdUpdatable).toBe(false);
    expect(capabilitiesFor('9.3.0').semanticInferenceIdUpdatable).toBe(true);
  });
});

describe('canMergeWith: task type, dimensions, similarity, element type', () => {
  const field = recordedModelSettings({
    type: 'semantic_text',
    model_settings: {
      task_type: 'text_embedding',
      dimensions: 384,
      similarity: 'COSINE',
      element_type: 'float',
    },
  })!;

  it('same settings merge; another dimension or task type does not; an unknown member is not provable', () => {
    expect(
      canMergeWith(field, modelSettingsOf('text_embedding', { dimensions: 384, similarity: 'cosine' })),
    ).toBe(true);
    expect(
      canMergeWith(field, modelSettingsOf('text_embedding', { dimensions: 768, similarity: 'cosine' })),
    ).toBe(false);
    expect(canMergeWith(field, modelSettingsOf('sparse_embedding', {}))).toBe(false);
    expect(canMergeWith(field, modelSettingsOf('text_embedding', { similarity: 'cosine' }))).toBeUndefined();
  });

  it('sparse fields record only the task type', () => {
    expect(modelSettingsOf('sparse_embedding', { model_id: 'x' })).toEqual({ task_type: 'sparse_embedding' });
    expect(canMergeWith({ task_type: 'sparse_embedding' }, { task_type: 'sparse_embedding' })).toBe(true);
  });
});

describe('the refusal is classified by its reason, in both wordings', () => {
  const refuse = (reason: string) =>
    errorFromResponse({
      status: 400,
      bodyText: JSON.stringify({ error: { type: 'status_exception', reason }, status: 400 }),
      method: 'PUT',
      path: '/_inference/text_embedding/emb',
      url: 'https://es.example.com',
      attempts: 1,
      authKind: 'api_key',
      redact: (t) => t,
      inferenceId: 'emb',
    });

  it('strict', () => {
    const e = refuse(
      'Inference endpoint [emb] could not be created because it is being used in mappings for indices: [a, b]',
    );
    expect(e.code).toBe('in_use_by_mappings');
    expect(e.references?.indexes).toEqual(['a', 'b']);
    expect(e.message).toContain('semantic_text fields of indices that hold documents use that id (a, b)');
  });

  it('compatible', () => {
    const e = refuse(
      'Inference endpoint [emb] could not be created because the inference_id is being used in mappings with incompatible settings for indices: [a]. Please either use a different inference_id or update the index mappings to refer to a different inference_id.',
    );
    expect(e.code).toBe('in_use_by_mappings');
    expect(e.message).toContain('indices whose recorded settings differ use that id (a)');
  });
});
