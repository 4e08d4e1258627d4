// Proves that the generated TypeScript and JSON Schema describe the same
// values, type by type and all the way down.
//
// Both sides are read into one shape and the shapes are compared
// recursively:
//
// - primitives: string, number (a schema `integer` is a TS `number`),
//   boolean, null; `unknown` is the schema `true` (or `{}`);
// - string literals (`"a"`) are `const`s and `enum` values;
// - arrays (`Array<T>`) are `items`, tuples (`[A, B]`) `prefixItems`;
// - a reference to a named type (`ThreadId`) is a `$ref` to the schema of
//   the same name: references are compared by name, never followed;
// - unions are flattened on both sides (`oneOf`, `anyOf`, `enum`, a list of
//   `type`s) and compared member by member, in any order; nullable is a
//   union with `null`; object members of a union are paired by their
//   string-literal fields (`method`, `type`) or else by their field names;
// - objects: the same field names, optional (`?:`) exactly when not in
//   `required`, the same type for each field; a map value
//   (`{ [key: string]: T }`, or the mapped `{ [key in string]?: T }`) is `additionalProperties`;
//   `Record<string, never>` is an object without fields.
//
// The TypeScript side is read with the compiler's type checker: references
// are resolved to the declaration they name (through imports), object
// fields and their optionality come from the checker's properties. A schema
// keyword or a TypeScript construct the comparison does not know is itself
// a disagreement, so nothing is skipped silently. 64-bit integers must be
// `number`, never `bigint`, and the whole folder must compile.
//
// Every problem names the type and the path inside it, e.g.
// `ClientRequest[method="initialize"].params` or `SandboxPolicy[type="workspace-write"].writable_roots[]`.
//
// Usage: node agreement.mjs <generated-dir>

import fs from "node:fs";
import path from "node:path";
import ts from "typescript";

const generated = path.resolve(process.argv[2] ?? "../../generated");
const bundle = JSON.parse(fs.readFileSync(path.join(generated, "json/protocol.schema.json"), "utf8"));
const meta = JSON.parse(fs.readFileSync(path.join(generated, "protocol.meta.json"), "utf8"));
const defs = bundle.$defs ?? {};
const tsDir = path.join(generated, "typescript");
const files = fs.readdirSync(tsDir, { recursive: true })
  .filter((f) => f.endsWith(".ts"))
  .map((f) => path.join(tsDir, f));

const program = ts.createProgram(files, {
  strict: true,
  noEmit: true,
  target: ts.ScriptTarget.ES2022,
  lib: ["lib.es2022.d.ts"],
  types: [],
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
});
const checker = program.getTypeChecker();
const problems = [];
const problem = (where, what) => problems.push(`${where}: ${what}`);

// ---------------------------------------------------------------------------
// Shapes: what both sides are read into.
//
//   { k: "unknown" | "never" | "string" | "number" | "boolean" | "null" }
//   { k: "literal", value }          a string literal
//   { k: "ref", name }               a named type
//   { k: "array", element }
//   { k: "tuple", items }
//   { k: "object", fields: Map<name, { optional, type }>, extra }   extra: the map value, or null
//   { k: "union", members }          flattened, at least two members, no `unknown`
//   { k: "error", message }          something the comparison does not understand

const SIMPLE = new Set(["unknown", "never", "string", "number", "boolean", "null"]);
const simple = (k) => ({ k });
const error = (message) => ({ k: "error", message });

/** A union of `members`, flattened; `unknown` absorbs everything, one member is itself. */
function union(members) {
  const flat = members.flatMap((m) => (m.k === "union" ? m.members : [m]));
  if (flat.some((m) => m.k === "unknown")) return simple("unknown");
  const kept = flat.filter((m) => m.k !== "never");
  const unique = [];
  const seen = new Set();
  for (const m of kept) {
    const key = m.k === "object" || m.k === "error" ? null : canonical(m);
    if (key !== null && seen.has(key)) continue;
    if (key !== null) seen.add(key);
    unique.push(m);
  }
  if (unique.length === 0) return simple("never");
  if (unique.length === 1) return unique[0];
  return { k: "union", members: unique };
}

