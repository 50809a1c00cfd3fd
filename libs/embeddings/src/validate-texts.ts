import { ValidationError } from '@mnemolite/common';

/** Rejects texts that would embed as noise: an empty or blank text has no meaning to encode. */
export function assertEmbeddableTexts(texts: string[]): void {
  const blank = texts.flatMap((text, index) => (typeof text !== 'string' || text.trim() === '' ? [index] : []));
  if (blank.length > 0) {
    throw new ValidationError(
      `Cannot embed an empty or whitespace-only text (at position${blank.length > 1 ? 's' : ''} ${blank.join(', ')}).`,
      { positions: blank },
    );
  }
}
