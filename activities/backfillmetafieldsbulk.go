package activities

import (
	"context"
	"fmt"

	"go.temporal.io/sdk/temporal"

	"github.com/shopflow/shopflow/erp"
	"github.com/shopflow/shopflow/shopify/admin"
)

// The metafields kind's bulk read: one bulk query of the products with
// their erp metafields (admin.ProductMetafieldsBulkQuery), in place of
// paged queries costing about 3 points a product.

func (k *metafieldsKind) StartBulkRead(ctx context.Context, shop, filter string) (string, error) {
	c, err := k.shopify.ForBackfill(shop)
	if err != nil {
		return "", err
	}
	op, err := admin.StartBulkQuery(ctx, c, admin.ProductMetafieldsBulkQuery(filter, metafieldsNamespace))
	if err != nil {
		return "", err
	}
	return op.Id, nil
}

// bulkMetafield is a metafield row of the bulk result.
type bulkMetafield struct {
	Namespace, Key, Type, Value string
}

func (k *metafieldsKind) ReadBulk(ctx context.Context, shop, operation string) ([]BackfillItem, error) {
	c, err := k.shopify.ForBackfill(shop)
	if err != nil {
		return nil, err
	}
	op, err := admin.GetBulkOperation(ctx, c, operation)
	if err != nil {
		return nil, err
	}
	if op == nil || op.Status != admin.BulkOperationStatusCompleted {
		status := "missing"
		if op != nil {
			status = string(op.Status)
		}
		return nil, temporal.NewNonRetryableApplicationError(
			fmt.Sprintf("bulk operation %s is %s, not COMPLETED", operation, status), FailureDownstreamRejected, nil)
	}
	if op.Url == "" {
		return nil, nil // no product matched
	}
	body, err := admin.OpenBulkResult(ctx, nil, op.Url)
	if err != nil {
		return nil, err
	}
	defer body.Close()
	var items []BackfillItem
	byID := map[string]int{}
	// A metafield's row may come before its product's.
	pending := map[string][]bulkMetafield{}
	err = admin.ReadBulkJSONL(body, func(row admin.BulkRow) error {
		if row.Line%5000 == 0 {
			heartbeat(ctx)
		}
		if row.ParentID == "" {
			if _, dup := byID[row.ID]; dup || row.ID == "" {
				return nil
			}
			byID[row.ID] = len(items)
			it := BackfillItem{ID: row.ID, Current: Fields{}}
			for _, m := range pending[row.ID] {
				it.Current[fieldName(m.Namespace, m.Key)] = erp.FieldValue{Type: m.Type, Value: m.Value}
			}
			delete(pending, row.ID)
			items = append(items, it)
			return nil
		}
		var m bulkMetafield
		if err := row.Decode(&m); err != nil {
			return fmt.Errorf("bulk result line %d: %w", row.Line, err)
		}
		if i, ok := byID[row.ParentID]; ok {
			items[i].Current[fieldName(m.Namespace, m.Key)] = erp.FieldValue{Type: m.Type, Value: m.Value}
		} else {
			pending[row.ParentID] = append(pending[row.ParentID], m)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return items, nil
}

func (k *metafieldsKind) WantFor(ctx context.Context, items []BackfillItem) error {
	for start := 0; start < len(items); start += erp.MaxProductMasterLookup {
		chunk := items[start:min(start+erp.MaxProductMasterLookup, len(items))]
		ids := make([]int64, len(chunk))
		for i, it := range chunk {
			_, id, err := admin.ParseGID(it.ID)
			if err != nil {
				return err
			}
			ids[i] = id
			if chunk[i].Want == nil {
				chunk[i].Want = Fields{}
			}
		}
		if err := k.want(ctx, chunk, ids); err != nil {
			return err
		}
	}
	return nil
}
