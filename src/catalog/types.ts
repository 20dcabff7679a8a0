/**
 * The shape of inferctl's per-service knowledge.
 *
 * Everything inferctl knows about an Elasticsearch inference service — which task types it takes,
 * which fields it accepts and since when, which are secrets, what the server fills in, what `_update`
 * can change — is data of these types, written once in `src/catalog/services/*.ts`. The JSON Schemas,
 * the validator, the emulator, the normaliser and the planner all read it; none of them carries its own
 * copy of a service's rules.
 *
 * Facts come from Elasticsearch's source, release notes and API documentation (each service links its
 * API page); behaviours and their evidence are listed in docs/fidelity/elasticsearch.md.
 */

/** Every task type any Elasticsearch version knows, in the order the reference lists them. */
export const TASK_TYPES = [
  'text_embedding',
  'sparse_embedding',
  'embedding',
  'rerank',
  'completion',
  'chat_completion',
] as const;
export type TaskType = (typeof TASK_TYPES)[number];

/** The task types whose endpoints produce embeddings: the only ones that take `chunking_settings`. */
export const EMBEDDING_TASK_TYPES: readonly TaskType[] = ['text_embedding', 'sparse_embedding', 'embedding'];

export const SIMILARITIES = ['cosine', 'dot_product', 'l2_norm'] as const;
export type Similarity = (typeof SIMILARITIES)[number];

/**
 * An Elasticsearch version: `major.minor` (every patch of that minor) or `major.minor.patch` (fixes and
 * breaking changes land in patch releases too: #139574 is fixed in 9.2.6 and 9.3.1).
 */
export type Version = `${number}.${number}` | `${number}.${number}.${number}`;

/**
 * "From this version on". Elasticsearch ships two majors side by side (8.19 came out after 9.0), so a
 * feature that landed in 8.19 and 9.1 is `['8.19', '9.1']`: one minimum per major. A fix back-ported to
 * several lines names one minimum per line: `['8.19.7', '9.1.7', '9.2.1']` (9.2.0 does not have it, 9.3.0
 * does). See `atLeast()`.
 */
export type Since = Version | readonly Version[];

/** A per-task-type value, for defaults that differ by task type (OpenAI's rate limit, for one). */
export type ByTaskType<T> = Partial<Record<TaskType, T>>;

/**
 * How a field can be changed on an existing endpoint through `PUT _inference/…/_update`.
 * - `secret`: a secret; replaceable from 8.17, but only by sending the service's whole secret set.
 * - `allocation`: `num_allocations` / `adaptive_allocations` of an in-cluster deployment (8.17 / 8.18+).
 * - `{ since }`: a non-secret setting that became mutable in that version (the 2026 `updateServiceSettings`
 *   series); before it the server silently ignored the key.
 * - `merge`: task settings — merged key by key into the stored ones from 8.17.
 * - `never`: create-time only; a change means delete and recreate.
 */
export type Updatable = 'secret' | 'allocation' | 'merge' | 'never' | { readonly since: Since };

/** A condition under which a field is required. */
export interface RequirementCondition {
  readonly taskTypes?: readonly TaskType[];
  /** Required from this version on (optional before). */
  readonly since?: Since;
  /** Required up to and including this version (optional after). */
  readonly until?: Version;
  /** Not required when this sibling field is present (`model_id` unless `deployment_id`). */
  readonly unless?: string;
}

/**
 * When a field is required. `true` = always; a condition; or several conditions, any of which makes it
 * required (Vertex AI's project_id: up to 9.1 for every task type, and always for rerank).
 */
export type Requirement = true | RequirementCondition | readonly RequirementCondition[];

/** A JSON Schema fragment (draft 2020-12). Kept loose on purpose: the catalog writes literal schema. */
export type JsonSchema = { readonly [key: string]: unknown };

export type FieldType =
  | 'string'
  | 'integer'
  | 'number'
  | 'boolean'
  /** `{ requests_per_minute: integer > 0 }` */
  | 'rate_limit'
  /** `{ enabled, min_number_of_allocations, max_number_of_allocations }` */
  | 'adaptive_allocations'
  /** map of string → string (headers, secret_parameters) */
  | 'string_map'
  | 'string_array'
  /** anything else: the field's `schema` says what. */
  | 'object';

