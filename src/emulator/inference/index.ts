/** The `_inference` API handlers and the helpers other areas share. */
export { createEndpoint } from './create.js';
export { getEndpoints, deleteEndpoint, referencesOf } from './read-delete.js';
export { updateEndpoint } from './update.js';
export { infer } from './infer.js';
export { parseJsonBody, renderEndpoint, materializeDefaults } from './common.js';
export { isObject } from './settings.js';
