import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The labelled screening sets under `dataDir` (../shared/data/screening): every CSV one folder down,
 * folder by folder, each folder's files in name order. A missing folder is a usage error.
 */
export const screeningSetFiles = (dataDir: string, usage: (message: string) => never): string[] => {
  if (!existsSync(dataDir)) {
    usage(`${dataDir} is absent: the screening sets live in ../shared/data/screening (see its README)`);
  }
  return readdirSync(dataDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap((entry) =>
      readdirSync(join(dataDir, entry.name))
        .filter((name) => name.endsWith('.csv'))
        .sort()
        .map((name) => join(dataDir, entry.name, name)),
    );
};
