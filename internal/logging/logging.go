// Package logging sets up shopflow's JSON logs. Every line about a webhook
// carries its correlation_id (the webhook ID) so that one delivery can be
// followed from the ingress through the workflow to the ERP.
package logging

import (
	"io"
	"log/slog"
	"os"
)

// New returns a JSON logger for a process, tagged with its name.
func New(process string) *slog.Logger {
	return NewTo(os.Stderr, process, slog.LevelInfo)
}

// NewTo returns a JSON logger writing to w at the given level.
func NewTo(w io.Writer, process string, level slog.Level) *slog.Logger {
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: level})).With("process", process)
}
