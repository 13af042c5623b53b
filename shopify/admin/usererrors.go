package admin

import (
	"errors"
	"fmt"
	"strings"
)

// UserError is one entry of a mutation's userErrors: Shopify refused the
// input. Code is empty for mutations whose user-error type has none.
type UserError struct {
	Field   []string
	Message string
	Code    string
	// ElementIndex is the index of the offending input element, where the
	// mutation reports it (metafieldsSet), else -1.
	ElementIndex int
}

// UserErrors is the error returned when a mutation answers with
// userErrors. Classify with errors.As and HasCode.
type UserErrors struct {
	Operation string
	Errors    []UserError
}

// Error lists the user errors.
func (e *UserErrors) Error() string {
	parts := make([]string, len(e.Errors))
	for i, u := range e.Errors {
		s := u.Message
		if len(u.Field) > 0 {
			s = strings.Join(u.Field, ".") + ": " + s
		}
		if u.Code != "" {
			s += " (" + u.Code + ")"
		}
		parts[i] = s
	}
	return fmt.Sprintf("shopify %s: %s", e.Operation, strings.Join(parts, "; "))
}

// HasCode reports whether any user error has the code.
func (e *UserErrors) HasCode(code string) bool {
	for _, u := range e.Errors {
		if u.Code == code {
			return true
		}
	}
	return false
}

// HasUserErrorCode reports whether err holds a *UserErrors with the code.
func HasUserErrorCode(err error, code string) bool {
	var ue *UserErrors
	return errors.As(err, &ue) && ue.HasCode(code)
}

// userErrors turns a generated userErrors slice into a *UserErrors, or nil
// when it is empty.
func userErrors[T any](op string, in []T, conv func(T) UserError) error {
	if len(in) == 0 {
		return nil
	}
	out := &UserErrors{Operation: op, Errors: make([]UserError, len(in))}
	for i, e := range in {
		out.Errors[i] = conv(e)
	}
	return out
}
