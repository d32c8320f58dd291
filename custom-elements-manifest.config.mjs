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
    {
      // Registration happens in `static define()`, called from define.ts, where the analyzer cannot see the tag;
      // the JSDoc's @tagname names it, and this records define.ts as the module that registers it.
      name: 'define-registers-the-tag',
      packageLinkPhase({ customElementsManifest }) {
        const modules = customElementsManifest.modules;
        const define = modules.find((mod) => mod.path === 'src/define.ts');
        for (const mod of modules) {
          for (const declaration of mod.declarations ?? []) {
            if (!declaration.tagName || !define) continue;
            define.exports = [
              ...(define.exports ?? []),
              {
                kind: 'custom-element-definition',
                name: declaration.tagName,
                declaration: { name: declaration.name, module: mod.path },
              },
            ];
          }
        }
      },
    },
  ],
};
