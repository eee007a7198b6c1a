// Builds the static assets into build/static (never committed): the compiled stylesheet and
// GOV.UK Frontend's JavaScript.
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "build", "static");
const govuk = join(root, "node_modules", "govuk-frontend", "dist");

mkdirSync(join(out, "css"), { recursive: true });
mkdirSync(join(out, "js"), { recursive: true });

const result = sass.compile(join(root, "assets", "scss", "app.scss"), {
  loadPaths: [govuk],
  style: "compressed",
  quietDeps: true,
  silenceDeprecations: ["import"],
});
writeFileSync(join(out, "css", "app.css"), result.css);
copyFileSync(join(govuk, "govuk", "govuk-frontend.min.js"), join(out, "js", "govuk-frontend.min.js"));
copyFileSync(join(root, "assets", "js", "app.mjs"), join(out, "js", "app.mjs"));
console.log(`Built assets in ${out}`);
