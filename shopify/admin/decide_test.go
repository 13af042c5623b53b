package admin

import (
	"errors"
	"net"
	"net/http"
	"reflect"
	"testing"
	"time"

	"github.com/vektah/gqlparser/v2/gqlerror"
)

// TestDecide covers every branch of what a response means. rnd returns
// its bound, so each wait shows the most jitter it can get.
func TestDecide(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	top := func(n time.Duration) time.Duration { return n }

	reset := errors.New("connection reset by peer")
	refused := &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}
	answer := func(status int, header http.Header, body string) result {
		return readResult(status, header, []byte(body))
	}
	retryAfter := func(v string) http.Header { return http.Header{"Retry-After": {v}} }
	errs := func(r result) gqlerror.List { return r.env.Errors }

	const (
		cost      = `"extensions":{"cost":{"requestedQueryCost":10,"actualQueryCost":null,"throttleStatus":{"maximumAvailable":100.0,"currentlyAvailable":5.0,"restoreRate":1000.0}}}`
		throttled = `{"errors":[{"message":"Throttled","extensions":{"code":"THROTTLED"}}],` + cost + `}`
	)
	throttledRes := answer(200, nil, throttled)
	throttledBare := answer(200, nil, `{"errors":[{"message":"Throttled","extensions":{"code":"THROTTLED"}}]}`)
	maxCost := answer(200, nil, `{"errors":[{"message":"Query cost is 1520","extensions":{"code":"MAX_COST_EXCEEDED"}}]}`)
	internal := answer(200, nil, `{"data":null,"errors":[{"message":"Internal error","extensions":{"code":"INTERNAL_SERVER_ERROR"}}]}`)
	internalData := answer(200, nil, `{"data":{"shop":null},"errors":[{"message":"Internal error","extensions":{"code":"INTERNAL_SERVER_ERROR"}}]}`)
	partial := answer(200, nil, `{"data":{"shop":null},"errors":[{"message":"Access denied","extensions":{"code":"ACCESS_DENIED"}}]}`)
	notJSON := answer(200, nil, `<html>`)
	unauthorized := answer(401, nil, `{"errors":"[API] Invalid API key or access token"}`)
	forbidden := answer(403, nil, `{"errors":[{"message":"Access denied"}]}`)
	cutOff := answer(200, nil, `{}`)
	cutOff.err = reset // the body broke off: the status does not count

	cases := []struct {
		name      string
		res       result
		retrySafe bool
		want      decision
	}{
		{"network error, sent, safe", result{err: reset}, true,
			decision{act: actBackOff, kind: KindTransport, cause: reset}},
		{"network error, sent, unsafe", result{err: reset}, false,
			decision{act: actFail, kind: KindOutcomeUnknown, cause: reset}},
		{"network error, not sent, unsafe", result{err: refused}, false,
			decision{act: actBackOff, kind: KindTransport, cause: refused}},
		{"body cut off", cutOff, true,
			decision{act: actBackOff, kind: KindTransport, cause: reset}},

		{"429 with Retry-After", answer(429, retryAfter("2"), ``), false,
			decision{act: actThrottle, kind: KindRateLimited, msg: "still throttled", throttled: true,
				wait: 2200 * time.Millisecond, retryAfter: 2200 * time.Millisecond}},
		{"429 with a Retry-After date", answer(429, retryAfter("Sun, 01 Mar 2026 12:00:30 GMT"), ``), true,
			decision{act: actThrottle, kind: KindRateLimited, msg: "still throttled", throttled: true,
				wait: 33 * time.Second, retryAfter: 33 * time.Second}},
		{"429 without Retry-After", answer(429, nil, ``), true,
			decision{act: actThrottle, kind: KindRateLimited, msg: "still throttled", throttled: true,
				wait: 1100 * time.Millisecond, retryAfter: 1100 * time.Millisecond}},
		{"429 with an invalid Retry-After", answer(429, retryAfter("-1"), ``), true,
			decision{act: actThrottle, kind: KindRateLimited, msg: "still throttled", throttled: true,
				wait: 1100 * time.Millisecond, retryAfter: 1100 * time.Millisecond}},
		{"429 with a huge Retry-After", answer(429, retryAfter("1e30"), ``), true,
			decision{act: actThrottle, kind: KindRateLimited, msg: "still throttled", throttled: true,
				wait: 1<<63 - 1, retryAfter: 1<<63 - 1}},

		{"503 with Retry-After, unsafe", answer(503, retryAfter("0.5"), ``), false,
			decision{act: actThrottle, kind: KindUnavailable, msg: "still throttled",
				wait: 550 * time.Millisecond, retryAfter: 550 * time.Millisecond}},
		{"503 with an invalid Retry-After", answer(503, retryAfter("soon"), ``), true,
			decision{act: actThrottle, kind: KindUnavailable, msg: "still throttled",
				wait: 50 * time.Millisecond, retryAfter: 50 * time.Millisecond}},
		{"503 without Retry-After", answer(503, nil, ``), true,
			decision{act: actBackOff, kind: KindUnavailable, msg: "Service Unavailable"}},
		{"500, safe", answer(500, nil, `oops`), true,
			decision{act: actBackOff, kind: KindUnavailable, msg: "Internal Server Error"}},
		{"502, unsafe", answer(502, nil, ``), false,
			decision{act: actFail, kind: KindOutcomeUnknown, msg: "Bad Gateway"}},

		{"401", unauthorized, true,
			decision{act: actFail, kind: KindUnauthorized, msg: "Unauthorized"}},
		{"403 with an error", forbidden, true,
			decision{act: actFail, kind: KindUnauthorized, msg: "Access denied"}},
		{"404 without a body", answer(404, nil, ``), true,
			decision{act: actFail, kind: KindNotFound, msg: "Not Found"}},
		{"404 with an empty JSON body", answer(404, nil, `{}`), true,
			decision{act: actFail, kind: KindNotFound}},
		{"400", answer(400, nil, `{"errors":[{"message":"Parse error"}]}`), true,
			decision{act: actFail, kind: KindBadRequest, msg: "Parse error"}},
		{"302", answer(302, nil, ``), true,
			decision{act: actFail, kind: KindBadRequest, msg: "Found"}},

		{"undecodable 200", notJSON, true,
			decision{act: actFail, kind: KindDecode, cause: notJSON.decodeErr}},

		{"THROTTLED", throttledRes, false,
			decision{act: actThrottle, kind: KindThrottled, msg: "still throttled", throttled: true,
				wait: 101 * time.Millisecond, retryAfter: 5 * time.Millisecond}},
		{"THROTTLED without a cost", throttledBare, true,
			decision{act: actThrottle, kind: KindThrottled, msg: "still throttled", throttled: true,
				wait: 101 * time.Millisecond, retryAfter: time.Second}},
		{"MAX_COST_EXCEEDED", maxCost, true,
			decision{act: actFail, kind: KindMaxCostExceeded, msg: "Query cost is 1520", cause: errs(maxCost)}},
		{"INTERNAL_SERVER_ERROR with null data, safe", internal, true,
			decision{act: actBackOff, kind: KindUnavailable, msg: "Internal error", cause: errs(internal)}},
		{"INTERNAL_SERVER_ERROR with null data, unsafe", internal, false,
			decision{act: actFail, kind: KindOutcomeUnknown, msg: "Internal error", cause: errs(internal)}},
		{"INTERNAL_SERVER_ERROR with data", internalData, true,
			decision{act: actDeliver, kind: KindGraphQL, msg: "Internal error", cause: errs(internalData)}},
		{"GraphQL errors with data", partial, false,
			decision{act: actDeliver, kind: KindGraphQL, msg: "Access denied", cause: errs(partial)}},
		{"success", answer(200, nil, `{"data":{"shop":{"id":"1"}},`+cost+`}`), false,
			decision{act: actDeliver}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := decide(tc.res, tc.retrySafe, now, top); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("decide = %+v\n          want %+v", got, tc.want)
			}
		})
	}
}

func TestJitterStaysWithinItsSpread(t *testing.T) {
	none := func(time.Duration) time.Duration { return 0 }
	top := func(n time.Duration) time.Duration { return n - 1 }
	for _, tc := range []struct {
		d, lo, hi time.Duration
	}{
		{0, 0, 50*time.Millisecond - 1},
		{time.Second, time.Second, 1100*time.Millisecond - 1},
		{1<<63 - 1, 1<<63 - 1, 1<<63 - 1}, // saturates instead of wrapping
	} {
		if lo, hi := jitter(tc.d, none), jitter(tc.d, top); lo != tc.lo || hi != tc.hi {
			t.Errorf("jitter(%v) in [%v, %v], want [%v, %v]", tc.d, lo, hi, tc.lo, tc.hi)
		}
	}
}
