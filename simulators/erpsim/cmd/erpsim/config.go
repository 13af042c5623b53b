package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/shopflow/shopflow/simulators/erpsim"
)

// config is everything the command line sets.
type config struct {
	addr         string
	seedProducts string
	faultsFile   string
	keyTTL       time.Duration
	maxBodyBytes int64
	writeTimeout time.Duration
	faultSeed    uint64
	strictSKUs   bool

	faultPathPrefix    string
	fault5xxRate       float64
	fault5xxStatus     int
	fault429Rate       float64
	faultRetryAfter    string
	faultLatency       time.Duration
	faultLatencyRate   float64
	faultCommitRate    float64
	faultCommitLatency time.Duration
}

func parseFlags(args []string) (config, error) {
	var c config
	fs := flag.NewFlagSet("erpsim", flag.ContinueOnError)
	fs.StringVar(&c.addr, "addr", "127.0.0.1:8090", "listen address")
	fs.StringVar(&c.seedProducts, "seed-products", "", "JSON file with a list of products to load at start")
	fs.StringVar(&c.faultsFile, "faults-file", "", "JSON file with a list of fault rules, applied before the -fault-* rules")
	fs.DurationVar(&c.keyTTL, "key-ttl", erpsim.DefaultKeyTTL, "how long Idempotency-Keys are kept")
	fs.Int64Var(&c.maxBodyBytes, "max-body-bytes", erpsim.DefaultMaxBodyBytes, "request body limit (413 beyond)")
	fs.DurationVar(&c.writeTimeout, "write-timeout", 30*time.Second, "http.Server WriteTimeout; keep above injected latencies")
	fs.Uint64Var(&c.faultSeed, "fault-seed", 0, "seed for fault probabilities (0 = random)")
	fs.BoolVar(&c.strictSKUs, "strict-skus", false, "reject invoices whose SKUs are not in the product master")

	fs.StringVar(&c.faultPathPrefix, "fault-path-prefix", "", "limit the -fault-* rules to paths with this prefix (default all /v1/)")
	fs.Float64Var(&c.fault5xxRate, "fault-5xx-rate", 0, "share of requests answered with -fault-5xx-status")
	fs.IntVar(&c.fault5xxStatus, "fault-5xx-status", 503, "status of -fault-5xx-rate faults")
	fs.Float64Var(&c.fault429Rate, "fault-429-rate", 0, "share of requests answered 429")
	fs.StringVar(&c.faultRetryAfter, "fault-retry-after", "1", "Retry-After of 429 faults: seconds (fractional ok) or an HTTP date")
	fs.DurationVar(&c.faultLatency, "fault-latency", 0, "extra latency added to requests")
	fs.Float64Var(&c.faultLatencyRate, "fault-latency-rate", 1, "share of requests that get -fault-latency")
	fs.Float64Var(&c.faultCommitRate, "fault-commit-then-timeout-rate", 0, "share of requests applied and then dropped without an answer")
	fs.DurationVar(&c.faultCommitLatency, "fault-commit-then-timeout-latency", 0, "wait before dropping a commit_then_timeout request")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected arguments: %v", fs.Args())
	}
	return c, nil
}

// faults builds the rule list: the -faults-file rules first, then one rule
// per -fault-* flag. Only one rule hits a request, tried in that order, so
// with several rates the later ones apply to what the earlier ones left.
func (c config) faults() ([]erpsim.Fault, error) {
	var faults []erpsim.Fault
	if c.faultsFile != "" {
		b, err := os.ReadFile(c.faultsFile)
		if err != nil {
			return nil, err
		}
		if err := json.Unmarshal(b, &faults); err != nil {
			return nil, fmt.Errorf("%s: %w", c.faultsFile, err)
		}
	}
	add := func(rate float64, f erpsim.Fault) {
		if rate <= 0 {
			return
		}
		f.PathPrefix = c.faultPathPrefix
		f.Probability = rate
		faults = append(faults, f)
	}
	add(c.faultCommitRate, erpsim.Fault{Kind: erpsim.FaultCommitThenTimeout, Latency: c.faultCommitLatency})
	add(c.fault5xxRate, erpsim.Fault{Kind: erpsim.FaultError, Status: c.fault5xxStatus})
	add(c.fault429Rate, erpsim.Fault{Kind: erpsim.FaultRateLimit, RetryAfter: c.faultRetryAfter})
	if c.faultLatency > 0 {
		add(c.faultLatencyRate, erpsim.Fault{Kind: erpsim.FaultLatency, Latency: c.faultLatency})
	}
	return faults, nil
}

// seedProducts loads a JSON list of products into sim.
func seedProducts(sim *erpsim.Server, path string) (int, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, err
	}
	var products []erpsim.Product
	if err := json.Unmarshal(b, &products); err != nil {
		return 0, fmt.Errorf("%s: %w", path, err)
	}
	for _, p := range products {
		if _, err := sim.PutProduct(p); err != nil {
			return 0, fmt.Errorf("%s: %w", path, err)
		}
	}
	return len(products), nil
}