/** A one-line rendering of a shape, for messages and for pairing union members. */
function canonical(shape) {
  switch (shape.k) {
    case "literal":
      return JSON.stringify(shape.value);
    case "ref":
      return shape.name;
    case "array":
      return `Array<${canonical(shape.element)}>`;
    case "tuple":
      return `[${shape.items.map(canonical).join(", ")}]`;
    case "object": {
      const fields = [...shape.fields].map(([name, f]) => `${name}${f.optional ? "?" : ""}: ${canonical(f.type)}`);
      if (shape.extra) fields.push(`[key]: ${canonical(shape.extra)}`);
      return `{ ${fields.join("; ")} }`;
    }
    case "union":
      return shape.members.map(canonical).join(" | ");
    case "error":
      return `<${shape.message}>`;
    default:
      return shape.k;
  }
}

// ---------------------------------------------------------------------------
// JSON Schema → shape.

/** Keywords that only annotate or refine a value TypeScript cannot express. */
const ANNOTATIONS = new Set([
  "$comment", "$schema", "title", "description", "deprecated", "default", "examples",
  "x-experimental", "x-since",
  "readOnly", "writeOnly", "format", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
  "multipleOf", "minLength", "maxLength", "pattern", "$defs", "definitions",
]);
const STRUCTURAL = new Set([
  "$ref", "type", "const", "enum", "oneOf", "anyOf", "items", "prefixItems", "minItems", "maxItems",
  "properties", "required", "additionalProperties",
]);

function fromSchema(schema) {
  if (schema === true) return simple("unknown");
  if (schema === false) return simple("never");
  if (schema === null || typeof schema !== "object" || Array.isArray(schema)) {
    return error(`not a schema: ${JSON.stringify(schema)}`);
  }
  const unknownKeywords = Object.keys(schema).filter((k) => !ANNOTATIONS.has(k) && !STRUCTURAL.has(k));
  if (unknownKeywords.length > 0) return error(`schema keyword(s) ${unknownKeywords.join(", ")} not understood`);
  const structural = Object.keys(schema).filter((k) => STRUCTURAL.has(k));
  if (structural.length === 0) return simple("unknown");

  if ("$ref" in schema) {
    if (structural.length > 1) return error(`\`$ref\` beside ${structural.filter((k) => k !== "$ref").join(", ")}`);
    const match = /^#\/(?:\$defs|definitions)\/([^/]+)$/.exec(schema.$ref);
    return match ? { k: "ref", name: match[1] } : error(`\`$ref\` ${schema.$ref} is not a named type`);
  }
  for (const keyword of ["oneOf", "anyOf"]) {
    if (keyword in schema) {
      if (structural.length > 1) return error(`\`${keyword}\` beside ${structural.filter((k) => k !== keyword).join(", ")}`);
      if (!Array.isArray(schema[keyword])) return error(`\`${keyword}\` is not an array`);
      return union(schema[keyword].map(fromSchema));
    }
  }
  if ("const" in schema || "enum" in schema) {
    const values = "const" in schema ? [schema.const] : schema.enum;
    if (!Array.isArray(values)) return error("`enum` is not an array");
    const shapes = values.map((v) => (v === null ? simple("null") : typeof v === "string" ? { k: "literal", value: v } : error(`literal ${JSON.stringify(v)} is not a string`)));
    const types = schema.type === undefined ? [] : [schema.type].flat();
    const allowed = (s) => types.length === 0 || types.includes(s.k === "null" ? "null" : "string");
    if (!shapes.every(allowed)) return error(`\`type\` ${JSON.stringify(schema.type)} excludes its own literals`);
    const others = structural.filter((k) => !["const", "enum", "type"].includes(k));
    if (others.length > 0) return error(`literal beside ${others.join(", ")}`);
    return union(shapes);
  }
  if (!("type" in schema)) return error(`no \`type\` beside ${structural.join(", ")}`);
  const types = [schema.type].flat();
  const used = new Set(["type"]);
  const members = types.map((type) => {
    switch (type) {
      case "string":
      case "boolean":
      case "null":
        return simple(type);
      case "integer":
      case "number":
        return simple("number");
      case "array":
        return arrayFromSchema(schema, used);
      case "object":
        return objectFromSchema(schema, used);
      default:
        return error(`\`type\` ${JSON.stringify(type)}`);
    }
  });
  const unused = structural.filter((k) => !used.has(k));
  if (unused.length > 0) return error(`${unused.join(", ")} beside \`type\` ${JSON.stringify(schema.type)}`);
  return union(members);
}

