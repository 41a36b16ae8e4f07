import * as path from 'node:path';
import { packageRoot } from '../models/workspace';

/** The built renderer (npm run build:renderer writes it). */
export function rendererDir(): string {
  return path.join(packageRoot(), 'dist', 'renderer');
}