export interface FieldSpec {
  readonly type: FieldType;
  /** One or two sentences for editors' hover docs and `--help`; say what it is and what it defaults to. */
  readonly description: string;
  readonly required?: Requirement;
  /** Write-only: never returned by GET, never compared with live state, taken only as a `secretRef`. */
  readonly secret?: boolean;
  /** First Elasticsearch version that accepts the field (omit when as old as the service). */
  readonly since?: Since;
  /** Last version that accepts the field (renamed or removed after it). */
  readonly until?: Version;
  /** The field exists only for these task types (omit = all the service's task types). */
  readonly taskTypes?: readonly TaskType[];
  readonly enum?: readonly string[];
  /**
   * Elasticsearch parses the value in any case (`Enum.fromString`: `valueOf(name.trim().toUpperCase(Locale.ROOT))`,
   * e.g. `CohereTruncation`, `InputType`, `SimilarityMeasure`) and stores its own spelling (the enum's `toString`,
   * lower case): `truncate: start` is `START`, and a live `start` is in sync with a declared `START`.
   */
  readonly caseInsensitive?: boolean;
  /** Inclusive bounds for numbers. */
  readonly minimum?: number;
  readonly maximum?: number;
  /** Extra JSON Schema merged into the generated one (patterns, `items`, object shapes). */
  readonly schema?: JsonSchema;
  /**
   * The value the server stores and returns when the manifest leaves the field out. A manifest that
   * omits the field is in sync with a live endpoint showing this value.
   */
  readonly default?: unknown;
  /** Like `default`, but per task type. */
  readonly defaultByTaskType?: ByTaskType<unknown>;
  /**
   * Optional. Defaults that depend on sibling fields' values (JinaAI: `l2_norm` for bit/binary embeddings,
   * Amazon Bedrock: per provider). The first entry whose `when` fields all hold the given value (an array = any
   * of these values) wins; when none matches, `default` / `defaultByTaskType` apply. Values are compared with
   * the stored (canonical) ones.
   */
  readonly defaultWhen?: readonly {
    readonly when: Readonly<Record<string, unknown>>;
    readonly value: unknown;
    /** Only from this release (Cohere's `cosine` default from 8.18, PR #125370). */
    readonly since?: Since;
  }[];
  /**
   * Optional; `false` = the server applies `default` when the field is omitted but does not write it into the
   * stored config, so GET does not show it. Used for defaults the reference gives only as a default value, not
   * among the documented server-filled values [I].
   */
  readonly storedWhenOmitted?: boolean;
  /**
   * Optional; `false` = the server fills and returns the field but does not accept it in a create request (it
   * stays in the map and fails as an unknown setting): NVIDIA's `dimensions`, read only from stored configs.
   * A manifest must not declare it.
   */
  readonly acceptedInRequest?: boolean;
  /**
   * Optional. The values the field may take per task type (Amazon Bedrock's and Azure AI Studio's `provider`);
   * another value fails the create with 400 "The [<task type>] task type for <field> [<value>] is not available".
   */
  readonly valuesByTaskType?: ByTaskType<readonly string[]>;
  /**
   * Optional, task settings: the field is accepted only while these service settings hold one of the listed
   * values (Amazon Bedrock's `top_k`: anthropic, cohere and mistral providers); otherwise the create fails with
   * 400 "The [<field>] task parameter is not available for <setting> [<value>]".
   */
  readonly onlyWhen?: Readonly<Record<string, readonly string[]>>;
  /**
   * The server fills this field in when it is absent, with a value inferctl cannot know in advance
   * (`dimensions` from the provider's validation call, the live `num_allocations`). Never diffed when
   * the manifest omits it.
   */
  readonly serverFilled?: boolean;
  /**
   * When this field is declared, the server fills these sibling fields from elsewhere (`deployment_id`:
   * allocations, threads and model come from the existing deployment), so they are not compared.
   */
  readonly implies?: readonly string[];
  /** Values the server rewrites on the way in: GET returns `canonical[value]` (Cohere `int8` → `byte`). */
  readonly canonical?: Readonly<Record<string, string>>;
  readonly updatable: Updatable;
  /**
   * `server` = accepted by Elasticsearch but missing from the REST specification;
   * listed so that valid input is never rejected.
   */
  readonly origin?: 'spec' | 'server';
}

