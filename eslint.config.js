// ESLint for geomap's map client (geomap/mapping/static/*.js): `make lint` or `npm run lint`.
const js = require("@eslint/js");
const globals = require("globals");

module.exports = [
  js.configs.recommended,
  {
    files: ["geomap/mapping/static/**/*.js"],
    languageOptions: {
      ecmaVersion: 2017,
      sourceType: "script",
      globals: { ...globals.browser, L: "readonly", uPlot: "readonly" },
    },
    rules: {
      "no-unused-vars": ["error", { args: "none", varsIgnorePattern: "^geomap[A-Z]" }],
      eqeqeq: ["error", "smart"],
      "no-var": "off",
    },
  },
];
