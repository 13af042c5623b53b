package encryption

import (
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"regexp"
	"strings"
)

// KeySize is the size of every key: AES-256.
const KeySize = 32

// MasterKey is one master key: its ID, recorded in the metadata of every
// payload it encrypts (through a data key), and its 32 bytes.
type MasterKey struct {
	ID  string
	Key []byte
}

// Keyring holds the master keys, newest first: the first encrypts, all
// decrypt.
type Keyring []MasterKey

var keyIDPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// ParseKeyring reads master keys written as "id=base64key", separated by
// commas, semicolons or newlines, newest first; blank lines and lines
// starting with # are skipped. Each key must decode to 32 bytes.
func ParseKeyring(s string) (Keyring, error) {
	var ring Keyring
	seen := map[string]bool{}
	fields := strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == '\n' || r == '\r' })
	for _, f := range fields {
		f = strings.TrimSpace(f)
		if f == "" || strings.HasPrefix(f, "#") {
			continue
		}
		id, b64, ok := strings.Cut(f, "=")
		id = strings.TrimSpace(id)
		if !ok || !keyIDPattern.MatchString(id) {
			// The entry may hold key material: name its position, not its text.
			return nil, fmt.Errorf("encryption key %d: want id=base64key with an id of letters, digits, - or _", len(ring)+1)
		}
		key, err := base64.StdEncoding.DecodeString(strings.TrimSpace(b64))
		if err != nil {
			return nil, fmt.Errorf("encryption key %q: not base64", id)
		}
		if len(key) != KeySize {
			return nil, fmt.Errorf("encryption key %q: %d bytes, want %d", id, len(key), KeySize)
		}
		if seen[id] {
			return nil, fmt.Errorf("encryption key %q listed twice", id)
		}
		seen[id] = true
		ring = append(ring, MasterKey{ID: id, Key: key})
	}
	return ring, nil
}

// Current returns the master key that encrypts.
func (r Keyring) Current() MasterKey { return r[0] }

// Find returns the master key with the given ID.
func (r Keyring) Find(id string) (MasterKey, bool) {
	for _, k := range r {
		if k.ID == id {
			return k, true
		}
	}
	return MasterKey{}, false
}

// The environment variables the keys and the key store come from.
const (
	// EnvKeys holds the master keys, as ParseKeyring reads them.
	EnvKeys = "SHOPFLOW_ENCRYPTION_KEYS"
	// EnvKeysFile names a file holding the master keys, one a line.
	EnvKeysFile = "SHOPFLOW_ENCRYPTION_KEYS_FILE"
	// EnvKeyStore is the directory of the per-shop data keys.
	EnvKeyStore = "SHOPFLOW_KEY_STORE"
)

// ErrNoKeys is returned by KeyringFromEnv when no master key is configured.
var ErrNoKeys = errors.New("no encryption keys: set " + EnvKeys + " or " + EnvKeysFile)

// KeyringFromEnv reads the master keys from EnvKeys or, if it is empty,
// from the file EnvKeysFile names.
func KeyringFromEnv() (Keyring, error) {
	s := os.Getenv(EnvKeys)
	if s == "" {
		if path := os.Getenv(EnvKeysFile); path != "" {
			data, err := os.ReadFile(path)
			if err != nil {
				return nil, fmt.Errorf("reading %s: %w", EnvKeysFile, err)
			}
			s = string(data)
		}
	}
	ring, err := ParseKeyring(s)
	if err != nil {
		return nil, err
	}
	if len(ring) == 0 {
		return nil, ErrNoKeys
	}
	return ring, nil
}

// NewKey returns a new random key in the form ParseKeyring reads, for
// `starter codec-server new-key` and tests.
func NewKey(id string) (string, error) {
	key, err := randomBytes(KeySize)
	if err != nil {
		return "", err
	}
	return id + "=" + base64.StdEncoding.EncodeToString(key), nil
}
