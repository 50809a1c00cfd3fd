export type { EmbedKind, EmbedOptions, Embedder, EmbedderStatus, EmbeddingMode } from './embedder';
export {
  DEFAULT_CODE_MODEL,
  DEFAULT_MODELS_DIR,
  DEFAULT_TEXT_MODEL,
  embeddingEnvShape,
  storedEmbeddingEnvShape,
  loadEmbeddingConfig,
  toEmbeddingConfig,
  type EmbeddingConfig,
  type EmbeddingDtype,
  type EmbeddingModeSetting,
} from './config';
export { createEmbeddingService, type EmbedObserver, type EmbeddingService } from './embedding-service';
export { HashEmbedder, hashModelId } from './hash-embedder';
export { ENGLISH_STOP_WORDS, analyseEnglish, tokenize, type AnalysedWord } from './text-analysis';
export { ModelLoadError, TransformersEmbedder, taskPrefix, type TransformersEmbedderOptions } from './transformers-embedder';
export { configureTransformers } from './transformers-runtime';
export { assertEmbeddableTexts } from './validate-texts';
export { cosineSimilarity, fromVectorLiteral, sameModel, toVectorLiteral } from './vectors';
