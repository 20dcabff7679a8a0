/**
 * The `${name}` templates of the `custom` service: Elasticsearch replaces them in `url`, `headers`,
 * `query_parameters` and `request` with the built-in values, the `task_settings.parameters` and the
 * `secret_parameters`, and refuses a template left unresolved ("Found placeholder … after replacement call",
 * `ValidatingSubstitutor` in x-pack/plugin/inference services/custom). Pure data and string work, shared by
 * validation (every template must resolve) and export (the `secret_parameters` keys an endpoint uses are
 * the templates no other source resolves).
 */

/** Values Elasticsearch substitutes itself, by task type (CustomRequestManager and the per-task parsers). */
export const BUILT_IN_TEMPLATES: readonly string[] = [
  'input',
  'input_type',
  'query',
  'top_n',
  'return_documents',
];

/** The fields whose strings may hold templates. */
export const TEMPLATED_FIELDS: readonly string[] = ['url', 'headers', 'query_parameters', 'request'];

const TEMPLATE = /\$\{([^}]+)\}/g;

/** Every template name in a value (strings, arrays and objects walked), in first-seen order. */
export function templatesIn(value: unknown): string[] {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'string') {
      for (const m of v.matchAll(TEMPLATE)) if (!out.includes(m[1]!)) out.push(m[1]!);
    } else if (Array.isArray(v)) v.forEach(walk);
    else if (typeof v === 'object' && v !== null) Object.values(v).forEach(walk);
  };
  walk(value);
  return out;
}

/** Templates of one templated field that neither the built-ins, the parameters nor the secret keys resolve. */
export function unresolvedTemplates(
  field: unknown,
  secretKeys: readonly string[],
  parameterKeys: readonly string[],
): string[] {
  return templatesIn(field).filter(
    (t) => !BUILT_IN_TEMPLATES.includes(t) && !secretKeys.includes(t) && !parameterKeys.includes(t),
  );
}
