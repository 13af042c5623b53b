package erp

import "context"

// correlationKey is the context key for the correlation ID; a private type
// so no other package can collide with it.
type correlationKey struct{}

// WithCorrelationID returns a context whose ERP requests carry id in the
// X-Correlation-ID header, so one order can be followed through the ERP's
// logs.
func WithCorrelationID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, correlationKey{}, id)
}

// CorrelationID returns the correlation ID set by WithCorrelationID, or "".
func CorrelationID(ctx context.Context) string {
	id, _ := ctx.Value(correlationKey{}).(string)
	return id
}
