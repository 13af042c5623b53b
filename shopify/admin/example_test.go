package admin_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/shopflow/shopflow/shopify/admin"
)

// A worker process makes one Metrics and a Client per shop; Clients of the
// same shop share one rate limiter, so activities may each make their own.
func Example() {
	metrics, err := admin.NewMetrics(prometheus.NewRegistry())
	if err != nil {
		log.Fatal(err)
	}
	c, err := admin.NewClient(admin.Options{
		Shop:        "example.myshopify.com",
		AccessToken: "shpat_...", // from the shop's installation record
		Metrics:     metrics,
	})
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()

	// An activity reading one page per call, the cursor kept by the workflow.
	page, err := admin.ProductsPageAt(ctx, c, admin.ProductsQuery{
		Query:         admin.UpdatedSince(time.Now().Add(-time.Hour).UTC().Format(time.RFC3339)),
		VariantsFirst: 10,
	}, "")
	if err != nil {
		return
	}
	var writes []admin.MetafieldsSetInput
	for _, p := range page.Nodes {
		writes = append(writes, admin.MetafieldsSetInput{
			OwnerId: p.Id, Namespace: "shopflow", Key: "erp_id", Type: "single_line_text_field", Value: "E-" + p.Handle,
		})
	}
	for len(writes) > 0 {
		n := min(len(writes), admin.MaxMetafieldsPerSet)
		_, err := admin.SetMetafields(ctx, c, writes[:n])
		var ue *admin.UserErrors
		switch {
		case errors.As(err, &ue):
			fmt.Println("refused:", ue.Errors[0].Code) // permanent: fix the data
		case admin.IsRetryable(err):
			d, _ := admin.RetryAfter(err)
			fmt.Println("retry later, after", d) // let Temporal retry
		case err != nil:
			fmt.Println("permanent:", admin.KindOf(err))
		}
		writes = writes[n:]
	}
	fmt.Println("next page from", page.PageInfo.EndCursor)
}
