/**
 * @module language
 * Maps a file path to a programming or markup language name, from its file name or extension.
 * Names follow GitHub Linguist where it has one (`TypeScript`, `C++`, `Shell`); `.tsx`/`.jsx`
 * count as TypeScript/JavaScript so that activity per language is not split by syntax flavour.
 */

const byExtension = new Map<string, string>();

function add(language: string, extensions: readonly string[]): void {
  for (const ext of extensions) byExtension.set(ext, language);
}

add("TypeScript", ["ts", "tsx", "mts", "cts"]);
add("JavaScript", ["js", "jsx", "mjs", "cjs"]);
add("Python", ["py", "pyw", "pyi", "pyx", "pxd"]);
add("Java", ["java"]);
add("Kotlin", ["kt", "kts"]);
add("Scala", ["scala", "sc"]);
add("Groovy", ["groovy", "gvy", "gradle"]);
add("Clojure", ["clj", "cljs", "cljc", "edn"]);
add("C", ["c", "h"]);
add("C++", ["cc", "cpp", "cxx", "c++", "hh", "hpp", "hxx", "h++", "ipp", "inl", "tpp"]);
add("C#", ["cs", "csx"]);
add("F#", ["fs", "fsi", "fsx"]);
add("Visual Basic .NET", ["vb"]);
add("Objective-C", ["m"]);
add("Objective-C++", ["mm"]);
add("Swift", ["swift"]);
add("Go", ["go"]);
add("Rust", ["rs"]);
add("Zig", ["zig"]);
add("Nim", ["nim"]);
add("D", ["d"]);
add("Odin", ["odin"]);
add("Ruby", ["rb", "rake", "gemspec", "ru"]);
add("PHP", ["php", "phtml"]);
add("Perl", ["pl", "pm"]);
add("Raku", ["raku", "rakumod"]);
add("Lua", ["lua"]);
add("R", ["r"]);
add("Julia", ["jl"]);
add("Dart", ["dart"]);
add("Elixir", ["ex", "exs"]);
add("Erlang", ["erl", "hrl"]);
add("Gleam", ["gleam"]);
add("Haskell", ["hs", "lhs"]);
add("OCaml", ["ml", "mli"]);
add("Elm", ["elm"]);
add("PureScript", ["purs"]);
add("Common Lisp", ["lisp", "lsp", "cl"]);
add("Scheme", ["scm", "ss"]);
add("Racket", ["rkt"]);
add("Emacs Lisp", ["el"]);
add("Fortran", ["f", "f90", "f95", "f03", "f08", "for"]);
add("COBOL", ["cob", "cbl"]);
add("Pascal", ["pas", "pp"]);
add("Ada", ["adb", "ads"]);
add("Assembly", ["asm", "s"]);
add("Solidity", ["sol"]);
add("Move", ["move"]);
add("Cairo", ["cairo"]);
add("Crystal", ["cr"]);
add("Haxe", ["hx"]);
add("Apex", ["cls", "trigger"]);
add("ABAP", ["abap"]);
add("PowerShell", ["ps1", "psm1", "psd1"]);
add("Shell", ["sh", "bash", "zsh", "ksh"]);
add("Fish", ["fish"]);
add("Batchfile", ["bat", "cmd"]);
add("Awk", ["awk"]);
add("Tcl", ["tcl"]);
add("HTML", ["html", "htm", "xhtml"]);
add("CSS", ["css"]);
add("SCSS", ["scss"]);
add("Sass", ["sass"]);
add("Less", ["less"]);
add("Stylus", ["styl"]);
add("Vue", ["vue"]);
add("Svelte", ["svelte"]);
add("Astro", ["astro"]);
add("Handlebars", ["hbs", "handlebars"]);
add("Pug", ["pug"]);
add("EJS", ["ejs"]);
add("Liquid", ["liquid"]);
add("Twig", ["twig"]);
add("Jinja", ["j2", "jinja", "jinja2"]);
add("Markdown", ["md", "markdown", "mdx"]);
add("reStructuredText", ["rst"]);
add("AsciiDoc", ["adoc", "asciidoc"]);
add("TeX", ["tex", "sty", "bib"]);
add("Text", ["txt"]);
add("JSON", ["json", "jsonc", "json5", "jsonl", "ndjson"]);
add("YAML", ["yml", "yaml"]);
add("TOML", ["toml"]);
add("XML", ["xml", "xsd", "xsl", "xslt", "plist", "csproj", "fsproj", "vbproj", "props"]);
add("SVG", ["svg"]);
add("INI", ["ini", "cfg", "conf", "properties"]);
add("CSV", ["csv", "tsv"]);
add("SQL", ["sql", "psql", "ddl"]);
add("PL/SQL", ["pls", "plsql", "pkb", "pks"]);
add("GraphQL", ["graphql", "gql"]);
add("Protocol Buffers", ["proto"]);
add("Thrift", ["thrift"]);
add("Prisma", ["prisma"]);
add("HCL", ["hcl", "tf", "tfvars"]);
add("Nix", ["nix"]);
add("Dockerfile", ["dockerfile"]);
add("Makefile", ["mk", "mak"]);
add("CMake", ["cmake"]);
add("Meson", ["meson"]);
add("Bazel", ["bzl", "bazel"]);
add("Starlark", ["star"]);
add("Jupyter Notebook", ["ipynb"]);
add("WebAssembly", ["wat", "wast"]);
add("GLSL", ["glsl", "vert", "frag"]);
add("HLSL", ["hlsl"]);
add("WGSL", ["wgsl"]);
add("CUDA", ["cu", "cuh"]);
add("Verilog", ["v", "sv", "svh", "vh"]);
add("VHDL", ["vhd", "vhdl"]);
add("Diff", ["diff", "patch"]);
add("Ignore List", ["gitignore", "dockerignore", "npmignore", "prettierignore", "eslintignore"]);
add("Git Attributes", ["gitattributes"]);
add("EditorConfig", ["editorconfig"]);
add("Dotenv", ["env"]);

