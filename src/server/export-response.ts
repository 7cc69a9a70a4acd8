import type { Context } from 'hono';
import type { ExportFormat } from '../core/evidence/record.js';
import type { EvidenceRecord } from '../core/evidence/types.js';
import { writers } from '../adapters/formats/registry.js';
import type { AppEnv } from './context.js';

/** Streams records in an export format as a download. */
export const exportResponse = (c: Context<AppEnv>, format: ExportFormat, records: EvidenceRecord[]) => {
  const { write, contentType, extension } = writers[format];
  const chunks = write(records);
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = chunks.next();
      if (next.done) {
        controller.close();
      } else {
        controller.enqueue(encoder.encode(next.value));
      }
    },
  });
  const stamp = new Date().toISOString().slice(0, 10);
  return c.body(body, 200, { 'content-type': contentType, 'content-disposition': `attachment; filename="mobilise-evidence-${stamp}.${extension}"` });
};
