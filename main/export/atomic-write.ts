import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { SonoError } from '../common/errors';

/**
 * Writes a file so that a reader sees either the old content or the whole new content, never a
 * torn file (DESIGN.md, "Every write is atomic"): temp file in the same folder (rename is only
 * atomic within one filesystem), fsync so the data is on disk before the name points at it, rename.
 */
export async function writeFileAtomic(target: string, data: Uint8Array | string): Promise<void> {
  const dir = path.dirname(target);
  const temp = path.join(dir, `.${path.basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(temp, 'wx');
    await handle.writeFile(data);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await fs.rename(temp, target);
    await syncDir(dir);
  } catch (e) {
    await handle?.close().catch(() => undefined);
    await fs.rm(temp, { force: true }).catch(() => undefined);
    throw new SonoError('IO_ERROR', `Could not write ${path.basename(target)}: ${(e as Error).message}`, { cause: e });
  }
}

/** fsync of the folder makes the rename itself durable; not every platform allows it (Windows). */
async function syncDir(dir: string): Promise<void> {
  let h: fs.FileHandle | undefined;
  try {
    h = await fs.open(dir, 'r');
    await h.sync();
  } catch {
    // best effort: the data itself is already synced
  } finally {
    await h?.close().catch(() => undefined);
  }
}
