/**
 * THE table of Elasticsearch `_inference` behaviour that changes between versions.
 *
 * Every version difference of the inference API that inferctl models is one named field here, decided in one place from `atLeast()` /
 * `atMost()`. The emulator branches on these fields and nothing else; the planner reads the same table to
 * know what a target cluster accepts. Per-field facts (which service setting exists since when, what is
 * updatable since when) stay in the service catalog; this table holds the API-level facts only.
 *
 * Evidence is upstream (elastic/elasticsearch PRs and issues, release notes, source) and is listed, with the
 * test that pins each behaviour, in docs/fidelity/elasticsearch.md. A field marked [I] is inferred from source
 * or docs rather than read from a test or a release note; the documented behaviour is chosen and the comment
 * says so.
 */
import { CHUNKING, type ChunkingStrategy } from './chunking.js';
import type { Since, TaskType, Version } from './types.js';
import { atLeast, atMost, between, minorOf, parseVersion, type VersionTuple } from './version.js';

/** One preconfigured (`.`-prefixed) endpoint a version materialises on first read. */
export interface DefaultEndpointSpec {
  readonly inferenceId: string;
  readonly taskType: TaskType;
  /** The trained model; `platformSpecific` models get `_linux-x86_64` on that platform. */
  readonly modelId: string;
  readonly platformSpecific: boolean;
  readonly taskSettings?: Readonly<Record<string, unknown>>;
}

export type BuildFlavor = 'default' | 'serverless';

/** The release Serverless is assumed to behave like: the newest one modelled ("current"). */
export const SERVERLESS_CURRENT_VERSION = '9.5.0';

export interface Capabilities {
  /** The version these capabilities describe, as given (`9.1.0`). */
  readonly version: string;
  readonly tuple: VersionTuple;
  /** `major.minor`. */
  readonly minor: Version;

  // ---- REST surface -------------------------------------------------------------------------
  /** Task types the version knows at all (`embedding` from 9.4, `chat_completion` 8.18 [I], `completion` 8.14 [I]). */
  readonly taskTypes: readonly TaskType[];
  /** `PUT|GET|DELETE|POST /_inference/{inference_id}` (task type optional in the path) — 8.13, PR #104483. */
  readonly singleSegmentPaths: boolean;
  /** `GET /_inference` without an id — 8.14, PR #107517. */
  readonly getWithoutId: boolean;
  /** `POST /_inference/{…}/_stream` — 8.16 (rest-api-spec by-branch/8.16 `inference.stream_inference`). */
  readonly streamApi: boolean;
  /**
   * `GET /_inference/_services[/{task_type}]` — 8.16 [I] (PRs #116738/#121103 show it in 8.16-era code); the
   * route was removed for 8.17 (PR #116958 "Hide inference services API": 404 there) and is back from 8.18
   * with the configuration fields of PR #121103 (8.18 back-port #121402).
   */
  readonly servicesApi: boolean;
  /** `_services` items carry `service`/`name`/`task_types`/`configurations` (8.18/9.0, PR #121103) [I]. */
  readonly servicesApiShape: 'provider' | 'service';
  /** `PUT _inference/…?timeout=` — 8.19/9.1, transport version `INFERENCE_ADD_TIMEOUT_PUT_ENDPOINT_8_19`. */
  readonly putTimeoutParam: boolean;
  /** `PUT …/_update?timeout=` — 9.5 (spec `@availability stack since=9.5.0`). */
  readonly updateTimeoutParam: boolean;
  /** `dry_run` / `force` on DELETE and the `{acknowledged,pipelines,indexes}` response — 8.15, PR #109123. */
  readonly deleteDryRunForce: boolean;
  /**
   * DELETE checks semantic_text fields (409 without `force`) and `dry_run` lists them as `indexes` — 8.16, PR #110487
   * (PR #110399 re-done); 8.15 checks ingest pipelines only, and its response has no `indexes` (PR #111626: "In 8.15,
   * there will be no prevention of deleting inference ids used in semantic_text"). inferctl then reads the mappings
   * itself.
   */
  readonly deleteChecksSemanticText: boolean;
  /**
   * Whether PUT refuses to create an endpoint whose id `semantic_text` fields already use (PR #137055, closes issue
   * #124272; back-ports #137587 8.19.7, #137584 9.1.7, #137583 9.2.1; main ⇒ 9.3.0; no 9.0 back-port):
   * `strict` = any field (`inference_id` or `search_inference_id`) of an index holding at least one document blocks,
   * even with identical settings — 400 "Inference endpoint [x] could not be created because it is being used in
   * mappings for indices: [a, b]"; `compatible` = only fields whose recorded `model_settings` do not match the new
   * endpoint (task type, dimensions, similarity, element type: `MinimalServiceSettings.canMergeWith`) block — 400
   * "… because the inference_id is being used in mappings with incompatible settings for indices: [a, b]. …".
   * Upstream later relaxed strict to compatible, but the relaxing change and its releases are not identified; the
   * compatible form is evidenced on the 9.3 line from 9.3.6 (PR #150150 patches it there), so only 9.3.6+ is
   * `compatible` and every other release with the guard `strict` [I] — the assumption that can only over-block:
   * a plan never deletes what it is not sure Elasticsearch lets it create again. (Before PR #150150, the compatible
   * form failed a `text_embedding` PUT without explicit `dimensions` whenever a mapping referenced the id, issues
   * #147062 / #150084; 9.3.6 has the fix, so no modelled `compatible` release has that bug.)
   */
  readonly createGuard: 'none' | 'strict' | 'compatible';
  /**
   * `semantic_text.inference_id` can be changed by `PUT {index}/_mapping` when the field holds no values yet or the
   * new endpoint is compatible (same `canMergeWith` rule) — 9.3.0, PR #136120; before, the mapper refuses any change
   * ("Cannot update parameter [inference_id] from [a] to [b]").
   */
  readonly semanticInferenceIdUpdatable: boolean;
  /** Compatible-with majors accepted in `application/vnd.elasticsearch+json; compatible-with=N` (current and previous major). */
  readonly compatibleWith: readonly number[];

