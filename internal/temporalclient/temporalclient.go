// Package temporalclient connects shopflow's processes to Temporal with the
// same flags and environment variables as the temporal CLI, so that the
// binaries run unchanged against the dev server and a real cluster. Every
// client it dials encrypts payloads when keys are configured (package
// internal/encryption), so that worker, ingress and every command read and
// write the same encrypted histories.
package temporalclient

import (
	"errors"
	"flag"
	"log/slog"
	"sync"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/log"

	"github.com/shopflow/shopflow/internal/encryption"
	"github.com/shopflow/shopflow/internal/env"
)

// Options says where Temporal is.
type Options struct {
	Address   string
	Namespace string
	// Codec encrypts payloads; if nil, Dial reads it from the environment
	// (encryption.FromEnv), and without keys there payloads stay in clear.
	Codec *encryption.Codec
	// MetricsHandler receives the SDK's own metrics (see
	// workermetrics.SDKMetricsHandler); nil reports none.
	MetricsHandler client.MetricsHandler
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
// to the environment. Encryption keys are never flags.
func (o *Options) RegisterFlags(fs *flag.FlagSet) {
	d := Defaults()
	fs.StringVar(&o.Address, "temporal-address", d.Address, "Temporal frontend host:port (env TEMPORAL_ADDRESS)")
	fs.StringVar(&o.Namespace, "namespace", d.Namespace, "Temporal namespace (env TEMPORAL_NAMESPACE)")
}

// ClientOptions returns the SDK options, logging through logger, with the
// payload codec. It fails if the encryption settings are wrong.
func (o *Options) ClientOptions(logger *slog.Logger) (client.Options, error) {
	dc, err := o.DataConverter(logger)
	if err != nil {
		return client.Options{}, err
	}
	opts := client.Options{
		HostPort:      o.Address,
		Namespace:     o.Namespace,
		Logger:        log.NewStructuredLogger(logger),
		DataConverter: dc,
		// Nil is the SDK's no-op handler.
		MetricsHandler: o.MetricsHandler,
	}
	if o.Codec != nil {
		// Failure messages are encrypted too.
		opts.FailureConverter = o.Codec.FailureConverter()
	}
	return opts, nil
}

// DataConverter returns the data converter of o's clients, for code that
// decodes raw history events: the codec's, or the SDK's default when no
// encryption keys are configured (logged once as a warning).
func (o *Options) DataConverter(logger *slog.Logger) (converter.DataConverter, error) {
	if o.Codec == nil {
		c, err := encryption.FromEnv()
		if errors.Is(err, encryption.ErrNoKeys) {
			warnClear.Do(func() {
				logger.Warn("payload encryption is off: payloads reach Temporal in clear", "hint", "set "+encryption.EnvKeys+" and "+encryption.EnvKeyStore)
			})
			return converter.GetDefaultDataConverter(), nil
		}
		if err != nil {
			return nil, err
		}
		o.Codec = c
	}
	return o.Codec.DataConverter(), nil
}

// warnClear warns once a process that encryption is off.
var warnClear sync.Once

// Dial connects to Temporal and fails if it cannot be reached.
func (o Options) Dial(logger *slog.Logger) (client.Client, error) {
	opts, err := o.ClientOptions(logger)
	if err != nil {
		return nil, err
	}
	return client.Dial(opts)
}

// DialLazy returns a client that connects on first use, for processes that
// must start, and report themselves unready, while Temporal is down.
func (o Options) DialLazy(logger *slog.Logger) (client.Client, error) {
	opts, err := o.ClientOptions(logger)
	if err != nil {
		return nil, err
	}
	return client.NewLazyClient(opts)
}
