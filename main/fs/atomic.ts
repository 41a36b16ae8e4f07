import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { SonoError } from '../common/errors';

/**
 * Atomic writes for the workspace (DESIGN.md, "Every write is atomic"): a reader sees the old
 * content or the whole new content, never a torn file, even when the process is killed mid-write.
 */

/** Write to a temp file in the same folder, fsync, then rename: a crash never leaves half a file. */
export function writeAtomic(file: string, data: string | Uint8Array): void {
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  try {
    const fd = fs.openSync(tmp, 'w');
    try {
      fs.writeSync(fd, typeof data === 'string' ? Buffer.from(data) : data);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw new SonoError('IO_ERROR', `Could not write ${path.basename(file)}: ${(e as Error).message}`, { cause: e });
  }
}

export function writeJsonAtomic(file: string, value: unknown): void {
  writeAtomic(file, JSON.stringify(value, null, 2) + '\n');
}

/**
 * Puts a fully written folder in place of `target`: the old folder is first renamed aside, so at
 * every instant either the old or the new folder exists whole under one of two names, and
 * `readableDir` finds it. Both names live in the same parent, so each rename is atomic.
 */
export function replaceDir(staged: string, target: string): void {
  const old = `${target}.old`;
  fs.rmSync(old, { recursive: true, force: true });
  if (fs.existsSync(target)) fs.renameSync(target, old);
  fs.renameSync(staged, target);
  fs.rmSync(old, { recursive: true, force: true });
}

/** The folder `replaceDir` left whole: `target`, or `target.old` when a kill fell between its renames. */
export function readableDir(target: string): string | null {
  if (fs.existsSync(target)) return target;
  const old = `${target}.old`;
  return fs.existsSync(old) ? old : null;
}

/** A fresh staging folder beside `target` for `replaceDir`. */
export function stagingDir(target: string): string {
  const dir = `${target}.staging-${process.pid}-${Date.now()}`;
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * The asynchronous form of writeAtomic, for big exports that must not block the event loop; it also
 * fsyncs the folder so the rename itself survives a power cut.
 */
export async function writeFileAtomic(target: string, data: Uint8Array | string): Promise<void> {
  const dir = path.dirname(target);
  const temp = path.join(dir, `.${path.basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  let handle: fsp.FileHandle | undefined;
  try {
    handle = await fsp.open(temp, 'wx');
    await handle.writeFile(data);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await fsp.rename(temp, target);
    await syncDir(dir);
  } catch (e) {
    await handle?.close().catch(() => undefined);
    await fsp.rm(temp, { force: true }).catch(() => undefined);
    throw new SonoError('IO_ERROR', `Could not write ${path.basename(target)}: ${(e as Error).message}`, { cause: e });
  }
}

/** fsync of the folder makes the rename itself durable; not every platform allows it (Windows). */
async function syncDir(dir: string): Promise<void> {
  let h: fsp.FileHandle | undefined;
  try {
    h = await fsp.open(dir, 'r');
    await h.sync();
  } catch {
    // best effort: the data itself is already synced
  } finally {
    await h?.close().catch(() => undefined);
  }
}
