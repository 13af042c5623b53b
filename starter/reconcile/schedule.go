package reconcile

import (
	"context"
	"errors"
	"fmt"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/shopflow/shopflow/workflows"
	wfreconcile "github.com/shopflow/shopflow/workflows/reconcile"
)

// Defaults of a schedule.
const (
	DefaultInterval = time.Hour
	// DefaultCatchupWindow makes up a run missed during an outage of up
	// to a day: the next run would correct the drift anyway, but an
	// operator expects the last one to have happened.
	DefaultCatchupWindow = 24 * time.Hour
)

// Spec is one schedule: a reconciler for a shop.
type Spec struct {
	// Reconciler is the reconciler's workflow type, e.g.
	// wfreconcile.InventoryName.
	Reconciler string
	Shop       string
	// Interval between runs; DefaultInterval if zero.
	Interval time.Duration
	// CatchupWindow bounds how late a missed run is still made up;
	// DefaultCatchupWindow if zero.
	CatchupWindow time.Duration
	// Input is the reconciler's workflow input.
	Input any
	// TaskQueue is where the runs go; the reconcile queue if empty.
	TaskQueue string
	// Paused creates or leaves the schedule paused.
	Paused bool
}

func (s Spec) withDefaults() Spec {
	if s.Interval <= 0 {
		s.Interval = DefaultInterval
	}
	if s.CatchupWindow <= 0 {
		s.CatchupWindow = DefaultCatchupWindow
	}
	if s.TaskQueue == "" {
		s.TaskQueue = wfreconcile.TaskQueue
	}
	return s
}

// ID is the schedule's ID.
func (s Spec) ID() string { return workflows.ReconcileScheduleID(s.Reconciler, s.Shop) }

func (s Spec) action() *client.ScheduleWorkflowAction {
	return &client.ScheduleWorkflowAction{
		ID:                    s.ID(),
		Workflow:              s.Reconciler,
		Args:                  []any{s.Input},
		TaskQueue:             s.TaskQueue,
		TypedSearchAttributes: temporal.NewSearchAttributes(workflows.ShopDomainKey.ValueSet(s.Shop)),
		StaticSummary:         summary(s.Reconciler) + " · " + s.Shop,
	}
}

func (s Spec) spec() *client.ScheduleSpec {
	return &client.ScheduleSpec{Intervals: []client.ScheduleIntervalSpec{{Every: s.Interval}}}
}

// summary is the reconciler's summary from the registry.
func summary(reconciler string) string {
	for _, d := range wfreconcile.Reconcilers() {
		if d.Name == reconciler {
			return d.Summary
		}
	}
	return reconciler
}

// Apply creates the schedule, or updates it to spec if it exists: running
// it again with the same spec changes nothing. It reports whether it
// created the schedule. An update keeps the schedule paused or running as
// it was unless spec.Paused asks to pause it.
func Apply(ctx context.Context, c client.Client, spec Spec) (created bool, err error) {
	if err := check(spec.Reconciler, spec.Shop); err != nil {
		return false, err
	}
	spec = spec.withDefaults()
	sc := c.ScheduleClient()
	_, err = sc.Create(ctx, client.ScheduleOptions{
		ID:            spec.ID(),
		Spec:          *spec.spec(),
		Action:        spec.action(),
		Overlap:       enumspb.SCHEDULE_OVERLAP_POLICY_SKIP,
		CatchupWindow: spec.CatchupWindow,
		Paused:        spec.Paused,
		Note:          "created by starter reconcile schedule",
	})
	if err == nil {
		return true, nil
	}
	if !errors.Is(err, temporal.ErrScheduleAlreadyRunning) {
		var exists *serviceerror.WorkflowExecutionAlreadyStarted
		if !errors.As(err, &exists) {
			return false, fmt.Errorf("creating schedule %s: %w", spec.ID(), err)
		}
	}
	err = sc.GetHandle(ctx, spec.ID()).Update(ctx, client.ScheduleUpdateOptions{
		DoUpdate: func(in client.ScheduleUpdateInput) (*client.ScheduleUpdate, error) {
			s := in.Description.Schedule
			s.Action = spec.action()
			s.Spec = spec.spec()
			if s.Policy == nil {
				s.Policy = &client.SchedulePolicies{}
			}
			s.Policy.Overlap = enumspb.SCHEDULE_OVERLAP_POLICY_SKIP
			s.Policy.CatchupWindow = spec.CatchupWindow
			if spec.Paused {
				if s.State == nil {
					s.State = &client.ScheduleState{}
				}
				s.State.Paused, s.State.Note = true, "paused by starter reconcile schedule --paused"
			}
			return &client.ScheduleUpdate{Schedule: &s}, nil
		},
	})
	if err != nil {
		return false, fmt.Errorf("updating schedule %s: %w", spec.ID(), err)
	}
	return false, nil
}

// RunNow starts a run of the reconciler for the shop at once, through its
// schedule, so that it shares the schedule's input and overlap policy: if
// a run is going, none is added.
func RunNow(ctx context.Context, c client.Client, reconciler, shop string) error {
	if err := check(reconciler, shop); err != nil {
		return err
	}
	id := workflows.ReconcileScheduleID(reconciler, shop)
	err := c.ScheduleClient().GetHandle(ctx, id).Trigger(ctx, client.ScheduleTriggerOptions{Overlap: enumspb.SCHEDULE_OVERLAP_POLICY_SKIP})
	var notFound *serviceerror.NotFound
	if errors.As(err, &notFound) {
		return fmt.Errorf("no schedule %s: create it with starter reconcile schedule --shop %s", id, shop)
	}
	return err
}

// check refuses unknown reconcilers and empty shops.
func check(reconciler, shop string) error {
	if shop == "" {
		return errors.New("a shop is required")
	}
	var names []string
	for _, d := range wfreconcile.Reconcilers() {
		if d.Name == reconciler {
			return nil
		}
		names = append(names, d.Name)
	}
	return fmt.Errorf("unknown reconciler %q: want one of %v", reconciler, names)
}
