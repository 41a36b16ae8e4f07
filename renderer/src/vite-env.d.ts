/// <reference types="svelte" />
import type { SonosegApi } from '../../preload/api';

declare global {
  interface Window {
    /** present in Electron (exposed by the preload); absent in browser mode */
    sonoseg?: SonosegApi;
  }
}
