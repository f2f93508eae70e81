import type { Database } from '../../store/index.js';
import type { SourceBatch, SourceImportResult } from '../model.js';
import { type ImportOptions, importSources } from '../writeSources.js';
import { readLabelCsv } from './csv/readLabelCsv.js';
import { readSourceFile, type SourceFile } from './readSourceFile.js';
import { readStixBundle } from './stix/readStixBundle.js';

/** Imports one file read by `reader` as one source, in one transaction. */
export async function importFile(db: Database, path: string, reader: (f: SourceFile) => SourceBatch, options: ImportOptions = {}): Promise<SourceImportResult[]> {
  const batch = reader(readSourceFile(path));
  return importSources(
    db,
    async (write) => {
      await write(batch);
    },
    options,
  );
}

/** `label import stix FILE`: a STIX 2.x bundle (intrusion sets → actors with aliases, external ids, malware). */
export function importStix(db: Database, path: string, options: ImportOptions = {}): Promise<SourceImportResult[]> {
  return importFile(db, path, readStixBundle, options);
}

/** `label import csv FILE`: a label CSV with the documented header (see readLabelCsv). */
export function importLabelCsv(db: Database, path: string, options: ImportOptions = {}): Promise<SourceImportResult[]> {
  return importFile(db, path, readLabelCsv, options);
}