  // ---- GET shape ----------------------------------------------------------------------------
  /** GET wrapper key: `models` (8.12–8.14) or `endpoints` (8.15, PR #107704). */
  readonly getWrapper: 'models' | 'endpoints';
  /** Id key of a rendered endpoint: `model_id` (8.12–8.14) or `inference_id` (8.15). */
  readonly idKey: 'model_id' | 'inference_id';
  /** Empty `task_settings` are omitted from responses — PR #114389, "8.16 or 8.17 [I]": 8.17 chosen. */
  readonly omitEmptyTaskSettings: boolean;
  /** `elser` endpoints are stored/returned as `service: elasticsearch` — 8.16. */
  readonly elserStoredAsElasticsearch: boolean;
  /** GET reports the live `num_allocations` of the deployment — 8.16, PRs #115095/#115233. */
  readonly liveNumAllocations: boolean;

  // ---- create -------------------------------------------------------------------------------
  /** Inference ids are validated against the ML id regex — 8.13, PR #103669. */
  readonly validatesInferenceId: boolean;
  /** `chunking_settings` accepted and defaulted on embedding task types — 8.16. */
  readonly chunking: boolean;
  /** Chunking strategies the version accepts (sentence/word 8.16, recursive/none 9.1) — from `chunking.ts`. */
  readonly chunkingStrategies: readonly ChunkingStrategy[];
  /** `deployment_id` (attach to an existing deployment) — 8.16. */
  readonly deploymentIdAttach: boolean;
  /** Reserved-id check on create (`[id] is a reserved inference ID…`) — 8.18. Unreachable for `.` ids. */
  readonly reservedIdCheck: boolean;
  /** Provider validation call for every task type (8.16/8.17 [I]: 8.16 chosen); before only text_embedding. */
  readonly validatesAllTaskTypes: boolean;
  /** `elasticsearch`-service endpoints validated at create (model started, test inference) — 8.19/9.1, PR #123044. */
  readonly validatesInClusterAtCreate: boolean;
  /** Message for a missing `service`: newer "Inference endpoint configuration is missing the [service] setting" from 8.15 [I]. */
  readonly missingServiceMessage: 'model' | 'endpoint';
  /**
   * Prefix of the unknown-settings error: "Model configuration contains settings …" (older builds) or
   * "Configuration contains settings …". The switch version is not recorded: 9.2 chosen [I].
   */
  readonly unknownSettingsPrefix: 'Model configuration' | 'Configuration';
  /** `max_chunk_size` upper bound 300 still enforced (removed in 9.2, PR #133718) — from `chunking.ts`. */
  readonly chunkSizeCapped: boolean;

