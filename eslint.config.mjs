import nextCoreWebVitals from "eslint-config-next/core-web-vitals";
import nextTypeScript from "eslint-config-next/typescript";

const config = [
  ...nextCoreWebVitals,
  ...nextTypeScript,
  // Preload scripts for `node --require` must be CommonJS.
  { files: ["**/*.cjs"], rules: { "@typescript-eslint/no-require-imports": "off" } },
  // No import cycles anywhere in the app's code (#24): every dependency points one way.
  { files: ["lib/**/*.ts", "app/**/*.ts", "app/**/*.tsx", "components/**/*.tsx", "hooks/**/*.ts", "cli/**/*.ts"], rules: { "import/no-cycle": ["error", { ignoreExternal: true }] } },
  // HTTP only at the edge (#24): the core below `http/` never imports `http/` or the composition root.
  {
    files: ["lib/server/**/*.ts"],
    ignores: ["lib/server/http/**", "lib/server/app-context.ts", "lib/server/startup.ts", "lib/server/auth/page-caller.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { regex: "(^|/)http(/|$)", message: "The core does not import http/: return a value (or an error with a code) and let the route make the Response." },
            { regex: "(^|/)app-context$", message: "The core takes its dependencies as arguments; only routes, pages and start-up read the app context." },
            { regex: "^next/(server|headers|navigation)$", message: "The core knows nothing of requests: only routes and pages use Next's request helpers." },
          ],
        },
      ],
      "no-restricted-syntax": [
        "error",
        { selector: "NewExpression[callee.name='Response']", message: "The core does not answer HTTP: return a value or throw an AppError (use-cases/app-error.ts); the edge makes the Response." },
        { selector: "MemberExpression[object.name='Response'][property.name=/^(json|redirect|error)$/]", message: "The core does not answer HTTP: return a value or throw an AppError; the edge makes the Response." },
      ],
    },
  },
  { ignores: [".next/**", "node_modules/**", "data/**", "test-results/**", "playwright-report/**", ".test-output/**", "next-env.d.ts"] },
];

export default config;
