// @ts-check
/**
 * A Vite plugin for the min.js build: minifies the text of css`…` literals (which bundlers leave verbatim,
 * comments and all) with lightningcss. Only literals without ${} interpolation are touched.
 */
import { transform } from 'lightningcss';

/** @returns {import('vite').Plugin} */
export function minifyCssLiterals() {
  return {
    name: 'minify-css-literals',
    transform(code, id) {
      if (!/\.styles\.ts$/.test(id)) return null;
      const out = code.replace(/\bcss`([^`$\\]*(?:\\.[^`$\\]*)*)`/g, (whole, text) => {
        if (text.includes('${')) return whole;
        const source = text.replace(/\\`/g, '`');
        const { code: minified } = transform({ filename: id, code: Buffer.from(source), minify: true });
        return `css\`${minified.toString().replace(/[`\\]/g, (c) => `\\${c}`)}\``;
      });
      return out === code ? null : { code: out, map: null };
    },
  };
}
