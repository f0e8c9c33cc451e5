// `npm run manifest`: dist/custom-elements.json for editors and framework tooling. The element
// is analysed from its source, but what the package ships is the bundle: paths name that.
const BUNDLE = 'dist/llama-chat.js';

export default {
  globs: ['src/element/llama-chat.ts', 'src/element/llama-chat-properties.ts'],
  outdir: 'dist',
  litelement: true,
  plugins: [
    {
      name: 'llama-chat:paths-in-the-package',
      packageLinkPhase({ customElementsManifest }) {
        // The element's settings live in a base class (llama-chat-properties.ts): analysed for what
        // the element inherits, not shipped as a module of its own.
        customElementsManifest.modules = customElementsManifest.modules.filter((m) => m.declarations?.some((d) => d.tagName));
        for (const module of customElementsManifest.modules) {
          module.path = BUNDLE;
          for (const entry of module.exports ?? []) if (entry.declaration?.module) entry.declaration.module = BUNDLE;
          // Importing the bundle defines the element (src/index.ts, outside the analysed file).
          module.exports = [
            ...(module.exports ?? []),
            { kind: 'custom-element-definition', name: 'llama-chat', declaration: { name: 'LlamaChat', module: BUNDLE } },
          ];
        }
      },
    },
  ],
};
