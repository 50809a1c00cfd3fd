/** pgvector's text form, `[0.1,0.2,...]`, for binding a vector as a query parameter. */
export function toVectorLiteral(vector: ArrayLike<number>): string {
  return `[${Array.from(vector).join(',')}]`;
}

/** Parses pgvector's text form back into numbers. */
export function fromVectorLiteral(literal: string): number[] {
  return literal
    .slice(1, -1)
    .split(',')
    .filter((part) => part !== '')
    .map(Number);
}

export function cosineSimilarity(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    normA += a[i] * a[i];
    normB += b[i] * b[i];
  }
  return normA === 0 || normB === 0 ? 0 : dot / Math.sqrt(normA * normB);
}

/**
 * The model-versioning rule in one place: a stored vector is comparable to a query vector only when
 * the same model produced both. Searches filter `embedding_model = currentModelId` with this.
 */
export function sameModel(storedModelId: string | null | undefined, currentModelId: string): boolean {
  return storedModelId === currentModelId;
}