  // ---- _update ------------------------------------------------------------------------------
  /** `PUT _inference/…/_update` exists — 8.17, PR #114457. */
  readonly update: boolean;
  /** 8.17.0–8.17.1: the one-segment `_update` route always fails "Inference ID must be provided in the path" (fixed by PR #121231). */
  readonly updateOneSegmentBroken: boolean;
  /** `chunking_settings` allowed in the `_update` body (replace semantics) — 9.5, PR #149723. */
  readonly updateChunking: boolean;
  /** Unknown/immutable keys in `_update` service/task settings rejected instead of ignored — 9.5, PR #149430. */
  readonly updateRejectsUnknownKeys: boolean;
  /** Secrets optional when `service_settings` is sent to `_update` — 9.5, PR #149628. */
  readonly updateSecretsOptional: boolean;
  /** `_update` on a `.` id: `validation` (id regex error, ≤9.4) or `status` ("Default endpoint [x] cannot be updated", 9.5, PR #150368). */
  readonly updateDefaultEndpointError: 'validation' | 'status';
  /**
   * Per-service mutable non-secret settings honoured at all — the 2026 `updateServiceSettings()` series, from
   * 9.4 [I]. Which field is mutable from which version is the catalog's
   * `updatable: {since}`, dated per PR by the reference's own rule (a PR merged between two cut dates lands in
   * the later minor): AI21 #142597 (Feb 2026) ⇒ 9.4, the April 2026 PRs (#146242 … #147676) ⇒ 9.5. Before a
   * field's version the server silently ignores it on `_update`.
   */
  readonly updateMutableServiceSettings: boolean;
  /**
   * Known bug #139574: a successful `_update` of an endpoint with chunking settings stores the merged config
   * without them, so it (and every later GET) reads back as the legacy `word/250/100`
   * (`ChunkingSettingsBuilder.OLD_DEFAULT_SETTINGS`): 8.17 `combineExistingModelWithNewSettings` builds the
   * new `ModelConfigurations` without chunking. Fixed on main by PR
   * #140003 (⇒ 9.4) and back-ported to 9.2 (PR #141687) and 9.3 (PR #141682), both opened 2026-02-02. The patch
   * releases that carry the back-ports are not recorded, so every 9.2.x and 9.3.x is treated as affected [I];
   * 8.17–9.1 got no back-port. The emulator applies it to every successful update (8.17 writes even when nothing
   * changed; whether the newer "unchanged → no write" shortcut skipped it in affected builds is not known [I]).
   */
  readonly updateResetsChunkingToLegacy: boolean;
  /**
   * `num_threads` in an in-cluster `_update`: `rejected` = 400 "[num_threads] cannot be updated" (PR #138122,
   * closes #137129: 9.2.2 and 9.3.0; not in the 8.19.x / 9.1.x notes), `ignored` = accepted and silently
   * dropped (8.17 – 9.2.1, 8.19.x, 9.1.x).
   */
  readonly updateNumThreads: 'ignored' | 'rejected';
  /**
   * Services whose `_update` rejects their secrets in `service_settings` as unknown fields: 9.5.0 – 9.5.2,
   * where the strict ObjectParser-based update parsers did not declare the secret fields; fixed in 9.5.3
   * (PR #157214, 9.5 back-port #157413). The services are those its regression test
   * (`SecretRotationTestCases`) covers: Cohere, Amazon Bedrock, AlibabaCloud AI Search, watsonx, AI21, Llama.
   * Empty on every other version.
   */
  readonly updateRejectsSecretsFor: readonly string[];
  /**
   * ChunkingSettings take part in `ModelConfigurations.equals` (PR #142238: 9.2.6, 9.3.1, 9.4.0). Before it an
   * `_update` whose merged config differs only in chunking counts as "unchanged".
   */
  readonly chunkingInEquality: boolean;
  /**
   * Wording of `_update` body errors (`UpdateInferenceModelAction.Request`): `legacy` = "Unable to parse service
   * settings in the request [{map}]" and a non-string `task_type` → 500 (8.17 class);
   * `bracketed` = "Unable to parse [service_settings] in the request [{map}]", non-string `task_type` → 400
   * (the newer class). The newer class still lacks `chunking_settings`, but the ≈9.4 transport action (after
   * PR #140003) still calls the old `getContentAsSettings()`, so the switch is dated 9.5 [I].
   */
  readonly updateParseErrors: 'legacy' | 'bracketed';
  /**
   * 8.17.0–8.17.1: an in-cluster `_update` looks the trained-model assignment up by the inference id
   * (`throwIfTrainedModelDoesntExist`), before checking `num_allocations`, so an endpoint attached to another
   * deployment gets 404, never the 409s; PR #121231 (back-ported #121320 to 8.17.x) brought those (8.17 row).
   */
  readonly updateFindsDeploymentByInferenceId: boolean;
  /**
   * In-cluster allocation updates: `8.17` (num_allocations required, adaptive ignored),
   * `adaptive` (8.18–9.4: num_allocations and/or adaptive_allocations [I]),
   * `strict` (9.5: exactly one of them, num_threads rejected).
   */
  readonly updateAllocations: '8.17' | 'adaptive' | 'strict';
  /**
   * External services re-validated by a provider call on `_update` — 9.4.0 (PR #140003 "Add provider
   * validation call to Update Inference Endpoint operation", closes #122356). 8.17 – 9.3 make no call.
   */
  readonly updateValidatesWithProvider: boolean;

