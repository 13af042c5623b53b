package encryption

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	commonpb "go.temporal.io/api/common/v1"
	"go.temporal.io/api/proxy"
	"go.temporal.io/sdk/converter"
	"google.golang.org/protobuf/proto"
)

// Payload metadata the codec writes. MetadataKeyID names the key; the
// cipher is recorded so that another one can be introduced later.
const (
	EncodingEncrypted = "binary/encrypted"
	MetadataKeyID     = "encryption-key-id"
	MetadataCipher    = "encryption-cipher"
	CipherAES256GCM   = "AES-256-GCM"
)

// ErrKeyDestroyed is returned when a payload was encrypted under a shop's
// data key that has since been destroyed.
var ErrKeyDestroyed = errors.New("the data key of this payload was destroyed")

// Codec is a Temporal payload codec encrypting with AES-256-GCM under the
// payload's shop's data key. Bound to a serialization context
// (WithSerializationContext), it finds the shop in the workflow ID; unbound,
// or for a workflow of no shop, it uses the shared key. It is safe for
// concurrent use.
type Codec struct {
	keys *keys
	shop string
}

var (
	_ converter.PayloadCodec                         = (*Codec)(nil)
	_ converter.PayloadCodecWithSerializationContext = (*Codec)(nil)
)

// New returns a codec encrypting under ring's newest master key, with the
// shops' data keys in store.
func New(ring Keyring, store KeyStore) (*Codec, error) {
	if len(ring) == 0 {
		return nil, ErrNoKeys
	}
	if store == nil {
		return nil, errors.New("encryption: no key store")
	}
	return &Codec{keys: &keys{ring: ring, store: store, aeads: map[string]cipher.AEAD{}}}, nil
}

// DataConverter returns the SDK's default data converter with c applied to
// every payload.
func (c *Codec) DataConverter() converter.DataConverter {
	return converter.NewCodecDataConverter(converter.GetDefaultDataConverter(), c)
}

// ForShop returns c bound to a shop, as if serializing in one of its
// workflows.
func (c *Codec) ForShop(shop string) *Codec { return &Codec{keys: c.keys, shop: shop} }

// WithSerializationContext binds c to the shop of the workflow the SDK is
// serializing for.
func (c *Codec) WithSerializationContext(ctx converter.SerializationContext) converter.PayloadCodec {
	var workflowID string
	switch sc := ctx.(type) {
	case converter.WorkflowSerializationContext:
		workflowID = sc.WorkflowID
	case *converter.WorkflowSerializationContext:
		workflowID = sc.WorkflowID
	case converter.ActivitySerializationContext:
		workflowID = sc.WorkflowID
	case *converter.ActivitySerializationContext:
		workflowID = sc.WorkflowID
	}
	return c.ForShop(ShopOf(workflowID))
}

// ShopOf returns the shop a workflow works for: the first "/"-separated
// part of its ID that is a myshopify domain, or "" if none is.
func ShopOf(workflowID string) string {
	for part := range strings.SplitSeq(workflowID, "/") {
		if ValidShop(part) {
			return part
		}
	}
	return ""
}

// DestroyShop destroys every data key of shop: its payloads no longer
// decode, in this process or any other sharing the key store.
func (c *Codec) DestroyShop(shop string) error {
	if err := c.keys.store.Destroy(shop); err != nil {
		return err
	}
	c.keys.forget(shop)
	return nil
}

// Encode encrypts every payload.
func (c *Codec) Encode(payloads []*commonpb.Payload) ([]*commonpb.Payload, error) {
	keyID, aead, err := c.keys.encryptionKey(c.shop)
	if err != nil {
		return payloads, err
	}
	out := make([]*commonpb.Payload, len(payloads))
	for i, p := range payloads {
		plain, err := proto.Marshal(p)
		if err != nil {
			return payloads, err
		}
		nonce := make([]byte, aead.NonceSize(), aead.NonceSize()+len(plain)+aead.Overhead())
		if _, err := rand.Read(nonce); err != nil {
			return payloads, err
		}
		out[i] = &commonpb.Payload{
			Metadata: map[string][]byte{
				converter.MetadataEncoding: []byte(EncodingEncrypted),
				MetadataKeyID:              []byte(keyID),
				MetadataCipher:             []byte(CipherAES256GCM),
			},
			Data: aead.Seal(nonce, nonce, plain, []byte(keyID)),
		}
	}
	return out, nil
}

