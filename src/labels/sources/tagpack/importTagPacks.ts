import type { Database } from '../../../store/index.js';
import type { SourceImportResult } from '../../model.js';
import { type ImportOptions, importSources } from '../../writeSources.js';
import { listSourceFiles, readSourceFile } from '../readSourceFile.js';
import { parseYamlSource } from '../yamlSource.js';
import { actorPackBatch, isActorPack } from './readActorPack.js';
import { tagPackBatch } from './readTagPack.js';

/** File names taken from a directory: YAML, optionally gzipped. */
export const isYamlName = (name: string): boolean => /\.ya?ml(\.gz)?$/i.test(name);

/**
 * `label import tagpack FILE|DIR`: imports GraphSense TagPacks and ActorPacks (told apart by their top-level
 * `tags:` / `actors:` key), all in one transaction; files are read one at a time.
 * @param onFile progress callback after each file.
 */
export async function importTagPacks(
  db: Database,
  path: string,
  options: ImportOptions & { onFile?: (r: SourceImportResult, index: number, total: number) => void } = {},
): Promise<SourceImportResult[]> {
  const files = listSourceFiles(path, isYamlName);
  return importSources(
    db,
    async (write) => {
      for (const [i, f] of files.entries()) {
        const file = readSourceFile(f);
        const y = parseYamlSource(file);
        const batch = isActorPack(y) ? actorPackBatch(file, y) : tagPackBatch(file, y);
        const r = await write(batch);
        options.onFile?.(r, i, files.length);
      }
    },
    options,
  );
}
