// Package erp is shopflow's client for the merchant ERP's JSON API:
// product master data, invoices, fulfillment requests and stock.
//
// The client never retries: Temporal activities own retries, so every call
// makes exactly one attempt and reports what happened. Calls that create
// something take an idempotency key, which the ERP uses to turn a retried
// request into a replay of the first answer, so an activity can retry
// after an ambiguous failure (a timeout after the ERP committed) without
// creating a second invoice. Note that Go's http.Transport may itself
// resend a request carrying an Idempotency-Key once when a reused
// keep-alive connection dies before any answer; the key makes that safe.
//
// Errors come in three kinds:
//   - *APIError for every non-2xx answer (use errors.As), carrying the
//     status, the ERP's error code and a parsed Retry-After;
//   - ErrProductNotFound (use errors.Is) when no product matches;
//   - transport errors, returned wrapped with %w so errors.Is(err,
//     context.DeadlineExceeded) and errors.As(err, new(net.Error)) work.
//
// Request and response bodies hold customer data and are never logged or
// copied into errors.
//
// # The contract an ERP must meet to be reconciled
//
// shopflow keeps an ERP's stock in step with Shopify in real time and
// reconciles it on a schedule. For that the ERP serves, besides the
// product master, invoices and fulfillment requests:
//
//  1. Conditional stock writes (SetStockVersioned): PUT
//     /v1/stock/{sku}/{location} with {"available": n, "version": t}. The
//     ERP stores the write only if it holds no newer version for the SKU
//     and location (an equal version is applied: Shopify's timestamps have
//     one-second resolution), and otherwise answers 412 with error code
//     "stale_version", changing nothing. Webhooks come in any order; this
//     is what keeps a late, older one from overwriting a newer quantity. A
//     write without a version is applied and leaves the version alone. An
//     Idempotency-Key, if sent, makes a repeat answer as the first.
//
//  2. A paged stock export (ExportStock): GET /v1/stock/export with from,
//     to (a SKU range, from <= sku < to), location (repeatable), after (the
//     previous page's cursor) and limit (up to MaxExportLimit), answering
//     {"records": [...], "next": cursor} in SKU, then location, order.
//     Each record carries its version and when the ERP last changed it
//     (updated_at), which the reconcilers use for their grace window.
//
//  3. Checksums by SKU range (StockChecksums): POST /v1/stock/checksums
//     with {"locations": [...], "ranges": [{"from","to"}]} (up to
//     MaxChecksumRanges), answering for each range the number of records
//     and their checksum as StockHasher computes it: SHA-256 over one line
//     "sku US location US available LF" (US is 0x1f) per record, in SKU
//     then location order (byte-wise), hex, first 32 characters. In SQL
//     this is one ordered aggregate per range over the stock table's
//     (sku, location) index.
//
//  4. Invoices by order (InvoicesOf): GET /v1/invoices?shop=...&order_id=...
//     answering {"invoices": [...]}, so that the orders reconciler finds
//     paid orders the ERP never invoiced.
//
// The reconcilers compare ranges by checksum and export only the ranges
// that differ, so a reconciliation reads from the ERP in proportion to
// the drift, not to the catalog. The ERP simulator (simulators/erpsim)
// implements the contract and the tests in this package check it.
//
// # The contract for backfills
//
//  1. Product master data by Shopify product (ProductMasters): GET
//     /v1/product-master?shopify_product_ids=1,2,3 (up to
//     MaxProductMasterLookup) answering {"products": [...]} with material,
//     country_of_origin and hs_code; PUT /v1/product-master/{id} sets them.
//  2. The backfill record store (RecordBackfillBatch, BackfillRecords):
//     PUT /v1/backfill-records/{backfill}/{batch} merges the batch's field
//     changes (item, field, before, after, outcome) into its record, the
//     first record of a field keeping its before and after, and answers
//     the merged record; GET /v1/backfill-records/{backfill}?after_batch=N
//     &limit=M pages through them in batch order. It is the durable
//     rollback snapshot and report that every worker and the starter share.
package erp
