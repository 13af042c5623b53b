package deadletters

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	commonpb "go.temporal.io/api/common/v1"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	workflowpb "go.temporal.io/api/workflow/v1"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/converter"
	"golang.org/x/sync/errgroup"

	"github.com/shopflow/shopflow/workflows"
)

// DeadLetter is one open dead letter: the failed latest run of a workflow.
type DeadLetter struct {
	WorkflowID   string    `json:"workflow_id"`
	RunID        string    `json:"run_id"`
	WorkflowType string    `json:"workflow_type"`
	TaskQueue    string    `json:"task_queue"`
	Shop         string    `json:"shop"`
	Topic        string    `json:"topic"`
	Kind         string    `json:"failure_kind"`
	ResourceID   string    `json:"resource_id,omitempty"`
	Summary      string    `json:"summary,omitempty"`
	StartedAt    time.Time `json:"started_at"`
	FailedAt     time.Time `json:"failed_at"`
}

// List returns the open dead letters the filter selects, newest failure
// first, with their summaries.
func (s *Store) List(ctx context.Context, f Filter) ([]DeadLetter, error) {
	return s.open(ctx, f, true)
}

// open finds the failed runs f selects and keeps those that are still the
// latest run of their workflow. withSummary also fetches each one's
// summary, which visibility does not hold.
func (s *Store) open(ctx context.Context, f Filter, withSummary bool) ([]DeadLetter, error) {
	candidates, err := s.failedRuns(ctx, f)
	if err != nil {
		return nil, err
	}
	keep := make([]bool, len(candidates))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(s.concurrency)
	for i := range candidates {
		d := &candidates[i]
		if _, ok := s.superseded.Load(d.RunID); ok {
			continue
		}
		g.Go(func() error {
			latest, err := s.describe(gctx, d.WorkflowID, "")
			var notFound *serviceerror.NotFound
			if errors.As(err, &notFound) {
				return nil // deleted since visibility saw it: retention
			}
			if err != nil {
				return fmt.Errorf("describing %s: %w", d.WorkflowID, err)
			}
			info := latest.GetWorkflowExecutionInfo()
			if info.GetExecution().GetRunId() != d.RunID {
				s.superseded.Store(d.RunID, struct{}{})
				return nil
			}
			keep[i] = info.GetStatus() == enumspb.WORKFLOW_EXECUTION_STATUS_FAILED
			if withSummary {
				d.Summary = s.decodeSummary(latest.GetExecutionConfig().GetUserMetadata().GetSummary())
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	var out []DeadLetter
	for i, d := range candidates {
		if keep[i] {
			out = append(out, d)
		}
	}
	slices.SortFunc(out, func(a, b DeadLetter) int {
		return cmp.Or(b.FailedAt.Compare(a.FailedAt), cmp.Compare(a.WorkflowID, b.WorkflowID))
	})
	return out, nil
}

// failedRuns lists the failed runs f selects, one per workflow ID: the one
// that failed last, since an earlier one cannot be the latest run.
func (s *Store) failedRuns(ctx context.Context, f Filter) ([]DeadLetter, error) {
	query, err := f.Query()
	if err != nil {
		return nil, err
	}
	byID := map[string]DeadLetter{}
	var token []byte
	for {
		resp, err := s.client.ListWorkflow(ctx, &workflowservice.ListWorkflowExecutionsRequest{
			Namespace: s.namespace, Query: query, PageSize: 1000, NextPageToken: token,
		})
		if err != nil {
			return nil, fmt.Errorf("listing failed workflows (%s): %w", query, err)
		}
		for _, info := range resp.GetExecutions() {
			d := fromInfo(info)
			if prev, ok := byID[d.WorkflowID]; !ok || d.FailedAt.After(prev.FailedAt) {
				byID[d.WorkflowID] = d
			}
		}
		if token = resp.GetNextPageToken(); len(token) == 0 {
			break
		}
	}
	out := make([]DeadLetter, 0, len(byID))
	for _, d := range byID {
		out = append(out, d)
	}
	return out, nil
}

// fromInfo reads a dead letter from a visibility record.
func fromInfo(info *workflowpb.WorkflowExecutionInfo) DeadLetter {
	sa := info.GetSearchAttributes().GetIndexedFields()
	return DeadLetter{
		WorkflowID:   info.GetExecution().GetWorkflowId(),
		RunID:        info.GetExecution().GetRunId(),
		WorkflowType: info.GetType().GetName(),
		TaskQueue:    info.GetTaskQueue(),
		Shop:         decodeString(sa[workflows.ShopDomainKey.GetName()]),
		Topic:        decodeString(sa[workflows.WebhookTopicKey.GetName()]),
		Kind:         decodeString(sa[workflows.FailureKindKey.GetName()]),
		ResourceID:   decodeString(sa[workflows.ResourceIDKey.GetName()]),
		StartedAt:    info.GetStartTime().AsTime(),
		FailedAt:     info.GetCloseTime().AsTime(),
	}
}

// decodeString decodes a payload holding a string, such as a keyword
// search attribute (never encrypted); "" if there is none.
func decodeString(p *commonpb.Payload) string {
	return decodeStringWith(converter.GetDefaultDataConverter(), p)
}

// decodeSummary decodes a workflow's or activity's summary, which the
// codec encrypts like every payload.
func (s *Store) decodeSummary(p *commonpb.Payload) string {
	return decodeStringWith(s.dc, p)
}

func decodeStringWith(dc converter.DataConverter, p *commonpb.Payload) string {
	if p == nil {
		return ""
	}
	var s string
	if err := dc.FromPayload(p, &s); err != nil {
		return ""
	}
	return s
}
