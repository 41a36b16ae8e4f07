// Svelte 5 with runes everywhere; <script lang="ts"> is understood natively.
export default {
  compilerOptions: { runes: true },
};
