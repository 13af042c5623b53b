package deadletters

import (
	"context"
	"errors"
	"fmt"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/operatorservice/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"
)

// EnsureSearchAttributes registers the given custom search attributes in a
// namespace, leaving those already registered with the same type alone, and
// returns the names it added. A name registered with another type is an
// error: the workflows could not set it.
func EnsureSearchAttributes(ctx context.Context, c client.Client, namespace string, keys []temporal.SearchAttributeKey) ([]string, error) {
	existing, err := c.OperatorService().ListSearchAttributes(ctx, &operatorservice.ListSearchAttributesRequest{Namespace: namespace})
	if err != nil {
		return nil, fmt.Errorf("listing search attributes of %s: %w", namespace, err)
	}
	missing := map[string]enumspb.IndexedValueType{}
	for _, k := range keys {
		want := enumspb.IndexedValueType(k.GetValueType())
		have, ok := existing.GetCustomAttributes()[k.GetName()]
		if !ok {
			have, ok = existing.GetSystemAttributes()[k.GetName()]
		}
		switch {
		case !ok:
			missing[k.GetName()] = want
		case have != want:
			return nil, fmt.Errorf("search attribute %s is registered as %s, shopflow needs %s", k.GetName(), have, want)
		}
	}
	if len(missing) == 0 {
		return nil, nil
	}
	_, err = c.OperatorService().AddSearchAttributes(ctx, &operatorservice.AddSearchAttributesRequest{
		Namespace: namespace, SearchAttributes: missing,
	})
	var exists *serviceerror.AlreadyExists
	if err != nil && !errors.As(err, &exists) {
		return nil, fmt.Errorf("adding search attributes to %s: %w", namespace, err)
	}
	added := make([]string, 0, len(missing))
	for _, k := range keys {
		if _, ok := missing[k.GetName()]; ok {
			added = append(added, k.GetName())
		}
	}
	return added, nil
}
