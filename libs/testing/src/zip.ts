import { Open } from 'unzipper';
import { ZipFile } from 'yazl';

// A fixed entry time, so a committed fixture zip only changes when its contents do.
const FIXED_MTIME = new Date(Date.UTC(2024, 0, 1));

/** Builds a zip in memory from named contents (tests only; uploads are never built in memory). */
export async function buildZip(
  entries: readonly { name: string; content: string | Buffer }[],
): Promise<Buffer> {
  const zip = new ZipFile();
  for (const entry of entries) {
    zip.addBuffer(
      typeof entry.content === 'string' ? Buffer.from(entry.content, 'utf8') : entry.content,
      entry.name,
      { mtime: FIXED_MTIME },
    );
  }
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The entries of a zip held in memory, in the order of its central directory (tests only). */
export async function readZip(zip: Buffer): Promise<{ name: string; content: Buffer }[]> {
  const directory = await Open.buffer(zip);
  const entries: { name: string; content: Buffer }[] = [];
  for (const file of directory.files)
    entries.push({ name: file.path, content: await file.buffer() });
  return entries;
}
