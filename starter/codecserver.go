package main

import (
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/shopflow/shopflow/internal/encryption"
	"github.com/shopflow/shopflow/internal/env"
	"github.com/shopflow/shopflow/internal/httpserver"
	"github.com/shopflow/shopflow/internal/logging"
	"github.com/shopflow/shopflow/starter/codecserver"
)

func codecServerCommand() *cobra.Command {
	var (
		listen  string
		origins string
		maxBody int64
	)
	cmd := &cobra.Command{
		Use:   "codec-server",
		Short: "Serve Temporal's /encode and /decode for the Web UI and the CLI, behind a bearer token",
		Long: `Serve Temporal's remote codec protocol over shopflow's payload encryption,
so that operators read decrypted payloads in the Web UI (started with
--ui-codec-endpoint, or its codec setting) and with the temporal CLI
(--codec-endpoint http://127.0.0.1:8234 --codec-auth "Bearer $TOKEN").

Keys come from the environment only: the master keys from
SHOPFLOW_ENCRYPTION_KEYS or SHOPFLOW_ENCRYPTION_KEYS_FILE, the shops' data keys
from the directory SHOPFLOW_KEY_STORE (the worker's and the ingress's), the
bearer tokens from SHOPFLOW_CODEC_TOKENS or SHOPFLOW_CODEC_TOKENS_FILE
(comma-separated; two while rotating). Every request needs
"Authorization: Bearer <token>"; browsers may call it only from --ui-origin.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			codec, err := encryption.FromEnv()
			if err != nil {
				return err
			}
			tokens, err := codecserver.TokensFromEnv()
			if err != nil {
				return err
			}
			logger := logging.New("codec-server")
			handler := codecserver.NewHandler(codecserver.Config{
				Codec: codec, Tokens: tokens, Origins: splitList(origins), MaxBodyBytes: maxBody, Logger: logger,
			})
			ln, err := net.Listen("tcp", listen)
			if err != nil {
				return err
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			logger.Info("codec server listening", "addr", "http://"+ln.Addr().String(), "origins", origins, "tokens", len(tokens))
			return httpserver.Serve(ctx, ln, handler, logger)
		},
	}
	cmd.Flags().StringVar(&listen, "listen", env.Or("SHOPFLOW_CODEC_LISTEN", "127.0.0.1:8234"), "address to serve on (env SHOPFLOW_CODEC_LISTEN)")
	cmd.Flags().StringVar(&origins, "ui-origin", env.Or("SHOPFLOW_CODEC_UI_ORIGINS", "http://127.0.0.1:8233,http://localhost:8233"),
		"comma-separated browser origins allowed to call it: the Web UI's (env SHOPFLOW_CODEC_UI_ORIGINS)")
	cmd.Flags().Int64Var(&maxBody, "max-body-bytes", 4<<20, "largest request body accepted; larger ones get 413")
	cmd.AddCommand(newKeyCommand())
	return cmd
}

// newKeyCommand makes a master key: printed, or written to a file that
// does not exist yet (so that a container's init step runs once).
func newKeyCommand() *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:   "new-key ID",
		Short: "Make a new random master key, ID=base64, for SHOPFLOW_ENCRYPTION_KEYS(_FILE)",
		Long: `Make a new random master key. With --out, write it to that file (mode 0600)
unless the file exists, which is left as it is: a key is never overwritten.
To rotate, put the new key first in the keys file and keep the old ones after it.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			k, err := encryption.NewKey(args[0])
			if err != nil {
				return err
			}
			if _, err := encryption.ParseKeyring(k); err != nil {
				return err
			}
			if out == "" {
				fmt.Fprintln(cmd.OutOrStdout(), k)
				return nil
			}
			f, err := os.OpenFile(out, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
			if errors.Is(err, fs.ErrExist) {
				fmt.Fprintf(cmd.OutOrStdout(), "%s exists: kept\n", out)
				return nil
			}
			if err != nil {
				return err
			}
			if _, err := fmt.Fprintln(f, k); err != nil {
				f.Close()
				return err
			}
			if err := f.Close(); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "wrote master key %s to %s\n", args[0], out)
			return nil
		},
	}
	cmd.Flags().StringVar(&out, "out", "", "write the key to this new file instead of printing it")
	return cmd
}

// splitList splits a comma-separated flag, dropping blanks.
func splitList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}
