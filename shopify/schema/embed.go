// Package schema holds the Shopify GraphQL Admin API schema the project is
// built and tested against.
package schema

import _ "embed"

// SDL is the GraphQL Admin API schema, version 2026-10, in SDL form.
//
//go:embed admin-2026-10.graphql
var SDL string
