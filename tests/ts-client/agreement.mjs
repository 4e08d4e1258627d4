// Proves that the generated TypeScript and JSON Schema agree on every type:
// the same property names, required <=> not optional, nullable <=> `| null`,
// the same string literals, and no `bigint` anywhere. TypeScript is read by
// the real compiler (its type checker), the schema from the bundle.
//
// Usage: node agreement.mjs <generated-dir>

import fs from "node:fs";
import path from "node:path";
import ts from "typescript";

const generated = path.resolve(process.argv[2] ?? "../../generated");
const bundle = JSON.parse(fs.readFileSync(path.join(generated, "json/protocol.schema.json"), "utf8"));
const defs = bundle.$defs;
const tsDir = path.join(generated, "typescript");
const files = fs.readdirSync(tsDir, { recursive: true })
  .filter((f) => f.endsWith(".ts"))
  .map((f) => path.join(tsDir, f));

const program = ts.createProgram(files, {
  strict: true,
  noEmit: true,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
});
const checker = program.getTypeChecker();
const problems = [];
const problem = (where, what) => problems.push(`${where}: ${what}`);

function resolve(schema, seen = 0) {
  if (schema && typeof schema === "object" && typeof schema.$ref === "string" && seen < 16) {
    const name = schema.$ref.split("/").pop();
    return resolve(defs[name], seen + 1);
  }
  return schema ?? {};
}

function alternatives(schema) {
  schema = resolve(schema);
  const alts = schema.oneOf ?? schema.anyOf;
  if (alts) return alts.flatMap((a) => alternatives(a));
  return [schema];
}

function unconstrained(s) {
  return s === true || (typeof s === "object" && ["type", "const", "enum", "oneOf", "anyOf", "allOf", "$ref", "not"].every((k) => !(k in s)));
}

function schemaNullable(schema) {
  return alternatives(schema).some((s) =>
    unconstrained(s) || s.type === "null" || (Array.isArray(s.type) && s.type.includes("null")) ||
    s.const === null || (Array.isArray(s.enum) && s.enum.includes(null)));
}

function schemaStringLiterals(schema) {
  const out = new Set();
  for (const s of alternatives(schema)) {
    if (typeof s.const === "string") out.add(s.const);
    for (const v of s.enum ?? []) if (typeof v === "string") out.add(v);
  }
  return out;
}

function schemaObjects(schema) {
  return alternatives(schema).filter((s) => s.properties || s.type === "object");
}

function tsMembers(type) {
  return type.isUnion() ? type.types : [type];
}

function isObjectType(t) {
  return (t.flags & ts.TypeFlags.Object) !== 0 && !checker.isArrayType(t) && !checker.isTupleType(t);
}

function tsNullable(type) {
  return tsMembers(type).some((t) => (t.flags & ts.TypeFlags.Null) !== 0);
}

function tsStringLiterals(type) {
  return new Set(tsMembers(type).filter((t) => t.isStringLiteral()).map((t) => t.value));
}

function sameSet(a, b) {
  return a.size === b.size && [...a].every((x) => b.has(x));
}

function propertyNames(t) {
  // Index signatures (maps) have no named properties.
  return t.getProperties().map((p) => p.getName()).sort();
}

function compareObject(where, tsType, schema) {
  const props = schema.properties ?? {};
  const required = new Set(schema.required ?? []);
  const tsNames = propertyNames(tsType);
  const schemaNames = Object.keys(props).sort();
  if (tsNames.join() !== schemaNames.join()) {
    problem(where, `properties differ: TS [${tsNames}] vs schema [${schemaNames}]`);
    return;
  }
  for (const symbol of tsType.getProperties()) {
    const name = symbol.getName();
    const at = `${where}.${name}`;
    const optional = (symbol.flags & ts.SymbolFlags.Optional) !== 0;
    if (optional === required.has(name)) {
      problem(at, optional ? "optional in TS but required in the schema" : "required in TS but not in the schema");
    }
    const declared = symbol.valueDeclaration;
    const propType = declared ? checker.getTypeOfSymbolAtLocation(symbol, declared) : checker.getTypeOfSymbol(symbol);
    const schemaProp = props[name];
    if (tsNullable(propType) !== schemaNullable(schemaProp)) {
      problem(at, tsNullable(propType) ? "`| null` in TS but not nullable in the schema" : "nullable in the schema but no `| null` in TS");
    }
    compareLiterals(at, propType, schemaProp);
    // Inline object types (not a named alias) are compared in place.
    const inline = resolve(schemaProp);
    if (!schemaProp.$ref && schemaObjects(inline).length > 0 && tsMembers(propType).some(isObjectType)) {
      compareType(at, propType, schemaProp);
    }
  }
}

