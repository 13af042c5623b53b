package ingress

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"regexp"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/shopflow/shopflow/shopify/webhook"
	"github.com/shopflow/shopflow/workflows"
)

// WorkflowStarter starts workflows; a Temporal client.Client is one.
type WorkflowStarter interface {
	ExecuteWorkflow(ctx context.Context, options client.StartWorkflowOptions, workflow any, args ...any) (client.WorkflowRun, error)
}

// Config configures the webhook handler.
type Config struct {
	// Temporal starts the workflows.
	Temporal WorkflowStarter
	// TaskQueue is where the workflows run; workflows.TaskQueue by default.
	TaskQueue string
	// Secrets holds every known shop's webhook secrets.
	Secrets ShopSecrets
	// MaxBodyBytes bounds a webhook body; 1 MiB by default.
	MaxBodyBytes int64
	// StartTimeout bounds the wait for Temporal to accept a start, well
	// under Shopify's 5 s delivery timeout, so that an unreachable Temporal
	// yields a prompt 503 and Shopify retries; 2 s by default.
	StartTimeout time.Duration
	// ReplayWindow, if positive, is how old (by X-Shopify-Triggered-At) a
	// webhook may be and still be applied; an older one is recorded as a
	// StaleWebhook workflow and left to reconciliation. Off by default:
	// Shopify retries for 4 hours and every effect is idempotent.
	ReplayWindow time.Duration
	Logger       *slog.Logger
	Metrics      *Metrics
}

// Handler serves POST /webhooks/shopify.
type Handler struct {
	cfg Config
}

// NewHandler returns the webhook handler, with defaults filled in.
func NewHandler(cfg Config) *Handler {
	if cfg.TaskQueue == "" {
		cfg.TaskQueue = workflows.TaskQueue
	}
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = 1 << 20
	}
	if cfg.StartTimeout <= 0 {
		cfg.StartTimeout = 2 * time.Second
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	return &Handler{cfg: cfg}
}

// webhookIDPattern bounds what a webhook ID may be, since it becomes part
// of a workflow ID.
var webhookIDPattern = regexp.MustCompile(`^[A-Za-z0-9._:-]{1,128}$`)

// ServeHTTP verifies one delivery and starts its workflow.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	d := delivery{
		shop:      r.Header.Get(webhook.HeaderShopDomain),
		webhookID: r.Header.Get(webhook.HeaderWebhookID),
	}
	status, outcome, err := h.handle(w, r, &d)
	if status == http.StatusMethodNotAllowed {
		w.Header().Set("Allow", http.MethodPost)
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(status)
	fmt.Fprintln(w, outcome)

	elapsed := time.Since(start)
	if h.cfg.Metrics != nil {
		h.cfg.Metrics.deliveries.WithLabelValues(d.verifiedTopic, outcome).Inc()
		h.cfg.Metrics.ack.WithLabelValues(outcome).Observe(elapsed.Seconds())
	}
	// Log who and what, never the body (customer data) or secrets.
	attrs := []any{
		"correlation_id", d.webhookID, "shop", d.shop, "topic", d.topic,
		"outcome", outcome, "status", status, "duration_ms", elapsed.Milliseconds(),
	}
	if d.workflowID != "" {
		attrs = append(attrs, "workflow_id", d.workflowID)
	}
	if d.runID != "" {
		attrs = append(attrs, "run_id", d.runID)
	}
	switch {
	case err != nil:
		h.cfg.Logger.Warn("webhook not accepted", append(attrs, "error", err.Error())...)
	case status != http.StatusOK:
		h.cfg.Logger.Warn("webhook rejected", attrs...)
	default:
		h.cfg.Logger.Info("webhook accepted", attrs...)
	}
}

// delivery is what the handler learns of a request as it goes.
type delivery struct {
	shop, webhookID, topic string
	verifiedTopic          string // topic, once the signature is verified
	workflowID             string
	runID                  string // the started run's, to follow it in the worker's logs
}

