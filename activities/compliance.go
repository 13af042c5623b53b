package activities

import (
	"context"
	"errors"
	"fmt"
	"time"

	commonpb "go.temporal.io/api/common/v1"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	workflowpb "go.temporal.io/api/workflow/v1"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/temporal"

	"github.com/shopflow/shopflow/erp"
	"github.com/shopflow/shopflow/internal/encryption"
	"github.com/shopflow/shopflow/internal/shopwork"
)

// Compliance holds the activities of Shopify's compliance webhooks: they
// look up, delete and stop shopflow's own records in Temporal (through the
// worker's client), and destroy a shop's data key. The workflows decide
// what to look for (queries on search attributes): these only act.
type Compliance struct {
	// Keys destroys a shop's data keys; nil when payload encryption is off.
	Keys ShopKeys
	// DataConverter decodes payloads read from histories and memos: the
	// worker client's, which decrypts them.
	DataConverter converter.DataConverter
	// Retry is the activities' retry policy (for jittered retries of
	// Temporal's transient errors).
	Retry RetryPolicy
}

// ShopKeys destroys the data keys of a shop (encryption.Codec does).
type ShopKeys interface {
	DestroyShop(shop string) error
}

// NewCompliance returns the compliance activities over codec, the worker's
// payload codec; nil when encryption is off.
func NewCompliance(codec *encryption.Codec, retry RetryPolicy) *Compliance {
	c := &Compliance{Retry: retry, DataConverter: converter.GetDefaultDataConverter()}
	if codec != nil {
		c.Keys, c.DataConverter = codec, codec.DataConverter()
	}
	return c
}

// WorkflowRef is one run of a workflow that refers to a customer's order,
// as a report lists it. It holds IDs and states, never payloads.
type WorkflowRef struct {
	WorkflowID   string
	RunID        string
	WorkflowType string
	Status       string
	Running      bool
	// DeadLetter is a failed run: shopflow keeps it, with its payload,
	// for operators to replay.
	DeadLetter  bool
	FailureKind string `json:",omitempty"`
	ResourceID  string
	StartedAt   time.Time
	ClosedAt    time.Time `json:",omitzero"`
}

// FindWorkflowsInput is a visibility query, e.g. on ShopDomain and
// ResourceID.
type FindWorkflowsInput struct {
	Query string
	// ResourceAttribute and FailureAttribute name the search attributes
	// copied into each WorkflowRef.
	ResourceAttribute, FailureAttribute string
}

// FindWorkflows lists every run the query finds.
func (c *Compliance) FindWorkflows(ctx context.Context, in FindWorkflowsInput) ([]WorkflowRef, error) {
	tc := activity.GetClient(ctx)
	var refs []WorkflowRef
	var token []byte
	for {
		resp, err := tc.ListWorkflow(ctx, &workflowservice.ListWorkflowExecutionsRequest{
			Namespace: activity.GetInfo(ctx).Namespace, Query: in.Query, PageSize: 1000, NextPageToken: token,
		})
		if err != nil {
			return nil, c.Retry.classify(ctx, fmt.Errorf("listing workflows (%s): %w", in.Query, err))
		}
		for _, info := range resp.GetExecutions() {
			refs = append(refs, c.ref(info, in))
		}
		if token = resp.GetNextPageToken(); len(token) == 0 {
			return refs, nil
		}
	}
}

func (c *Compliance) ref(info *workflowpb.WorkflowExecutionInfo, in FindWorkflowsInput) WorkflowRef {
	sa := info.GetSearchAttributes().GetIndexedFields()
	str := func(name string) string {
		var s string
		if p := sa[name]; p != nil {
			converter.GetDefaultDataConverter().FromPayload(p, &s)
		}
		return s
	}
	r := WorkflowRef{
		WorkflowID:   info.GetExecution().GetWorkflowId(),
		RunID:        info.GetExecution().GetRunId(),
		WorkflowType: info.GetType().GetName(),
		Status:       info.GetStatus().String(),
		Running:      info.GetStatus() == enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING,
		DeadLetter:   info.GetStatus() == enumspb.WORKFLOW_EXECUTION_STATUS_FAILED,
		FailureKind:  str(in.FailureAttribute),
		ResourceID:   str(in.ResourceAttribute),
		StartedAt:    info.GetStartTime().AsTime(),
	}
	if info.GetCloseTime() != nil {
		r.ClosedAt = info.GetCloseTime().AsTime()
	}
	return r
}

// ERPEffect is one effect shopflow made in the ERP for an order: an
// invoice or a fulfillment request, by the ERP's ID.
type ERPEffect struct {
	WorkflowID string
	OrderID    int64
	Kind       string // "invoice" or "fulfillment_request"
	ERPID      string
	CreatedAt  time.Time
}

