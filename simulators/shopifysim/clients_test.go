package shopifysim

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	goshopify "github.com/bold-commerce/go-shopify/v4"
)

// Shopify's own clients, pointed at the simulator as their users configure
// them for a shop, must run a products paging query, an inventory query
// that selects InventoryItem.variant, a metafieldsSet and an
// inventorySetQuantities without an error.

// clientCatalog seeds the catalog the client tests read: five products, so
// that paging by two takes three pages.
func clientCatalog(t *testing.T) *testEnv {
	e := newEnv(t, nil)
	if err := e.sim.SeedCatalog(testShop, SeedOptions{Products: 5, VariantsPerProduct: 2, Locations: 2}); err != nil {
		t.Fatal(err)
	}
	return e
}

// TestShopifyNodeClient runs @shopify/admin-api-client, installed by
// tools/ensure-test-tools.sh (make test runs it) into tools/node_modules.
func TestShopifyNodeClient(t *testing.T) {
	modules, _ := filepath.Abs(filepath.Join("..", "..", "tools"))
	node, err := exec.LookPath("node")
	if _, serr := os.Stat(filepath.Join(modules, "node_modules", "@shopify", "admin-api-client", "package.json")); err != nil || serr != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("node or @shopify/admin-api-client missing (tools/ensure-test-tools.sh installs them): %v %v", err, serr)
		}
		t.Skip("node or @shopify/admin-api-client missing: run tools/ensure-test-tools.sh")
	}
	e := clientCatalog(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, filepath.Join("testdata", "clients", "admin_api_client.cjs"))
	cmd.Env = append(os.Environ(), "CLIENT_MODULES="+modules, "SIM_URL="+e.srv.URL, "SHOP="+testShop,
		"TOKEN="+testToken, "API_VERSION=2026-10")
	out, err := cmd.Output()
	if err != nil {
		var stderr string
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = string(ee.Stderr)
		}
		t.Fatalf("node client: %v\n%s%s", err, out, stderr)
	}
	var seen struct {
		Products, Pages int
		VariantSku      string
		Metafield       string
		Delta           int
	}
	if err := json.Unmarshal(out, &seen); err != nil {
		t.Fatalf("node client output %q: %v", out, err)
	}
	if seen.Products != 5 || seen.Pages != 3 || seen.VariantSku == "" || seen.Metafield != "E-42" || seen.Delta != 5 {
		t.Errorf("node client saw %+v", seen)
	}
	if st := e.sim.Stats(testShop); st.MutationsApplied["node-client-1"] != 1 {
		t.Errorf("inventorySetQuantities applied %d times", st.MutationsApplied["node-client-1"])
	}
}

// toSimulator sends go-shopify's requests for https://{shop} to the
// simulator: go-shopify builds its base URL from the shop's name, so a
// transport is how its users point it elsewhere (its own tests do the same).
type toSimulator struct{ base *url.URL }

func (s toSimulator) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.URL.Scheme, r.URL.Host = s.base.Scheme, s.base.Host
	return http.DefaultTransport.RoundTrip(r)
}

