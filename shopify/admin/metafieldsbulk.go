package admin

import (
	"encoding/json"
	"fmt"
)

// ProductMetafieldsBulkQuery is ProductsWithMetafields as a bulk query:
// every product matching filter (Shopify's product search syntax; "" for
// all) is a JSONL row, and each of its metafields in namespace a row of
// its own carrying the product's id in __parentId (BulkRow.ParentID).
// Bulk queries take no variables, so filter and namespace are written in
// as GraphQL string literals (JSON's escaping is valid GraphQL).
func ProductMetafieldsBulkQuery(filter, namespace string) string {
	args := ""
	if filter != "" {
		args = "(query: " + graphQLString(filter) + ")"
	}
	return fmt.Sprintf(`{
  products%s {
    edges {
      node {
        id
        metafields(namespace: %s) {
          edges {
            node {
              namespace
              key
              type
              value
            }
          }
        }
      }
    }
  }
}`, args, graphQLString(namespace))
}

// graphQLString quotes s as a GraphQL string literal.
func graphQLString(s string) string {
	b, _ := json.Marshal(s) // a string always marshals
	return string(b)
}
