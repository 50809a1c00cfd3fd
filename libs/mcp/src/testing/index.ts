import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SAMPLE_FILES } from './exercise-tools';

export { SAMPLE_FILES, exerciseAllTools, type ExerciseOptions, type RestProbe } from './exercise-tools';

/** Writes the sample repository (two TypeScript files, one calling the other) into `directory`. */
export function writeSampleRepository(directory: string): void {
  mkdirSync(directory, { recursive: true });
  for (const [name, content] of Object.entries(SAMPLE_FILES)) writeFileSync(join(directory, name), content);
}
