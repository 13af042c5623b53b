// Package shopwork finds and controls a shop's scheduled and background
// work in Temporal: its schedules (reconcilers) and its running backfills.
// The compliance activities (shop/redact, app/uninstalled) and the
// operator's `starter shop resume` use it, so that "a shop's schedules"
// means one thing everywhere.
package shopwork

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"

	commonpb "go.temporal.io/api/common/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"
)

// UninstalledNote is the note on the schedules app/uninstalled paused:
// resuming unpauses those and no others (an operator's pause stays).
const UninstalledNote = "paused by shopflow: app uninstalled"

// Work is one shop's work in one namespace.
type Work struct {
	Client    client.Client
	Namespace string
	// DataConverter decodes the schedules' memos (encrypted like every
	// payload); the client's.
	DataConverter converter.DataConverter
	Shop          string
	// ShopAttribute is the search attribute naming a schedule's shop
	// (workflows.ShopDomainKey); callers pass it, as this package sits
	// below package workflows.
	ShopAttribute string
}

// Schedules returns the IDs of the shop's schedules: those whose ID, memo or
// ShopDomain search attribute names the shop.
func (w Work) Schedules(ctx context.Context) ([]string, error) {
	iter, err := w.Client.ScheduleClient().List(ctx, client.ScheduleListOptions{PageSize: 1000})
	if err != nil {
		return nil, fmt.Errorf("listing schedules: %w", err)
	}
	var ids []string
	for iter.HasNext() {
		e, err := iter.Next()
		if err != nil {
			return nil, fmt.Errorf("listing schedules: %w", err)
		}
		if w.names(e) {
			ids = append(ids, e.ID)
		}
	}
	return ids, nil
}

func (w Work) names(e *client.ScheduleListEntry) bool {
	if bytes.Contains([]byte(e.ID), []byte(w.Shop)) {
		return true
	}
	if p := e.SearchAttributes.GetIndexedFields()[w.ShopAttribute]; p != nil && w.ShopAttribute != "" {
		var shop string
		if converter.GetDefaultDataConverter().FromPayload(p, &shop) == nil && shop == w.Shop {
			return true
		}
	}
	for _, p := range e.Memo.GetFields() {
		if w.payloadNames(p) {
			return true
		}
	}
	return false
}

// payloadNames reports whether a memo value, decoded, mentions the shop.
func (w Work) payloadNames(p *commonpb.Payload) bool {
	dc := w.DataConverter
	if dc == nil {
		dc = converter.GetDefaultDataConverter()
	}
	var v any
	if err := dc.FromPayload(p, &v); err != nil {
		return false
	}
	data, err := json.Marshal(v)
	return err == nil && bytes.Contains(data, []byte(w.Shop))
}

// PauseSchedules pauses the shop's running schedules with note and returns
// their IDs. A schedule already paused keeps its own note, so that resuming
// leaves an operator's pause alone.
func (w Work) PauseSchedules(ctx context.Context, note string) ([]string, error) {
	var paused []string
	_, err := w.eachSchedule(ctx, func(h client.ScheduleHandle) error {
		desc, err := h.Describe(ctx)
		if err != nil || desc.Schedule.State.Paused {
			return err
		}
		paused = append(paused, h.GetID())
		return h.Pause(ctx, client.SchedulePauseOptions{Note: note})
	})
	return paused, err
}

// ResumeSchedules unpauses the shop's schedules paused with note and
// returns their IDs.
func (w Work) ResumeSchedules(ctx context.Context, note string) ([]string, error) {
	var resumed []string
	_, err := w.eachSchedule(ctx, func(h client.ScheduleHandle) error {
		desc, err := h.Describe(ctx)
		if err != nil {
			return err
		}
		if !desc.Schedule.State.Paused || desc.Schedule.State.Note != note {
			return nil
		}
		resumed = append(resumed, h.GetID())
		return h.Unpause(ctx, client.ScheduleUnpauseOptions{Note: "resumed by shopflow"})
	})
	return resumed, err
}

// DeleteSchedules deletes the shop's schedules and returns their IDs.
func (w Work) DeleteSchedules(ctx context.Context) ([]string, error) {
	return w.eachSchedule(ctx, func(h client.ScheduleHandle) error { return h.Delete(ctx) })
}

// eachSchedule applies fn to each of the shop's schedules; a schedule that
// is gone meanwhile is skipped.
func (w Work) eachSchedule(ctx context.Context, fn func(client.ScheduleHandle) error) ([]string, error) {
	ids, err := w.Schedules(ctx)
	if err != nil {
		return nil, err
	}
	var done []string
	for _, id := range ids {
		err := fn(w.Client.ScheduleClient().GetHandle(ctx, id))
		var notFound *serviceerror.NotFound
		if errors.As(err, &notFound) {
			continue
		}
		if err != nil {
			return done, fmt.Errorf("schedule %s: %w", id, err)
		}
		done = append(done, id)
	}
	return done, nil
}

// StopWorkflows stops the running workflows query finds (the shop's
// backfills) and returns their workflow IDs. Cancel lets a backfill stop
// at a batch boundary, resumable later; terminate (for a shop whose data
// is being erased) stops it at once.
func (w Work) StopWorkflows(ctx context.Context, query string, terminate bool, reason string) ([]string, error) {
	var stopped []string
	var token []byte
	for {
		resp, err := w.Client.ListWorkflow(ctx, &workflowservice.ListWorkflowExecutionsRequest{
			Namespace: w.Namespace, Query: query, PageSize: 1000, NextPageToken: token,
		})
		if err != nil {
			return stopped, fmt.Errorf("listing workflows (%s): %w", query, err)
		}
		for _, info := range resp.GetExecutions() {
			id, run := info.GetExecution().GetWorkflowId(), info.GetExecution().GetRunId()
			if terminate {
				err = w.Client.TerminateWorkflow(ctx, id, run, reason)
			} else {
				err = w.Client.CancelWorkflow(ctx, id, run)
			}
			var notFound *serviceerror.NotFound
			if err != nil && !errors.As(err, &notFound) {
				return stopped, fmt.Errorf("stopping workflow %s: %w", id, err)
			}
			stopped = append(stopped, id)
		}
		if token = resp.GetNextPageToken(); len(token) == 0 {
			return stopped, nil
		}
	}
}
