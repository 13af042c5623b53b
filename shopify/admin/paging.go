package admin

// MaxPageSize is the largest first: Shopify accepts on a connection.
const MaxPageSize = 250

// pageSize is the largest page of nodes costing per points each whose
// connection stays within MaxQueryCost.
func pageSize(per int) int {
	n := (MaxQueryCost - 3) / per
	return max(1, min(n, MaxPageSize))
}

// UpdatedSince returns the search filter for objects updated at or after t
// (an RFC 3339 time, as Shopify's search syntax takes).
func UpdatedSince(t string) string { return "updated_at:>='" + t + "'" }

// eachPage calls page with the cursor after, then with each page's end
// cursor, until page fails or reports the last page. page returns the
// PageInfo of the page it read.
func eachPage(after string, page func(after string) (PageInfo, error)) error {
	for {
		pi, err := page(after)
		if err != nil {
			return err
		}
		// An empty cursor would start over from the first page.
		if !pi.HasNextPage || pi.EndCursor == "" {
			return nil
		}
		after = pi.EndCursor
	}
}