function compareLiterals(where, tsType, schema) {
  const schemaLits = schemaStringLiterals(schema);
  const tsLits = tsStringLiterals(tsType);
  if ((schemaLits.size > 0 || tsLits.size > 0) && !sameSet(schemaLits, tsLits)) {
    problem(where, `string literals differ: TS [${[...tsLits].sort()}] vs schema [${[...schemaLits].sort()}]`);
  }
}

// A union member is told apart by its literal-valued properties (`method`,
// `type`): the schema alternative must allow the same literals.
function literalsAgree(tsObject, schemaObject) {
  for (const symbol of tsObject.getProperties()) {
    const schemaLits = schemaStringLiterals(schemaObject.properties?.[symbol.getName()] ?? {});
    if (schemaLits.size === 0) continue;
    const tsLits = tsStringLiterals(checker.getTypeOfSymbol(symbol));
    if (!sameSet(schemaLits, tsLits)) return false;
  }
  return true;
}

function compareType(where, tsType, schema) {
  compareLiterals(where, tsType, schema);
  const objects = schemaObjects(schema);
  const tsObjects = tsMembers(tsType).filter(isObjectType).filter((t) => t.getProperties().length > 0 || objects.length > 0);
  if (objects.length === 0) return;
  const used = new Set();
  for (const tsObject of tsObjects) {
    const names = propertyNames(tsObject).join();
    const matches = objects
      .filter((o) => Object.keys(o.properties ?? {}).sort().join() === names)
      .filter((o) => literalsAgree(tsObject, o));
    if (matches.length === 0) {
      if (objects.length === 1 && !objects[0].properties) continue; // a map: `{ [key in K]?: V }`
      problem(where, `no schema alternative has exactly the properties [${names}]`);
      continue;
    }
    matches.forEach((m) => used.add(m));
    compareObject(tsObjects.length > 1 ? `${where}{${names}}` : where, tsObject, matches[0]);
  }
  for (const o of objects) {
    if (o.properties && !used.has(o)) {
      problem(where, `schema alternative [${Object.keys(o.properties).sort()}] has no TS counterpart`);
    }
  }
}

let compared = 0;
const withSchema = new Set();
for (const file of program.getRootFileNames()) {
  const source = program.getSourceFile(file);
  if (/\bbigint\b/.test(source.text.split("\n").filter((l) => !l.trim().startsWith("*") && !l.trim().startsWith("/")).join("\n"))) {
    problem(path.relative(generated, file), "mentions `bigint`; 64-bit integers must be `number`");
  }
  ts.forEachChild(source, (node) => {
    if (!ts.isTypeAliasDeclaration(node)) return;
    const name = node.name.text;
    const schema = defs[name];
    if (!schema) return;
    withSchema.add(name);
    compareType(name, checker.getTypeAtLocation(node.name), schema);
    compared += 1;
  });
}

const missing = Object.keys(defs).filter((name) => !withSchema.has(name));
for (const name of missing) problem(name, "has a schema but no TypeScript declaration");

const diagnostics = ts.getPreEmitDiagnostics(program);
for (const d of diagnostics) {
  problem("tsc", ts.flattenDiagnosticMessageText(d.messageText, "\n"));
}

if (problems.length > 0) {
  console.error(`TypeScript and JSON Schema disagree (${problems.length}):`);
  for (const p of problems) console.error(`  ${p}`);
  process.exit(1);
}
console.log(`TypeScript and JSON Schema agree on all ${compared} types.`);