function arrayFromSchema(schema, used) {
  ["items", "prefixItems", "minItems", "maxItems"].forEach((k) => used.add(k));
  if ("prefixItems" in schema) {
    const items = schema.prefixItems;
    if (!Array.isArray(items)) return error("`prefixItems` is not an array");
    const closed = schema.items === false || (schema.minItems === items.length && schema.maxItems === items.length);
    if (!closed) return error("a tuple (`prefixItems`) whose length is not fixed");
    return { k: "tuple", items: items.map(fromSchema) };
  }
  if ("minItems" in schema || "maxItems" in schema) return error("`minItems`/`maxItems` on an array");
  return { k: "array", element: "items" in schema ? fromSchema(schema.items) : simple("unknown") };
}

function objectFromSchema(schema, used) {
  ["properties", "required", "additionalProperties"].forEach((k) => used.add(k));
  const properties = schema.properties ?? {};
  const required = new Set(schema.required ?? []);
  for (const name of required) {
    if (!(name in properties)) return error(`\`required\` names ${name}, which is not a property`);
  }
  const fields = new Map();
  for (const name of Object.keys(properties).sort()) {
    fields.set(name, { optional: !required.has(name), type: fromSchema(properties[name]) });
  }
  const additional = schema.additionalProperties;
  // Absent (serde ignores unknown fields) or `false` (it rejects them): no values beyond the fields.
  const extra = additional === undefined || additional === false ? null : fromSchema(additional);
  return { k: "object", fields, extra };
}

// ---------------------------------------------------------------------------
// TypeScript → shape, with the type checker.

function isGenerated(declaration) {
  const file = path.resolve(declaration.getSourceFile().fileName);
  return !program.isSourceFileDefaultLibrary(declaration.getSourceFile()) && file.startsWith(tsDir + path.sep);
}

/** The declaration a type reference names, through imports. */
function referencedDeclaration(node) {
  let symbol = checker.getSymbolAtLocation(node.typeName);
  if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
  return symbol?.declarations?.[0];
}

function fromNode(node) {
  switch (node.kind) {
    case ts.SyntaxKind.ParenthesizedType:
      return fromNode(node.type);
    case ts.SyntaxKind.UnionType:
      return union(node.types.map(fromNode));
    case ts.SyntaxKind.StringKeyword:
      return simple("string");
    case ts.SyntaxKind.NumberKeyword:
      return simple("number");
    case ts.SyntaxKind.BooleanKeyword:
      return simple("boolean");
    case ts.SyntaxKind.UnknownKeyword:
      return simple("unknown");
    case ts.SyntaxKind.NeverKeyword:
      return simple("never");
    case ts.SyntaxKind.NullKeyword:
      return simple("null");
    case ts.SyntaxKind.LiteralType:
      if (node.literal.kind === ts.SyntaxKind.NullKeyword) return simple("null");
      if (ts.isStringLiteral(node.literal)) return { k: "literal", value: node.literal.text };
      return error(`literal type ${node.literal.getText()}`);
    case ts.SyntaxKind.ArrayType:
      return { k: "array", element: fromNode(node.elementType) };
    case ts.SyntaxKind.TupleType:
      if (node.elements.some((e) => ts.isOptionalTypeNode(e) || ts.isRestTypeNode(e) || ts.isNamedTupleMember(e))) {
        return error(`tuple ${node.getText()} has optional, rest or named elements`);
      }
      return { k: "tuple", items: node.elements.map(fromNode) };
    case ts.SyntaxKind.TypeReference:
      return fromReference(node);
    case ts.SyntaxKind.TypeLiteral:
      return fromTypeLiteral(node);
    case ts.SyntaxKind.MappedType:
      return fromMappedType(node);
    case ts.SyntaxKind.IntersectionType:
      return fromIntersection(node);
    default:
      return error(`TypeScript ${ts.SyntaxKind[node.kind]} \`${node.getText()}\``);
  }
}

