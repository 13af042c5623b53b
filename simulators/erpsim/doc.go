// Package erpsim simulates the merchant ERP that shopflow pushes orders into.
//
// It serves the ERP's JSON API (products, invoices, fulfillment requests,
// stock) from memory, with Stripe-style Idempotency-Key handling on every
// POST, and adds what end-to-end tests need from a fake: fault injection
// (errors, rate limits, latency, and "committed but the caller timed out")
// and a ground-truth admin API that lists every effect ever created for an
// order, so tests can assert that an effect happened exactly once.
//
// Stock follows the contract an ERP must meet to be reconciled (erp/doc.go):
// versioned conditional writes, a paged export in SKU order and checksums
// by SKU range (stockversion.go), and invoices can be looked up by order.
//
// Everything lives in memory behind mutexes and is safe for concurrent use.
package erpsim
