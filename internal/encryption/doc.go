// Package encryption keeps customer data out of Temporal in clear: a
// Temporal payload codec that encrypts every payload with AES-256-GCM under
// a data key of the payload's shop, and the key store those data keys live
// in.
//
// # Keys
//
// Master keys (Keyring) come from SHOPFLOW_ENCRYPTION_KEYS or the file
// named by SHOPFLOW_ENCRYPTION_KEYS_FILE, never from flags or logs. The
// first key of the ring is the newest: it encrypts; the others only
// decrypt, so a master key is rotated by putting a new one first and
// dropping the old one once nothing it wrapped is needed.
//
// Each shop has a data key of its own per master key: 32 random bytes,
// wrapped (AES-256-GCM, bound to the shop and the key's ID) by that master
// key and stored in a KeyStore. A payload's metadata names the key that
// encrypted it ("encryption-key-id": master key ID, shop and the data key's
// generation), so that decoding needs nothing but the payload and the keys.
// Payloads that belong to no shop (no shop in their workflow ID, such as
// what the codec server's /encode receives) are encrypted under a key
// derived from the master key with HKDF.
//
// # Which shop a payload belongs to
//
// The SDK tells the codec where a payload is serialized (a workflow's input
// or result, an activity's input, result or heartbeat details, a signal,
// memo) through its serialization context, which carries the workflow ID.
// Every workflow ID shopflow makes for a shop's work holds the shop's
// myshopify domain as one of its "/"-separated parts (workflows/ids.go), and
// ShopOf finds it there.
//
// # The key store and destroying a shop's key
//
// FileStore keeps one directory per shop below its root, with one file per
// data key, written to a temporary file and linked into place so that
// concurrent processes agree on one key (the first link wins). Every
// process that encrypts or decrypts (worker, starter, codec server) must
// see the same directory: a volume shared by the containers, or a network
// file system. Destroy renames the shop's directory away and removes it;
// every process checks the key file on each use, so from then on the
// shop's payloads no longer decode anywhere (crypto-shredding): Temporal's
// histories still hold them, unreadable. Copies of the key directory in
// backups still hold the wrapped keys: they are useless without the master
// key, so rotating the master key and dropping the old one after a restore
// window destroys those copies too.
//
// # Failures
//
// Codec.FailureConverter moves failure messages and stack traces into the
// failure's encoded attributes, encrypted like payloads under the
// workflow's shop key; the failure's type (shopflow's failure kind) stays
// in clear.
//
// # Compatibility
//
// Payloads without the encryption metadata (histories recorded before
// encryption was turned on) decode unchanged.
package encryption