// Decode decrypts every encrypted payload and passes the others through
// unchanged.
func (c *Codec) Decode(payloads []*commonpb.Payload) ([]*commonpb.Payload, error) {
	out := make([]*commonpb.Payload, len(payloads))
	for i, p := range payloads {
		if string(p.GetMetadata()[converter.MetadataEncoding]) != EncodingEncrypted {
			out[i] = p
			continue
		}
		if cph := string(p.GetMetadata()[MetadataCipher]); cph != CipherAES256GCM {
			return payloads, fmt.Errorf("encryption: unknown cipher %q", cph)
		}
		keyID := string(p.GetMetadata()[MetadataKeyID])
		aead, err := c.keys.decryptionKey(keyID)
		if err != nil {
			return payloads, err
		}
		if len(p.GetData()) < aead.NonceSize() {
			return payloads, errors.New("encryption: payload too short")
		}
		nonce, sealed := p.GetData()[:aead.NonceSize()], p.GetData()[aead.NonceSize():]
		plain, err := aead.Open(nil, nonce, sealed, []byte(keyID))
		if err != nil {
			return payloads, fmt.Errorf("encryption: payload under key %s does not decrypt: %w", keyID, err)
		}
		out[i] = &commonpb.Payload{}
		if err := proto.Unmarshal(plain, out[i]); err != nil {
			return payloads, fmt.Errorf("encryption: decrypted payload: %w", err)
		}
	}
	return out, nil
}

// keys resolves key IDs to ciphers, caching unwrapped data keys by ID. A
// shop key's ID holds its generation, and the store is asked on every use,
// so a destroyed key stops working at once even though it is cached.
type keys struct {
	ring  Keyring
	store KeyStore

	mu    sync.Mutex
	aeads map[string]cipher.AEAD
}

// Key IDs: "<master>" for the shared key, "<master>/<shop>/<generation>"
// for a shop's data key.
func shopKeyID(masterID, shop, generation string) string {
	return masterID + "/" + shop + "/" + generation
}

func (k *keys) encryptionKey(shop string) (string, cipher.AEAD, error) {
	master := k.ring.Current()
	if shop == "" {
		aead, err := k.shared(master)
		return master.ID, aead, err
	}
	wk, err := k.store.Get(shop, master.ID)
	if errors.Is(err, ErrNoDataKey) {
		wk, err = k.create(shop, master)
	}
	if err != nil {
		return "", nil, err
	}
	id := shopKeyID(master.ID, shop, wk.Generation)
	aead, err := k.unwrap(id, wk)
	return id, aead, err
}

func (k *keys) decryptionKey(keyID string) (cipher.AEAD, error) {
	parts := strings.Split(keyID, "/")
	master, ok := k.ring.Find(parts[0])
	if !ok {
		return nil, fmt.Errorf("encryption: master key %q is not in the keyring", parts[0])
	}
	switch len(parts) {
	case 1:
		return k.shared(master)
	case 3:
		wk, err := k.store.Get(parts[1], master.ID)
		if errors.Is(err, ErrNoDataKey) || (err == nil && wk.Generation != parts[2]) {
			return nil, fmt.Errorf("encryption: shop %s: %w", parts[1], ErrKeyDestroyed)
		}
		if err != nil {
			return nil, err
		}
		return k.unwrap(keyID, wk)
	default:
		return nil, fmt.Errorf("encryption: malformed key ID %q", keyID)
	}
}

