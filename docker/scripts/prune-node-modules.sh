#!/bin/sh
# prune-node-modules.sh DIR — shrink a production node_modules for a Linux image, then prove that
# every direct dependency still loads.
#
# - onnxruntime-node ships prebuilt binaries for every OS and CPU (~290 MB); the image keeps only
#   linux/<arch of the image>.
# - onnxruntime-web (~140 MB) is a dependency of @huggingface/transformers for browsers; its Node
#   build (dist/transformers.node.cjs) loads onnxruntime-node and never requires onnxruntime-web.
# - tree-sitter grammar packages ship C sources, native prebuilds for every platform and their
#   grammar definitions (~250 MB for eleven languages); code-intel loads only each package's
#   `.wasm` (found through `<package>/package.json`) with web-tree-sitter, so that is all they keep.
# - TypeScript sources and declarations (and @types packages some dependencies list as
#   dependencies), source maps and packages' own test folders are never loaded by Node at run
#   time.
set -eu
dir=${1:?usage: prune-node-modules.sh NODE_MODULES_DIR}
arch=$(node -p process.arch)

before=$(du -sm "$dir" | cut -f1)
rm -rf "$dir/onnxruntime-web" "$dir/@types"
if [ -d "$dir/onnxruntime-node/bin" ]; then
  for d in "$dir"/onnxruntime-node/bin/napi-v*/*; do
    [ "$(basename "$d")" = linux ] || rm -rf "$d"
  done
  for d in "$dir"/onnxruntime-node/bin/napi-v*/linux/*; do
    [ "$(basename "$d")" = "$arch" ] || rm -rf "$d"
  done
  ls "$dir"/onnxruntime-node/bin/napi-v*/linux/"$arch"/onnxruntime_binding.node >/dev/null
fi
for g in "$dir"/tree-sitter-*; do
  [ -f "$g/package.json" ] || continue
  ls "$g"/*.wasm >/dev/null 2>&1 || continue
  find "$g" -mindepth 1 -maxdepth 1 ! -name package.json ! -name '*.wasm' ! -name 'LICENSE*' -exec rm -rf {} +
done
find "$dir" -type f \( -name '*.ts' -o -name '*.mts' -o -name '*.cts' -o -name '*.map' \
  -o -name '*.spec.js' -o -name '*.test.js' \) -delete
find "$dir" -depth -type d \( -name test -o -name tests -o -name __tests__ \) -path '*/node_modules/*' \
  -exec rm -rf {} +
after=$(du -sm "$dir" | cut -f1)
echo "node_modules: ${before} MB -> ${after} MB (onnxruntime-node kept: linux/$arch)"

# Load every direct dependency the way the bundle will (ESM import covers CJS packages too); this
# loads ONNX Runtime's native binding, so a pruning mistake fails the build rather than the start.
# Grammar packages are data for web-tree-sitter: they must resolve and still hold their .wasm.
cd "$(dirname "$dir")"
node --input-type=module -e '
  import { readFileSync, readdirSync } from "node:fs";
  import { createRequire } from "node:module";
  import { dirname, resolve } from "node:path";
  const require = createRequire(resolve("package.json"));
  const deps = Object.keys(JSON.parse(readFileSync("package.json", "utf8")).dependencies ?? {});
  for (const d of deps) {
    if (/^tree-sitter-/.test(d)) {
      const wasm = readdirSync(dirname(require.resolve(`${d}/package.json`))).filter((f) => f.endsWith(".wasm"));
      if (wasm.length === 0) throw new Error(`${d}: no .wasm left`);
    } else {
      // The MCP SDK exports subpaths only: its "." entry names a file the package does not ship.
      await import({ "@modelcontextprotocol/sdk": "@modelcontextprotocol/sdk/server/mcp.js" }[d] ?? d);
    }
  }
  console.log(`loaded ${deps.length} dependencies: ${deps.join(", ")}`);
'
