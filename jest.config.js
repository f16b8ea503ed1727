/** ESM jest: ts-jest compiles TypeScript as ES modules; `.js` import suffixes map back to the `.ts` sources. */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: '<rootDir>/tsconfig.test.json' }] },
  testMatch: ['<rootDir>/test/**/*.test.ts', '<rootDir>/packages/*/test/**/*.test.ts'],
  setupFiles: ['<rootDir>/test/setup.ts'],
  collectCoverageFrom: ['src/**/*.ts', '!src/main.ts', '!src/post.ts'],
  // The in-process suites (npm run test:unit) must not lose ground; the end-to-end suite covers the rest.
  coverageReporters: ['text-summary'],
  coverageThreshold: { global: { lines: 87 } },
  testTimeout: 30000
}