function fromReference(node) {
  const declaration = referencedDeclaration(node);
  const args = node.typeArguments ?? [];
  if (declaration === undefined) return error(`\`${node.getText()}\` refers to nothing`);
  if (isGenerated(declaration)) {
    if (!ts.isTypeAliasDeclaration(declaration)) return error(`\`${node.getText()}\` is not a type alias`);
    if (args.length > 0) return error(`\`${node.getText()}\` has type arguments`);
    return { k: "ref", name: declaration.name.text };
  }
  const name = declaration.name?.text;
  if (program.isSourceFileDefaultLibrary(declaration.getSourceFile())) {
    if ((name === "Array" || name === "ReadonlyArray") && args.length === 1) {
      return { k: "array", element: fromNode(args[0]) };
    }
    if (name === "Record" && args.length === 2 && args[0].kind === ts.SyntaxKind.StringKeyword) {
      const value = fromNode(args[1]);
      return { k: "object", fields: new Map(), extra: value.k === "never" ? null : value };
    }
  }
  return error(`\`${node.getText()}\` is neither a generated type nor Array/Record`);
}

function fromTypeLiteral(node) {
  const type = checker.getTypeFromTypeNode(node);
  const fields = new Map();
  for (const symbol of [...checker.getPropertiesOfType(type)].sort((a, b) => (a.getName() < b.getName() ? -1 : 1))) {
    const declaration = symbol.declarations?.[0];
    if (!declaration || !ts.isPropertySignature(declaration) || !declaration.type) {
      return error(`member ${symbol.getName()} is not a property with a type`);
    }
    fields.set(symbol.getName(), {
      optional: (symbol.flags & ts.SymbolFlags.Optional) !== 0,
      type: fromNode(declaration.type),
    });
  }
  let extra = null;
  for (const member of node.members) {
    if (ts.isPropertySignature(member)) continue;
    if (ts.isIndexSignatureDeclaration(member) && member.parameters[0]?.type?.kind === ts.SyntaxKind.StringKeyword) {
      extra = fromNode(member.type);
      continue;
    }
    return error(`member \`${member.getText()}\` is not a property`);
  }
  if (checker.getSignaturesOfType(type, ts.SignatureKind.Call).length > 0) return error("a callable object type");
  return { k: "object", fields, extra };
}

function fromMappedType(node) {
  const constraint = node.typeParameter.constraint;
  if (!constraint || constraint.kind !== ts.SyntaxKind.StringKeyword || node.nameType || !node.type) {
    return error(`mapped type \`${node.getText()}\` is not \`{ [key in string]?: T }\``);
  }
  return { k: "object", fields: new Map(), extra: fromNode(node.type) };
}

function fromIntersection(node) {
  const parts = node.types.map(fromNode);
  const fields = new Map();
  let extra = null;
  for (const part of parts) {
    if (part.k !== "object") return error(`intersection with a non-object \`${canonical(part)}\``);
    for (const [name, field] of part.fields) {
      if (fields.has(name)) return error(`intersection declares ${name} twice`);
      fields.set(name, field);
    }
    if (part.extra) {
      if (extra) return error("intersection of two maps");
      extra = part.extra;
    }
  }
  return { k: "object", fields: new Map([...fields].sort(([a], [b]) => (a < b ? -1 : 1))), extra };
}

// ---------------------------------------------------------------------------
// Comparison.

