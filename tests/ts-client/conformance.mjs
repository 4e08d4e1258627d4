// The conformance examples (protocol-defs/conformance/<method>/) against the
// generated JSON Schema, with Ajv's 2020-12 validator in strict mode, and
// against the generated TypeScript, with tsc:
//
// - each valid params.json / response.json is accepted by generated/json/<Type>.json
//   and by the bundle's $defs/<Type>; each invalid/params-*.json and
//   invalid/response-*.json is rejected by both;
// - every valid example, assigned to its type through the method maps
//   (`const x: ClientRequestMap["initialize"]["params"] = {...}`), compiles
//   under tsconfig.nodenext.json's options.
//
// The methods are read from generated/ alone: the message unions of the
// bundle (each member has `properties.method.const`, `properties.params.$ref`
// and, for requests, `properties.id`) give method, kind and params type;
// the `<Union>Map` TypeScript files give the response types. What was read is
// written to build/conformance/methods.json, which tests/tests/it/typescript.rs
// compares with the registry.
//
// Usage: node conformance.mjs   (exit code 1 and a list of failures on error)

import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

import Ajv2020Module from "ajv/dist/2020.js";
import ts from "typescript";

const Ajv2020 = Ajv2020Module.default ?? Ajv2020Module;

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../..");
const conformanceDir = path.join(root, "protocol-defs/conformance");
// The experimental surface holds the whole protocol (every method has
// examples); without experimental parts there is only the stable one.
const surface = existsSync(path.join(root, "generated/experimental/json"))
  ? "generated/experimental"
  : "generated";
const jsonDir = path.join(root, surface, "json");
const typescriptDir = path.join(root, surface, "typescript");
const buildDir = path.join(here, "build/conformance");
const BUNDLE = "protocol.schema.json";

const failures = [];
const fail = (message) => failures.push(message);
const readJson = (file) => JSON.parse(readFileSync(file, "utf8"));
const relative = (file) => path.relative(root, file).split(path.sep).join("/");

// ---------------------------------------------------------------------------
// Ajv, strict, with the numeric formats schemars emits.

/** `format` values schemars writes for Rust numbers, with the range each allows. */
const INTEGER_FORMATS = {
  int8: [-(2 ** 7), 2 ** 7 - 1],
  int16: [-(2 ** 15), 2 ** 15 - 1],
  int32: [-(2 ** 31), 2 ** 31 - 1],
  int64: [-(2 ** 63), 2 ** 63 - 1],
  int: [-(2 ** 63), 2 ** 63 - 1],
  uint8: [0, 2 ** 8 - 1],
  uint16: [0, 2 ** 16 - 1],
  uint32: [0, 2 ** 32 - 1],
  uint64: [0, 2 ** 64 - 1],
  uint: [0, 2 ** 64 - 1],
};
const FLOAT_MAX = 3.4028234663852886e38;

function newAjv() {
  // strict: unknown keywords, unknown formats, ignored keywords and
  // ambiguous types are errors. allowUnionTypes admits `"type": ["string",
  // "null"]`, which is how schemars writes `Option<T>`.
  const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true });
  // The generator's own annotations: stability marks (no effect on validation).
  ajv.addKeyword({ keyword: "x-experimental", schemaType: "string" });
  ajv.addKeyword({ keyword: "x-since", schemaType: "string" });
  for (const [name, [min, max]] of Object.entries(INTEGER_FORMATS)) {
    ajv.addFormat(name, { type: "number", validate: (x) => Number.isInteger(x) && x >= min && x <= max });
  }
  ajv.addFormat("double", { type: "number", validate: (x) => Number.isFinite(x) });
  ajv.addFormat("float", { type: "number", validate: (x) => Number.isFinite(x) && Math.abs(x) <= FLOAT_MAX });
  return ajv;
}

