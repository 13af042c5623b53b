package encryption_test

import (
	"bytes"
	"errors"
	"strings"
	"sync"
	"testing"

	commonpb "go.temporal.io/api/common/v1"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/temporal"
	"google.golang.org/protobuf/proto"

	"github.com/shopflow/shopflow/internal/encryption"
)

const secret = `{"email":"jane@example.com","name":"Jane Doe"}`

func ring(t *testing.T, ids ...string) encryption.Keyring {
	t.Helper()
	var specs []string
	for _, id := range ids {
		s, err := encryption.NewKey(id)
		if err != nil {
			t.Fatal(err)
		}
		specs = append(specs, s)
	}
	r, err := encryption.ParseKeyring(strings.Join(specs, ","))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func newCodec(t *testing.T, r encryption.Keyring, dir string) *encryption.Codec {
	t.Helper()
	store, err := encryption.NewFileStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	c, err := encryption.New(r, store)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func payload(t *testing.T) *commonpb.Payload {
	t.Helper()
	p, err := converter.GetDefaultDataConverter().ToPayload(secret)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func encode(t *testing.T, c converter.PayloadCodec) *commonpb.Payload {
	t.Helper()
	out, err := c.Encode([]*commonpb.Payload{payload(t)})
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(out[0].GetData(), []byte("jane")) {
		t.Fatal("encrypted payload holds the email in clear")
	}
	return out[0]
}

func decode(c converter.PayloadCodec, p *commonpb.Payload) (string, error) {
	out, err := c.Decode([]*commonpb.Payload{p})
	if err != nil {
		return "", err
	}
	var s string
	err = converter.GetDefaultDataConverter().FromPayload(out[0], &s)
	return s, err
}

func TestRoundTripAndMetadata(t *testing.T) {
	c := newCodec(t, ring(t, "k1"), t.TempDir())
	shop := c.WithSerializationContext(converter.WorkflowSerializationContext{WorkflowID: "webhook/a-shop.myshopify.com/w1"})
	p := encode(t, shop)
	if got := string(p.Metadata[converter.MetadataEncoding]); got != encryption.EncodingEncrypted {
		t.Errorf("encoding %q", got)
	}
	if id := string(p.Metadata[encryption.MetadataKeyID]); !strings.HasPrefix(id, "k1/a-shop.myshopify.com/") {
		t.Errorf("key ID %q does not name the master key and the shop", id)
	}
	// Decoding needs no context: the key ID says everything.
	if got, err := decode(c, p); err != nil || got != secret {
		t.Fatalf("decoded %q, %v", got, err)
	}
	shared := encode(t, c)
	if id := string(shared.Metadata[encryption.MetadataKeyID]); id != "k1" {
		t.Errorf("payload of no shop under key %q, want the shared key k1", id)
	}
	if got, err := decode(c, shared); err != nil || got != secret {
		t.Fatalf("decoded %q, %v", got, err)
	}
}

func TestUnencryptedPayloadsPassThrough(t *testing.T) {
	c := newCodec(t, ring(t, "k1"), t.TempDir())
	if got, err := decode(c, payload(t)); err != nil || got != secret {
		t.Fatalf("decoded %q, %v", got, err)
	}
}

func TestRotationKeepsOlderPayloadsReadable(t *testing.T) {
	dir := t.TempDir()
	old := ring(t, "k1")
	before := newCodec(t, old, dir).ForShop("a-shop.myshopify.com")
	p1 := encode(t, before)

	rotated := append(ring(t, "k2"), old...)
	after := newCodec(t, rotated, dir).ForShop("a-shop.myshopify.com")
	p2 := encode(t, after)
	if id := string(p2.Metadata[encryption.MetadataKeyID]); !strings.HasPrefix(id, "k2/") {
		t.Errorf("after rotation the newest key must encrypt, got %q", id)
	}
	for _, p := range []*commonpb.Payload{p1, p2} {
		if got, err := decode(after, p); err != nil || got != secret {
			t.Fatalf("decoded %q, %v", got, err)
		}
	}
	// Without the old master key, what it wrapped no longer decodes.
	if _, err := decode(newCodec(t, rotated[:1], dir), p1); err == nil {
		t.Fatal("payload decoded without its master key")
	}
}

func TestDestroyShopLeavesOtherShopsReadable(t *testing.T) {
	dir := t.TempDir()
	r := ring(t, "k1")
	c := newCodec(t, r, dir)
	a := encode(t, c.ForShop("a-shop.myshopify.com"))
	b := encode(t, c.ForShop("b-shop.myshopify.com"))
	// Another process sharing the store, which has the key cached.
	other := newCodec(t, r, dir)
	if _, err := decode(other, a); err != nil {
		t.Fatal(err)
	}
	if err := c.DestroyShop("a-shop.myshopify.com"); err != nil {
		t.Fatal(err)
	}
	for _, cc := range []*encryption.Codec{c, other} {
		if _, err := decode(cc, a); !errors.Is(err, encryption.ErrKeyDestroyed) {
			t.Errorf("destroyed shop's payload: %v, want ErrKeyDestroyed", err)
		}
		if got, err := decode(cc, b); err != nil || got != secret {
			t.Errorf("other shop's payload: %q, %v", got, err)
		}
	}
	// A reinstalled shop gets a new key; the old payloads stay unreadable.
	fresh := encode(t, c.ForShop("a-shop.myshopify.com"))
	if _, err := decode(other, fresh); err != nil {
		t.Fatal(err)
	}
	if _, err := decode(other, a); !errors.Is(err, encryption.ErrKeyDestroyed) {
		t.Errorf("old payload after reinstall: %v", err)
	}
	if err := c.DestroyShop("never-seen.myshopify.com"); err != nil {
		t.Errorf("destroying a shop without keys: %v", err)
	}
}

func TestConcurrentProcessesAgreeOnOneKey(t *testing.T) {
	dir := t.TempDir()
	r := ring(t, "k1")
	var wg sync.WaitGroup
	ids := make([]string, 8)
	for i := range ids {
		wg.Go(func() {
			c := newCodec(t, r, dir).ForShop("a-shop.myshopify.com")
			out, err := c.Encode([]*commonpb.Payload{payload(t)})
			if err != nil {
				t.Error(err)
				return
			}
			ids[i] = string(out[0].Metadata[encryption.MetadataKeyID])
		})
	}
	wg.Wait()
	for _, id := range ids {
		if id != ids[0] {
			t.Fatalf("processes encrypted under different keys: %v", ids)
		}
	}
}

func TestShopOf(t *testing.T) {
	for id, want := range map[string]string{
		"webhook/acme.myshopify.com/123":              "acme.myshopify.com",
		"reconcile/acme.myshopify.com/ReconcileStock": "acme.myshopify.com",
		"shop-redact/954889":                          "",
		"webhook/../etc/passwd":                       "",
		"":                                            "",
	} {
		if got := encryption.ShopOf(id); got != want {
			t.Errorf("ShopOf(%q) = %q, want %q", id, got, want)
		}
	}
}

func TestTamperedPayloadIsRefused(t *testing.T) {
	c := newCodec(t, ring(t, "k1"), t.TempDir())
	p := encode(t, c.ForShop("a-shop.myshopify.com"))
	p.Data[len(p.Data)-1] ^= 1
	if _, err := decode(c, p); err == nil {
		t.Fatal("tampered payload decoded")
	}
}

func TestParseKeyringErrorsHideKeys(t *testing.T) {
	for _, s := range []string{"k1", "k1=notbase64!!", "k1=AAAA", "bad id=" + strings.Repeat("A", 44)} {
		_, err := encryption.ParseKeyring(s)
		if err == nil {
			t.Errorf("ParseKeyring(%q) accepted", s)
			continue
		}
		if strings.Contains(err.Error(), "AAAA") || strings.Contains(err.Error(), "notbase64") {
			t.Errorf("error shows key material: %v", err)
		}
	}
}

func TestFailureMessagesAreEncryptedTypesStayInClear(t *testing.T) {
	c := newCodec(t, ring(t, "k1"), t.TempDir())
	fc := c.FailureConverter().(converter.FailureConverterWithSerializationContext).
		WithSerializationContext(converter.ActivitySerializationContext{WorkflowID: "webhook/a-shop.myshopify.com/w1"})
	f := fc.ErrorToFailure(temporal.NewNonRetryableApplicationError("ERP refused the address of jane@example.com", "DownstreamRejected", nil))
	raw, err := proto.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(raw, []byte("jane@example.com")) {
		t.Fatal("the failure holds the email in clear")
	}
	if id := string(f.GetEncodedAttributes().GetMetadata()[encryption.MetadataKeyID]); !strings.HasPrefix(id, "k1/a-shop.myshopify.com/") {
		t.Errorf("failure attributes under key %q, want the shop's", id)
	}
	if f.GetApplicationFailureInfo().GetType() != "DownstreamRejected" {
		t.Errorf("failure type %q, want it in clear", f.GetApplicationFailureInfo().GetType())
	}
	var appErr *temporal.ApplicationError
	if err := c.FailureConverter().FailureToError(f); !errors.As(err, &appErr) || !strings.Contains(appErr.Error(), "jane@example.com") {
		t.Errorf("decoded failure: %v", err)
	}
}
