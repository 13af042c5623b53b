package encryption

import (
	failurepb "go.temporal.io/api/failure/v1"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/temporal"
)

// FailureConverter returns the failure converter of the clients that use
// c: a failure's message and stack trace (which may quote what a
// downstream system said about an order) are encrypted with its details,
// under the key of the workflow the failure belongs to; its type (the
// failure kind) stays in clear for Temporal and dead-letter queries.
func (c *Codec) FailureConverter() converter.FailureConverter {
	return newFailureConverter(c.DataConverter())
}

// failureConverter is the SDK's default failure converter, bound to the
// serialization context as the data converter is, which the SDK's own
// does not do.
type failureConverter struct {
	dc    converter.DataConverter
	inner converter.FailureConverter
}

var _ converter.FailureConverterWithSerializationContext = (*failureConverter)(nil)

func newFailureConverter(dc converter.DataConverter) *failureConverter {
	return &failureConverter{dc: dc, inner: temporal.NewDefaultFailureConverter(temporal.DefaultFailureConverterOptions{
		DataConverter: dc, EncodeCommonAttributes: true,
	})}
}

func (f *failureConverter) ErrorToFailure(err error) *failurepb.Failure {
	return f.inner.ErrorToFailure(err)
}

func (f *failureConverter) FailureToError(failure *failurepb.Failure) error {
	return f.inner.FailureToError(failure)
}

func (f *failureConverter) WithSerializationContext(ctx converter.SerializationContext) converter.FailureConverter {
	return newFailureConverter(converter.WithDataConverterSerializationContext(f.dc, ctx))
}
