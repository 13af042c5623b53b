package admin

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/Khan/genqlient/graphql"
)

// MaxMetafieldsPerSet is how many metafields one metafieldsSet may carry.
const MaxMetafieldsPerSet = 25

// ErrTooManyMetafields is returned (wrapped) by SetMetafields for more
// than MaxMetafieldsPerSet metafields; nothing is sent.
var ErrTooManyMetafields = errors.New("admin: metafieldsSet takes at most 25 metafields")

// ErrIdempotencyKey is returned by SetInventoryQuantities for an empty key.
var ErrIdempotencyKey = errors.New("admin: inventorySetQuantities needs a non-blank idempotency key")

// SetMetafields runs metafieldsSet: it creates or updates up to 25
// metafields atomically and returns them as set. Shopify's refusals come
// back as *UserErrors.
func SetMetafields(ctx context.Context, c graphql.Client, metafields []MetafieldsSetInput) ([]MetafieldFields, error) {
	if len(metafields) > MaxMetafieldsPerSet {
		return nil, fmt.Errorf("%w: got %d", ErrTooManyMetafields, len(metafields))
	}
	if len(metafields) == 0 {
		return nil, nil
	}
	resp, err := MetafieldsSet(ctx, c, metafields)
	if err != nil {
		return nil, err
	}
	p := resp.MetafieldsSet
	if err := userErrors("metafieldsSet", p.UserErrors, func(e MetafieldsSetUserError) UserError {
		idx := -1
		if e.ElementIndex != nil {
			idx = *e.ElementIndex
		} else if len(e.Field) >= 2 && e.Field[0] == "metafields" {
			// Shopify sends elementIndex null on validation errors; the
			// field path ["metafields", "1", "ownerId"] still names it.
			if n, err := strconv.Atoi(e.Field[1]); err == nil {
				idx = n
			}
		}
		return UserError{Field: e.Field, Message: e.Message, Code: string(e.Code), ElementIndex: idx}
	}); err != nil {
		return nil, err
	}
	out := make([]MetafieldFields, len(p.Metafields))
	for i, m := range p.Metafields {
		out[i] = m.MetafieldFields
	}
	return out, nil
}

// DeleteMetafields runs metafieldsDelete and returns the identifiers of the
// metafields deleted; an entry is nil where no such metafield existed.
func DeleteMetafields(ctx context.Context, c graphql.Client, metafields []MetafieldIdentifierInput) ([]*MetafieldIdentifier, error) {
	if len(metafields) == 0 {
		return nil, nil
	}
	resp, err := MetafieldsDelete(ctx, c, metafields)
	if err != nil {
		return nil, err
	}
	p := resp.MetafieldsDelete
	if err := userErrors("metafieldsDelete", p.UserErrors, func(e MetafieldsDeleteUserError) UserError {
		return UserError{Field: e.Field, Message: e.Message, ElementIndex: -1}
	}); err != nil {
		return nil, err
	}
	return p.DeletedMetafields, nil
}

// SetInventoryQuantities runs inventorySetQuantities with the idempotency
// key: Shopify applies one key once, so a retry with the same key and
// input is safe, while the same key with another input fails with
// IDEMPOTENCY_KEY_PARAMETER_MISMATCH. Every quantity's ChangeFromQuantity
// is sent (nil means no compare-and-swap check), as Shopify requires.
// The group is nil when every quantity already had its value: Shopify
// records no adjustment then. Its changes' QuantityAfterChange is null on
// Shopify (zero here).
func SetInventoryQuantities(ctx context.Context, c graphql.Client, key string, input InventorySetQuantitiesInput) (*InventoryAdjustmentGroup, error) {
	if strings.TrimSpace(key) == "" {
		return nil, ErrIdempotencyKey
	}
	resp, err := InventorySetQuantities(ctx, c, key, input)
	if err != nil {
		return nil, err
	}
	p := resp.InventorySetQuantities
	if err := userErrors("inventorySetQuantities", p.UserErrors, func(e InventorySetQuantitiesUserError) UserError {
		return UserError{Field: e.Field, Message: e.Message, Code: string(e.Code), ElementIndex: -1}
	}); err != nil {
		return nil, err
	}
	return p.InventoryAdjustmentGroup, nil
}

// CreateWebhookSubscription subscribes the shop to topic.
func CreateWebhookSubscription(ctx context.Context, c graphql.Client, topic WebhookSubscriptionTopic, input WebhookSubscriptionInput) (*WebhookSubscriptionFields, error) {
	resp, err := WebhookSubscriptionCreate(ctx, c, topic, input)
	if err != nil {
		return nil, err
	}
	p := resp.WebhookSubscriptionCreate
	if err := userErrors("webhookSubscriptionCreate", p.UserErrors, func(e WebhookSubscriptionCreateUserError) UserError {
		return UserError{Field: e.Field, Message: e.Message, ElementIndex: -1}
	}); err != nil {
		return nil, err
	}
	if p.WebhookSubscription == nil {
		return nil, fmt.Errorf("admin: webhookSubscriptionCreate returned no subscription")
	}
	return &p.WebhookSubscription.WebhookSubscriptionFields, nil
}

// SubscribeWebhooks makes sure the shop sends every topic to uri: it lists
// the existing subscriptions and creates the missing ones, so running it
// again changes nothing. It returns the subscriptions created.
func SubscribeWebhooks(ctx context.Context, c graphql.Client, uri string, topics []WebhookSubscriptionTopic) ([]WebhookSubscriptionFields, error) {
	have := make(map[WebhookSubscriptionTopic]bool)
	err := EachWebhookSubscription(ctx, c, topics, func(s WebhookSubscriptionFields) error {
		if s.Uri == uri {
			have[s.Topic] = true
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	var created []WebhookSubscriptionFields
	for _, t := range topics {
		if have[t] {
			continue
		}
		s, err := CreateWebhookSubscription(ctx, c, t, WebhookSubscriptionInput{Uri: uri, Format: WebhookSubscriptionFormatJson})
		if err != nil {
			return created, fmt.Errorf("subscribing %s: %w", t, err)
		}
		have[t] = true
		created = append(created, *s)
	}
	return created, nil
}