export type FieldMap = Readonly<Record<string, FieldSpec>>;

/**
 * Cross-field rules the server enforces, as data. The schema generator turns them into JSON Schema;
 * the emulator turns them into the server's error messages. `message` is written for the manifest's
 * author; `serverMessage`, when known, is Elasticsearch's own wording (the emulator returns it).
 */
export type Rule = RuleShape & {
  readonly serverMessage?: string;
  /**
   * Optional, `exactlyOne` only: the server's wording when none of the fields is present (`serverMessage`
   * is then its wording for more than one; Azure OpenAI's secrets have two texts).
   */
  readonly serverMessageNone?: string;
  /**
   * Optional: `serverMessage` / `serverMessageNone` are the server's wording up to this version; later versions
   * changed the rule (new fields) and their text is not known, so `message` is used.
   */
  readonly serverMessageUntil?: Version;
  /**
   * Optional: the server's wording from a later release on, for every violation of the rule (9.5's secret parsers:
   * "[service_settings] must have exactly one field of [api_key, client_secret] set").
   */
  readonly serverMessageFrom?: { readonly since: Version; readonly text: string };
};

type RuleShape =
  /** Exactly one of the fields must be present (Azure OpenAI's secrets). */
  | { readonly kind: 'exactlyOne'; readonly fields: readonly string[]; readonly message: string }
  /** At least one of the fields must be present (`num_allocations` / `adaptive_allocations`). */
  | {
      readonly kind: 'atLeastOne';
      readonly fields: readonly string[];
      readonly message: string;
      readonly unless?: string;
    }
  /** Either all of the fields or none (an OAuth2 group). */
  | { readonly kind: 'allOrNone'; readonly fields: readonly string[]; readonly message: string }
  /** The fields must not appear together. */
  | { readonly kind: 'notTogether'; readonly fields: readonly string[]; readonly message: string }
  /** `field` is required when every `when` field has the given value (and, optionally, for some task types). */
  | {
      readonly kind: 'requiredWhen';
      readonly field: string;
      readonly when: Readonly<Record<string, unknown>>;
      readonly taskTypes?: readonly TaskType[];
      readonly message: string;
    }
  /** `field` must not be set for these task types (the request would fail at the provider). */
  | {
      readonly kind: 'forbiddenFor';
      readonly field: string;
      readonly taskTypes: readonly TaskType[];
      readonly message: string;
    }
  /** `num_allocations` must not be set while `adaptive_allocations.enabled` is true. */
  | { readonly kind: 'notWithAdaptive'; readonly field: string; readonly message: string };

export interface TaskTypeSupport {
  readonly taskType: TaskType;
  /** First version the service supports this task type (omit = as old as the service). */
  readonly since?: Since;
}

export interface ServiceSpec {
  /** The `service` value in the request body. */
  readonly name: string;
  readonly title: string;
  /** Section of `elasticsearch-inference-services.md` this entry follows. */
  readonly reference: string;
  /** First Elasticsearch version with the service. */
  readonly since: Since;
  /** Deprecated in favour of another service (`elser` → `elasticsearch`). */
  readonly deprecated?: { readonly since: Version; readonly use: string };
  /** The value GET returns in `service` (`elser` endpoints are stored as `elasticsearch` from 8.16). */
  readonly storedAs?: { readonly service: string; readonly since: Version };
  readonly taskTypes: readonly TaskTypeSupport[];
  /** Task types that take `chunking_settings` (a subset of the embedding task types). */
  readonly chunking: readonly TaskType[];
  /** Upper bound of `max_chunk_size` for this service regardless of version (ELSER: 300). */
  readonly maxChunkSize?: number;
  readonly serviceSettings: FieldMap;
  /** Task settings; each field's `taskTypes` says where it applies. Empty = the service takes none. */
  readonly taskSettings: FieldMap;
  /** Task types for which the service accepts no task settings at all, even though it has some. */
  readonly noTaskSettingsFor?: readonly TaskType[];
  readonly rules?: readonly Rule[];
  /** Does the endpoint run inside the cluster (a trained-model deployment) rather than call a provider? */
  readonly inCluster?: boolean;
  /** Things worth knowing that are not rules: shown in editors and by `inferctl explain` later. */
  readonly notes?: readonly string[];
}
