package shopifysim

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/shopflow/shopflow/internal/ctxsleep"
	"github.com/shopflow/shopflow/shopify/admin"
	"github.com/shopflow/shopflow/shopify/webhook"
)

// Delivery follows Shopify's documented behaviour: a delivery that gets no
// 2xx answer within five seconds is retried up to eight times with
// exponential backoff (about four hours in all); deliveries are concurrent,
// so there is no ordering guarantee.
const (
	webhookTimeout    = 5 * time.Second
	webhookRetries    = 8
	webhookBackoff    = time.Minute // first retry delay; doubles each time
	webhookMinTimeout = 200 * time.Millisecond
	webhookAPIVersion = admin.DefaultAPIVersion
)

// topics maps Shopify's REST topic names to WebhookSubscriptionTopic
// values for the topics the simulator emits.
var topics = map[string]string{
	"orders/create":           "ORDERS_CREATE",
	"orders/updated":          "ORDERS_UPDATED",
	"products/create":         "PRODUCTS_CREATE",
	"products/update":         "PRODUCTS_UPDATE",
	"products/delete":         "PRODUCTS_DELETE",
	"inventory_levels/update": "INVENTORY_LEVELS_UPDATE",
	"bulk_operations/finish":  "BULK_OPERATIONS_FINISH",
}

// topicEnum accepts "orders/create" or "ORDERS_CREATE" and returns the enum
// form.
func topicEnum(t string) (string, bool) {
	if e, ok := topics[strings.ToLower(t)]; ok {
		return e, true
	}
	for _, e := range topics {
		if e == t {
			return e, true
		}
	}
	// Every other topic Shopify emits can be subscribed too (the schema's
	// enum checks GraphQL input); the simulator just never raises it.
	if topicRE.MatchString(t) {
		return strings.ToUpper(strings.ReplaceAll(t, "/", "_")), true
	}
	return "", false
}

// topicRE matches a topic in either form: orders/create or ORDERS_CREATE.
var topicRE = regexp.MustCompile(`^([a-z_]+/[a-z_]+|[A-Z_]+)$`)

// EmittedTopics lists the webhook topics the simulator emits.
func EmittedTopics() []string {
	return []string{"orders/create", "orders/updated", "products/create", "products/update",
		"products/delete", "inventory_levels/update", "bulk_operations/finish"}
}

// Subscribe subscribes a shop to a topic ("orders/create" or
// "ORDERS_CREATE"), as webhookSubscriptionCreate does.
func (s *Simulator) Subscribe(shopDomain, topic, callbackURL string) error {
	sh, err := s.shop(shopDomain)
	if err != nil {
		return err
	}
	enum, ok := topicEnum(topic)
	if !ok {
		return fmt.Errorf("shopifysim: topic %q is not emitted by the simulator", topic)
	}
	sh.mu.Lock()
	defer sh.mu.Unlock()
	_, err = sh.subscribe(enum, callbackURL, "JSON", "", nil)
	return err
}

// subscribe adds a subscription. Callers hold mu.
func (sh *shop) subscribe(enum, uri, format, filter string, include []string) (*subscription, error) {
	if !isHTTPEndpoint(uri) && endpointProblem(uri, false) != "" {
		return nil, fmt.Errorf("Address is invalid")
	}
	for _, s := range sh.subs {
		if s.Topic == enum && s.URI == uri {
			return nil, fmt.Errorf("Address for this topic has already been taken")
		}
	}
	now := sh.now()
	sub := &subscription{ID: sh.id(), Topic: enum, URI: uri, Format: format, Filter: filter,
		Include: include, CreatedAt: now, UpdatedAt: now}
	sh.subs = append(sh.subs, sub)
	return sub, nil
}

// emit raises a webhook event: one delivery per subscription to topic.
// Callers hold mu (the payload is built from the data it guards).
func (sh *shop) emit(topic string, payload any) {
	enum := topics[topic]
	var targets []*subscription
	for _, s := range sh.subs {
		// Pub/Sub and EventBridge subscriptions are kept, not published.
		if s.Topic == enum && isHTTPEndpoint(s.URI) {
			targets = append(targets, s)
		}
	}
	if len(targets) == 0 {
		return
	}
	body, err := json.Marshal(payload)
	if err != nil {
		sh.sim.log.Error("webhook payload", "topic", topic, "err", err)
		return
	}
	eventID := uuid.NewString()
	at := sh.sim.clock().UTC()
	for _, sub := range targets {
		sh.stats.add(func(s *Stats) { s.WebhooksEmitted++ })
		sh.sim.hooks.send(&delivery{
			shop: sh, uri: sub.URI, topic: topic, body: body,
			webhookID: uuid.NewString(), eventID: eventID, triggeredAt: at,
		})
	}
}

