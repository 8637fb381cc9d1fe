#!/usr/bin/env node
// The dependency-boundary check that CI runs (`npm run check:boundaries`, step of `npm test`).
// It parses every source file under libs/*/src and apps/*/src with the TypeScript parser (so strings
// and comments never count, and type-only imports do) and enforces ARCHITECTURE.md's table, kept as
// data in tools/boundaries.json:
//   forbidden-import      an @omnitrain package the table does not allow this project to import
//   self-import           a project importing its own package name from non-test code
//   test-only-import      @omnitrain/testing imported from a file that is not *.test.*
//   deep-import           @omnitrain/x/anything instead of the public door @omnitrain/x
//   relative-escape       a relative (or absolute) path that leaves the project folder
//   restricted-module     zeromq, sharp, hono, tfjs-node, ... outside the projects that own them
//   umbrella-tfjs         non-test lib code importing @tensorflow/tfjs instead of tfjs-core
//   forbidden-dependency  package.json declaring an @omnitrain package the code may not import
//   missing-dependency    an @omnitrain import that the project's package.json does not declare
//   unknown-project       a folder under libs/ or apps/ that the table does not list
//   missing-package-json  a project without a package.json
//   package-name          libs/x/package.json not named @omnitrain/x
// Usage: node tools/check-boundaries.mjs [--root <dir>] [--json]
import { existsSync, readFileSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';

const SCOPE = '@omnitrain/';
const RULES_FILE = join(dirname(fileURLToPath(import.meta.url)), 'boundaries.json');
const SOURCE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];
const TEST_FILE = /\.test\.[cm]?[jt]sx?$/;
const DEPENDENCY_FIELDS = ['dependencies', 'peerDependencies', 'optionalDependencies', 'devDependencies'];
const BUILTINS = new Set(builtinModules);

/**
 * @typedef {object} Rules The parsed tools/boundaries.json.
 * @property {Record<string, string[]>} projects project folder (`libs/data`) -> allowed package names.
 * @property {string[]} testOnly packages only test files may import.
 * @property {Record<string, string[]>} restrictedModules module (or `@scope/*`) -> project folders.
 * @property {{ module: string, use: string[] }} umbrellaTfjs
 *
 * @typedef {object} Project One folder under libs/ or apps/.
 * @property {string} key `libs/data`.
 * @property {string} name `data` (its package is `@omnitrain/data`).
 * @property {'lib' | 'app'} kind
 * @property {string} dir absolute path.
 * @property {Set<string> | null} allowed packages it may import; null when the table lacks it.
 * @property {string} allowedText the allowed list as printed.
 * @property {{ file: string, text: string, json: Record<string, any> } | null} pkg its package.json.
 *
 * @typedef {object} Violation
 * @property {string} file path relative to the root, with `/`.
 * @property {number} line 1-based.
 * @property {number} col 1-based.
 * @property {string} rule e.g. `forbidden-import`.
 * @property {string} project e.g. `data`.
 * @property {string} spec the module specifier (or package name) at fault.
 * @property {string} message
 * @property {string} hint
 *
 * @typedef {object} ImportSite One module specifier found in a source file.
 * @property {string} spec
 * @property {number} line 1-based.
 * @property {number} col 1-based.
 *
 * @typedef {object} Report
 * @property {number} files source files scanned.
 * @property {number} imports module specifiers checked.
 * @property {Violation[]} violations sorted by file, line, column.
 */

/** Loads the boundary table (tools/boundaries.json beside this script). @returns {Rules} */
export function loadRules(file = RULES_FILE) {
  return JSON.parse(readFileSync(file, 'utf8'));
}

/**
 * Checks the monorepo at `rootDir` against the boundary table.
 * @param {string} rootDir the repository root (holds libs/ and apps/).
 * @param {{ rules?: Rules }} [options] rules default to tools/boundaries.json.
 * @returns {Report}
 * @example
 * const { violations } = checkBoundaries('/work/main');
 */