  // ---- timeouts --------------------------------------------------------------------------------
  /**
   * HTTP status of an inference timeout (the 30 s PUT / POST / `_update` waits, issue #144858): 408 up to
   * 9.3; 504 in 9.4 (PR #145838 "Use 504 for timeout REST status code response"); 429 from 9.5 (PR #146531,
   * after PR #116026's convention), with `"timed_out": true` in the error body (PR #124936) and the inference
   * id in the reason. Clients must classify by body, not by status.
   */
  readonly inferenceTimeoutStatus: 408 | 504 | 429;

  // ---- default endpoints, delete ---------------------------------------------------------
  /** Preconfigured endpoints of this version: 8.17 ELSER + E5, 8.18/9.0 + rerank. EIS ones are not modelled. */
  readonly defaultEndpoints: readonly DefaultEndpointSpec[];
  /** Default endpoints deletable with `force=true` (re-created on the next read) — 8.18, PR #124781. */
  readonly defaultEndpointsDeletableWithForce: boolean;
  /** `semantic_text` without `inference_id` uses `.elser-2-elasticsearch` — with the default endpoints (8.17) [I]. */
  readonly semanticTextDefaultInferenceId: string | undefined;
  /**
   * The `semantic_text` default when the cluster is authorised for EIS: `.elser-2-elastic` from 9.3.0 (PR #134708),
   * `.jina-embeddings-v5-text-small` from 9.4.0 (PR #142980); before 9.3 EIS does not change the default.
   */
  readonly semanticTextDefaultWithEis: string | undefined;

