// Package shopifysim is a faithful, in-memory simulator of the parts of
// Shopify that shopflow integrates with: the GraphQL Admin API (schema
// validation against the real 2026-10 schema, calculated query cost and the
// per-shop leaky bucket, idempotent inventory mutations, bulk operations) and
// webhook deliveries (Shopify's headers, HMAC signature, REST-shaped
// payloads, retries with exponential backoff).
//
// One Simulator serves several shops over one http.Handler. Shopify's own
// paths live under /admin/api/{version}/graphql.json; everything that only a
// simulator has (seeding, fault injection, counters, bulk result files) lives
// under /sim/ so the two are never confused.
//
// Tests and demos drive the simulator either through its Go API (SeedCatalog,
// CreateOrder, SetFaults, Stats, ...) or through the JSON admin endpoints the
// binary in cmd/shopifysim exposes.
//
// The GraphQL engine (validation, cost, execution, connections, search
// syntax, JSON output) is internal/gql and knows nothing of shops. This
// package is the shop model: its resolvers, registered per type and field,
// reach the engine as a gql.Resolver (resolvers.go).
package shopifysim