export function checkBoundaries(rootDir, options = {}) {
  const root = resolve(rootDir);
  const rules = options.rules ?? loadRules();
  /** @type {Violation[]} */
  const violations = [];
  let files = 0;
  let imports = 0;
  for (const project of discoverProjects(root, rules)) {
    violations.push(...checkProjectManifest(project, rules));
    /** @type {Map<string, { site: ImportSite, file: string, test: boolean }[]>} */
    const scoped = new Map();
    for (const file of listSourceFiles(join(project.dir, 'src'))) {
      files += 1;
      const sites = findImports(file, readFileSync(file, 'utf8'));
      imports += sites.length;
      const test = TEST_FILE.test(file);
      for (const site of sites) {
        const found = checkImport(root, project, rules, file, test, site);
        violations.push(...found);
        const target = omnitrainTarget(site.spec);
        if (target !== null && target !== project.name && found.every((v) => v.rule === 'deep-import')) {
          scoped.set(target, [...(scoped.get(target) ?? []), { site, file, test }]);
        }
      }
    }
    violations.push(...checkDeclared(root, project, scoped));
  }
  violations.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.col - b.col || a.rule.localeCompare(b.rule));
  return { files, imports, violations };
}

/** The folders under libs/ and apps/ that hold a src/ or a package.json. @returns {Project[]} */
function discoverProjects(/** @type {string} */ root, /** @type {Rules} */ rules) {
  const libNames = Object.keys(rules.projects).filter((k) => k.startsWith('libs/')).map(baseName);
  /** @type {Project[]} */
  const projects = [];
  for (const group of ['libs', 'apps']) {
    const groupDir = join(root, group);
    if (!existsSync(groupDir)) continue;
    for (const name of readdirSync(groupDir).sort()) {
      const dir = join(groupDir, name);
      if (name.startsWith('.') || !statSync(dir).isDirectory()) continue;
      if (!existsSync(join(dir, 'src')) && !existsSync(join(dir, 'package.json'))) continue;
      const key = `${group}/${name}`;
      const listed = rules.projects[key];
      // '*' = every lib but the test-only ones; names beside it (apps) are allowed too.
      const extra = (listed ?? []).filter((n) => n !== '*');
      const allowed = listed === undefined ? null : new Set(listed.includes('*') ? [...libNames.filter((n) => !rules.testOnly.includes(n)), ...extra] : listed);
      const allowedText = listed === undefined ? '' : listed.includes('*') ? ['any lib', ...extra].join(', ') : listed.join(', ') || 'none';
      projects.push({ key, name, kind: group === 'libs' ? 'lib' : 'app', dir, allowed, allowedText, pkg: readManifest(dir) });
    }
  }
  return projects;
}

/** @returns {Project['pkg']} */
function readManifest(/** @type {string} */ dir) {
  const file = join(dir, 'package.json');
  if (!existsSync(file)) return null;
  const text = readFileSync(file, 'utf8');
  return { file, text, json: JSON.parse(text) };
}

/** Every source file under `dir`, skipping node_modules and dist. @returns {string[]} */
function listSourceFiles(/** @type {string} */ dir) {
  if (!existsSync(dir)) return [];
  /** @type {string[]} */
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && entry.name !== 'dist') out.push(...listSourceFiles(path));
    } else if (SOURCE_EXTENSIONS.some((ext) => entry.name.endsWith(ext))) {
      out.push(path);
    }
  }
  return out.sort();
}

/**
 * Every module specifier a source file names: `import` / `import type` / `export ... from`,
 * `import x = require()`, `import('x')` and `require('x')` with a literal, `import('x')` types,
 * `declare module 'x'`, `/// <reference path|types>`, and JSDoc `import('x')` / `@import` in JS.
 * @param {string} fileName decides the dialect (.tsx, .js, ...).
 * @param {string} text
 * @returns {ImportSite[]}
 */
