/**
 * Retrieval quality on a long-conversation data set (LoCoMo's format): every chat turn is stored as an
 * event through the service (content `{speaker, text}`, the photo caption appended to the text; the
 * session's date as timestamp; conversation and turn id in metadata), every question of categories 1-4
 * is asked through `SearchService` filtered to its conversation, and the evidence turns found in the
 * top K are counted: recall@5, recall@10 and MRR@10 per mode, next to a textbook BM25 (k1 1.2, b 0.75)
 * computed here, in the same run, over the same stored lexemes (the database's own analysis: stop
 * words dropped, words stemmed), with its statistics over every stored turn as the service has them.
 *
 * `npm run bench:recall -- [--data ../shared/data/locomo-dev] [--fusions rrf:60,weighted:0.3,...] [--budgets 1000,500]
 *   [--vector-sides index,lexical] [--keep]`
 *
 * Database: a fresh one on the server of `DATABASE_URL`, else embedded PGlite in a temp directory.
 * Text embedder: the hash embedder (what offline users get). The table on stdout, JSON in bench/results/.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { sql } from 'drizzle-orm';
import { DEFAULT_NAMESPACE } from '@mnemolite/common';
import { queryRows, runMigrations, runPartitionMaintenance, type Database } from '@mnemolite/db';
import { HashEmbedder } from '@mnemolite/embeddings';
import {
  BM25,
  defaultFusion,
  defaultHybridVectorSide,
  EventsService,
  idf,
  SearchService,
  type CreateEventInput,
  type Fusion,
  type HybridVectorSide,
} from '@mnemolite/memory';
import { openBenchDatabase, progress } from './bench-database';

const K = [5, 10] as const;
const LIMIT = 10;

interface Turn {
  speaker: string;
  dia_id: string;
  text: string;
  blip_caption?: string;
}

interface Question {
  conversation: string;
  question: string;
  evidence: string[];
  category: number;
}

function option(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

/** "1:56 pm on 8 May, 2023" -> a Date (UTC). */
function parseSessionDate(text: string): Date {
  const match = /(\d{1,2}):(\d{2})\s*(am|pm)\s+on\s+(\d{1,2})\s+(\w+),?\s+(\d{4})/i.exec(text);
  if (!match) throw new Error(`unreadable session date: ${text}`);
  const [, hour, minute, half, day, monthName, year] = match;
  const month = new Date(`${monthName} 1, 2000`).getMonth();
  const hour24 = (Number(hour) % 12) + (half.toLowerCase() === 'pm' ? 12 : 0);
  return new Date(Date.UTC(Number(year), month, Number(day), hour24, Number(minute)));
}

/** Evidence ids as the data set spells them ("D1:3", sometimes "D8:6; D9:17" in one string). */
function evidenceIds(evidence: unknown[]): string[] {
  return evidence.flatMap((item) => String(item).split(/[;,\s]+/)).filter((id) => /^D\d+:\d+$/.test(id));
}

function loadDataSet(dir: string): { events: CreateEventInput[]; questions: Question[] } {
  const events: CreateEventInput[] = [];
  const questions: Question[] = [];
  for (const file of readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()) {
    const conversation = file.replace(/\.json$/, '');
    const data = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Record<string, unknown>;
    const root = (data['conversation'] as Record<string, unknown> | undefined) ?? data;
    const known = new Set<string>();
    for (const key of Object.keys(root).filter((name) => /^session_\d+$/.test(name))) {
      const turns = root[key] as Turn[] | undefined;
      const date = root[`${key}_date_time`] as string | undefined;
      if (!Array.isArray(turns) || turns.length === 0 || !date) continue;
      const start = parseSessionDate(date);
      turns.forEach((turn, index) => {
        known.add(turn.dia_id);
        const text = turn.blip_caption ? `${turn.text} (photo: ${turn.blip_caption})` : turn.text;
        events.push({
          // One second apart, in turn order, from the session's start.
          timestamp: new Date(start.getTime() + index * 1000).toISOString(),
          content: { speaker: turn.speaker, text },
          metadata: { conversation, dia_id: turn.dia_id, session: key },
        });
      });
    }
    for (const qa of (data['qa'] as { question: string; evidence?: unknown[]; category: number }[]) ?? []) {
      if (qa.category < 1 || qa.category > 4) continue; // 5: adversarial, no answer in the conversation
      const evidence = evidenceIds(qa.evidence ?? []).filter((id) => known.has(id));
      if (evidence.length === 0) continue;
      questions.push({ conversation, question: qa.question, evidence, category: qa.category });
    }
  }
  return { events, questions };
}

interface Scores {
  name: string;
  recall: Record<number, number>;
  mrr: number;
  p50Ms: number;
}

