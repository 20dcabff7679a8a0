/**
 * `POST /_inference/[{task_type}/]{inference_id}` and `…/_stream`: perform inference. Not part of what
 * inferctl manages, but a documented route of every version (rest-api-spec `inference.inference`) and used by
 * Elasticsearch's own tests (clients-tests 10_basic.yml). Results are deterministic fakes:
 * vectors of the stored `dimensions`, a few sparse tokens, rerank scores, an echo completion.
 */
import { EsError, licenseError, statusException } from '../errors.js';
import { startDeployment } from '../ml.js';
import type { EmulatorState, StoredEndpoint } from '../state.js';
import type { EmuRequest, EmuResponse, JsonObject, JsonValue } from '../types.js';
import {
  checkRequestedTaskType,
  isInCluster,
  loadEndpoint,
  parseJsonBody,
  parseTaskType,
  type ParsedTaskType,
} from './common.js';
import { isObject } from './settings.js';

function hash(text: string, seed: number): number {
  let h = 2166136261 ^ seed;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return (h >>> 0) / 4294967296;
}

function inputs(body: JsonObject): string[] {
  const input = body.input;
  if (typeof input === 'string') return [input];
  if (Array.isArray(input) && input.every((i) => typeof i === 'string')) return input as string[];
  // The unified chat completion API sends `messages` instead of `input`.
  if (Array.isArray(body.messages)) {
    return body.messages.map((m) => (isObject(m) && typeof m.content === 'string' ? m.content : ''));
  }
  throw new EsError(
    400,
    'action_request_validation_exception',
    'Validation Failed: 1: Field [input] cannot be empty;',
  ); // [I]
}

function results(ep: StoredEndpoint, body: JsonObject): JsonValue {
  const texts = inputs(body);
  switch (ep.taskType) {
    case 'text_embedding':
    case 'embedding': {
      const dims = typeof ep.serviceSettings.dimensions === 'number' ? ep.serviceSettings.dimensions : 384;
      return {
        [ep.taskType]: texts.map((t) => ({
          embedding: Array.from({ length: dims }, (_, i) => Math.round((hash(t, i) * 2 - 1) * 1e6) / 1e6),
        })),
      };
    }
    case 'sparse_embedding':
      return {
        sparse_embedding: texts.map((t) => ({
          is_truncated: false,
          embedding: Object.fromEntries(
            t
              .toLowerCase()
              .split(/\W+/)
              .filter(Boolean)
              .map((w) => [w, Math.round(hash(w, 7) * 3e6) / 1e6]),
          ),
        })),
      };
    case 'rerank': {
      const query = typeof body.query === 'string' ? body.query : '';
      const scored = texts
        .map((t, index) => ({ index, relevance_score: Math.round(hash(query + t, 3) * 1e6) / 1e6, text: t }))
        .sort((a, b) => b.relevance_score - a.relevance_score);
      return { rerank: scored };
    }
    case 'completion':
    case 'chat_completion':
      return { completion: texts.map((t) => ({ result: `emulated completion for: ${t}` })) };
  }
}

/** Performs (fake) inference; in-cluster endpoints without a deployment (defaults) start one first. */
export function infer(
  state: EmulatorState,
  req: EmuRequest,
  first: string,
  second: string | undefined,
  stream: boolean,
): EmuResponse {
  const caps = state.caps;
  const urlType: ParsedTaskType = second === undefined ? 'any' : parseTaskType(caps, first);
  const id = second ?? first;
  const body = parseJsonBody(req, true) ?? {};
  if (caps.enterpriseLicense && !state.hasEnterprise()) throw licenseError('inference');
  const ep = loadEndpoint(state, id);
  checkRequestedTaskType(urlType, ep);
  if (
    isInCluster(ep.service) &&
    !state.deployments.has(ep.inferenceId) &&
    ep.serviceSettings.deployment_id === undefined
  ) {
    // ≤8.17: starting a deployment needs the ML (platinum) licence, default endpoints included.
    if (caps.mlLicenseForDeployments && !state.hasMl()) throw licenseError('ml');
    const adaptive = isObject(ep.serviceSettings.adaptive_allocations)
      ? ep.serviceSettings.adaptive_allocations
      : undefined;
    startDeployment(state, {
      deploymentId: ep.inferenceId,
      modelId: String(ep.serviceSettings.model_id),
      createdBy: ep.inferenceId,
      threads: Number(ep.serviceSettings.num_threads ?? 1),
      allocations:
        typeof ep.serviceSettings.num_allocations === 'number'
          ? ep.serviceSettings.num_allocations
          : undefined,
      adaptive: adaptive as never,
    });
  }
  if (stream) {
    if (ep.taskType !== 'completion' && ep.taskType !== 'chat_completion') {
      throw statusException(
        400,
        `Streaming is not allowed for service [${ep.service}] and task [${ep.taskType}]`,
      ); // [I]
    }
    const texts = inputs(body);
    return {
      status: 200,
      events: texts.map((t) => ({ completion: [{ delta: `emulated completion for: ${t}` }] })),
    };
  }
  return { status: 200, body: results(ep, body) };
}
