/**
 * The registry of every Elasticsearch inference service inferctl knows, one file per service.
 * Order: alphabetical by `service` value, as in the service list.
 */
import type { ServiceSpec } from '../types.js';
import { ai21 } from './ai21.js';
import { alibabacloudAiSearch } from './alibabacloud-ai-search.js';
import { amazonSagemaker } from './amazon_sagemaker.js';
import { amazonbedrock } from './amazonbedrock.js';
import { anthropic } from './anthropic.js';
import { azureaistudio } from './azureaistudio.js';
import { azureopenai } from './azureopenai.js';
import { cohere } from './cohere.js';
import { contextualai } from './contextualai.js';
import { custom } from './custom.js';
import { deepseek } from './deepseek.js';
import { elastic } from './elastic.js';
import { elasticsearch } from './elasticsearch.js';
import { elser } from './elser.js';
import { fireworksai } from './fireworksai.js';
import { googleaistudio } from './googleaistudio.js';
import { googlevertexai } from './googlevertexai.js';
import { groq } from './groq.js';
import { huggingFace } from './hugging_face.js';
import { jinaai } from './jinaai.js';
import { llama } from './llama.js';
import { mistral } from './mistral.js';
import { nvidia } from './nvidia.js';
import { openai } from './openai.js';
import { openshiftAi } from './openshift_ai.js';
import { voyageai } from './voyageai.js';
import { watsonxai } from './watsonxai.js';

export const SERVICES: readonly ServiceSpec[] = [
  ai21,
  alibabacloudAiSearch,
  amazonbedrock,
  amazonSagemaker,
  anthropic,
  azureaistudio,
  azureopenai,
  cohere,
  contextualai,
  custom,
  deepseek,
  elastic,
  elasticsearch,
  elser,
  fireworksai,
  googleaistudio,
  googlevertexai,
  groq,
  huggingFace,
  jinaai,
  llama,
  mistral,
  nvidia,
  openai,
  openshiftAi,
  voyageai,
  watsonxai,
];
