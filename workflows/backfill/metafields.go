package backfill

// metafields backfills the ERP's product master data (material, country
// of origin, HS code) into typed product metafields of the "erp"
// namespace; its reading, comparing and writing are in
// activities/backfillmetafields.go. Its filter is Shopify's product search
// syntax, e.g. "vendor:Acme" or "updated_at:>=2026-01-01".
var metafields = Kind{
	Name:     "metafields",
	Workflow: "BackfillMetafields",
	Summary:  "Backfill product metafields from the ERP",
	Items:    "products",
}
