// Package gql is the Shopify simulator's GraphQL engine: it parses and
// validates operations against a schema (reporting errors in graphql-ruby's
// shape, as Shopify does), computes Shopify's calculated query cost,
// executes operations, pages connections, parses Shopify's search syntax
// and writes responses as JSON.
//
// It knows nothing about products or orders. The simulator hands it a
// Resolver that resolves the fields of its model values and names their
// types; the engine resolves connections, edges, page info, plain Objects
// and __typename itself, and leaves every other field to the Resolver.
//
// Keeping the engine apart means the shop model can grow resolvers without
// touching execution or cost rules, and the engine can be tested against a
// small schema of its own.
package gql