/** Whole file names that say more than their extension (checked first, case-insensitive). */
const byFileName = new Map<string, string>(
  Object.entries({
    dockerfile: "Dockerfile",
    containerfile: "Dockerfile",
    makefile: "Makefile",
    gnumakefile: "Makefile",
    "cmakelists.txt": "CMake",
    "meson.build": "Meson",
    build: "Bazel",
    "build.bazel": "Bazel",
    workspace: "Bazel",
    "workspace.bazel": "Bazel",
    gemfile: "Ruby",
    rakefile: "Ruby",
    podfile: "Ruby",
    vagrantfile: "Ruby",
    brewfile: "Ruby",
    jenkinsfile: "Groovy",
    justfile: "Just",
    procfile: "Procfile",
    "go.mod": "Go Module",
    "go.sum": "Go Checksums",
    "cargo.lock": "TOML",
    "package-lock.json": "JSON",
    "pnpm-lock.yaml": "YAML",
    "yarn.lock": "YAML",
    ".bashrc": "Shell",
    ".bash_profile": "Shell",
    ".zshrc": "Shell",
    ".profile": "Shell",
    ".gitignore": "Ignore List",
    ".gitattributes": "Git Attributes",
    ".gitmodules": "INI",
    ".editorconfig": "EditorConfig",
    ".npmrc": "INI",
    ".nvmrc": "Text",
    license: "Text",
    readme: "Text",
  }),
);

/**
 * The language of a file, from its name (`Dockerfile`, `Makefile`, `.env.local`) or extension
 * (`.ts` → `TypeScript`); `undefined` when unknown. Accepts relative or absolute paths with
 * either separator.
 *
 * @example
 * detectLanguage("src/app.tsx"); // "TypeScript"
 * detectLanguage("Dockerfile.dev"); // "Dockerfile"
 */
export function detectLanguage(path: string): string | undefined {
  const slash = Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\"));
  const name = path.slice(slash + 1).toLowerCase();
  const known = byFileName.get(name);
  if (known !== undefined) return known;
  if (name.startsWith("dockerfile.") || name.endsWith(".dockerfile")) return "Dockerfile";
  if (name === ".env" || name.startsWith(".env.")) return "Dotenv";
  const dot = name.lastIndexOf(".");
  if (dot < 0 || dot === name.length - 1) return undefined;
  return byExtension.get(name.slice(dot + 1));
}
