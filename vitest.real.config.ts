// The real-server tier: a real OpenSearch node with ML Commons from Maven Central
// (scripts/opensearch-real.mjs). Separate from `npm test`, which runs without Java.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/real/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 600_000,
    fileParallelism: false,
  },
});
