/** A span of whole lines: 1-based inclusive line numbers and the text. */
export interface LineWindow {
  startLine: number;
  endLine: number;
  text: string;
}

/**
 * Cuts lines into windows of about `targetChars`, each starting `overlap` (a fraction) before the
 * previous one ended, so that a match across a boundary is still inside one window. A single line
 * longer than the target is cut into pieces.
 */
export function lineWindows(lines: string[], firstLine: number, targetChars: number, overlap: number): LineWindow[] {
  const windows: LineWindow[] = [];
  let start = 0;
  while (start < lines.length) {
    if (lines[start].length > targetChars) {
      // A minified or generated line: cut it by characters, all pieces on that line number.
      for (let at = 0; at < lines[start].length; at += targetChars) {
        windows.push({ startLine: firstLine + start, endLine: firstLine + start, text: lines[start].slice(at, at + targetChars) });
      }
      start += 1;
      continue;
    }
    let end = start;
    let size = lines[start].length + 1;
    while (end + 1 < lines.length && size + lines[end + 1].length + 1 <= targetChars) {
      end += 1;
      size += lines[end].length + 1;
    }
    windows.push({ startLine: firstLine + start, endLine: firstLine + end, text: lines.slice(start, end + 1).join('\n') });
    if (end + 1 >= lines.length) break;
    // Step back over the last lines that make up the overlap, but always move forward.
    let back = end;
    let overlapSize = 0;
    while (back > start + 1 && overlapSize + lines[back].length + 1 <= targetChars * overlap) {
      overlapSize += lines[back].length + 1;
      back -= 1;
    }
    start = back === end ? end + 1 : back + 1;
  }
  return windows;
}