type delivery struct {
	shop        *shop
	uri         string
	topic       string
	body        []byte
	webhookID   string
	eventID     string
	triggeredAt time.Time
}

// dispatcher delivers webhooks in the background.
type dispatcher struct {
	sim    *Simulator
	client *http.Client
	wg     sync.WaitGroup
}

func newDispatcher(s *Simulator) *dispatcher {
	return &dispatcher{sim: s, client: &http.Client{}}
}

func (d *dispatcher) wait() { d.wg.Wait() }

// scaled applies the webhook time scale.
func (d *dispatcher) scaled(t time.Duration) time.Duration {
	return time.Duration(float64(t) * d.sim.scale)
}

// send applies the shop's webhook faults and starts the delivery.
func (d *dispatcher) send(dl *delivery) {
	sh := dl.shop
	if drop, _ := sh.roll(func(f Faults) float64 { return f.WebhookDropRate }); drop {
		sh.stats.add(func(s *Stats) { s.WebhooksDropped++ })
		d.sim.log.Info("webhook dropped by fault injection", "shop", sh.cfg.Domain, "topic", dl.topic)
		return
	}
	copies := 1
	if dup, _ := sh.roll(func(f Faults) float64 { return f.WebhookDuplicateRate }); dup {
		copies = 2
		sh.stats.add(func(s *Stats) { s.WebhooksDuplicated++ })
	}
	for range copies {
		var delay time.Duration
		if re, f := sh.roll(func(f Faults) float64 { return f.WebhookReorderRate }); re {
			maxDelay := f.WebhookReorderDelay
			if maxDelay <= 0 {
				maxDelay = 2 * time.Second
			}
			delay = d.scaled(time.Duration(sh.randN(int64(maxDelay)) + 1))
		}
		d.wg.Add(1)
		go func() {
			defer d.wg.Done()
			d.deliver(dl, delay)
		}()
	}
}

// deliver POSTs the webhook until a 2xx answer or the retries run out.
func (d *dispatcher) deliver(dl *delivery, delay time.Duration) {
	ctx := d.sim.ctx
	sh := dl.shop
	if ctxsleep.Sleep(ctx, delay) != nil {
		return
	}
	timeout := max(d.scaled(webhookTimeout), webhookMinTimeout)
	backoff := webhookBackoff
	for attempt := 0; attempt <= webhookRetries; attempt++ {
		if attempt > 0 {
			if ctxsleep.Sleep(ctx, d.scaled(backoff)) != nil {
				return
			}
			backoff *= 2
		}
		sh.stats.add(func(s *Stats) { s.WebhookAttempts++ })
		status, err := d.post(ctx, dl, timeout)
		if err == nil && status >= 200 && status < 300 {
			sh.stats.add(func(s *Stats) { s.WebhooksDelivered++ })
			d.sim.log.Debug("webhook delivered", "shop", sh.cfg.Domain, "topic", dl.topic, "attempt", attempt+1)
			return
		}
		sh.stats.add(func(s *Stats) { s.WebhookFailedAttempts++ })
		d.sim.log.Info("webhook attempt failed", "shop", sh.cfg.Domain, "topic", dl.topic,
			"attempt", attempt+1, "status", status, "err", errString(err))
	}
	sh.stats.add(func(s *Stats) { s.WebhooksAbandoned++ })
	d.sim.log.Warn("webhook abandoned after retries", "shop", sh.cfg.Domain, "topic", dl.topic)
}

func (d *dispatcher) post(ctx context.Context, dl *delivery, timeout time.Duration) (int, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	sh := dl.shop
	req, err := webhook.NewRequest(ctx, dl.uri, []byte(sh.cfg.WebhookSecret), webhook.Delivery{
		Topic: dl.topic, Shop: sh.cfg.Domain, APIVersion: webhookAPIVersion, WebhookID: dl.webhookID,
		EventID: dl.eventID, TriggeredAt: dl.triggeredAt, Body: dl.body,
	})
	if err != nil {
		return 0, err
	}
	resp, err := d.client.Do(req)
	if err != nil {
		return 0, err
	}
	// Read a bounded amount of what the receiver sent so the connection
	// can go back to the pool; a receiver that answers with a huge body
	// costs a new connection rather than unbounded reading.
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	return resp.StatusCode, nil
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// retryAfterSeconds renders a Retry-After value.
func retryAfterSeconds(d time.Duration) string {
	s := int((d + time.Second - 1) / time.Second)
	return strconv.Itoa(max(s, 1))
}
