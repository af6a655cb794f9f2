import * as path from 'node:path';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Boundaries between capabilities (README, Architecture): a capability (a folder of src/ other than
// shell/ and shared/) imports another capability only through that capability's api.ts; shell/ and
// shared/ import no capability. src/extension.ts, the composition root, may import anything.
const SRC = path.join(import.meta.dirname, 'src');
const COMMON = new Set(['shell', 'shared']);

/** The top folder of src/ a path lies in, or undefined outside src/ (or for src/extension.ts). */
function areaOf(file) {
  const rel = path.relative(SRC, file);
  if (rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
  const parts = rel.split(path.sep);
  return parts.length > 1 ? parts[0] : undefined;
}

const capabilityBoundaries = {
  meta: {
    type: 'problem',
    docs: {
      description: 'A capability imports another only through its api.ts; shell and shared import no capability.',
    },
    messages: {
      throughApi: "'{{source}}' reaches into the {{target}} capability: import it through src/{{target}}/api.ts.",
      common: "src/{{from}} imports no capability, but '{{source}}' is in src/{{target}}.",
    },
    schema: [],
  },
  create(context) {
    const from = areaOf(context.filename);
    if (!from) return {};
    const check = (node, source) => {
      if (typeof source !== 'string' || !source.startsWith('.')) return;
      const resolved = path.resolve(path.dirname(context.filename), source);
      const target = areaOf(resolved) ?? areaOf(path.join(resolved, 'x'));
      if (!target || target === from || COMMON.has(target)) return;
      if (COMMON.has(from)) return context.report({ node, messageId: 'common', data: { from, source, target } });
      if (path.relative(path.join(SRC, target), resolved).replace(/\.ts$/, '') === 'api') return;
      context.report({ node, messageId: 'throughApi', data: { source, target } });
    };
    const fromSource = (node) => check(node.source ?? node, node.source?.value);
    return {
      ImportDeclaration: fromSource,
      ExportNamedDeclaration: (node) => node.source && fromSource(node),
      ExportAllDeclaration: fromSource,
      ImportExpression: (node) => node.source.type === 'Literal' && check(node.source, node.source.value),
      TSImportEqualsDeclaration: (node) =>
        node.moduleReference.type === 'TSExternalModuleReference' && check(node, node.moduleReference.expression.value),
    };
  },
};

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.cache/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        require: 'readonly',
        module: 'writable',
        process: 'readonly',
        console: 'readonly',
        __dirname: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        performance: 'readonly',
        AbortController: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['src/**/*.ts'],
    plugins: { local: { rules: { 'capability-boundaries': capabilityBoundaries } } },
    rules: { 'local/capability-boundaries': 'error' },
  },
  {
    // Short functions (README, The bar): over 100 lines, split them.
    files: ['src/**/*.ts'],
    rules: { 'max-lines-per-function': ['error', { max: 100, skipBlankLines: true, skipComments: true }] },
  },
  {
    // Lines of at most 120 characters: Prettier wraps code; strings and comments are wrapped by hand.
    files: ['src/**/*.ts', 'test/**/*.ts'],
    rules: { 'max-len': ['error', { code: 120, ignoreUrls: true, ignoreRegExpLiterals: true }] },
  },
  {
    // The pure core never imports the editor: plain unit tests cover it, and other hosts could reuse it.
    files: ['src/**/core/**/*.ts', 'src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'Core modules must not import vscode; put editor glue in a ui/ folder.' }],
        },
      ],
    },
  },
);