// TestGoShopifyClient runs go-shopify v4's GraphQL service.
func TestGoShopifyClient(t *testing.T) {
	e := clientCatalog(t)
	base, _ := url.Parse(e.srv.URL)
	c, err := goshopify.NewClient(goshopify.App{}, strings.TrimSuffix(testShop, ".myshopify.com"), testToken,
		goshopify.WithVersion("2026-10"), goshopify.WithRetry(3),
		goshopify.WithHTTPClient(&http.Client{Timeout: 10 * time.Second, Transport: toSimulator{base}}))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()

	var page struct {
		Products struct {
			Edges []struct {
				Node struct{ ID, Title string }
			}
			PageInfo struct {
				HasNextPage bool
				EndCursor   string
			}
		}
	}
	var products []string
	after := any(nil)
	for range 10 {
		err := c.GraphQL.Query(ctx, `query($first: Int!, $after: String) {
		  products(first: $first, after: $after) { edges { node { id title } } pageInfo { hasNextPage endCursor } }
		}`, map[string]any{"first": 2, "after": after}, &page)
		if err != nil {
			t.Fatalf("products: %v", err)
		}
		for _, e := range page.Products.Edges {
			products = append(products, e.Node.ID)
		}
		if !page.Products.PageInfo.HasNextPage {
			break
		}
		after = page.Products.PageInfo.EndCursor
	}
	if len(products) != 5 {
		t.Fatalf("paged %d products, want 5", len(products))
	}
	if cost := c.RateLimits.GraphQLCost; cost == nil || cost.ActualQueryCost == nil || cost.ThrottleStatus.MaximumAvailable == 0 {
		t.Errorf("go-shopify read no cost: %+v", cost)
	}

	var inv struct {
		InventoryItems struct {
			Nodes []struct {
				ID, Sku         string
				Variant         struct{ ID, Sku string }
				InventoryLevels struct {
					Nodes []struct {
						Location   struct{ ID string }
						Quantities []struct {
							Name     string
							Quantity int
						}
					}
				}
			}
		}
	}
	if err := c.GraphQL.Query(ctx, `{ inventoryItems(first: 3) { nodes { id sku variant { id sku }
	  inventoryLevels(first: 5) { nodes { location { id } quantities(names: ["available"]) { name quantity } } } } } }`, nil, &inv); err != nil {
		t.Fatalf("inventory: %v", err)
	}
	item := inv.InventoryItems.Nodes[0]
	if item.Variant.ID == "" || item.Variant.Sku != item.Sku {
		t.Fatalf("inventory item without its variant: %+v", item)
	}

	type userErrors []struct {
		Field   []string
		Message string
		Code    string
	}
	var mf struct {
		MetafieldsSet struct {
			Metafields []struct{ ID, Value string }
			UserErrors userErrors
		}
	}
	if err := c.GraphQL.Query(ctx, `mutation($m: [MetafieldsSetInput!]!) { metafieldsSet(metafields: $m) {
	  metafields { id value } userErrors { field message code } } }`,
		map[string]any{"m": []any{map[string]any{"ownerId": products[0], "namespace": "erp", "key": "id", "type": "single_line_text_field", "value": "G-7"}}}, &mf); err != nil {
		t.Fatalf("metafieldsSet: %v", err)
	}
	if len(mf.MetafieldsSet.UserErrors) != 0 || len(mf.MetafieldsSet.Metafields) != 1 || mf.MetafieldsSet.Metafields[0].Value != "G-7" {
		t.Fatalf("metafieldsSet: %+v", mf)
	}

	level := item.InventoryLevels.Nodes[0]
	var set struct {
		InventorySetQuantities struct {
			InventoryAdjustmentGroup *struct {
				Changes []struct {
					Name  string
					Delta int
				}
			}
			UserErrors userErrors
		}
	}
	if err := c.GraphQL.Query(ctx, `mutation($key: String!, $input: InventorySetQuantitiesInput!) {
	  inventorySetQuantities(input: $input) @idempotent(key: $key) { inventoryAdjustmentGroup { changes { name delta } } userErrors { field message code } } }`,
		map[string]any{"key": "go-shopify-1", "input": map[string]any{"name": "available", "reason": "correction",
			"quantities": []any{map[string]any{"inventoryItemId": item.ID, "locationId": level.Location.ID,
				"quantity": level.Quantities[0].Quantity + 3, "changeFromQuantity": level.Quantities[0].Quantity}}}}, &set); err != nil {
		t.Fatalf("inventorySetQuantities: %v", err)
	}
	if g := set.InventorySetQuantities.InventoryAdjustmentGroup; len(set.InventorySetQuantities.UserErrors) != 0 || g == nil || g.Changes[0].Delta != 3 {
		t.Fatalf("inventorySetQuantities: %+v", set)
	}
}