  // ---- Elastic Inference Service, Serverless ---------------------------------------------------
  /** `GET /` `version.build_flavor`: `serverless` on Elastic Cloud Serverless (its version number is meaningless). */
  readonly buildFlavor: BuildFlavor;
  /** Trained-model deployments are always adaptive (Serverless): `num_allocations` is never sent nor compared. */
  readonly allocationsAlwaysAdaptive: boolean;
  /**
   * The licensed feature an `elastic` endpoint needs: the generic `inference` enterprise check (PR #119893) up to
   * 9.2, its own `Elastic Inference Service` feature (enterprise) from 9.3.0 (PRs #137434, #139536).
   */
  readonly eisLicenceFeature: 'inference' | 'Elastic Inference Service';
  /** `rate_limit` in an `elastic` endpoint's service settings is refused — 9.2.0, PR #133845. */
  readonly eisRateLimitRefused: boolean;
  /**
   * How the preconfigured EIS endpoints (`.…-elastic` ids) come to be: a list fixed in code up to 9.2; from 9.3.0
   * delivered by the EIS authorisation response (PR #138249) and created by a polling task (PR #136713).
   */
  readonly eisPreconfigured: 'fixed' | 'dynamic' | 'none';

  // ---- errors -------------------------------------------------------------------------------
  /** Not-found reason: "Model not found [x]" (8.12–8.14) or "Inference endpoint not found [x]" (8.15). */
  readonly notFoundMessage: 'model' | 'endpoint';

  // ---- licence ------------------------------------------------------------------------------
  /** PUT/_update/infer need an enterprise (or trial) licence — 8.18/9.0, PR #119893. GET/DELETE/_services exempt. */
  readonly enterpriseLicense: boolean;
  /**
   * Where PUT and `_update` check the licence. `first`: the first statement of `masterOperation`, right after
   * the request's id validation and before the body is read (8.18-era `TransportPutInferenceModelAction`, PR
   * #119893; `_update` assumed to follow the same pattern [I] — InferenceBasicLicenseIT expects 403 before the
   * 404 of a missing id, [T]). `perService`: per service, once the service is known
   * (`InferenceLicenceCheck.isServiceLicenced`, PR #137434): create after the task type and the missing-service
   * check, `_update` after the endpoint lookup (404 first). PR #137434 was opened after the 9.2 cut but
   * the api reference lists it under 9.2, so 9.2 is chosen [I].
   */
  readonly licenceCheck: 'first' | 'perService';
  /** In-cluster deployments need the ML (platinum+) licence → 403 `[ml]`, endpoint gone afterwards — ≤8.17. */
  readonly mlLicenseForDeployments: boolean;

  // ---- known bugs ------------------------------------------------------------------------------
  /**
   * Issue #137127 (reported on 9.2.0, open): `num_allocations` with enabled `adaptive_allocations` still fails
   * with the `action_request_validation_exception` of but only when the deployment is started — after the
   * endpoint was stored, so GET finds it and no deployment exists. The reference dates it "bug in 9.2" only, so
   * only 9.2 is affected here (later minors not verified) [I].
   */
  readonly adaptiveConflictStoresEndpoint: boolean;
}

const ELSER: DefaultEndpointSpec = {
  inferenceId: '.elser-2-elasticsearch',
  taskType: 'sparse_embedding',
  modelId: '.elser_model_2',
  platformSpecific: true,
};
const E5: DefaultEndpointSpec = {
  inferenceId: '.multilingual-e5-small-elasticsearch',
  taskType: 'text_embedding',
  modelId: '.multilingual-e5-small',
  platformSpecific: true,
};
const RERANK: DefaultEndpointSpec = {
  inferenceId: '.rerank-v1-elasticsearch',
  taskType: 'rerank',
  modelId: '.rerank-v1',
  platformSpecific: false,
  taskSettings: { return_documents: true },
};

/** PR #157214's regression test (SecretRotationTestCases): the services whose 9.5 update parser dropped secrets. */
const SECRETS_REJECTED_IN_UPDATE_9_5: readonly string[] = [
  'cohere',
  'amazonbedrock',
  'alibabacloud-ai-search',
  'watsonxai',
  'ai21',
  'llama',
];

/** `atLeast` over a `Since`, spelled so the table below reads like the reference's matrix. */
function since(v: VersionTuple, s: Since): boolean {
  return atLeast(v, s);
}