const KIND_NAMES = {
  literal: "a string literal", ref: "a reference", array: "an array", tuple: "a tuple",
  object: "an object", union: "a union",
};
const describe = (shape) => (SIMPLE.has(shape.k) ? shape.k : `${KIND_NAMES[shape.k] ?? shape.k} \`${canonical(shape)}\``);

/** The string-literal fields of an object (`method`, `type`): how a union member is told apart. */
function literalFields(object) {
  return [...object.fields]
    .filter(([, field]) => field.type.k === "literal")
    .map(([name, field]) => `${name}=${JSON.stringify(field.type.value)}`);
}

/** How an object member of a union is shown in a path. */
function memberLabel(object) {
  const literals = literalFields(object);
  return literals.length > 0 ? `[${literals.join(",")}]` : `[{${[...object.fields.keys()].join(",")}}]`;
}

/** The key union members are paired on. */
function memberKey(shape) {
  if (shape.k === "object") return `object${memberLabel(shape)}`;
  return canonical(shape);
}

function compare(where, tsShape, schemaShape) {
  if (tsShape.k === "error") problem(where, `TypeScript: ${tsShape.message}`);
  if (schemaShape.k === "error") problem(where, `JSON Schema: ${schemaShape.message}`);
  if (tsShape.k === "error" || schemaShape.k === "error") return;
  if (tsShape.k === "union" || schemaShape.k === "union") {
    compareUnion(where, tsShape.k === "union" ? tsShape.members : [tsShape], schemaShape.k === "union" ? schemaShape.members : [schemaShape]);
    return;
  }
  if (tsShape.k !== schemaShape.k) {
    problem(where, `TS has ${describe(tsShape)}, the schema ${describe(schemaShape)}`);
    return;
  }
  switch (tsShape.k) {
    case "literal":
      if (tsShape.value !== schemaShape.value) problem(where, `TS has the literal ${JSON.stringify(tsShape.value)}, the schema ${JSON.stringify(schemaShape.value)}`);
      break;
    case "ref":
      if (tsShape.name !== schemaShape.name) problem(where, `TS refers to ${tsShape.name}, the schema to ${schemaShape.name}`);
      break;
    case "array":
      compare(`${where}[]`, tsShape.element, schemaShape.element);
      break;
    case "tuple":
      if (tsShape.items.length !== schemaShape.items.length) {
        problem(where, `TS has a tuple of ${tsShape.items.length}, the schema of ${schemaShape.items.length}`);
      } else {
        tsShape.items.forEach((item, i) => compare(`${where}[${i}]`, item, schemaShape.items[i]));
      }
      break;
    case "object":
      compareObject(where, tsShape, schemaShape);
      break;
    default:
      break; // the same primitive
  }
}

function compareObject(where, tsObject, schemaObject) {
  for (const [name, tsField] of tsObject.fields) {
    const at = `${where}.${name}`;
    const schemaField = schemaObject.fields.get(name);
    if (!schemaField) {
      problem(at, "a field in TS but not in the schema");
      continue;
    }
    if (tsField.optional !== schemaField.optional) {
      problem(at, tsField.optional ? "optional in TS but required in the schema" : "required in TS but not in the schema's `required`");
    }
    compare(at, tsField.type, schemaField.type);
  }
  for (const name of schemaObject.fields.keys()) {
    if (!tsObject.fields.has(name)) problem(`${where}.${name}`, "a field in the schema but not in TS");
  }
  if (tsObject.extra && schemaObject.extra) {
    compare(`${where}[key]`, tsObject.extra, schemaObject.extra);
  } else if (tsObject.extra || schemaObject.extra) {
    problem(where, tsObject.extra
      ? `TS allows any key (\`${canonical(tsObject.extra)}\`), the schema has no \`additionalProperties\``
      : `the schema's \`additionalProperties\` (\`${canonical(schemaObject.extra)}\`) has no index signature in TS`);
  }
}

