import { randomUUID } from 'node:crypto';
import { ValidationError } from '@mnemolite/common';
import type { Embedder } from '@mnemolite/embeddings';
import type { CreateEventInput } from '../schemas/events.schemas';
import { eventNodeLabel, selectEmbeddingText } from './event-text';

/** An event ready to insert: id and timestamp fixed, vector computed (or given), node label chosen. */
export interface PreparedEvent {
  id: string;
  timestamp: string;
  content: Record<string, unknown>;
  metadata: Record<string, unknown>;
  embedding: ArrayLike<number> | null;
  embeddingModel: string | null;
  nodeLabel: string;
}

/**
 * Fixes ids and timestamps and computes the vectors of a batch with ONE embedder call (models are far
 * faster on batches). A given `embedding` is taken as the text model's and must have its dimension.
 */
export async function prepareEvents(
  inputs: (CreateEventInput & { id?: string })[],
  textEmbedder: Embedder,
  options: { batch?: boolean; now?: Date } = {},
): Promise<PreparedEvent[]> {
  inputs.forEach((input, index) => assertEmbeddingDimension(input, textEmbedder, options.batch ? index : undefined));
  const texts = inputs.map((input) => selectEmbeddingText(input.content));
  const toEmbed = inputs.flatMap((input, index) => (input.embedding === undefined && texts[index] !== null ? [index] : []));
  const vectors = new Map<number, Float32Array>();
  if (toEmbed.length > 0) {
    const embedded = await textEmbedder.embed(
      toEmbed.map((index) => texts[index] as string),
      { kind: 'document' },
    );
    toEmbed.forEach((inputIndex, position) => vectors.set(inputIndex, embedded[position]));
  }
  const defaultTimestamp = (options.now ?? new Date()).toISOString();
  return inputs.map((input, index) => {
    const embedding = input.embedding ?? vectors.get(index) ?? null;
    return {
      id: input.id ?? randomUUID(),
      timestamp: input.timestamp === undefined ? defaultTimestamp : new Date(input.timestamp).toISOString(),
      content: input.content,
      metadata: input.metadata ?? {},
      embedding,
      embeddingModel: embedding === null ? null : textEmbedder.modelId,
      nodeLabel: eventNodeLabel(texts[index]),
    };
  });
}

/** A given embedding is taken as the text model's: it must have that model's dimension. */
export function assertEmbeddingDimension(input: CreateEventInput, textEmbedder: Embedder, batchIndex?: number): void {
  if (input.embedding === undefined || input.embedding.length === textEmbedder.dimension) return;
  throw new ValidationError(
    `The embedding has ${input.embedding.length} dimensions; the text model (${textEmbedder.modelId}) has ${textEmbedder.dimension}.`,
    [
      {
        path: batchIndex === undefined ? 'embedding' : `events.${batchIndex}.embedding`,
        message: `Expected ${textEmbedder.dimension} numbers.`,
      },
    ],
  );
}
