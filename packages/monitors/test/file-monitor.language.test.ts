/**
 * detectLanguage: the language of a path from its file name or extension.
 */
import { describe, expect, it } from "vitest";
import { detectLanguage } from "../src/language.js";

describe("detectLanguage", () => {
  it.each([
    ["src/app.ts", "TypeScript"],
    ["src/App.tsx", "TypeScript"],
    ["lib/index.mjs", "JavaScript"],
    ["web/Button.jsx", "JavaScript"],
    ["tool.py", "Python"],
    ["main.go", "Go"],
    ["lib.rs", "Rust"],
    ["Main.java", "Java"],
    ["build.gradle.kts", "Kotlin"],
    ["a.cpp", "C++"],
    ["a.h", "C"],
    ["Program.cs", "C#"],
    ["app.rb", "Ruby"],
    ["index.php", "PHP"],
    ["View.swift", "Swift"],
    ["run.sh", "Shell"],
    ["query.sql", "SQL"],
    ["README.md", "Markdown"],
    ["data.JSON", "JSON"],
    ["ci.yml", "YAML"],
    ["Cargo.toml", "TOML"],
    ["page.html", "HTML"],
    ["style.scss", "SCSS"],
    ["App.vue", "Vue"],
    ["main.tf", "HCL"],
    ["Dockerfile", "Dockerfile"],
    ["docker/Dockerfile.dev", "Dockerfile"],
    ["Makefile", "Makefile"],
    ["CMakeLists.txt", "CMake"],
    ["Gemfile", "Ruby"],
    [".gitignore", "Ignore List"],
    [".env.local", "Dotenv"],
    ["C:\\repo\\src\\x.ts", "TypeScript"],
  ])("%s → %s", (path, language) => {
    expect(detectLanguage(path)).toBe(language);
  });

  it.each([
    "LICENSE.unknownext",
    "noextension",
    "archive.",
    "photo.png",
    "a.constructor",
    "x.toString",
  ])("%s → undefined", (path) => {
    expect(detectLanguage(path)).toBeUndefined();
  });
});
