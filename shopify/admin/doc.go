// Package admin is shopflow's client for the Shopify Admin GraphQL API.
//
// The operations live in operations/*.graphql and are compiled by genqlient
// into generated.go; the functions there take a graphql.Client, which
// NewClient provides: one per shop, sharing a cost-based rate limiter with
// every other Client of that shop in the process.
package admin

//go:generate go run github.com/Khan/genqlient genqlient.yaml
