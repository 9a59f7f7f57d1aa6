import {
  bundlePhase,
  bundleTargetOf,
  checkRow,
  type MediaDeclaration,
  type ObjectDeclaration,
} from '@bulkops/objects';
import type { StorageService } from '@bulkops/storage';
import type { JobRelease } from '@bulkops/database';
import type { IngestEnv } from '../ingest.env';
import { bundlePartsOf, type BundlePart } from './bundle-entries';
import type { ChunkStager } from './chunk-stager';
import { stageCsvFile, type RowPlacement } from './stage-csv-file';
import { stageMediaUpload, type MediaPlacement } from './stage-media-upload';

/** The upload of a bundle job. */
interface BundleUpload {
  jobId: string;
  uploadKey: string;
  fileName: string;
}

/** What reading a bundle found: its files by type, for the job's release. */
export type BundleRead = Omit<JobRelease, 'chunkCount'> & {
  files: Required<JobRelease['files'][number]>[];
};

/** CSV rows of a bundle file: phase by type and action, and the create rows as targets. */
function csvPlacement(declaration: ObjectDeclaration, fileName: string): RowPlacement {
  return {
    phase: (row) => bundlePhase(declaration, row.checked.action),
    target: (row) => {
      const target = bundleTargetOf(
        declaration,
        row.cells,
        row.checked,
        `${fileName} row ${row.line}`,
      );
      return target ? { ...target, line: row.line } : null;
    },
  };
}

/** Media rows of a bundle folder: as CSV rows, their place being the file in the folder. */
function mediaPlacement(declaration: MediaDeclaration, folder: string): MediaPlacement {
  const where = (file: string, line: number | null) =>
    `${folder}${file}${line !== null ? ` row ${line}` : ''}`;
  return {
    phase: (row) => bundlePhase(declaration, checkRow(declaration, row.cells).action),
    target: (row, line) => {
      const checked = { ...checkRow(declaration, row.cells), keyNorm: row.keyNorm };
      const place = where(row.source.file, row.source.line);
      const target = bundleTargetOf(declaration, row.cells, checked, place);
      return target ? { ...target, line } : null;
    },
  };
}

/**
 * Reads a whole bundle (spec/api.md "Bundles"): every part is judged first (see bundlePartsOf),
 * then each is read as its type's own upload would be, its rows staged in the phase of their type
 * and action (creates in dependency order, deletes in reverse after them) and its create rows
 * recorded as targets of later types. Files are numbered in the order they are read.
 */
export async function readBundle(
  upload: BundleUpload,
  storage: StorageService,
  stager: ChunkStager,
  env: IngestEnv,
  heartbeat: () => Promise<void>,
): Promise<BundleRead> {
  const parts = await bundlePartsOf(storage, upload.uploadKey, upload.fileName, env);
  const files: BundleRead['files'] = [];
  for (const [ordinal, part] of parts.entries()) {
    stager.startFile(ordinal, part.declaration.type);
    files.push(await readPart(part, upload, storage, stager, env, heartbeat));
  }
  await stager.settled();
  return {
    files,
    columns: [],
    totalRows: files.reduce((sum, file) => sum + file.rows, 0),
  };
}

async function readPart(
  part: BundlePart,
  upload: BundleUpload,
  storage: StorageService,
  stager: ChunkStager,
  env: IngestEnv,
  heartbeat: () => Promise<void>,
): Promise<BundleRead['files'][number]> {
  const object = part.declaration.type;
  switch (part.kind) {
    case 'csv': {
      const placement = csvPlacement(part.declaration, part.name);
      const read = await stageCsvFile(
        part.file,
        part.declaration,
        stager,
        env,
        heartbeat,
        placement,
      );
      return { name: part.name, object, ...read };
    }
    case 'media': {
      const rows = await stageMediaUpload(
        { jobId: upload.jobId, fileName: `${upload.fileName} (${part.name})` },
        part.entries,
        part.declaration,
        storage,
        stager,
        env,
        heartbeat,
        mediaPlacement(part.declaration, part.name),
      );
      return { name: part.name, object, rows, columns: [...part.declaration.header] };
    }
  }
}
