package store

import (
	"fmt"
	"sync"

	lru "github.com/hashicorp/golang-lru/v2"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
	"github.com/reliefmesh/reliefmesh/seal"
)

// sealIdentities caches each open store's X25519 identity, derived from its
// device key (seal.IdentityFromSeed), by device.
var sealIdentities sync.Map // ledger.DeviceID → seal.Identity

// SealIdentity returns this device's X25519 identity, which opens the
// content keys wrapped to it. It is derived from the device key
// (seal.IdentityFromSeed), so it lives, and is kept, wherever device.key is.
func (s *Store) SealIdentity() seal.Identity {
	if id, ok := sealIdentities.Load(s.device); ok {
		return id.(seal.Identity)
	}
	id, err := seal.IdentityFromSeed(s.key.Seed())
	if err != nil { // an ed25519 seed is always 32 bytes
		panic(fmt.Sprintf("store: x25519 identity of device %s: %v", s.device.Short(), err))
	}
	sealIdentities.Store(s.device, id)
	return id
}

// Opener returns what opens the sealed values wrapped to this device,
// keeping the content keys it unwraps (MaxOpenedKeys of them, the least
// recently used dropped), so that opening a record again — a page, the
// map, a bulletin, a roster change refolding every volunteer — costs one
// XChaCha20-Poly1305 open per value, not an X25519 exchange.
func (s *Store) Opener() relief.Opener {
	return relief.Opener{Self: s.device, ID: s.SealIdentity(), Keys: s.openedKeys()}
}

// MaxOpenedKeys is how many unwrapped content keys a store keeps in memory
// (Opener): about 100 bytes each, some 26 MiB at most, more than the
// records of a 100,000-demand incident hold.
const MaxOpenedKeys = 1 << 18

// openedKeysByDevice holds each open store's cache of unwrapped content
// keys, by device, as sealIdentities.
var openedKeysByDevice sync.Map // ledger.DeviceID → *keyCache

// keyCache is a relief.KeyCache over a bounded LRU (safe for concurrent
// use).
type keyCache struct {
	c *lru.Cache[seal.KeyID, seal.Key]
}

func (k keyCache) Get(id seal.KeyID) (seal.Key, bool) { return k.c.Get(id) }
func (k keyCache) Add(id seal.KeyID, key seal.Key)    { k.c.Add(id, key) }

// openedKeys returns this device's cache of unwrapped content keys.
func (s *Store) openedKeys() relief.KeyCache {
	if c, ok := openedKeysByDevice.Load(s.device); ok {
		return c.(keyCache)
	}
	c, err := lru.New[seal.KeyID, seal.Key](MaxOpenedKeys)
	if err != nil { // only for a size ≤ 0
		panic(fmt.Sprintf("store: key cache of device %s: %v", s.device.Short(), err))
	}
	got, _ := openedKeysByDevice.LoadOrStore(s.device, keyCache{c})
	return got.(keyCache)
}

// EncryptionKeys returns the X25519 key each member published
// (relief.EncryptionKey), by member; members who published none are absent.
func (s *Store) EncryptionKeys() map[ledger.DeviceID]seal.PublicKey {
	s.mu.Lock()
	defer s.mu.Unlock()
	recs := make([]*relief.Record, 0, len(s.members))
	for _, m := range s.members {
		recs = append(recs, m)
	}
	return relief.EncryptionKeys(recs)
}

// openDemand fills d, folded from rec, with the sealed values this device
// can open (relief.Opener.OpenDemand); the erasure is the fold's (d.Erased). The
// values are opened from allowed, the record of the writes the fold allowed
// (relief.FoldDemandAllowed), never from rec: a refused sealed write stays
// unseen.
func (s *Store) openDemand(rec, allowed *relief.Record, d *relief.Demand) {
	if len(allowed.Grants) == 0 && len(relief.SealedValues(allowed)) == 0 {
		return
	}
	s.Opener().OpenDemand(allowed, d)
}

// foldVolunteer folds a volunteer record with roster
// (relief.FoldVolunteerAllowed) and fills in the sealed values o opens,
// from the allowed writes only; Sealed lists those it cannot.
func foldVolunteer(o relief.Opener, rec *relief.Record, roster *relief.Roster) relief.Volunteer {
	v, allowed := relief.FoldVolunteerAllowed(rec, roster)
	if len(allowed.Grants) > 0 || len(relief.SealedValues(allowed)) > 0 {
		o.OpenVolunteer(allowed, &v)
	}
	return v
}

// foldOffer folds an offer record with roster (relief.FoldOfferAllowed)
// and fills in the sealed contacts o opens, from the allowed writes only;
// Sealed lists those it cannot.
func foldOffer(o relief.Opener, rec *relief.Record, roster *relief.Roster) relief.Offer {
	of, allowed := relief.FoldOfferAllowed(rec, roster)
	if len(allowed.Grants) > 0 || len(relief.SealedValues(allowed)) > 0 {
		o.OpenOffer(allowed, &of)
	}
	return of
}

// EachRecordOf calls fn with every stored record of kind, in id order,
// read from Badger (fn must not keep rec past the call if it changes it).
// Errors: storage errors, and fn's, which stop the walk.
func (s *Store) EachRecordOf(kind string, fn func(rec *relief.Record) error) error {
	recs, err := s.records(kind)
	if err != nil {
		return err
	}
	for _, r := range recs {
		if err := fn(r); err != nil {
			return err
		}
	}
	return nil
}

// EachDemandRecord calls fn with every stored demand record, in id order,
// read from Badger (fn must not keep rec past the call if it changes it).
// Errors: storage errors, and fn's, which stop the walk.
func (s *Store) EachDemandRecord(fn func(rec *relief.Record) error) error {
	recs, err := s.records(relief.KindDemand)
	if err != nil {
		return err
	}
	for _, r := range recs {
		if err := fn(r); err != nil {
			return err
		}
	}
	return nil
}