// ERPEffectsOf reads the ERP effects the given runs made from their
// histories: the results of their CreateInvoice and RequestFulfillment
// activities.
func (c *Compliance) ERPEffectsOf(ctx context.Context, refs []WorkflowRef) ([]ERPEffect, error) {
	tc := activity.GetClient(ctx)
	var effects []ERPEffect
	for _, r := range refs {
		scheduled := map[int64]string{} // event ID -> activity type
		iter := tc.GetWorkflowHistory(ctx, r.WorkflowID, r.RunID, false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
		for iter.HasNext() {
			ev, err := iter.Next()
			var notFound *serviceerror.NotFound
			if errors.As(err, &notFound) {
				break // deleted meanwhile: nothing to report
			}
			if err != nil {
				return nil, c.Retry.classify(ctx, fmt.Errorf("reading the history of %s: %w", r.WorkflowID, err))
			}
			if a := ev.GetActivityTaskScheduledEventAttributes(); a != nil {
				scheduled[ev.GetEventId()] = a.GetActivityType().GetName()
			}
			a := ev.GetActivityTaskCompletedEventAttributes()
			if a == nil || len(a.GetResult().GetPayloads()) == 0 {
				continue
			}
			result := a.GetResult().GetPayloads()[0]
			switch scheduled[a.GetScheduledEventId()] {
			case "CreateInvoice":
				var inv erp.Invoice
				if err := c.DataConverter.FromPayload(result, &inv); err != nil {
					return nil, c.undecodable(r, err)
				}
				effects = append(effects, ERPEffect{WorkflowID: r.WorkflowID, OrderID: inv.OrderID, Kind: "invoice", ERPID: inv.ID, CreatedAt: inv.CreatedAt})
			case "RequestFulfillment":
				var f erp.FulfillmentRequest
				if err := c.DataConverter.FromPayload(result, &f); err != nil {
					return nil, c.undecodable(r, err)
				}
				effects = append(effects, ERPEffect{WorkflowID: r.WorkflowID, OrderID: f.OrderID, Kind: "fulfillment_request", ERPID: f.ID, CreatedAt: f.CreatedAt})
			}
		}
	}
	return effects, nil
}

// undecodable is permanent: a payload under a destroyed key stays so.
func (c *Compliance) undecodable(r WorkflowRef, err error) error {
	return temporal.NewNonRetryableApplicationError(
		fmt.Sprintf("a result in the history of %s does not decode: %v", r.WorkflowID, err), FailureInvalidPayload, err)
}

// DeleteWorkflows deletes the given closed runs, with their histories,
// from Temporal; a run already gone counts as deleted. It refuses running
// ones: the workflow waits for them to close first.
func (c *Compliance) DeleteWorkflows(ctx context.Context, refs []WorkflowRef) (int, error) {
	tc := activity.GetClient(ctx)
	ns := activity.GetInfo(ctx).Namespace
	for i, r := range refs {
		if r.Running {
			return i, temporal.NewNonRetryableApplicationError("refusing to delete running workflow "+r.WorkflowID, FailureDownstreamRejected, nil)
		}
		_, err := tc.WorkflowService().DeleteWorkflowExecution(ctx, &workflowservice.DeleteWorkflowExecutionRequest{
			Namespace: ns, WorkflowExecution: &commonpb.WorkflowExecution{WorkflowId: r.WorkflowID, RunId: r.RunID},
		})
		var notFound *serviceerror.NotFound
		if err != nil && !errors.As(err, &notFound) {
			return i, c.Retry.classify(ctx, fmt.Errorf("deleting %s: %w", r.WorkflowID, err))
		}
		recordProgress(ctx, i+1)
	}
	return len(refs), nil
}

// ShopSchedulesInput names a shop and how its schedules are found.
type ShopSchedulesInput struct {
	Shop string
	// ShopAttribute is the search attribute that may name a schedule's
	// shop (besides its ID and memo).
	ShopAttribute string
	// Note is recorded on paused schedules; resuming unpauses only those
	// paused with it.
	Note string `json:",omitempty"`
}

func (c *Compliance) work(ctx context.Context, in ShopSchedulesInput) shopwork.Work {
	return shopwork.Work{
		Client: activity.GetClient(ctx), Namespace: activity.GetInfo(ctx).Namespace,
		DataConverter: c.DataConverter, Shop: in.Shop, ShopAttribute: in.ShopAttribute,
	}
}

// DeleteShopSchedules deletes the shop's schedules and returns their IDs.
func (c *Compliance) DeleteShopSchedules(ctx context.Context, in ShopSchedulesInput) ([]string, error) {
	ids, err := c.work(ctx, in).DeleteSchedules(ctx)
	return ids, c.Retry.classify(ctx, err)
}

// PauseShopSchedules pauses the shop's schedules with in.Note.
func (c *Compliance) PauseShopSchedules(ctx context.Context, in ShopSchedulesInput) ([]string, error) {
	ids, err := c.work(ctx, in).PauseSchedules(ctx, in.Note)
	return ids, c.Retry.classify(ctx, err)
}

// StopWorkflowsInput selects running workflows to stop.
type StopWorkflowsInput struct {
	Shop      string
	Query     string
	Terminate bool
	Reason    string
}

// StopWorkflows cancels, or terminates, the running workflows the query
// finds (a shop's backfills) and returns their IDs.
func (c *Compliance) StopWorkflows(ctx context.Context, in StopWorkflowsInput) ([]string, error) {
	ids, err := c.work(ctx, ShopSchedulesInput{Shop: in.Shop}).StopWorkflows(ctx, in.Query, in.Terminate, in.Reason)
	return ids, c.Retry.classify(ctx, err)
}

// DestroyShopKey destroys the shop's data keys: its payloads in Temporal
// become undecodable. Destroying twice is harmless.
func (c *Compliance) DestroyShopKey(ctx context.Context, shop string) error {
	if c.Keys == nil {
		return temporal.NewNonRetryableApplicationError(
			"payload encryption is off: there is no data key to destroy, and the shop's histories are in clear",
			FailureDownstreamRejected, nil)
	}
	if err := c.Keys.DestroyShop(shop); err != nil {
		return c.Retry.classify(ctx, fmt.Errorf("destroying the data key of %s: %w", shop, err))
	}
	activity.GetLogger(ctx).Info("shop data key destroyed", "shop", shop)
	return nil
}
