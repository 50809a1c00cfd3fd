/** Keys whose string value is the event's text, in order of preference (API.md, "Memory: events"). */
const TEXT_KEYS = ['text', 'body', 'message', 'content', 'title'] as const;

/**
 * The text an event is embedded from: `content.text`, else `body`, `message`, `content`, `title`
 * (the first non-empty string), else every string leaf of the content joined by newlines, in document
 * order. `null` when the content holds no non-blank string at all: such an event is stored without a
 * vector and is found by filters only.
 */
export function selectEmbeddingText(content: Record<string, unknown>): string | null {
  for (const key of TEXT_KEYS) {
    const value = content[key];
    if (typeof value === 'string' && value.trim() !== '') return value;
  }
  const leaves: string[] = [];
  collectStrings(content, leaves);
  const joined = leaves.filter((leaf) => leaf.trim() !== '').join('\n');
  return joined === '' ? null : joined;
}

function collectStrings(value: unknown, into: string[]): void {
  if (typeof value === 'string') {
    into.push(value);
  } else if (Array.isArray(value)) {
    for (const item of value) collectStrings(item, into);
  } else if (value !== null && typeof value === 'object') {
    for (const item of Object.values(value)) collectStrings(item, into);
  }
}

/** A short label for the event's graph node: the start of its text, on one line. */
export function eventNodeLabel(text: string | null): string {
  if (text === null) return 'event';
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 120 ? `${line.slice(0, 119)}…` : line;
}