/** recall@K for each K and reciprocal rank of the first evidence turn in the top LIMIT. */
function judge(ranked: string[], evidence: string[]): { recall: Record<number, number>; rr: number } {
  const recall: Record<number, number> = {};
  for (const k of K) recall[k] = evidence.filter((id) => ranked.slice(0, k).includes(id)).length / evidence.length;
  const first = ranked.slice(0, LIMIT).findIndex((id) => evidence.includes(id));
  return { recall, rr: first < 0 ? 0 : 1 / (first + 1) };
}

function summarise(name: string, judged: { recall: Record<number, number>; rr: number }[], timings: number[]): Scores {
  const recall: Record<number, number> = {};
  for (const k of K) recall[k] = judged.reduce((sum, item) => sum + item.recall[k], 0) / judged.length;
  const sorted = [...timings].sort((a, b) => a - b);
  return {
    name,
    recall,
    mrr: judged.reduce((sum, item) => sum + item.rr, 0) / judged.length,
    p50Ms: sorted.length ? sorted[Math.floor(sorted.length / 2)] : 0,
  };
}

/** Textbook BM25 over the stored lexemes of every event; ranks within one conversation. */
async function bm25Baseline(db: Database, questions: Question[]): Promise<Scores> {
  const docs = await queryRows<{ conversation: string; dia_id: string; terms: [string, number][] | null }>(
    db,
    sql`select e.metadata->>'conversation' as conversation, e.metadata->>'dia_id' as dia_id,
               (select json_agg(json_build_array(u.lexeme, coalesce(array_length(u.positions, 1), 1))) from unnest(e.search_text) u) as terms
          from events e`,
  );
  const df = new Map<string, number>();
  let totalLength = 0;
  const parsed = docs.map((doc) => {
    const tf = new Map<string, number>(doc.terms ?? []);
    let length = 0;
    for (const [lexeme, count] of tf) {
      df.set(lexeme, (df.get(lexeme) ?? 0) + 1);
      length += count;
    }
    totalLength += length;
    return { conversation: doc.conversation, dia_id: doc.dia_id, tf, length };
  });
  const averageLength = totalLength / parsed.length;
  const judged = [];
  const timings = [];
  for (const question of questions) {
    const started = performance.now();
    const [analysed] = await queryRows<{ lexemes: string[] | null }>(
      db,
      sql`select array(select u.lexeme from unnest(to_tsvector(
            (select value::regconfig from search_settings where key = 'text_search_config'), ${question.question})) u) as lexemes`,
    );
    const lexemes = analysed?.lexemes ?? [];
    const ranked = parsed
      .filter((doc) => doc.conversation === question.conversation)
      .map((doc) => {
        let score = 0;
        for (const lexeme of lexemes) {
          const tf = doc.tf.get(lexeme);
          if (!tf) continue;
          const norm = BM25.k1 * (1 - BM25.b + (BM25.b * doc.length) / averageLength);
          score += (idf(df.get(lexeme) ?? 0, parsed.length) * tf * (BM25.k1 + 1)) / (tf + norm);
        }
        return { id: doc.dia_id, score };
      })
      .filter((doc) => doc.score > 0)
      .sort((a, b) => b.score - a.score)
      .map((doc) => doc.id);
    timings.push(performance.now() - started);
    judged.push(judge(ranked, question.evidence));
  }
  return summarise('BM25 (textbook, same lexemes)', judged, timings);
}

async function measureMode(
  name: string,
  search: SearchService,
  mode: 'lexical' | 'vector' | 'hybrid',
  questions: Question[],
): Promise<Scores> {
  const bar = progress(name, questions.length);
  const judged = [];
  const timings = [];
  for (const question of questions) {
    const started = performance.now();
    const response = await search.search(DEFAULT_NAMESPACE, {
      query: question.question,
      mode,
      metadata: { conversation: question.conversation },
      limit: LIMIT,
      offset: 0,
    });
    timings.push(performance.now() - started);
    judged.push(
      judge(
        response.results.map((result) => String(result.event.metadata['dia_id'])),
        question.evidence,
      ),
    );
    bar.increment();
  }
  bar.stop();
  return summarise(name, judged, timings);
}

function parseFusion(text: string): Fusion {
  const [method, value] = text.split(':');
  if (method === 'rrf') return { method: 'rrf', k: Number(value) };
  if (method === 'weighted') return { method: 'weighted', vectorWeight: Number(value) };
  throw new Error(`--fusions: unknown fusion ${text} (rrf:K or weighted:VECTOR_WEIGHT)`);
}

function parseBudget(text: string): number {
  const budget = Number(text);
  if (!Number.isInteger(budget) || budget < 1) throw new Error(`--budgets: ${text} is not a positive whole number of events`);
  return budget;
}

