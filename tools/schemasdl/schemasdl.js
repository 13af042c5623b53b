#!/usr/bin/env node
// schemasdl converts a GraphQL introspection result into SDL.
//
// Usage: node schemasdl.js INPUT.introspection.json[.gz] OUTPUT.graphql
//
// graphql-js treats @oneOf as built in and does not print it, while the
// parser genqlient uses (gqlparser) does not know it, so the directive is
// declared at the top of the output.
'use strict';

const fs = require('fs');
const zlib = require('zlib');
const {buildClientSchema, printSchema} = require('graphql');

function main(argv) {
  if (argv.length !== 2) {
    process.stderr.write('usage: schemasdl INPUT.json[.gz] OUTPUT.graphql\n');
    process.exit(2);
  }
  const [input, output] = argv;
  let raw = fs.readFileSync(input);
  if (input.endsWith('.gz')) {
    raw = zlib.gunzipSync(raw);
  }
  const parsed = JSON.parse(raw.toString('utf8'));
  // Accept both {"data": {"__schema": ...}} and a bare {"__schema": ...}.
  const schema = buildClientSchema(parsed.data || parsed);
  fs.writeFileSync(output, 'directive @oneOf on INPUT_OBJECT\n' + printSchema(schema) + '\n');
}

main(process.argv.slice(2));
