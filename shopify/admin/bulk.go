package admin

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/Khan/genqlient/graphql"

	"github.com/shopflow/shopflow/internal/ctxsleep"
)

// BulkOperationError is returned by WaitBulkOperation when the operation
// ends other than COMPLETED.
type BulkOperationError struct {
	ID        string
	Status    BulkOperationStatus
	ErrorCode BulkOperationErrorCode
	// PartialDataURL, if set, holds what was exported before the failure.
	// It is pre-signed, so Error leaves it out; do not log it either.
	PartialDataURL string
}

// Error describes the failed operation.
func (e *BulkOperationError) Error() string {
	s := fmt.Sprintf("shopify bulk operation %s ended %s", e.ID, e.Status)
	if e.ErrorCode != "" {
		s += " (" + string(e.ErrorCode) + ")"
	}
	return s
}

// StartBulkQuery runs bulkOperationRunQuery: Shopify exports the result of
// query (which must have at least one connection) to a JSONL file.
func StartBulkQuery(ctx context.Context, c graphql.Client, query string) (*BulkOperationFields, error) {
	resp, err := BulkOperationRunQuery(ctx, c, query)
	if err != nil {
		return nil, err
	}
	p := resp.BulkOperationRunQuery
	if err := userErrors("bulkOperationRunQuery", p.UserErrors, func(e BulkOperationUserError) UserError {
		return UserError{Field: e.Field, Message: e.Message, Code: string(e.Code), ElementIndex: -1}
	}); err != nil {
		return nil, err
	}
	if p.BulkOperation == nil {
		return nil, fmt.Errorf("admin: bulkOperationRunQuery returned no operation")
	}
	return &p.BulkOperation.BulkOperationFields, nil
}

// GetBulkOperation reads a bulk operation's state once; nil if there is
// no such operation.
func GetBulkOperation(ctx context.Context, c graphql.Client, id string) (*BulkOperationFields, error) {
	resp, err := BulkOperation(ctx, c, id)
	if err != nil {
		return nil, err
	}
	if resp.BulkOperation == nil {
		return nil, nil
	}
	return &resp.BulkOperation.BulkOperationFields, nil
}

// Done reports whether the operation has reached a final status.
func (b *BulkOperationFields) Done() bool {
	switch b.Status {
	case BulkOperationStatusCompleted, BulkOperationStatusFailed,
		BulkOperationStatusCanceled, BulkOperationStatusExpired:
		return true
	}
	return false
}

// WaitBulkOperation polls the operation every interval (default 2 s) until
// it ends, and returns it when COMPLETED (Url is empty when the export
// found no objects) or a *BulkOperationError otherwise. Each poll costs 1
// point. A workflow would rather poll from a short activity on a timer;
// this suits tools and tests.
func WaitBulkOperation(ctx context.Context, c graphql.Client, id string, interval time.Duration) (*BulkOperationFields, error) {
	if interval <= 0 {
		interval = 2 * time.Second
	}
	for {
		op, err := GetBulkOperation(ctx, c, id)
		if err != nil {
			return nil, err
		}
		if op == nil {
			return nil, fmt.Errorf("admin: bulk operation %s not found", id)
		}
		if op.Done() {
			if op.Status != BulkOperationStatusCompleted {
				return op, &BulkOperationError{ID: op.Id, Status: op.Status, ErrorCode: op.ErrorCode, PartialDataURL: op.PartialDataUrl}
			}
			return op, nil
		}
		if err := ctxsleep.Sleep(ctx, interval); err != nil {
			return nil, err
		}
	}
}

// OpenBulkResult downloads a bulk operation's JSONL file. The URL is
// pre-signed: no access token is sent with it, and since anyone holding it
// can download the export, the errors returned never contain it. The
// caller closes the body.
func OpenBulkResult(ctx context.Context, hc *http.Client, url string) (io.ReadCloser, error) {
	if hc == nil {
		hc = http.DefaultClient
	}
	// Neither error may carry the URL: it is the key to the export.
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, fmt.Errorf("admin: bulk result URL: %w", stripURL(err))
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, &Error{Kind: KindTransport, Operation: "bulk result", Err: stripURL(err)}
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		k := KindBadRequest
		if resp.StatusCode >= 500 || resp.StatusCode == http.StatusTooManyRequests {
			k = KindUnavailable
		}
		return nil, &Error{Kind: k, Operation: "bulk result", StatusCode: resp.StatusCode}
	}
	return resp.Body, nil
}