export function findImports(fileName, text) {
  const sourceFile = ts.createSourceFile(fileName, text, {
    languageVersion: ts.ScriptTarget.Latest,
    jsDocParsingMode: ts.JSDocParsingMode.ParseAll,
  }, true, scriptKind(fileName));
  const isJs = /\.[cm]?jsx?$/.test(fileName);
  /** @type {ImportSite[]} */
  const sites = [];
  /** @param {string} spec @param {number} pos */
  const add = (spec, pos) => {
    const { line, character } = sourceFile.getLineAndCharacterOfPosition(pos);
    sites.push({ spec, line: line + 1, col: character + 1 });
  };
  /** @param {ts.Node} node */
  const visit = (node) => {
    const literal = specifierOf(node);
    if (literal) add(literal.text, literal.getStart(sourceFile));
    if (isJs) for (const doc of /** @type {{ jsDoc?: ts.Node[] }} */ (node).jsDoc ?? []) visit(doc);
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  for (const ref of [...sourceFile.referencedFiles, ...sourceFile.typeReferenceDirectives]) add(ref.fileName, ref.pos);
  return sites.sort((a, b) => a.line - b.line || a.col - b.col);
}

/** The string literal naming a module in `node`, if `node` imports one. @returns {ts.StringLiteralLike | undefined} */
function specifierOf(/** @type {ts.Node} */ node) {
  /** @param {ts.Node | undefined} n */
  const lit = (n) => (n && ts.isStringLiteralLike(n) ? n : undefined);
  if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node) || ts.isJSDocImportTag(node)) return lit(node.moduleSpecifier);
  if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) return lit(node.moduleReference.expression);
  if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) return lit(node.argument.literal);
  if (ts.isModuleDeclaration(node)) return lit(node.name);
  if (ts.isCallExpression(node) && node.arguments.length > 0) {
    const callee = node.expression;
    const isImport = callee.kind === ts.SyntaxKind.ImportKeyword;
    const isRequire = ts.isIdentifier(callee) && callee.text === 'require';
    if (isImport || isRequire) return lit(node.arguments[0]);
  }
  return undefined;
}

/** @returns {ts.ScriptKind} */
function scriptKind(/** @type {string} */ fileName) {
  if (fileName.endsWith('.tsx')) return ts.ScriptKind.TSX;
  if (fileName.endsWith('.jsx')) return ts.ScriptKind.JSX;
  if (/\.[cm]?js$/.test(fileName)) return ts.ScriptKind.JS;
  return ts.ScriptKind.TS;
}

/**
 * The violations of one import site.
 * @param {string} root @param {Project} project @param {Rules} rules
 * @param {string} file absolute path. @param {boolean} test whether `file` is a *.test.* file.
 * @param {ImportSite} site
 * @returns {Violation[]}
 */
function checkImport(root, project, rules, file, test, site) {
  const { spec } = site;
  /** @param {string} rule @param {string} message @param {string} hint @returns {Violation} */
  const at = (rule, message, hint) => ({ file: toPosix(relative(root, file)), line: site.line, col: site.col, rule, project: project.name, spec, message, hint });
  if (spec.startsWith('.') || isAbsolute(spec)) return checkPath(root, project, file, spec, at);
  const target = omnitrainTarget(spec);
  if (target !== null) return checkOmnitrain(project, rules, test, spec, target, at);
  return checkThirdParty(project, rules, test, spec, at);
}

/**
 * @typedef {(rule: string, message: string, hint: string) => Violation} At
 */

/** A relative or absolute path must stay inside the project folder. @param {At} at @returns {Violation[]} */
function checkPath(/** @type {string} */ root, /** @type {Project} */ project, /** @type {string} */ file, /** @type {string} */ spec, at) {
  const target = resolve(dirname(file), spec);
  const inside = relative(project.dir, target);
  if (inside !== '' && !inside.startsWith('..') && !isAbsolute(inside)) return [];
  const [group, name] = toPosix(relative(root, target)).split('/');
  const other = (group === 'libs' || group === 'apps') && name ? `"${SCOPE}${name}"` : 'a package';
  return [at('relative-escape', `${project.name} may not import "${spec}" (a path outside ${project.key}/)`,
    `import another project through its public door ${other}, never by path`)];
}

/**
 * Imports of @omnitrain packages: the table, the test-only rule, self imports and deep imports.
 * @param {Project} project @param {Rules} rules @param {boolean} test @param {string} spec
 * @param {string} target the package's folder name. @param {At} at @returns {Violation[]}
 */
function checkOmnitrain(project, rules, test, spec, target, at) {
  /** @type {Violation[]} */
  const out = [];
  const door = `${SCOPE}${target}`;
  if (spec !== door) {
    out.push(at('deep-import', `${project.name} may not import "${spec}" (only the public door "${door}")`,
      `import from "${door}" (its src/index.ts); if the name is missing there, export it from that door`));
  }
  if (target === project.name) {
    if (!test) out.push(at('self-import', `${project.name} may not import "${spec}" (its own package) from non-test code`,
      `inside a project use a relative import ('./x.js'); only tests import their own public door`));
  } else if (rules.testOnly.includes(target)) {
    if (!test) out.push(at('test-only-import', `${project.name} may not import "${spec}" (allowed: only from *.test.ts files)`,
      `${door} holds test helpers: a devDependency for test files, never shipped code`));
  } else if (project.allowed !== null && !project.allowed.has(target)) {
    out.push(at('forbidden-import', `${project.name} may not import "${spec}" (allowed: ${project.allowedText})`,
      `dependencies point one way (ARCHITECTURE.md, "Which lib may import which"): move the shared piece into a lib both may import, or pass it in from the composition root (apps/cli)`));
  }
  return out;
}