// handle runs the checks in an order that tells an unauthenticated caller
// as little as possible, and returns the status, the outcome label and, for
// failures on our side, the error.
func (h *Handler) handle(w http.ResponseWriter, r *http.Request, d *delivery) (int, string, error) {
	if r.Method != http.MethodPost {
		return http.StatusMethodNotAllowed, outcomeMethodNotAllowed, nil
	}
	if r.ContentLength > h.cfg.MaxBodyBytes {
		return http.StatusRequestEntityTooLarge, outcomeTooLarge, nil
	}
	// Given the ResponseWriter, MaxBytesReader also has the server close
	// the connection after an oversized body.
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, h.cfg.MaxBodyBytes))
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return http.StatusRequestEntityTooLarge, outcomeTooLarge, nil
		}
		return http.StatusBadRequest, outcomeBadBody, fmt.Errorf("reading body: %w", err)
	}
	if d.shop == "" {
		return http.StatusBadRequest, outcomeMissingHeader, nil
	}
	secrets, ok := h.cfg.Secrets[d.shop]
	if !ok {
		return http.StatusUnauthorized, outcomeUnknownShop, nil
	}
	if !webhook.Verify(body, r.Header.Get(webhook.HeaderHMAC), secrets) {
		return http.StatusUnauthorized, outcomeBadSignature, nil
	}
	d.topic = r.Header.Get(webhook.HeaderTopic)
	d.verifiedTopic = d.topic
	apiVersion := r.Header.Get(webhook.HeaderAPIVersion)
	if d.topic == "" || apiVersion == "" || !webhookIDPattern.MatchString(d.webhookID) {
		return http.StatusBadRequest, outcomeMissingHeader, nil
	}

	route, ok := workflows.RouteFor(d.topic)
	if !ok {
		// Shopify would retry an error in vain; acknowledge and count it.
		return http.StatusOK, outcomeUnhandledTopic, nil
	}
	hook := workflows.Webhook{
		Shop: d.shop, Topic: d.topic, ID: d.webhookID, APIVersion: apiVersion,
		EventID: r.Header.Get(webhook.HeaderEventID), TriggeredAt: r.Header.Get(webhook.HeaderTriggeredAt),
	}
	outcome := outcomeStarted
	if json.Valid(body) {
		hook.Payload = body
	} else {
		// Bouncing it would only make Shopify retry in vain: start the
		// workflow anyway, to fail at once as a dead letter with the body.
		hook.InvalidBody = body
		outcome = outcomeInvalidPayload
	}
	if h.stale(hook.TriggeredAt) {
		route, outcome = workflows.StaleRoute(), outcomeStale
	}
	d.workflowID = workflows.WebhookWorkflowID(d.shop, d.webhookID)
	return h.start(r.Context(), route, hook, d, outcome)
}

// stale reports whether a webhook triggered at triggeredAt is older than
// the replay window; without a window, or a readable time, none is.
func (h *Handler) stale(triggeredAt string) bool {
	if h.cfg.ReplayWindow <= 0 {
		return false
	}
	at, err := time.Parse(time.RFC3339Nano, triggeredAt)
	return err == nil && time.Since(at) > h.cfg.ReplayWindow
}

// start asks Temporal to start the webhook's workflow, once.
func (h *Handler) start(ctx context.Context, route workflows.Route, hook workflows.Webhook, d *delivery, outcome string) (int, string, error) {
	ctx, cancel := context.WithTimeout(ctx, h.cfg.StartTimeout)
	defer cancel()
	run, err := h.cfg.Temporal.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID:        d.workflowID,
		TaskQueue: h.cfg.TaskQueue,
		// A webhook ID is processed once, ever: a redelivery after the
		// workflow completed or failed is refused as well as one while it
		// runs. Failed workflows are replayed by reset, not restarted.
		WorkflowIDReusePolicy:    enumspb.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
		WorkflowIDConflictPolicy: enumspb.WORKFLOW_ID_CONFLICT_POLICY_FAIL,
		// Without this the SDK silently returns the existing run and a
		// duplicate would pass unnoticed.
		WorkflowExecutionErrorWhenAlreadyStarted: true,
		TypedSearchAttributes: temporal.NewSearchAttributes(
			workflows.ShopDomainKey.ValueSet(hook.Shop),
			workflows.WebhookTopicKey.ValueSet(hook.Topic),
		),
		StaticSummary: route.Summary + " · " + hook.Shop + " · webhook " + hook.ID,
	}, route.Workflow, hook)

	var already *serviceerror.WorkflowExecutionAlreadyStarted
	switch {
	case err == nil:
		d.runID = run.GetRunID()
		return http.StatusOK, outcome, nil
	case errors.As(err, &already):
		// The run that already has this webhook, for the logs.
		d.runID = already.RunId
		return http.StatusOK, outcomeDuplicate, nil
	case isUnavailable(err):
		return http.StatusServiceUnavailable, outcomeUnavailable, err
	default:
		return http.StatusInternalServerError, outcomeStartFailed, err
	}
}

// isUnavailable reports whether a start failed because Temporal could not
// be reached in time.
func isUnavailable(err error) bool {
	var unavailable *serviceerror.Unavailable
	var deadline *serviceerror.DeadlineExceeded
	return errors.Is(err, context.DeadlineExceeded) || errors.As(err, &unavailable) || errors.As(err, &deadline)
}
