// Validates an OpenRPC document against the OpenRPC meta-schema (with the
// JSON Schema meta-schema it refers to for `schema` members), and checks
// that every `$ref` in it resolves inside the document.
//
// Usage: node openrpc.mjs <openrpc.json>

import { readFileSync } from "node:fs";
import Ajv from "ajv";
import openrpcMeta from "@open-rpc/meta-schema";
import jsonSchemaMeta from "@json-schema-tools/meta-schema";

const path = process.argv[2];
if (!path) {
  console.error("usage: node openrpc.mjs <openrpc.json>");
  process.exit(2);
}
const document = JSON.parse(readFileSync(path, "utf8"));

const metaSchema = openrpcMeta.openrpcDocument ?? openrpcMeta.default?.openrpcDocument;
const jsonSchema = jsonSchemaMeta.jsonSchema ?? jsonSchemaMeta.default?.jsonSchema ?? jsonSchemaMeta.default;
// The meta-schemas use keywords of their own (`$schema` of json-schema.tools).
const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false, logger: false });
ajv.addSchema(jsonSchema, "https://meta.json-schema.tools");
const validate = ajv.compile(metaSchema);
const problems = [];
if (!validate(document)) {
  for (const error of validate.errors) {
    problems.push(`${error.instancePath || "/"}: ${error.message} ${JSON.stringify(error.params)}`);
  }
}

// Every reference points inside the document.
function walk(value, at) {
  if (Array.isArray(value)) {
    value.forEach((item, i) => walk(item, `${at}/${i}`));
  } else if (value && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      if (key === "$ref") {
        const target = String(item).replace(/^#\//, "").split("/");
        let node = document;
        for (const segment of target) node = node?.[segment.replace(/~1/g, "/").replace(/~0/g, "~")];
        if (node === undefined) problems.push(`${at}: $ref ${item} resolves to nothing`);
      } else {
        walk(item, `${at}/${key}`);
      }
    }
  }
}
walk(document, "");

if (problems.length > 0) {
  console.error(`${path} is not a valid OpenRPC document (${problems.length}):`);
  for (const problem of problems) console.error(`  ${problem}`);
  process.exit(1);
}
console.log(
  `OpenRPC ${document.openrpc}: ${document.methods.length} methods and ` +
    `${Object.keys(document.components?.schemas ?? {}).length} schemas valid against the meta-schema.`,
);
