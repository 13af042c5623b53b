// Package codecserver serves Temporal's remote codec protocol (POST
// /encode and /decode, Payloads as protojson) over shopflow's payload codec,
// so that the Web UI and the temporal CLI show decrypted payloads to
// operators who hold a token: `starter codec-server`.
//
// Every request but the CORS preflight (which browsers send without
// credentials) and /healthz needs "Authorization: Bearer <token>". Only
// the configured origins (the Web UI's) may call it from a browser.
package codecserver

import (
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"log/slog"
	"net/http"
	"os"
	"slices"
	"strings"

	"go.temporal.io/sdk/converter"
)

// Config configures the handler.
type Config struct {
	// Codec encodes and decodes; shopflow's encryption.Codec.
	Codec converter.PayloadCodec
	// Tokens are the bearer tokens accepted; two while rotating.
	Tokens []string
	// Origins are the browser origins allowed, e.g. the Web UI's
	// "http://127.0.0.1:8233".
	Origins []string
	// MaxBodyBytes bounds a request's body; 4 MiB if zero (a page of the
	// Web UI decodes many payloads at once, each at most 2 MiB).
	MaxBodyBytes int64
	// Logger logs each refused request, never a body or a token.
	Logger *slog.Logger
}

// EnvTokens and EnvTokensFile are where the bearer tokens come from,
// comma-separated, never from flags.
const (
	EnvTokens     = "SHOPFLOW_CODEC_TOKENS"
	EnvTokensFile = "SHOPFLOW_CODEC_TOKENS_FILE"
)

// TokensFromEnv reads the bearer tokens from EnvTokens or, if it is empty,
// the file EnvTokensFile names (one a line or comma-separated).
func TokensFromEnv() ([]string, error) {
	s := os.Getenv(EnvTokens)
	if s == "" {
		if path := os.Getenv(EnvTokensFile); path != "" {
			data, err := os.ReadFile(path)
			if err != nil {
				return nil, err
			}
			s = string(data)
		}
	}
	var tokens []string
	for _, t := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '\n' || r == '\r' }) {
		if t = strings.TrimSpace(t); t != "" {
			tokens = append(tokens, t)
		}
	}
	if len(tokens) == 0 {
		return nil, errors.New("no codec server token: set " + EnvTokens + " or " + EnvTokensFile)
	}
	for _, t := range tokens {
		if len(t) < 16 {
			return nil, errors.New("codec server tokens must be at least 16 characters")
		}
	}
	return tokens, nil
}

// NewHandler returns the codec server's handler.
func NewHandler(cfg Config) http.Handler {
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = 4 << 20
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	h := &handler{cfg: cfg, codec: converter.NewPayloadCodecHTTPHandler(cfg.Codec)}
	for _, t := range cfg.Tokens {
		sum := sha256.Sum256([]byte(t))
		h.tokens = append(h.tokens, sum[:])
	}
	return h
}

type handler struct {
	cfg    Config
	codec  http.Handler
	tokens [][]byte // SHA-256 of each token, compared in constant time
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/healthz" && r.Method == http.MethodGet {
		w.Write([]byte("ok\n"))
		return
	}
	if origin := r.Header.Get("Origin"); origin != "" {
		if !slices.Contains(h.cfg.Origins, origin) {
			h.refuse(w, r, http.StatusForbidden, "origin not allowed")
			return
		}
		w.Header().Set("Access-Control-Allow-Origin", origin)
		w.Header().Set("Access-Control-Allow-Credentials", "true")
		w.Header().Add("Vary", "Origin")
		if r.Method == http.MethodOptions {
			w.Header().Set("Access-Control-Allow-Methods", "POST, OPTIONS")
			w.Header().Set("Access-Control-Allow-Headers", "Authorization, Content-Type, X-Namespace")
			w.Header().Set("Access-Control-Max-Age", "600")
			w.WriteHeader(http.StatusNoContent)
			return
		}
	}
	if !h.authorized(r) {
		w.Header().Set("WWW-Authenticate", `Bearer realm="shopflow codec"`)
		h.refuse(w, r, http.StatusUnauthorized, "missing or wrong bearer token")
		return
	}
	if r.Method != http.MethodPost || (!strings.HasSuffix(r.URL.Path, "/encode") && !strings.HasSuffix(r.URL.Path, "/decode")) {
		h.refuse(w, r, http.StatusNotFound, "not a codec endpoint")
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, h.cfg.MaxBodyBytes)
	h.codec.ServeHTTP(w, r)
}

func (h *handler) authorized(r *http.Request) bool {
	token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || token == "" {
		return false
	}
	sum := sha256.Sum256([]byte(token))
	found := 0
	for _, t := range h.tokens {
		found |= subtle.ConstantTimeCompare(sum[:], t)
	}
	return found == 1
}

func (h *handler) refuse(w http.ResponseWriter, r *http.Request, status int, why string) {
	h.cfg.Logger.Warn("codec request refused", "status", status, "reason", why, "method", r.Method, "path", r.URL.Path, "origin", r.Header.Get("Origin"))
	http.Error(w, why, status)
}