function compareUnion(where, tsMembers, schemaMembers) {
  const byKey = (members) => {
    const map = new Map();
    for (const m of members) {
      const key = memberKey(m);
      if (map.has(key)) problem(where, `two union members are both \`${key}\``);
      map.set(key, m);
    }
    return map;
  };
  const tsByKey = byKey(tsMembers);
  const schemaByKey = byKey(schemaMembers);
  const tsLeft = [];
  for (const [key, tsMember] of tsByKey) {
    const schemaMember = schemaByKey.get(key);
    if (schemaMember) {
      compare(tsMember.k === "object" ? `${where}${memberLabel(tsMember)}` : where, tsMember, schemaMember);
      schemaByKey.delete(key);
    } else {
      tsLeft.push(tsMember);
    }
  }
  const schemaLeft = [...schemaByKey.values()];
  // A member on each side of the same kind, unpaired: compare them in depth
  // (an array whose element changed, an object whose literal changed).
  for (const tsMember of [...tsLeft]) {
    if (SIMPLE.has(tsMember.k)) continue;
    const sameKind = (m) => m.k === tsMember.k;
    if (tsLeft.filter(sameKind).length === 1 && schemaLeft.filter(sameKind).length === 1) {
      const schemaMember = schemaLeft.find(sameKind);
      compare(tsMember.k === "object" ? `${where}${memberLabel(tsMember)}` : where, tsMember, schemaMember);
      tsLeft.splice(tsLeft.indexOf(tsMember), 1);
      schemaLeft.splice(schemaLeft.indexOf(schemaMember), 1);
    }
  }
  for (const m of tsLeft) {
    problem(where, m.k === "null" ? "`| null` in TS but not nullable in the schema" : `union member \`${canonical(m)}\` is in TS but not in the schema`);
  }
  for (const m of schemaLeft) {
    problem(where, m.k === "null" ? "nullable in the schema but no `| null` in TS" : `union member \`${canonical(m)}\` is in the schema but not in TS`);
  }
}

// ---------------------------------------------------------------------------
// Every type.

const mapNames = new Set((meta.messageSets ?? []).map((set) => set.mapName));
const notTypeFiles = new Set(["index.ts", "client.ts", "client-protocol.ts"]);
let compared = 0;
const declared = new Set();
for (const file of program.getRootFileNames()) {
  const source = program.getSourceFile(file);
  const relative = path.relative(generated, file);
  const code = source.text.split("\n").filter((l) => !l.trim().startsWith("*") && !l.trim().startsWith("/")).join("\n");
  if (/\bbigint\b/.test(code)) problem(relative, "mentions `bigint`; 64-bit integers must be `number`");
  const base = path.basename(file);
  if (notTypeFiles.has(base)) continue;
  const expected = base.slice(0, -".ts".length);
  const aliases = source.statements.filter(ts.isTypeAliasDeclaration);
  const alias = aliases.find((a) => a.name.text === expected);
  if (!alias) {
    problem(relative, `declares no type ${expected}`);
    continue;
  }
  for (const other of aliases.filter((a) => a !== alias)) problem(relative, `declares ${other.name.text} besides ${expected}`);
  declared.add(expected);
  if (mapNames.has(expected)) continue; // a method map: no schema of its own
  const schema = defs[expected];
  if (!schema) {
    problem(expected, "a TypeScript type with no schema");
    continue;
  }
  if (alias.typeParameters?.length) problem(expected, "a generic TypeScript type");
  compare(expected, fromNode(alias.type), fromSchema(schema));
  compared += 1;
}

for (const name of Object.keys(defs).filter((name) => !declared.has(name))) {
  problem(name, "has a schema but no TypeScript declaration");
}

for (const d of ts.getPreEmitDiagnostics(program)) {
  const where = d.file ? path.relative(generated, d.file.fileName) : "tsc";
  problem(where, ts.flattenDiagnosticMessageText(d.messageText, "\n"));
}

if (problems.length > 0) {
  console.error(`TypeScript and JSON Schema disagree (${problems.length}):`);
  for (const p of problems) console.error(`  ${p}`);
  process.exit(1);
}
console.log(`TypeScript and JSON Schema agree on all ${compared} types.`);
