import { z } from 'zod';

/*
 * Reads the settings tables of a Markdown document (README.md's "Configuration"), so a test can
 * compare them with an app's config schema: the documented variables and defaults cannot drift.
 *
 * A table has `variable | default | meaning` columns. A default is the first `code` span of its cell,
 * or none when the cell is an italic note such as *(unset)*. A row may document several variables:
 * `A`, `B` (`5`), the embedding variables | as for the API | ... — `(\`5\`)` after a name is that
 * variable's own default, and the two phrases are resolved with the options.
 */

export interface DocumentedSettingsOptions {
  /** Words of the variable column that stand for every variable of another table: words → its heading. */
  groups?: Record<string, string>;
  /** Words of the default column meaning "the default documented there": words → headings, searched in order. */
  inherit?: Record<string, string[]>;
}

/** Documented variables under `heading`, each with its default (undefined: documented as having none). */
export function documentedSettings(
  markdown: string,
  heading: string,
  options: DocumentedSettingsOptions = {},
): Map<string, string | undefined> {
  const settings = new Map<string, string | undefined>();
  for (const [variableCell, defaultCell] of tableRows(markdown, heading)) {
    let rest = variableCell;
    const own = new Map<string, string>();
    for (const match of variableCell.matchAll(/`([A-Z][A-Z0-9_]*)`(?:\s*\(`([^`]*)`\))?/g)) {
      own.set(match[1], match[2]);
      rest = rest.replace(match[0], '');
    }
    const names = [...own.keys()];
    for (const [words, groupHeading] of Object.entries(options.groups ?? {})) {
      if (!rest.includes(words)) continue;
      rest = rest.replace(words, '');
      names.push(...documentedSettings(markdown, groupHeading).keys());
    }
    const leftover = rest.replace(/[,\s]|\band\b/g, '');
    if (leftover) throw new Error(`${heading}: cannot read the variable cell "${variableCell}" (left: "${leftover}")`);

    const inheritFrom = Object.entries(options.inherit ?? {}).find(([words]) => defaultCell.includes(words))?.[1];
    for (const name of names) {
      if (own.get(name) !== undefined) settings.set(name, own.get(name));
      else if (inheritFrom) settings.set(name, inheritedDefault(markdown, name, inheritFrom, heading));
      else settings.set(name, cellDefault(defaultCell));
    }
  }
  return settings;
}

/** What each variable of a config schema defaults to when unset, written as the README writes it. */
export function schemaDefaults(schema: z.ZodObject): Map<string, string | undefined> {
  return new Map(
    Object.entries(schema.shape).map(([name, field]) => {
      const parsed = (field as z.ZodType).safeParse(undefined);
      const value: unknown = parsed.success ? parsed.data : undefined;
      const none = value === undefined || (Array.isArray(value) && value.length === 0);
      return [name, none ? undefined : String(value)];
    }),
  );
}

function inheritedDefault(markdown: string, name: string, headings: string[], from: string): string | undefined {
  for (const heading of headings) {
    const table = documentedSettings(markdown, heading);
    if (table.has(name)) return table.get(name);
  }
  throw new Error(`${from}: ${name} takes its default from ${headings.join(' or ')}, which do not document it`);
}

function cellDefault(cell: string): string | undefined {
  if (/^\*\(.*\)\*$/.test(cell.trim())) return undefined;
  const code = /`([^`]*)`/.exec(cell);
  if (!code) throw new Error(`cannot read the default "${cell}"`);
  return code[1];
}

/** The [variable, default] cells of the first table after `heading`. */
function tableRows(markdown: string, heading: string): [string, string][] {
  const lines = markdown.split('\n');
  const start = lines.findIndex((line) => line.trim() === heading);
  if (start < 0) throw new Error(`no heading "${heading}"`);
  const first = lines.findIndex((line, index) => index > start && line.startsWith('|'));
  if (first < 0 || lines.slice(start + 1, first).some((line) => line.startsWith('#'))) throw new Error(`no table under "${heading}"`);
  const header = cells(lines[first]);
  if (header[0] !== 'variable' || header[1] !== 'default') throw new Error(`"${heading}": not a variable | default table`);
  const rows: [string, string][] = [];
  for (let index = first + 2; index < lines.length && lines[index].startsWith('|'); index++) {
    const [variable, value] = cells(lines[index]);
    rows.push([variable, value]);
  }
  return rows;
}

function cells(line: string): string[] {
  return line
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split('|')
    .map((cell) => cell.trim());
}
