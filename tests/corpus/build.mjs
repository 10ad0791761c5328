// Builds the corpus's router apps offline with esbuild, from the npm packages installed beside
// this file (tests/corpus/build.py runs it once, in its cache). Output: dist/<app>/app.js.
import { build } from 'esbuild';

const common = {
  bundle: true, minify: true, format: 'iife', target: 'es2020', logLevel: 'warning',
  define: {
    'process.env.NODE_ENV': '"production"', __VUE_OPTIONS_API__: 'false',
    __VUE_PROD_DEVTOOLS__: 'false', __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
  },
};
await build({ ...common, entryPoints: ['apps/react_bank.jsx'], outfile: 'dist/react/app.js',
              jsx: 'automatic' });
await build({ ...common, entryPoints: ['apps/vue_energy.js'], outfile: 'dist/vue-hash/app.js',
              define: { ...common.define, ROUTER_MODE: '"hash"' } });
await build({ ...common, entryPoints: ['apps/vue_energy.js'], outfile: 'dist/vue-history/app.js',
              define: { ...common.define, ROUTER_MODE: '"history"' } });
