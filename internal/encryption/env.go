package encryption

import "os"

// FromEnv returns the codec the environment configures: master keys from
// EnvKeys or EnvKeysFile, data keys in the directory EnvKeyStore. It
// returns ErrNoKeys when no master key is set.
func FromEnv() (*Codec, error) {
	ring, err := KeyringFromEnv()
	if err != nil {
		return nil, err
	}
	store, err := NewFileStore(os.Getenv(EnvKeyStore))
	if err != nil {
		return nil, err
	}
	return New(ring, store)
}