/**
 * The capabilities of one Elasticsearch version. Why a function of the version and not a set of flags per
 * profile: 8.19 is newer than 9.0 in time, so "since 8.19/9.1" must be evaluated with `atLeast` per major,
 * and patch levels matter once (8.17.0–8.17.1 `_update` bug).
 *
 * @example capabilitiesFor('8.17.0').update // true
 */
export function capabilitiesFor(version: string, buildFlavor: BuildFlavor = 'default'): Capabilities {
  const key = buildFlavor === 'serverless' ? 'serverless' : version;
  let caps = computed.get(key);
  if (!caps) {
    caps = buildFlavor === 'serverless' ? serverless() : compute(version);
    if (computed.size < 100) computed.set(key, caps);
  }
  return caps;
}

/**
 * Elastic Cloud Serverless: `GET /` reports a version that is no feature gate (8.11.0, later the next target
 * release), so the newest modelled release is assumed, with what Serverless forces: adaptive allocations for
 * trained-model deployments (docs issue #2928; "[number_of_allocations] cannot be set if adaptive allocations is
 * enabled;", issue #128758) and a project-level licence.
 */
function serverless(): Capabilities {
  return {
    ...compute(SERVERLESS_CURRENT_VERSION),
    buildFlavor: 'serverless',
    allocationsAlwaysAdaptive: true,
  };
}

/** The table is a pure function of the version; planning asks for it per manifest. */
const computed = new Map<string, Capabilities>();

