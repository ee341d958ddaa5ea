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
      // Each static file defines one geomapXxx function; geomapStart (geomap.js) calls the others.
      globals: {
        ...globals.browser, L: "readonly", uPlot: "readonly",
        geomapPopups: "readonly", geomapIncidents: "readonly", geomapFlows: "readonly",
        geomapChoropleths: "readonly", geomapPanels: "readonly", geomapCharts: "readonly",
        geomapDeclutter: "readonly", geomapTowns: "readonly", geomapExport: "readonly", geomapLegendHtml: "readonly", geomapCasualtyLegend: "readonly",
      },
    },
    rules: {
      "no-unused-vars": ["error", { args: "none", varsIgnorePattern: "^geomap[A-Z]" }],
      eqeqeq: ["error", "smart"],
      "no-redeclare": ["error", { builtinGlobals: false }],
      "no-var": "off",
      // The same bar as the Python code (ruff C901, mccabe <= 15).
      complexity: ["error", 15],
    },
  },
];
