package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/shopflow/shopflow/internal/encryption"
	"github.com/shopflow/shopflow/starter/codecserver"
)

// devCodecToken is the dev stack's codec-server bearer token: the stack
// listens on loopback only, and the token is printed with the addresses.
const devCodecToken = "shopflow-dev-codec-token"

// devEncryption returns the environment of the processes that encrypt or
// decrypt payloads: a master key made on first start and kept in the data
// folder (so that persisted workflows stay readable across restarts), and
// the data folder's key store.
func devEncryption(dataDir string) ([]string, error) {
	keysFile := filepath.Join(dataDir, "encryption-keys")
	if _, err := os.Stat(keysFile); errors.Is(err, fs.ErrNotExist) {
		key, err := encryption.NewKey("dev1")
		if err != nil {
			return nil, err
		}
		if err := os.WriteFile(keysFile, []byte(key+"\n"), 0o600); err != nil {
			return nil, fmt.Errorf("writing the dev master key: %w", err)
		}
	} else if err != nil {
		return nil, err
	}
	abs, err := filepath.Abs(dataDir)
	if err != nil {
		return nil, err
	}
	return []string{
		encryption.EnvKeysFile + "=" + filepath.Join(abs, "encryption-keys"),
		encryption.EnvKeyStore + "=" + filepath.Join(abs, "keys"),
	}, nil
}

// codecEnv is the codec server's environment: the keys and its token.
func codecEnv(enc []string) []string {
	return append(append([]string(nil), enc...), codecserver.EnvTokens+"="+devCodecToken)
}