function compute(version: string): Capabilities {
  const v = parseVersion(version);
  const taskTypes: TaskType[] = ['text_embedding', 'sparse_embedding'];
  if (since(v, '8.13')) taskTypes.push('rerank');
  if (since(v, '8.14')) taskTypes.push('completion');
  if (since(v, '8.18')) taskTypes.push('chat_completion');
  if (since(v, '9.4')) taskTypes.push('embedding');

  const strategies = (Object.keys(CHUNKING) as ChunkingStrategy[]).filter((s) => since(v, CHUNKING[s].since));
  const sentenceCapUntil = CHUNKING.sentence.maxChunkSize?.maximumUntil;

  const defaults: DefaultEndpointSpec[] = [];
  if (since(v, '8.17')) defaults.push(ELSER, E5);
  if (since(v, ['8.18', '9.0'])) defaults.push(RERANK);

  return {
    version,
    tuple: v,
    minor: minorOf(version),
    taskTypes,
    singleSegmentPaths: since(v, '8.13'),
    getWithoutId: since(v, '8.14'),
    streamApi: since(v, '8.16'),
    servicesApi: since(v, '8.16') && !(v[0] === 8 && v[1] === 17),
    servicesApiShape: since(v, ['8.18', '9.0']) ? 'service' : 'provider',
    putTimeoutParam: since(v, ['8.19', '9.1']),
    updateTimeoutParam: since(v, '9.5'),
    deleteDryRunForce: since(v, '8.15'),
    deleteChecksSemanticText: since(v, '8.16'),
    createGuard: !since(v, ['8.19.7', '9.1.7', '9.2.1'])
      ? 'none'
      : between(v, '9.3.6', '9.3')
        ? 'compatible'
        : 'strict',
    semanticInferenceIdUpdatable: since(v, '9.3'),
    compatibleWith: [v[0] - 1, v[0]],

    getWrapper: since(v, '8.15') ? 'endpoints' : 'models',
    idKey: since(v, '8.15') ? 'inference_id' : 'model_id',
    omitEmptyTaskSettings: since(v, '8.17'),
    elserStoredAsElasticsearch: since(v, '8.16'),
    liveNumAllocations: since(v, '8.16'),

    validatesInferenceId: since(v, '8.13'),
    chunking: since(v, '8.16'),
    chunkingStrategies: strategies,
    deploymentIdAttach: since(v, '8.16'),
    reservedIdCheck: since(v, ['8.18', '9.0']),
    validatesAllTaskTypes: since(v, '8.16'),
    validatesInClusterAtCreate: since(v, ['8.19', '9.1']),
    missingServiceMessage: since(v, '8.15') ? 'endpoint' : 'model',
    unknownSettingsPrefix: since(v, '9.2') ? 'Configuration' : 'Model configuration',
    chunkSizeCapped: atMost(v, sentenceCapUntil),

    update: since(v, '8.17'),
    updateOneSegmentBroken: v[0] === 8 && v[1] === 17 && v[2] <= 1,
    updateChunking: since(v, '9.5'),
    updateRejectsUnknownKeys: since(v, '9.5'),
    updateSecretsOptional: since(v, '9.5'),
    updateDefaultEndpointError: since(v, '9.5') ? 'status' : 'validation',
    updateMutableServiceSettings: since(v, '9.4'),
    // #139574: from the first _update (8.17.0); fixed 9.2.6 (PR #141687), 9.3.1 (PR #141682), 9.4.0 (PR #140003).
    updateResetsChunkingToLegacy: since(v, '8.17') && !since(v, ['9.2.6', '9.3.1']),
    updateNumThreads: since(v, ['9.2.2']) ? 'rejected' : 'ignored',
    updateRejectsSecretsFor: between(v, '9.5.0', '9.5.2') ? SECRETS_REJECTED_IN_UPDATE_9_5 : [],
    chunkingInEquality: since(v, ['9.2.6', '9.3.1']),
    updateParseErrors: since(v, '9.5') ? 'bracketed' : 'legacy',
    updateFindsDeploymentByInferenceId: v[0] === 8 && v[1] === 17 && v[2] <= 1,
    updateAllocations: since(v, '9.5') ? 'strict' : since(v, ['8.18', '9.0']) ? 'adaptive' : '8.17',
    updateValidatesWithProvider: since(v, '9.4'),
    inferenceTimeoutStatus: since(v, '9.5') ? 429 : since(v, '9.4') ? 504 : 408,

    defaultEndpoints: defaults,
    defaultEndpointsDeletableWithForce: since(v, ['8.18', '9.0']),
    semanticTextDefaultInferenceId: since(v, '8.17') ? ELSER.inferenceId : undefined,
    semanticTextDefaultWithEis: since(v, '9.4')
      ? '.jina-embeddings-v5-text-small'
      : since(v, '9.3')
        ? '.elser-2-elastic'
        : undefined,

    buildFlavor: 'default',
    allocationsAlwaysAdaptive: false,
    eisLicenceFeature: since(v, '9.3') ? 'Elastic Inference Service' : 'inference',
    eisRateLimitRefused: since(v, '9.2'),
    eisPreconfigured: since(v, '9.3') ? 'dynamic' : since(v, ['8.18', '9.0']) ? 'fixed' : 'none',

    notFoundMessage: since(v, '8.15') ? 'endpoint' : 'model',

    enterpriseLicense: since(v, ['8.18', '9.0']),
    licenceCheck: since(v, '9.2') ? 'perService' : 'first',
    mlLicenseForDeployments: atMost(v, '8.17'),

    adaptiveConflictStoresEndpoint: v[0] === 9 && v[1] === 2,
  };
}

/**
 * The version profiles the emulator and its tests know by name (8.12–8.14 reads, 8.15 … 9.5), with the patch
 * releases on either side of a behaviour that changed within a minor: the create guard (8.19.6 / 8.19.7, 9.1.6 /
 * 9.1.7, 9.2.0 / 9.2.1; compatible form 9.3.6), `num_threads` refused on `_update` (9.2.2), the chunking reset fixed
 * (9.2.6, 9.3.1), secrets accepted again on 9.5's `_update` (9.5.3). Ascending: the first match is the oldest.
 */
export const VERSION_PROFILES = [
  '8.12.2',
  '8.13.4',
  '8.14.3',
  '8.15.5',
  '8.16.6',
  '8.17.10',
  '8.18.8',
  '8.19.3',
  '8.19.6',
  '8.19.7',
  '9.0.7',
  '9.1.0',
  '9.1.6',
  '9.1.7',
  '9.2.0',
  '9.2.1',
  '9.2.2',
  '9.2.3',
  '9.2.6',
  '9.3.0',
  '9.3.1',
  '9.3.6',
  '9.4.0',
  '9.5.0',
  '9.5.3',
] as const;