/** The formats themselves, so a range typo cannot pass silently. */
function checkFormats() {
  const ajv = newAjv();
  const cases = [
    ["uint8", 255, true],
    ["uint8", 256, false],
    ["uint8", -1, false],
    ["int8", -128, true],
    ["int8", -129, false],
    ["int32", 2 ** 31 - 1, true],
    ["int32", 2 ** 31, false],
    ["int32", 1.5, false],
    ["uint64", 0, true],
    ["uint64", -1, false],
    ["uint64", 1e30, false],
    ["int64", -(2 ** 53), true],
    ["uint", 3, true],
    ["int", -3, true],
    ["double", 1.5, true],
    ["float", 1e39, false],
  ];
  for (const [format, value, valid] of cases) {
    const schema = { type: "number", format };
    if (ajv.validate(schema, value) !== valid) {
      fail(`format ${format}: ${value} should be ${valid ? "accepted" : "rejected"}`);
    }
  }
  const used = new Set(readFileSync(path.join(jsonDir, BUNDLE), "utf8").match(/"format": "[^"]*"/g) ?? []);
  for (const entry of used) {
    const format = entry.slice('"format": "'.length, -1);
    if (!(format in INTEGER_FORMATS) && format !== "double" && format !== "float") {
      fail(`generated/json uses the format "${format}", which conformance.mjs does not define`);
    }
  }
}

// ---------------------------------------------------------------------------
// The methods, from generated/.

/** Message unions of the bundle: `$defs` whose `oneOf` members all name a method. */
function readUnions(bundle) {
  const unions = [];
  for (const [name, schema] of Object.entries(bundle.$defs ?? {})) {
    const members = schema.oneOf;
    if (!Array.isArray(members) || members.length === 0) continue;
    if (!members.every((m) => typeof m?.properties?.method?.const === "string")) continue;
    unions.push({ name, members });
  }
  return unions;
}

/** `{ method: responseTypeName }` from `<Union>Map.ts`, parsed by the TypeScript compiler. */
function readResponseTypes(union) {
  const file = path.join(typescriptDir, `${union}Map.ts`);
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
  const responses = {};
  for (const statement of source.statements) {
    if (!ts.isTypeAliasDeclaration(statement) || statement.name.text !== `${union}Map`) continue;
    if (!ts.isTypeLiteralNode(statement.type)) {
      fail(`${relative(file)}: ${union}Map is not an object type`);
      continue;
    }
    for (const member of statement.type.members) {
      if (!ts.isPropertySignature(member) || member.type === undefined || !ts.isTypeLiteralNode(member.type)) continue;
      const method = ts.isStringLiteral(member.name) ? member.name.text : member.name.getText(source);
      for (const field of member.type.members) {
        if (ts.isPropertySignature(field) && field.name.getText(source) === "response" && field.type) {
          responses[method] = field.type.getText(source);
        }
      }
    }
  }
  return responses;
}

/** Every method: name, union, kind, params and response type names (`null` for none). */
function readMethods(bundle) {
  const methods = new Map();
  for (const union of readUnions(bundle)) {
    const responses = readResponseTypes(union.name);
    for (const member of union.members) {
      const name = member.properties.method.const;
      const kind = "id" in member.properties ? "request" : "notification";
      const ref = member.properties.params?.$ref;
      const params = typeof ref === "string" ? ref.replace(/^#\/\$defs\//, "") : null;
      if (typeof ref === "string" && ref === params) fail(`${union.name} ${name}: unexpected params $ref ${ref}`);
      const response = kind === "request" ? (responses[name] ?? null) : null;
      if (kind === "request" && response === null) {
        fail(`${union.name}Map.ts has no response type for the request ${name}`);
      }
      if (methods.has(name)) fail(`the method ${name} is in two unions`);
      methods.set(name, { name, union: union.name, kind, params, response });
    }
  }
  return methods;
}

// ---------------------------------------------------------------------------
// The examples.

/** Method folders under conformance/: every folder holding a .json file, by `/`-path. */
function exampleFolders(dir = conformanceDir, prefix = "") {
  const folders = new Map();
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name === "invalid") {
        folders.set(prefix, dir);
      } else {
        for (const [name, folder] of exampleFolders(full, prefix === "" ? entry.name : `${prefix}/${entry.name}`)) {
          folders.set(name, folder);
        }
      }
    } else if (entry.name.endsWith(".json")) {
      folders.set(prefix, dir);
    }
  }
  return folders;
}

function countJsonFiles(dir) {
  let count = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) count += countJsonFiles(full);
    else if (entry.name.endsWith(".json")) count += 1;
  }
  return count;
}

