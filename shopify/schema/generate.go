package schema

// See README.md for the schema's origin and how to regenerate it.

// The converter's dependencies are pinned in tools/schemasdl/package-lock.json.
//go:generate npm ci --prefix ../../tools/schemasdl --no-audit --no-fund --silent
//go:generate node ../../tools/schemasdl/schemasdl.js admin-2026-10.introspection.json.gz admin-2026-10.graphql
