package backfill

import (
	"fmt"
	"strings"
	"time"

	wfbackfill "github.com/shopflow/shopflow/workflows/backfill"
)

// barWidth is the progress bar's width in characters.
const barWidth = 30

// Line renders a backfill's progress on one line: a bar, done of total,
// the counts, rate and ETA, and its state.
func Line(p wfbackfill.Progress) string {
	frac := 0.0
	if p.Total > 0 {
		frac = min(1, float64(p.Done)/float64(p.Total))
	}
	if p.Finished {
		frac = 1
	}
	filled := int(frac * barWidth)
	var b strings.Builder
	fmt.Fprintf(&b, "[%s%s] %d/%d %3.0f%%  changed %d  skipped %d  failed %d  rate %.0f/min",
		strings.Repeat("#", filled), strings.Repeat(".", barWidth-filled),
		p.Done, p.Total, frac*100, p.Changed, p.Skipped, p.Failed, p.Rate)
	if p.ETA > 0 {
		fmt.Fprintf(&b, "  ETA %s", p.ETA.Round(time.Second))
	}
	if p.MaxRate > 0 {
		fmt.Fprintf(&b, "  cap %.0f/min", p.MaxRate)
	}
	switch {
	case p.Finished:
		b.WriteString("  finished")
	case p.Paused:
		b.WriteString("  paused")
	default:
		b.WriteString("  running")
	}
	if p.DryRun {
		b.WriteString(" (dry run)")
	}
	return b.String()
}

// RollbackLine renders a rollback's progress on one line.
func RollbackLine(p wfbackfill.RollbackProgress) string {
	state := "running"
	if p.Finished {
		state = "finished"
	}
	return fmt.Sprintf("batches %d  restored %d  left alone %d  failed %d  %s", p.Batches, p.Restored, p.LeftAlone, p.Failed, state)
}