/**
 * Third-party modules that belong to one project, and the tfjs umbrella in lib code.
 * @param {Project} project @param {Rules} rules @param {boolean} test @param {string} spec
 * @param {At} at @returns {Violation[]}
 */
function checkThirdParty(project, rules, test, spec, at) {
  const name = packageName(spec);
  if (name === null) return [];
  /** @type {Violation[]} */
  const out = [];
  const owners = ownersOf(rules, name);
  if (owners && !owners.includes(project.key)) {
    out.push(at('restricted-module', `${project.name} may not import "${spec}" (allowed only in: ${owners.join(', ')})`,
      `${name} belongs to ${owners.join(' / ')}; use that project's interface instead of the module`));
  }
  const umbrella = rules.umbrellaTfjs;
  if (name === umbrella.module && project.kind === 'lib' && !test) {
    out.push(at('umbrella-tfjs', `${project.name} may not import "${spec}" (allowed: ${umbrella.use.join(', ')})`,
      `lib code takes @tensorflow/tfjs-core as a peer dependency; only apps and tests load the umbrella package`));
  }
  return out;
}

/** The project folders allowed to import package `name`, or undefined if it is unrestricted. */
function ownersOf(/** @type {Rules} */ rules, /** @type {string} */ name) {
  const scope = name.startsWith('@') ? `${name.split('/')[0]}/*` : '';
  return rules.restrictedModules[name] ?? rules.restrictedModules[scope];
}

/**
 * package.json: its name, and no @omnitrain dependency the code may not import.
 * @param {Project} project @param {Rules} rules @returns {Violation[]}
 */
function checkProjectManifest(project, rules) {
  const manifest = project.key + '/package.json';
  /** @type {(rule: string, spec: string, key: string[], message: string, hint: string) => Violation} */
  const at = (rule, spec, key, message, hint) => ({ ...keyPosition(project.pkg?.text ?? '', key), file: manifest, rule, project: project.name, spec, message, hint });
  if (project.allowed === null) {
    return [at('unknown-project', project.key, [], `${project.key} is not in the boundary table (tools/boundaries.json)`,
      `add "${project.key}" to tools/boundaries.json with its arrows from ARCHITECTURE.md ("Which lib may import which")`)];
  }
  if (project.pkg === null) {
    return [at('missing-package-json', project.key, [], `${project.key} has no package.json to declare its dependencies`,
      `create ${manifest} named "${SCOPE}${project.name}"`)];
  }
  const { json } = project.pkg;
  /** @type {Violation[]} */
  const out = [];
  if (json.name !== `${SCOPE}${project.name}`) {
    out.push(at('package-name', String(json.name), ['name'], `${manifest} is named "${json.name}", expected "${SCOPE}${project.name}"`,
      `a project's package is @omnitrain/<its folder name>, so the table and imports agree`));
  }
  for (const field of DEPENDENCY_FIELDS) {
    for (const dep of Object.keys(json[field] ?? {})) {
      const target = omnitrainTarget(dep);
      if (target === null) continue;
      const testOnly = rules.testOnly.includes(target) && target !== project.name;
      const ok = testOnly ? field === 'devDependencies' : project.allowed.has(target);
      if (ok) continue;
      const why = testOnly ? 'only as a devDependency' : `allowed: ${project.allowedText}`;
      out.push(at('forbidden-dependency', dep, [field, dep], `${project.name} may not declare "${dep}" in ${field} (${why})`,
        testOnly ? `move "${dep}" to devDependencies` : `remove it from ${manifest}; the code may not import it either`));
    }
  }
  return out;
}

/**
 * Every @omnitrain package the code imports is declared in package.json (non-test code: not only as a
 * devDependency). Reported once per package, at its first import.
 * @param {string} root @param {Project} project
 * @param {Map<string, { site: ImportSite, file: string, test: boolean }[]>} scoped
 * @returns {Violation[]}
 */
