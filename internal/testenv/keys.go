package testenv

import (
	"crypto/hkdf"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"sync"
	"testing"

	"go.temporal.io/sdk/converter"

	"github.com/shopflow/shopflow/internal/encryption"
)

// testMasterKey is every test binary's master key: public, and the same
// everywhere, so that a history recorded encrypted by one test binary
// (-record-histories) replays in another (workflows' replay test).
var testMasterKey = encryption.MasterKey{ID: "test1", Key: sha256Sum("shopflow test master key, not a secret")}

func sha256Sum(s string) []byte {
	sum := sha256.Sum256([]byte(s))
	return sum[:]
}

// TestKeyring is the test binaries' keyring.
func TestKeyring() encryption.Keyring { return encryption.Keyring{testMasterKey} }

// derivedStore is the tests' key store: each shop's data key is derived
// from the master key and the shop, so that it is the same in every test
// binary, and written to a FileStore, so that commands run by a test read
// it from files like production processes (SetEncryptionEnv). Destroying
// a shop's key holds for the rest of the test binary.
type derivedStore struct {
	ring      encryption.Keyring
	files     *encryption.FileStore
	mu        sync.Mutex
	destroyed map[string]bool
}

// TestKeyStore returns a key store like the test stacks' (keys derived from
// TestKeyring, written below dir), or the error of creating dir.
func TestKeyStore(dir string) (encryption.KeyStore, error) {
	files, err := encryption.NewFileStore(dir)
	if err != nil {
		return nil, err
	}
	return &derivedStore{ring: TestKeyring(), files: files, destroyed: map[string]bool{}}, nil
}

var errDestroyedInTest = errors.New("testenv: this shop's data key was destroyed earlier in this test binary")

func (s *derivedStore) Get(shop, masterID string) (encryption.WrappedKey, error) {
	s.mu.Lock()
	destroyed := s.destroyed[shop]
	s.mu.Unlock()
	master, ok := s.ring.Find(masterID)
	if destroyed || !ok || !encryption.ValidShop(shop) {
		return encryption.WrappedKey{}, encryption.ErrNoDataKey
	}
	if wk, err := s.files.Get(shop, masterID); !errors.Is(err, encryption.ErrNoDataKey) {
		return wk, err
	}
	dataKey, err := hkdf.Key(sha256.New, master.Key, nil, "shopflow test data key "+shop, encryption.KeySize)
	if err != nil {
		return encryption.WrappedKey{}, err
	}
	wk, err := encryption.Wrap(master, shop, "test", dataKey)
	if err != nil {
		return encryption.WrappedKey{}, err
	}
	return s.files.Put(wk)
}

func (s *derivedStore) Put(k encryption.WrappedKey) (encryption.WrappedKey, error) {
	wk, err := s.Get(k.Shop, k.MasterKeyID)
	if errors.Is(err, encryption.ErrNoDataKey) {
		return wk, errDestroyedInTest
	}
	return wk, err
}

func (s *derivedStore) Destroy(shop string) error {
	s.mu.Lock()
	s.destroyed[shop] = true
	s.mu.Unlock()
	return s.files.Destroy(shop)
}

// SetEncryptionEnv points the encryption variables of this process at the
// test keys for the rest of t, so that commands a test runs (which read
// their keys from the environment, as in production) share the stacks'.
func SetEncryptionEnv(t *testing.T) {
	t.Helper()
	Temporal(t)
	t.Setenv(encryption.EnvKeys, testMasterKey.ID+"="+base64.StdEncoding.EncodeToString(testMasterKey.Key))
	t.Setenv(encryption.EnvKeysFile, "")
	t.Setenv(encryption.EnvKeyStore, shared.keyDir)
}

// DataConverter returns a data converter over the test keys without
// starting a dev server: for replaying recorded histories, encrypted or
// not. Its key files go to a directory of t's.
func DataConverter(t testing.TB) converter.DataConverter {
	t.Helper()
	store, err := TestKeyStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	c, err := encryption.New(TestKeyring(), store)
	if err != nil {
		t.Fatal(err)
	}
	return c.DataConverter()
}