func (k *keys) shared(master MasterKey) (cipher.AEAD, error) {
	k.mu.Lock()
	aead, ok := k.aeads[master.ID]
	k.mu.Unlock()
	if ok {
		return aead, nil
	}
	key, err := hkdf.Key(sha256.New, master.Key, nil, "shopflow shared payload key", KeySize)
	if err != nil {
		return nil, err
	}
	if aead, err = newAEAD(key); err != nil {
		return nil, err
	}
	k.mu.Lock()
	k.aeads[master.ID] = aead
	k.mu.Unlock()
	return aead, nil
}

func (k *keys) create(shop string, master MasterKey) (WrappedKey, error) {
	gen, err := randomBytes(8)
	if err != nil {
		return WrappedKey{}, err
	}
	dataKey, err := randomBytes(KeySize)
	if err != nil {
		return WrappedKey{}, err
	}
	wk, err := Wrap(master, shop, hex.EncodeToString(gen), dataKey)
	if err != nil {
		return WrappedKey{}, err
	}
	return k.store.Put(wk)
}

// Wrap encrypts a shop's data key of the given generation under master, as
// a KeyStore keeps it. The codec makes data keys itself; Wrap is for key
// stores that derive them (tests).
func Wrap(master MasterKey, shop, generation string, dataKey []byte) (WrappedKey, error) {
	wk := WrappedKey{Shop: shop, MasterKeyID: master.ID, Generation: generation, CreatedAt: time.Now().UTC()}
	wrapper, err := newAEAD(master.Key)
	if err != nil {
		return WrappedKey{}, err
	}
	nonce, err := randomBytes(wrapper.NonceSize())
	if err != nil {
		return WrappedKey{}, err
	}
	wk.Wrapped = wrapper.Seal(nonce, nonce, dataKey, wrapAAD(shopKeyID(master.ID, shop, generation)))
	return wk, nil
}

func (k *keys) unwrap(id string, wk WrappedKey) (cipher.AEAD, error) {
	k.mu.Lock()
	aead, ok := k.aeads[id]
	k.mu.Unlock()
	if ok {
		return aead, nil
	}
	master, ok := k.ring.Find(wk.MasterKeyID)
	if !ok {
		return nil, fmt.Errorf("encryption: master key %q is not in the keyring", wk.MasterKeyID)
	}
	wrapper, err := newAEAD(master.Key)
	if err != nil {
		return nil, err
	}
	if len(wk.Wrapped) < wrapper.NonceSize() {
		return nil, fmt.Errorf("encryption: data key %s is corrupt", id)
	}
	dataKey, err := wrapper.Open(nil, wk.Wrapped[:wrapper.NonceSize()], wk.Wrapped[wrapper.NonceSize():], wrapAAD(id))
	if err != nil {
		return nil, fmt.Errorf("encryption: data key %s does not unwrap: %w", id, err)
	}
	if aead, err = newAEAD(dataKey); err != nil {
		return nil, err
	}
	k.mu.Lock()
	k.aeads[id] = aead
	k.mu.Unlock()
	return aead, nil
}

func (k *keys) forget(shop string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	for id := range k.aeads {
		if parts := strings.Split(id, "/"); len(parts) == 3 && parts[1] == shop {
			delete(k.aeads, id)
		}
	}
}

func wrapAAD(keyID string) []byte { return []byte("shopflow data key " + keyID) }

func newAEAD(key []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

func randomBytes(n int) ([]byte, error) {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		return nil, err
	}
	return b, nil
}

// DecodeMessage decodes, in place, every payload of msg but its search
// attributes (which Temporal indexes in clear): for example a history
// read with the raw API, to be shown or recorded.
func (c *Codec) DecodeMessage(ctx context.Context, msg proto.Message) error {
	return proxy.VisitPayloads(ctx, msg, proxy.VisitPayloadsOptions{
		SkipSearchAttributes: true,
		Visitor: func(_ *proxy.VisitPayloadsContext, p []*commonpb.Payload) ([]*commonpb.Payload, error) {
			return c.Decode(p)
		},
	})
}
