/**
 * `chunking_settings`: strategies, their keys, bounds per version, defaults.
 */
import type { Since, Version } from './types.js';

export const CHUNKING_STRATEGIES = ['sentence', 'word', 'recursive', 'none'] as const;
export type ChunkingStrategy = (typeof CHUNKING_STRATEGIES)[number];

export const SEPARATOR_GROUPS = ['plaintext', 'markdown'] as const;

export interface ChunkingStrategySpec {
  readonly strategy: ChunkingStrategy;
  readonly since: Since;
  readonly description: string;
  /** Keys the strategy accepts besides `strategy`; any other key is rejected by the server. */
  readonly keys: Readonly<Record<string, { readonly description: string; readonly required?: boolean }>>;
  readonly maxChunkSize?: {
    readonly minimum: number;
    /** Upper bound; `until` = the last version that enforces it (PR #133718 removed it in 9.2). */
    readonly maximum: number;
    readonly maximumUntil?: Version;
  };
  /** What the server stores for keys the manifest leaves out. */
  readonly defaults?: Readonly<Record<string, unknown>>;
}

export const CHUNKING: Readonly<Record<ChunkingStrategy, ChunkingStrategySpec>> = {
  sentence: {
    strategy: 'sentence',
    since: '8.16',
    description: 'Split into sentences, then pack whole sentences into chunks of up to max_chunk_size words.',
    keys: {
      max_chunk_size: { description: 'Maximum words per chunk (at least 20).', required: true },
      sentence_overlap: { description: 'Sentences shared by consecutive chunks: 0 or 1 (default 1).' },
    },
    maxChunkSize: { minimum: 20, maximum: 300, maximumUntil: '9.1' },
    defaults: { sentence_overlap: 1 },
  },
  word: {
    strategy: 'word',
    since: '8.16',
    description: 'Chunks of max_chunk_size words, consecutive chunks sharing `overlap` words.',
    keys: {
      max_chunk_size: { description: 'Maximum words per chunk (at least 10).', required: true },
      overlap: {
        description: 'Words shared by consecutive chunks: at least 1, at most half of max_chunk_size.',
        required: true,
      },
    },
    maxChunkSize: { minimum: 10, maximum: 300, maximumUntil: '9.1' },
  },
  recursive: {
    strategy: 'recursive',
    // The reference dates `recursive` and `none` to the 9.1 spec branch; whether 8.19 took them is not
    // recorded, so 8.19 is treated as not having them (the documented behaviour).
    since: '9.1',
    description: 'Split recursively on a list of separators until chunks fit max_chunk_size words.',
    keys: {
      max_chunk_size: { description: 'Maximum words per chunk (10 to 300).', required: true },
      separator_group: { description: 'A predefined separator list: plaintext or markdown.' },
      separators: { description: 'Your own separators (regular expressions), tried in order.' },
    },
    maxChunkSize: { minimum: 10, maximum: 300 },
  },
  none: {
    strategy: 'none',
    since: '9.1',
    description: 'No chunking: each input is embedded whole (for pre-chunked input).',
    keys: {},
  },
};

/** What Elasticsearch stores when an embedding endpoint is created without `chunking_settings` (8.16+). */
export const DEFAULT_CHUNKING_SETTINGS = {
  strategy: 'sentence',
  max_chunk_size: 250,
  sentence_overlap: 1,
} as const;

/** What endpoints created before 8.16 are read back as (`ChunkingSettingsBuilder.OLD_DEFAULT_SETTINGS`). */
export const LEGACY_CHUNKING_SETTINGS = { strategy: 'word', max_chunk_size: 250, overlap: 100 } as const;

/** First version that accepts `chunking_settings` at all. */
export const CHUNKING_SINCE: Version = '8.16';
