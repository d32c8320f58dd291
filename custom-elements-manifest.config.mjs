// `cem analyze` writes custom-elements.json from the element's JSDoc (@attr, @fires, @csspart, @cssprop) and
// its decorated properties. CI regenerates it and fails when the committed file differs.
export default {
  globs: ['src/recording-status.ts', 'src/events.ts', 'src/define.ts'],
  outdir: '.',
  litelement: true,
  plugins: [
    {
      // The analyzer also guesses events from dispatchEvent() calls, without names or descriptions; the
      // documented @fires entries are the contract.
      name: 'documented-events-only',
      packageLinkPhase({ customElementsManifest }) {
        for (const mod of customElementsManifest.modules) {
          for (const declaration of mod.declarations ?? []) {
            if (declaration.events) declaration.events = declaration.events.filter((e) => e.name && e.description);
          }
        }
      },
    },
  ],
};
