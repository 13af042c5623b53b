package deadletters

import (
	"fmt"

	failurepb "go.temporal.io/api/failure/v1"
)

// Cause is one link of an error chain, outermost first.
type Cause struct {
	Message string `json:"message"`
	// Type is the application error's type (the failure kind for
	// shopflow's errors), or what kind of failure this link is.
	Type         string `json:"type"`
	NonRetryable bool   `json:"non_retryable,omitempty"`
	// Detail adds what the link knows besides its message: the activity
	// and its retry state, or the timeout's type.
	Detail string `json:"detail,omitempty"`
}

// chain flattens a Temporal failure and its causes. Stack traces are left
// out: they are for developers, and reachable in the Web UI.
func (s *Store) chain(f *failurepb.Failure) []Cause {
	var out []Cause
	for ; f != nil; f = f.GetCause() {
		c := Cause{Message: s.failureMessage(f)}
		switch {
		case f.GetApplicationFailureInfo() != nil:
			info := f.GetApplicationFailureInfo()
			c.Type, c.NonRetryable = info.GetType(), info.GetNonRetryable()
			if c.Type == "" {
				c.Type = "ApplicationError"
			}
		case f.GetActivityFailureInfo() != nil:
			info := f.GetActivityFailureInfo()
			c.Type = "ActivityFailure"
			c.Detail = fmt.Sprintf("activity %s (ID %s), retry state %s",
				info.GetActivityType().GetName(), info.GetActivityId(), retryState(info.GetRetryState()))
		case f.GetTimeoutFailureInfo() != nil:
			c.Type = "Timeout"
			c.Detail = f.GetTimeoutFailureInfo().GetTimeoutType().String()
		case f.GetCanceledFailureInfo() != nil:
			c.Type = "Canceled"
		case f.GetTerminatedFailureInfo() != nil:
			c.Type = "Terminated"
		case f.GetServerFailureInfo() != nil:
			c.Type, c.NonRetryable = "ServerFailure", f.GetServerFailureInfo().GetNonRetryable()
		case f.GetChildWorkflowExecutionFailureInfo() != nil:
			c.Type = "ChildWorkflowFailure"
		default:
			c.Type = "Failure"
		}
		out = append(out, c)
	}
	return out
}

// failureMessage is a failure's message, decrypted: the codec's failure
// converter moves messages into the encoded attributes.
func (s *Store) failureMessage(f *failurepb.Failure) string {
	if p := f.GetEncodedAttributes(); p != nil {
		var attrs struct {
			Message string `json:"message"`
		}
		if err := s.dc.FromPayload(p, &attrs); err == nil {
			return attrs.Message
		}
	}
	return f.GetMessage()
}
