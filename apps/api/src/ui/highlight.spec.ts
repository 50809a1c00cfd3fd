import { highlightSource } from './highlight';

describe('highlightSource', () => {
  it('marks keywords, strings and comments with highlight.js classes', () => {
    const html = highlightSource('def greet(name):\n    # say hello\n    return "hi " + name\n', 'python');
    expect(html).toContain('<span class="hljs-keyword">def</span>');
    expect(html).toContain('<span class="hljs-comment"># say hello</span>');
    expect(html).toContain('<span class="hljs-string">&quot;hi &quot;</span>');
  });

  it('escapes markup in the source, highlighted or not', () => {
    const source = 'const s = "</pre><script>alert(1)</script>";';
    expect(highlightSource(source, 'typescript')).not.toContain('<script>');
    expect(highlightSource(source, 'tsx')).toContain('&lt;/pre&gt;');
    expect(highlightSource('<b>x</b> & y', 'toml')).toBe('&lt;b&gt;x&lt;/b&gt; &amp; y');
  });
});
