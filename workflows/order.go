package workflows

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/shopflow/shopflow/activities"
)

// order is the part of Shopify's orders/* webhook payload (REST shape) that
// the order workflows use.
type order struct {
	ID                int64                 `json:"id"`
	AdminGraphQLAPIID string                `json:"admin_graphql_api_id"`
	Name              string                `json:"name"`
	Currency          string                `json:"currency"`
	TotalPrice        string                `json:"total_price"`
	LineItems         []activities.LineItem `json:"line_items"`
	ShippingAddress   map[string]any        `json:"shipping_address"`
}

// decodeOrder reads and validates an order webhook's payload. Its errors
// name every problem found, for the operator reading the dead letter.
func decodeOrder(hook Webhook) (order, error) {
	if len(hook.InvalidBody) > 0 || len(hook.Payload) == 0 {
		return order{}, errors.New("webhook body is not valid JSON")
	}
	var o order
	if err := json.Unmarshal(hook.Payload, &o); err != nil {
		return order{}, fmt.Errorf("webhook body is not an order: %v", err)
	}
	var problems []string
	if o.ID <= 0 {
		problems = append(problems, "id is missing")
	}
	if o.Currency == "" {
		problems = append(problems, "currency is missing")
	}
	if o.TotalPrice == "" {
		problems = append(problems, "total_price is missing")
	}
	if len(o.LineItems) == 0 {
		problems = append(problems, "line_items is empty")
	}
	for i, li := range o.LineItems {
		if li.Quantity <= 0 {
			problems = append(problems, fmt.Sprintf("line_items[%d].quantity is %d", i, li.Quantity))
		}
		if li.Price == "" {
			problems = append(problems, fmt.Sprintf("line_items[%d].price is missing", i))
		}
	}
	if len(problems) > 0 {
		return order{}, fmt.Errorf("invalid order payload: %s", strings.Join(problems, "; "))
	}
	if o.AdminGraphQLAPIID == "" {
		o.AdminGraphQLAPIID = fmt.Sprintf("gid://shopify/Order/%d", o.ID)
	}
	return o, nil
}
