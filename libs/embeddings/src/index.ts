export type { EmbedKind, Embedder, EmbedderStatus, EmbeddingMode } from './embedder';
export { HashEmbedder, hashModelId, tokenize } from './hash-embedder';
export { assertEmbeddableTexts } from './validate-texts';
export { cosineSimilarity, fromVectorLiteral, sameModel, toVectorLiteral } from './vectors';
