// Values serde wrote (or reads), each checked by Ajv (strict, 2020-12)
// against its type's generated JSON Schema file. Written by
// tests/tests/it/serde_values.rs, which also compiles them as typed TypeScript
// literals.
//
// Usage: node serde-values.mjs <generated/json> <values.json>
//   values.json: [{ "type", "label", "value", "valid" }]; an entry with
//   `"valid": false` is a control that must be rejected.

import { readFileSync } from "node:fs";
import path from "node:path";

import Ajv2020Module from "ajv/dist/2020.js";

const Ajv2020 = Ajv2020Module.default ?? Ajv2020Module;

const [jsonDir, valuesFile] = process.argv.slice(2);
if (!jsonDir || !valuesFile) {
  console.error("usage: node serde-values.mjs <generated/json> <values.json>");
  process.exit(2);
}

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

// strict: unknown keywords, unknown formats, ignored keywords and ambiguous
// types are errors. allowUnionTypes admits `"type": ["string", "null"]`.
const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true });
// The generator's own annotations: stability marks (no effect on validation).
ajv.addKeyword({ keyword: "x-experimental", schemaType: "string" });
ajv.addKeyword({ keyword: "x-since", schemaType: "string" });
for (const [name, [min, max]] of Object.entries(INTEGER_FORMATS)) {
  ajv.addFormat(name, { type: "number", validate: (x) => Number.isInteger(x) && x >= min && x <= max });
}
ajv.addFormat("double", { type: "number", validate: (x) => Number.isFinite(x) });
ajv.addFormat("float", { type: "number", validate: (x) => Number.isFinite(x) && Math.abs(x) <= FLOAT_MAX });

const entries = JSON.parse(readFileSync(valuesFile, "utf8"));
const validators = new Map();
const failures = [];
const types = new Set();
let accepted = 0;
let controls = 0;
for (const { type, label, value, valid } of entries) {
  if (!validators.has(type)) {
    const file = path.join(jsonDir, `${type}.json`);
    try {
      validators.set(type, ajv.compile(JSON.parse(readFileSync(file, "utf8"))));
    } catch (error) {
      failures.push(`${type}.json: Ajv (strict) cannot compile it: ${error.message}`);
      validators.set(type, null);
    }
  }
  const validate = validators.get(type);
  if (!validate) continue;
  const ok = validate(value);
  if (valid) {
    types.add(type);
    if (ok) accepted += 1;
    else failures.push(`${label} is rejected by ${type}.json: ${ajv.errorsText(validate.errors)}\n    ${JSON.stringify(value)}`);
  } else if (ok) {
    failures.push(`${label} is accepted by ${type}.json, but must be rejected: ${JSON.stringify(value)}`);
  } else {
    controls += 1;
  }
}

if (failures.length > 0) {
  console.error(`serde values: ${failures.length} failure(s):\n- ${failures.join("\n- ")}`);
  process.exit(1);
}
console.log(
  `serde values: ${accepted} values of ${types.size} types accepted by Ajv (strict, 2020-12), ${controls} controls rejected`,
);
