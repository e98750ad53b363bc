// ESLint: Next's own rules (Core Web Vitals + TypeScript) over the whole repository; run by `npm test`
// (`npm run lint`), which fails on any error.
import nextCoreWebVitals from "eslint-config-next/core-web-vitals";
import nextTypeScript from "eslint-config-next/typescript";

const config = [
  ...nextCoreWebVitals,
  ...nextTypeScript,
  {
    ignores: [
      ".next/**",
      ".next-*/**",
      ".data/**",
      "lib/generated/**",
      "test-results/**",
      "bench/results/**",
      "next-env.d.ts",
      "node_modules/**",
    ],
  },
  {
    rules: {
      // Unused values are errors, except those named _ on purpose (e.g. an ignored tuple element).
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
    },
  },
];

export default config;
