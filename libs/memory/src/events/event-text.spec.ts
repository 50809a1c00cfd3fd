import { eventNodeLabel, selectEmbeddingText } from './event-text';

describe('selectEmbeddingText', () => {
  it('prefers content.text, then body, message, content, title', () => {
    expect(selectEmbeddingText({ title: 't', text: 'the text', body: 'b' })).toBe('the text');
    expect(selectEmbeddingText({ title: 't', message: 'm', body: 'b' })).toBe('b');
    expect(selectEmbeddingText({ title: 't', message: 'm' })).toBe('m');
    expect(selectEmbeddingText({ title: 't', content: 'c' })).toBe('c');
    expect(selectEmbeddingText({ title: 't', other: 'o' })).toBe('t');
  });

  it('skips empty and non-string preferred keys', () => {
    expect(selectEmbeddingText({ text: '   ', body: 42, message: 'hello' })).toBe('hello');
    expect(selectEmbeddingText({ text: { nested: 'deep' } })).toBe('deep');
  });

  it('else joins every string leaf, nested objects and arrays included, in order', () => {
    expect(selectEmbeddingText({ a: 'one', b: { c: ['two', 3, { d: 'three' }] }, e: '' })).toBe('one\ntwo\nthree');
  });

  it('is null when there is no string at all', () => {
    expect(selectEmbeddingText({ n: 1, b: true, list: [1, 2], empty: ' ' })).toBeNull();
  });
});

describe('eventNodeLabel', () => {
  it('keeps one line and cuts long texts', () => {
    expect(eventNodeLabel('a\n  b')).toBe('a b');
    expect(eventNodeLabel('x'.repeat(500))).toHaveLength(120);
    expect(eventNodeLabel(null)).toBe('event');
  });
});
