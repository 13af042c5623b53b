package activities

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/Khan/genqlient/graphql"

	"github.com/shopflow/shopflow/shopify/admin"
)

// A client handed to activities sends a request once on a 5xx: Temporal's
// retry policy alone repeats it, as a new attempt with its own history.
func TestShopifyClientsLeaveErrorRetriesToTemporal(t *testing.T) {
	var sent atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sent.Add(1)
		if got := r.Header.Get("X-Shopify-Access-Token"); got != "shpat_a" {
			t.Errorf("access token %q, want shpat_a", got)
		}
		w.WriteHeader(http.StatusInternalServerError)
	}))
	defer srv.Close()
	clients := NewShopifyClients(ShopifyOptions{
		Tokens: map[string]string{"A.myshopify.com": "shpat_a"}, BaseURL: srv.URL, Registry: admin.NewRegistry(),
	})
	c, err := clients.For("a.myshopify.com")
	if err != nil {
		t.Fatal(err)
	}
	if again, _ := clients.For("a.myshopify.com"); again != c {
		t.Error("a second For returned another client: the shop's clients would not share one bucket")
	}
	err = c.MakeRequest(context.Background(), &graphql.Request{Query: "query Shop { shop { name } }", OpName: "Shop"}, &graphql.Response{Data: &struct{}{}})
	var shopifyErr *admin.Error
	if !errors.As(err, &shopifyErr) || !shopifyErr.Kind.Retryable() {
		t.Fatalf("error %v, want a retryable *admin.Error", err)
	}
	if n := sent.Load(); n != 1 {
		t.Errorf("the request was sent %d times in one attempt, want 1", n)
	}
	if _, err := clients.For("other.myshopify.com"); err == nil || !strings.Contains(err.Error(), "no Shopify access token") {
		t.Errorf("For an unknown shop: %v, want a missing-token error", err)
	}
}