function checkDeclared(root, project, scoped) {
  if (project.pkg === null || project.allowed === null) return [];
  const { json } = project.pkg;
  const manifest = project.key + '/package.json';
  /** @type {Violation[]} */
  const out = [];
  for (const [target, uses] of scoped) {
    const dep = `${SCOPE}${target}`;
    const runtime = uses.find((u) => !u.test);
    const declaredIn = DEPENDENCY_FIELDS.filter((f) => json[f]?.[dep] !== undefined);
    const devOnly = declaredIn.length > 0 && declaredIn.every((f) => f === 'devDependencies');
    if (declaredIn.length > 0 && !(runtime && devOnly)) continue;
    const use = runtime ?? uses[0];
    const message = declaredIn.length === 0
      ? `${project.name} imports "${dep}" but ${manifest} does not declare it`
      : `${project.name} imports "${dep}" from non-test code but ${manifest} declares it only in devDependencies`;
    const field = runtime ? 'dependencies' : 'devDependencies';
    out.push({ file: toPosix(relative(root, use.file)), line: use.site.line, col: use.site.col, rule: 'missing-dependency',
      project: project.name, spec: dep, message, hint: `add "${dep}" to ${field} in ${manifest}` });
  }
  return out;
}

/**
 * 1-based line and column of a JSON key in `text`: `['dependencies', '@omnitrain/x']` finds the key
 * `"@omnitrain/x":` after the key `"dependencies":` (1:1 when absent).
 */
function keyPosition(/** @type {string} */ text, /** @type {string[]} */ path) {
  let index = -1;
  for (const key of path) {
    const found = new RegExp(`${JSON.stringify(key).replace(/[.*+?^$()|[\]\\/{}]/g, '\\$&')}\\s*:`).exec(text.slice(index + 1));
    if (!found) return { line: 1, col: 1 };
    index += 1 + found.index;
  }
  if (index < 0) return { line: 1, col: 1 };
  const before = text.slice(0, index).split('\n');
  return { line: before.length, col: before[before.length - 1].length + 1 };
}

/** `data` for `@omnitrain/data` or `@omnitrain/data/x`; null for anything else. */
function omnitrainTarget(/** @type {string} */ spec) {
  return spec.startsWith(SCOPE) ? spec.slice(SCOPE.length).split('/')[0] : null;
}

/** The npm package a bare specifier names (`@hono/node-server/x` -> `@hono/node-server`); null for builtins. */
function packageName(/** @type {string} */ spec) {
  if (spec.startsWith('node:') || BUILTINS.has(spec.split('/')[0])) return null;
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

function baseName(/** @type {string} */ key) {
  return key.slice(key.indexOf('/') + 1);
}

function toPosix(/** @type {string} */ path) {
  return path.split(sep).join('/');
}

/** One violation as printed: `file:line:col  rule: message` and an indented hint. */
export function formatViolation(/** @type {Violation} */ v) {
  return `${v.file}:${v.line}:${v.col}  ${v.rule}: ${v.message}\n    hint: ${v.hint}`;
}

/** The closing line. */
export function formatSummary(/** @type {Report} */ report) {
  const n = report.violations.length;
  return `boundaries: ${report.files} files, ${report.imports} imports checked, ${n} violation${n === 1 ? '' : 's'}`;
}

/** CLI: prints the violations and exits 1 if there are any. */
function main(/** @type {string[]} */ argv) {
  let root = join(dirname(fileURLToPath(import.meta.url)), '..');
  let json = false;
  for (let i = 0; i < argv.length; i += 1) {
    if (argv[i] === '--root') {
      if (!argv[i + 1]) return usage('--root needs a directory');
      root = resolve(argv[++i]);
    }
    else if (argv[i].startsWith('--root=')) root = resolve(argv[i].slice('--root='.length));
    else if (argv[i] === '--json') json = true;
    else return usage(`unknown argument "${argv[i]}"`);
  }
  if (!existsSync(root) || !statSync(root).isDirectory()) return usage(`--root "${root}" is not a directory`);
  const report = checkBoundaries(root);
  if (json) console.log(JSON.stringify(report, null, 2));
  else for (const v of report.violations) console.error(formatViolation(v));
  (report.violations.length > 0 ? console.error : console.log)(formatSummary(report));
  process.exitCode = report.violations.length > 0 ? 1 : 0;
}

function usage(/** @type {string} */ problem) {
  console.error(`check-boundaries: ${problem}\nusage: node tools/check-boundaries.mjs [--root <dir>] [--json]`);
  process.exitCode = 2;
}

if (process.argv[1] && pathToFileURL(realpathSync(process.argv[1])).href === import.meta.url) {
  main(process.argv.slice(2));
}
