// ESLint with type information: typescript-eslint's strict and stylistic type-checked sets, less what does not fit here.
import eslint from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

export default defineConfig(
  { ignores: ['dist/', 'coverage/', '.data/', '.test-build/', 'src/directory/hsds/', 'web/src/api/schema.ts'] },
  eslint.configs.recommended,
  tseslint.configs.strictTypeChecked,
  tseslint.configs.stylisticTypeChecked,
  {
    languageOptions: {
      // The root's config files are outside tsconfig.json's folders; everything else is typed by it.
      parserOptions: { projectService: { allowDefaultProject: ['*.js'] }, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // TypeScript resolves every name, the worker's Node globals included; ESLint's own list knows no Node globals.
      'no-undef': 'off',
      // tsc's noUnusedLocals and noUnusedParameters report these already; `_name` drops a property from a rest copy.
      '@typescript-eslint/no-unused-vars': 'off',
      // With noUncheckedIndexedAccess, `!` states an index the code has just checked or built; a runtime check would be dead code.
      '@typescript-eslint/no-non-null-assertion': 'off',
      // Stubs and no-op closers implement async ports as `async () => undefined`; the floating-promise rules still catch lost awaits.
      '@typescript-eslint/require-await': 'off',
      // Nest declares option bags (NestApplicationContextOptions) as classes that are meant to be passed as object literals.
      '@typescript-eslint/no-unsafe-class-instance-assignment': 'off',
      // Numbers read as intended in messages and SQL.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      // `() => resolve(x)` and `(n) => progress(n)` are the code base's callbacks; a block body would add noise, not meaning.
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
      // `T[]` for simple element types, `Array<{ … }>` for object and tuple elements, as the code is written.
      '@typescript-eslint/array-type': ['error', { default: 'array-simple' }],
      // Nest modules are empty classes carrying a decorator.
      '@typescript-eslint/no-extraneous-class': ['error', { allowWithDecorator: true }],
      // `||` on strings and booleans means "empty or false", as for an environment variable set to '': `??` would change that.
      '@typescript-eslint/prefer-nullish-coalescing': ['error', { ignorePrimitives: { string: true, boolean: true } }],
    },
  },
  {
    files: ['**/*.spec.ts', '**/*.contract.ts', 'test/**', 'libs/testing/**'],
    rules: {
      // Tests read supertest's and JSON.parse's untyped bodies, and expect() asserts their shape.
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
      // What beforeAll assigns is still undefined in afterAll when beforeAll failed: the guard is real.
      '@typescript-eslint/no-unnecessary-condition': 'off',
    },
  },
  // The few JavaScript files (configs, the PGlite worker) carry no types to check; their callers are typed.
  { files: ['**/*.js', '**/*.mjs'], extends: [tseslint.configs.disableTypeChecked] },
);
