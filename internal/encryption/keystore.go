package encryption

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"time"
)

// WrappedKey is a shop's data key as stored: encrypted by a master key.
type WrappedKey struct {
	Shop        string `json:"shop"`
	MasterKeyID string `json:"master_key_id"`
	// Generation tells apart the keys a shop had under the same master key
	// before and after it was destroyed; it is part of the key's ID.
	Generation string    `json:"generation"`
	Wrapped    []byte    `json:"wrapped"`
	CreatedAt  time.Time `json:"created_at"`
}

// ErrNoDataKey is returned by KeyStore.Get when the shop has no data key
// under the master key: never created, or destroyed.
var ErrNoDataKey = errors.New("no data key")

// KeyStore keeps the shops' wrapped data keys durably, shared by every
// process that encrypts or decrypts.
type KeyStore interface {
	// Get returns the shop's data key wrapped by master key masterID, or
	// ErrNoDataKey.
	Get(shop, masterID string) (WrappedKey, error)
	// Put stores k unless the shop already has a key under k's master key,
	// and returns the key stored: the first writer wins, so that concurrent
	// processes encrypt under the same key.
	Put(k WrappedKey) (WrappedKey, error)
	// Destroy deletes every data key of the shop, making its payloads
	// undecodable. Destroying a shop without keys is not an error.
	Destroy(shop string) error
}

var shopPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*\.myshopify\.com$`)

// ValidShop reports whether shop is a myshopify domain, the only names
// the key store accepts (they become directory names).
func ValidShop(shop string) bool { return shopPattern.MatchString(shop) }

// FileStore is a KeyStore in a directory: Root/<shop>/<master key ID>.json.
// See the package documentation for how it is shared and destroyed.
type FileStore struct {
	Root string
}

// NewFileStore returns a store in dir, creating it (mode 0700) if needed.
func NewFileStore(dir string) (*FileStore, error) {
	if dir == "" {
		return nil, errors.New("key store: no directory (set " + EnvKeyStore + ")")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("key store: %w", err)
	}
	return &FileStore{Root: dir}, nil
}

func (s *FileStore) path(shop, masterID string) (string, error) {
	if !ValidShop(shop) {
		return "", fmt.Errorf("key store: %q is not a myshopify domain", shop)
	}
	if !keyIDPattern.MatchString(masterID) {
		return "", fmt.Errorf("key store: bad master key ID %q", masterID)
	}
	return filepath.Join(s.Root, shop, masterID+".json"), nil
}

// Get implements KeyStore.
func (s *FileStore) Get(shop, masterID string) (WrappedKey, error) {
	path, err := s.path(shop, masterID)
	if err != nil {
		return WrappedKey{}, err
	}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return WrappedKey{}, ErrNoDataKey
	}
	if err != nil {
		return WrappedKey{}, fmt.Errorf("key store: %w", err)
	}
	var k WrappedKey
	if err := json.Unmarshal(data, &k); err != nil {
		return WrappedKey{}, fmt.Errorf("key store: %s is corrupt: %w", path, err)
	}
	return k, nil
}

// Put implements KeyStore: the key is written to a temporary file and
// hard-linked into place, which fails if another process got there first.
func (s *FileStore) Put(k WrappedKey) (WrappedKey, error) {
	path, err := s.path(k.Shop, k.MasterKeyID)
	if err != nil {
		return WrappedKey{}, err
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return WrappedKey{}, fmt.Errorf("key store: %w", err)
	}
	data, err := json.Marshal(k)
	if err != nil {
		return WrappedKey{}, err
	}
	tmp, err := os.CreateTemp(dir, ".new-*")
	if err != nil {
		return WrappedKey{}, fmt.Errorf("key store: %w", err)
	}
	defer os.Remove(tmp.Name())
	_, err = tmp.Write(data)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return WrappedKey{}, fmt.Errorf("key store: %w", err)
	}
	if err := os.Link(tmp.Name(), path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return s.Get(k.Shop, k.MasterKeyID)
		}
		return WrappedKey{}, fmt.Errorf("key store: %w", err)
	}
	return k, syncDir(dir)
}

// Destroy implements KeyStore: the shop's directory is renamed away first,
// so that no process reads a half-deleted key, then removed.
func (s *FileStore) Destroy(shop string) error {
	if !ValidShop(shop) {
		return fmt.Errorf("key store: %q is not a myshopify domain", shop)
	}
	suffix, err := randomBytes(8)
	if err != nil {
		return err
	}
	doomed := filepath.Join(s.Root, ".destroyed-"+shop+"-"+hex.EncodeToString(suffix))
	if err := os.Rename(filepath.Join(s.Root, shop), doomed); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		return fmt.Errorf("key store: %w", err)
	}
	if err := os.RemoveAll(doomed); err != nil {
		return fmt.Errorf("key store: %w", err)
	}
	return syncDir(s.Root)
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
