package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/shopflow/shopflow/shopify/admin"
	"github.com/shopflow/shopflow/simulators/shopifysim"
	"github.com/shopflow/shopflow/workflows"
)

func TestSetupWebhooksSubscribesEveryRoutedTopicOnce(t *testing.T) {
	const shop, token = "setup-shop.myshopify.com", "shpat_setup"
	sim := shopifysim.New(shopifysim.Config{Shops: []shopifysim.ShopConfig{{Domain: shop, AccessToken: token, WebhookSecret: "s", Plan: shopifysim.PlanStandard}},
		AllowLoopbackWebhooks: true}) // the callback below is loopback http
	t.Cleanup(sim.Close)
	srv := httptest.NewServer(sim.Handler())
	t.Cleanup(srv.Close)
	callback := "http://127.0.0.1:8080/webhooks/shopify"

	run := func() string {
		t.Helper()
		cmd := setupWebhooksCommand()
		var out bytes.Buffer
		cmd.SetOut(&out)
		cmd.SetErr(&out)
		cmd.SetArgs([]string{"--shop", shop, "--access-token", token, "--shopify-url", srv.URL, "--callback-url", callback})
		if err := cmd.ExecuteContext(context.Background()); err != nil {
			t.Fatalf("setup webhooks: %v\n%s", err, out.String())
		}
		return out.String()
	}
	if out := run(); !strings.Contains(out, "subscribed ORDERS_CREATE to "+callback) {
		t.Fatalf("first run did not subscribe orders/create:\n%s", out)
	}
	routed := 0 // compliance topics are subscribed in the app's configuration
	for _, r := range workflows.Routes() {
		if !r.AppConfigured {
			routed++
		}
	}
	if out := run(); !strings.Contains(out, fmt.Sprintf("0 of %d topics newly subscribed", routed)) {
		t.Fatalf("second run subscribed again:\n%s", out)
	}

	c, err := admin.NewClient(admin.Options{Shop: shop, AccessToken: token, BaseURL: srv.URL, Registry: admin.NewRegistry()})
	if err != nil {
		t.Fatal(err)
	}
	var subs []admin.WebhookSubscriptionFields
	err = admin.EachWebhookSubscription(context.Background(), c, nil, func(s admin.WebhookSubscriptionFields) error {
		subs = append(subs, s)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(subs) != routed || subs[0].Topic != admin.WebhookSubscriptionTopicOrdersCreate || subs[0].Uri != callback {
		t.Errorf("subscriptions %+v, want one per routed topic, orders/create first, to %s", subs, callback)
	}
}