function main() {
  checkFormats();
  const bundle = readJson(path.join(jsonDir, BUNDLE));
  const methods = readMethods(bundle);
  if (methods.size === 0) fail(`no message unions found in generated/json/${BUNDLE}`);

  const ajv = newAjv();
  ajv.addSchema(bundle, BUNDLE);
  const validators = new Map();
  /** [file validator, bundle validator] for a type, compiled once. */
  const validatorsFor = (type) => {
    if (!validators.has(type)) {
      const file = path.join(jsonDir, `${type}.json`);
      let pair = null;
      try {
        pair = [
          { label: `${type}.json`, validate: ajv.compile(readJson(file)) },
          { label: `${BUNDLE}#/$defs/${type}`, validate: ajv.compile({ $ref: `${BUNDLE}#/$defs/${type}` }) },
        ];
      } catch (error) {
        fail(`${relative(file)}: Ajv (strict) cannot compile it: ${error.message}`);
      }
      validators.set(type, pair);
    }
    return validators.get(type);
  };

  const folders = exampleFolders();
  for (const name of folders.keys()) {
    if (!methods.has(name)) fail(`protocol-defs/conformance/${name}/ names no method of the protocol`);
  }

  const typed = []; // [TypeScript type, example, label] for tsc
  let checked = 0;
  for (const method of methods.values()) {
    const folder = folders.get(method.name);
    if (folder === undefined) {
      // A notification without params has nothing to show.
      if (method.params !== null || method.response !== null) {
        fail(`${method.name}: no examples in protocol-defs/conformance/${method.name}/`);
      }
      continue;
    }
    const map = `${method.union}Map`;
    const parts = { params: method.params, response: method.response };
    const expected = new Set(
      Object.entries(parts)
        .filter(([, type]) => type !== null)
        .map(([part]) => `${part}.json`),
    );
    for (const entry of readdirSync(folder)) {
      if (entry.endsWith(".json") && !expected.has(entry)) {
        fail(`${relative(path.join(folder, entry))}: ${method.name} has no ${entry.slice(0, -5)} type`);
        checked += 1;
      }
    }
    for (const [part, type] of Object.entries(parts)) {
      if (type === null) continue;
      const pair = validatorsFor(type);
      const valid = path.join(folder, `${part}.json`);
      let exists = true;
      try {
        statSync(valid);
      } catch {
        exists = false;
      }
      if (!exists) {
        fail(`${method.name}: missing ${relative(valid)}`);
      } else {
        const example = readJson(valid);
        checked += 1;
        for (const { label, validate } of pair ?? []) {
          if (!validate(example)) {
            fail(`${relative(valid)} is rejected by ${label}: ${ajv.errorsText(validate.errors)}`);
          }
        }
        typed.push([`${map}[${JSON.stringify(method.name)}][${JSON.stringify(part)}]`, example, relative(valid)]);
        if (part === "params") {
          const message = { method: method.name, ...(method.kind === "request" ? { id: 1 } : {}), params: example };
          typed.push([method.union, message, `${relative(valid)} as a ${method.union}`]);
        }
      }
      let invalidEntries = [];
      try {
        invalidEntries = readdirSync(path.join(folder, "invalid")).filter((f) => f.endsWith(".json"));
      } catch {
        // No invalid examples for this method.
      }
      for (const entry of invalidEntries.filter((f) => f.startsWith(`${part}-`))) {
        const file = path.join(folder, "invalid", entry);
        const example = readJson(file);
        checked += 1;
        for (const { label, validate } of pair ?? []) {
          if (validate(example)) fail(`${relative(file)} is accepted by ${label}, but must be rejected`);
        }
      }
    }
    try {
      for (const entry of readdirSync(path.join(folder, "invalid"))) {
        if (!/^(params|response)-.+\.json$/.test(entry) || parts[entry.split("-")[0]] === null) {
          fail(`${relative(path.join(folder, "invalid", entry))}: not an invalid example of ${method.name}'s params or response`);
        }
      }
    } catch {
      // No invalid folder.
    }
  }
  const total = countJsonFiles(conformanceDir);
  if (checked !== total) fail(`${checked} of the ${total} conformance examples were checked`);

  rmSync(buildDir, { recursive: true, force: true });
  mkdirSync(buildDir, { recursive: true });
  const methodsFile = path.join(buildDir, "methods.json");
  writeFileSync(methodsFile, `${JSON.stringify([...methods.values()], null, 2)}\n`);
  typecheck(typed, [...new Set([...methods.values()].flatMap((m) => [m.union, `${m.union}Map`]))]);

  if (failures.length > 0) {
    console.error(`conformance: ${failures.length} failure(s):\n- ${failures.join("\n- ")}`);
    process.exitCode = 1;
  } else {
    console.log(
      `conformance: ${checked} examples of ${methods.size} methods checked by Ajv (strict, 2020-12, per-type files and bundle) and ${typed.length} typed assignments by tsc`,
    );
  }
}

/** Writes every valid example as a typed constant and compiles the file. */
function typecheck(typed, typeNames) {
  const file = path.join(buildDir, "examples.ts");
  const index = path.relative(buildDir, path.join(typescriptDir, "index.js")).split(path.sep).join("/");
  const lines = [
    "// Written by conformance.mjs: each valid conformance example, typed by the generated bindings.",
    `import type { ${typeNames.sort().join(", ")} } from ${JSON.stringify(index)};`,
    "",
  ];
  typed.forEach(([type, example, label], i) => {
    lines.push(`// ${label}`, `export const example${i}: ${type} = ${JSON.stringify(example, null, 2)};`, "");
  });
  writeFileSync(file, lines.join("\n"));

  const configFile = path.join(here, "tsconfig.nodenext.json");
  const config = ts.getParsedCommandLineOfConfigFile(configFile, {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => fail(ts.flattenDiagnosticMessageText(d.messageText, "\n")),
  });
  if (config === undefined) return;
  const options = { ...config.options, noEmit: true, noUnusedLocals: false };
  const program = ts.createProgram([file], options);
  const diagnostics = ts.getPreEmitDiagnostics(program);
  if (diagnostics.length > 0) {
    const host = { getCanonicalFileName: (f) => f, getCurrentDirectory: () => root, getNewLine: () => "\n" };
    fail(`tsc rejects ${relative(file)}:\n${ts.formatDiagnostics(diagnostics, host)}`);
  }
}

main();
