import { parseFile } from '../parsing/parse-file';
import { TreeSitterRuntime } from '../parsing/tree-sitter-runtime';
import { chunkParsedFile, chunkUnparsedFile, MAX_CHUNK_CHARS, WINDOW_CHARS } from './chunk-file';
import { lineWindows } from './line-windows';

describe('chunking', () => {
  const runtime = new TreeSitterRuntime();
  afterAll(() => runtime.close());

  it('keeps each text in one chunk: a class chunk holds its methods as headers only', async () => {
    const source = [
      "import { format } from './format';",
      '',
      'export class Report {',
      '  private title = "r";',
      '',
      '  render(): string {',
      '    return format(this.title) + "uniqueBodyWord";',
      '  }',
      '}',
    ].join('\n');
    const chunks = chunkParsedFile('src/report.ts', source, await parseFile(runtime, 'typescript', source));
    expect(chunks.map((chunk) => [chunk.chunkType, chunk.qualifiedName, chunk.startLine, chunk.endLine])).toEqual([
      ['class', 'Report', 3, 9],
      ['method', 'Report.render', 6, 8],
    ]);
    expect(chunks[0].source).toBe(['export class Report {', '  private title = "r";', '', '  render(): string …', '}'].join('\n'));
    expect(chunks[0].source).not.toContain('uniqueBodyWord');
    expect(chunks[1].source).toContain('uniqueBodyWord');
    expect(chunks[1].metadata).toMatchObject({
      imports: ['format'],
      calls: ['format'],
      complexity: 1,
      kind: 'method',
      return_type: 'string',
    });
    expect(chunks[0].metadata.imports).toEqual([]);
  });

  it('splits an oversized unit into parts that each keep the header', async () => {
    const body = Array.from({ length: 600 }, (_, i) => `  total += compute(${i}); // line ${i} padding padding`).join('\n');
    const source = `function huge(total) {\n${body}\n  return total;\n}\n`;
    const chunks = chunkParsedFile('huge.js', source, await parseFile(runtime, 'javascript', source));
    expect(chunks.length).toBeGreaterThan(2);
    chunks.forEach((chunk, i) => {
      expect(chunk.name).toBe('huge');
      expect(chunk.source.length).toBeLessThanOrEqual(MAX_CHUNK_CHARS);
      expect(chunk.source.startsWith('function huge(total)')).toBe(true);
      expect(chunk.metadata).toMatchObject({ part: i + 1, parts: chunks.length });
    });
    expect(chunks[0].startLine).toBe(1);
    expect(chunks[chunks.length - 1].endLine).toBe(603);
    // Consecutive parts tile the unit without gaps.
    for (let i = 1; i < chunks.length; i++) expect(chunks[i].startLine).toBe(chunks[i - 1].endLine + 1);
  });

  it('makes one module chunk of a parsed file without definitions', async () => {
    const source = 'import os\nprint(os.getcwd())\n';
    const chunks = chunkParsedFile('scripts/run.py', source, await parseFile(runtime, 'python', source));
    expect(chunks).toHaveLength(1);
    expect(chunks[0]).toMatchObject({ chunkType: 'module', name: 'run.py', qualifiedName: 'scripts/run.py', startLine: 1, endLine: 2 });
    expect(chunks[0].metadata.calls).toEqual(['print', 'os.getcwd']);
    expect(chunks[0].metadata.imports).toEqual(['os']);
  });

  it('cuts unknown languages into ~2,000-character line windows with 10% overlap', () => {
    const lines = Array.from({ length: 300 }, (_, i) => `line ${String(i).padStart(3, '0')} ${'x'.repeat(40)}`);
    const chunks = chunkUnparsedFile('notes.txt', lines.join('\n'));
    expect(chunks.length).toBeGreaterThan(5);
    chunks.forEach((chunk, i) => {
      expect(chunk.chunkType).toBe('block');
      expect(chunk.source.length).toBeLessThanOrEqual(WINDOW_CHARS);
      if (i < chunks.length - 1) expect(chunk.source.length).toBeGreaterThan(WINDOW_CHARS * 0.9);
    });
    for (let i = 1; i < chunks.length - 1; i++) {
      const overlapLines = chunks[i - 1].endLine - chunks[i].startLine + 1;
      expect(overlapLines * 49).toBeGreaterThanOrEqual(WINDOW_CHARS * 0.1 - 49);
      expect(overlapLines * 49).toBeLessThanOrEqual(WINDOW_CHARS * 0.1);
    }
    expect(chunks[chunks.length - 1].endLine).toBe(300);
    expect(chunkUnparsedFile('empty.txt', '  \n')).toEqual([]);
  });

  it('cuts a single over-long line into pieces', () => {
    const windows = lineWindows(['a'.repeat(4500)], 1, 2000, 0.1);
    expect(windows.map((w) => [w.startLine, w.text.length])).toEqual([
      [1, 2000],
      [1, 2000],
      [1, 500],
    ]);
  });
});