function parseVectorSide(text: string): HybridVectorSide {
  if (text === 'index' || text === 'lexical') return text;
  throw new Error(`--vector-sides: unknown vector side ${text} (index or lexical)`);
}

function fusionName(fusion: Fusion): string {
  return fusion.method === 'rrf' ? `rrf k=${fusion.k}` : `weighted vector=${fusion.vectorWeight}`;
}

async function main(): Promise<void> {
  const dataDir = resolve(option('data') ?? join(__dirname, '..', '..', '..', 'shared', 'data', 'locomo-dev'));
  const extraFusions = (option('fusions') ?? '').split(',').filter(Boolean).map(parseFusion);
  const budgets = (option('budgets') ?? '').split(',').filter(Boolean).map(parseBudget);
  const vectorSides = (option('vector-sides') ?? '').split(',').filter(Boolean).map(parseVectorSide);
  const { events, questions } = loadDataSet(dataDir);
  const database = await openBenchDatabase(process.argv.includes('--keep'));
  const { db } = database.handle;
  const embedder = new HashEmbedder(768);
  process.stderr.write(
    `MnemoLite recall bench: ${events.length} turns, ${questions.length} questions (categories 1-4) from ${dataDir}\n` +
      `on ${database.label}, text embedder ${embedder.modelId}\n`,
  );
  try {
    await runMigrations(database.handle);
    await runPartitionMaintenance(db, { premakeMonths: 1, retentionMonths: null });
    const eventsService = new EventsService({ db, textEmbedder: embedder });
    const bar = progress('store turns', events.length);
    for (let start = 0; start < events.length; start += 500) {
      await eventsService.createMany(DEFAULT_NAMESPACE, events.slice(start, start + 500));
      bar.update(Math.min(events.length, start + 500));
    }
    bar.stop();
    await runPartitionMaintenance(db, { premakeMonths: 1, retentionMonths: null });
    await db.execute(sql`analyze events`);

    const rows: Scores[] = [await bm25Baseline(db, questions)];
    const search = new SearchService({ db, textEmbedder: embedder });
    for (const mode of ['lexical', 'vector', 'hybrid'] as const) {
      const label =
        mode === 'hybrid'
          ? `hybrid (${fusionName(defaultFusion(embedder.mode))}, vector side ${defaultHybridVectorSide(embedder.mode)}, default)`
          : mode;
      rows.push(await measureMode(label, search, mode, questions));
    }
    for (const fusion of extraFusions) {
      const variant = new SearchService({ db, textEmbedder: embedder, fusion });
      rows.push(await measureMode(`hybrid (${fusionName(fusion)})`, variant, 'hybrid', questions));
    }
    for (const vectorSide of vectorSides) {
      const variant = new SearchService({ db, textEmbedder: embedder, hybridVectorSide: vectorSide });
      rows.push(await measureMode(`hybrid (vector side ${vectorSide})`, variant, 'hybrid', questions));
    }
    for (const budget of budgets) {
      const variant = new SearchService({ db, textEmbedder: embedder, lexicalCandidateBudget: budget });
      rows.push(await measureMode(`lexical (candidate budget ${budget})`, variant, 'lexical', questions));
      rows.push(await measureMode(`hybrid (candidate budget ${budget})`, variant, 'hybrid', questions));
    }

    const baseline = rows[0].recall[10];
    const lines = [
      `| method | recall@5 | recall@10 | MRR@10 | vs BM25 @10 | p50 ms |`,
      `|---|---:|---:|---:|---:|---:|`,
      ...rows.map(
        (row) =>
          `| ${row.name} | ${row.recall[5].toFixed(3)} | ${row.recall[10].toFixed(3)} | ${row.mrr.toFixed(3)} | ` +
          `${(row.recall[10] - baseline >= 0 ? '+' : '') + (row.recall[10] - baseline).toFixed(3)} | ${row.p50Ms.toFixed(1)} |`,
      ),
    ];
    process.stdout.write(
      `\n${events.length} turns, ${questions.length} questions, ${database.handle.engine}, ${embedder.modelId}\n${lines.join('\n')}\n`,
    );
    const resultsDir = resolve(__dirname, '..', '..', 'bench', 'results');
    mkdirSync(resultsDir, { recursive: true });
    const file = join(resultsDir, `recall-${database.handle.engine}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    writeFileSync(
      file,
      JSON.stringify(
        { dataDir, turns: events.length, questions: questions.length, engine: database.handle.engine, embedder: embedder.modelId, rows },
        null,
        2,
      ),
    );
    process.stderr.write(`results: ${file}\n`);
  } finally {
    await database.drop();
  }
}

main().catch((error: unknown) => {
  const cause = error instanceof Error && error.cause instanceof Error ? `\ncause: ${error.cause.message}` : '';
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}${cause}\n`);
  process.exit(1);
});
