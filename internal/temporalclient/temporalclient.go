// Package temporalclient connects shopflow's processes to Temporal with the
// same flags and environment variables as the temporal CLI, so that the
// binaries run unchanged against the dev server and a real cluster.
package temporalclient

import (
	"flag"
	"log/slog"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/log"

	"github.com/shopflow/shopflow/internal/env"
)

// Options says where Temporal is.
type Options struct {
	Address   string
	Namespace string
}

// Defaults reads TEMPORAL_ADDRESS and TEMPORAL_NAMESPACE, falling back to the
// local dev server's 127.0.0.1:7233 and "default".
func Defaults() Options {
	return Options{
		Address:   env.Or("TEMPORAL_ADDRESS", "127.0.0.1:7233"),
		Namespace: env.Or("TEMPORAL_NAMESPACE", "default"),
	}
}

// RegisterFlags adds --temporal-address and --namespace to fs, defaulting
// to the environment.
func (o *Options) RegisterFlags(fs *flag.FlagSet) {
	d := Defaults()
	fs.StringVar(&o.Address, "temporal-address", d.Address, "Temporal frontend host:port (env TEMPORAL_ADDRESS)")
	fs.StringVar(&o.Namespace, "namespace", d.Namespace, "Temporal namespace (env TEMPORAL_NAMESPACE)")
}

// ClientOptions returns the SDK options, logging through logger.
func (o Options) ClientOptions(logger *slog.Logger) client.Options {
	return client.Options{
		HostPort:  o.Address,
		Namespace: o.Namespace,
		Logger:    log.NewStructuredLogger(logger),
	}
}

// Dial connects to Temporal and fails if it cannot be reached.
func (o Options) Dial(logger *slog.Logger) (client.Client, error) {
	return client.Dial(o.ClientOptions(logger))
}

// DialLazy returns a client that connects on first use, for processes that
// must start, and report themselves unready, while Temporal is down.
func (o Options) DialLazy(logger *slog.Logger) (client.Client, error) {
	return client.NewLazyClient(o.ClientOptions(logger))
}
