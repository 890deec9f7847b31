// Lint for the whole repository (run from the root: `npm run lint`). Besides the recommended
// rules, it keeps the direction of imports that STYLE.md describes.
import js from '@eslint/js'
import globals from 'globals'
import tseslint from 'typescript-eslint'

const transports = ['fastify', 'fastify-plugin', 'pg', 'pg-boss', 'soap', 'undici', 'node:http', 'node:https']
// The sandbox (emulators, demo logins, the preview's proxy) is never part of the production server:
// only plugins/sandbox-mount.ts loads it, by a dynamic import, when it is mounted.
const noSandbox = {
  group: ['@psa-link/sandbox', '@psa-link/sandbox/*', '**/sandbox/src', '**/sandbox/src/**'],
  message: 'Production code never imports the sandbox; plugins/sandbox-mount.ts loads it dynamically when mounted.',
}

// The Autotask adapter: core/ is what both transports share and imports neither; each transport
// imports core/ but not the other; transport-detection.ts and index.ts, beside them, see both.
const autotaskLayers = (...forbidden) => ({
  regex: `^\\.\\.(/index)?$|^\\.\\./(${forbidden.join('|')})/|/transport-detection$`,
  message: 'core/ is shared by both Autotask transports and each transport stands alone: only transport-detection.ts and index.ts see both.',
})

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', '.data/**', '.scratch/**', 'test/.artifacts/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', { paths: [{ name: 'soap', message: 'Only the Autotask adapter and emulator speak SOAP.' }] }],
    },
  },
  {
    files: ['server/src/adapters/autotask/soap/**', 'server/sandbox/src/autotask/**', 'test/**'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['server/src/**'],
    ignores: ['server/src/sync/**', 'server/src/adapters/autotask/soap/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'soap', message: 'Only the Autotask adapter and emulator speak SOAP.' }], patterns: [noSandbox] }],
    },
  },
  {
    files: ['server/src/adapters/autotask/soap/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [noSandbox, autotaskLayers('rest')] }] },
  },
  {
    files: ['server/src/adapters/autotask/core/**', 'server/src/adapters/autotask/rest/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'soap', message: 'Only the Autotask adapter and emulator speak SOAP.' }], patterns: [noSandbox, autotaskLayers('soap', 'rest')] },
      ],
    },
  },
  {
    files: ['server/src/sync/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: transports.map((name) => ({ name, message: 'The engine talks to ports, never to a transport.' })),
          patterns: [
            {
              group: ['**/adapters/**', '**/db/**', '**/routes/**', '**/jobs/**', '**/plugins/**'],
              message: 'The engine imports only shared/ and its own ports.',
            },
            noSandbox,
          ],
        },
      ],
    },
  },
  {
    files: ['shared/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: transports, patterns: [{ group: ['node:*', '**/server/**', '**/zendesk-app/**'], message: 'shared/ has no I/O and imports neither side.' }] },
      ],
    },
  },
  {
    files: ['zendesk-app/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['zendesk-app/src/**'],
    ignores: ['zendesk-app/src/lib/zaf.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'zendesk_app_framework_sdk', message: 'Use the typed facade in src/lib/zaf.ts.' }] }],
    },
  },
)
