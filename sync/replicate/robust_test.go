package replicate_test

import (
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"testing"
	"time"

	pubsub "github.com/libp2p/go-libp2p-pubsub"
	pb "github.com/libp2p/go-libp2p-pubsub/pb"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
	"github.com/reliefmesh/reliefmesh/store"
	"github.com/reliefmesh/reliefmesh/sync/changestream"
	"github.com/reliefmesh/reliefmesh/sync/p2p"
	"github.com/reliefmesh/reliefmesh/sync/replicate"
)

// wireHello is the hello frame as the protocol defines it, written here
// independently of the package's own type.
type wireHello struct {
	Network string               `cbor:"1,keyasint"`
	VV      ledger.VersionVector `cbor:"2,keyasint"`
	Limit   uint64               `cbor:"3,keyasint"`
}

// forged returns a variant of the first change of rogue's feed whose
// content was altered after signing (a new variant on each call, so gossip
// does not take it for a duplicate).
func forged(t *testing.T, rogue *store.Store) *ledger.Change {
	t.Helper()
	var genuine *ledger.Change
	rogue.ChangesSince(nil, func(c *ledger.Change) error {
		if c.Device == rogue.Device() && c.Seq == 1 {
			genuine = c
		}
		return nil
	})
	if genuine == nil {
		op, err := relief.SetFields(relief.KindDemand, store.NewID(), map[string]any{relief.FieldTitle: "genuine", relief.FieldCategory: "other"})
		if err != nil {
			t.Fatal(err)
		}
		if genuine, err = rogue.ApplyLocal([]ledger.Op{op}); err != nil {
			t.Fatal(err)
		}
	}
	f := *genuine
	f.Ops = []ledger.Op{genuine.Ops[0]}
	f.Ops[0].ID = store.NewID() // the signature no longer matches
	return &f
}

// rogueRound opens a catch-up stream to victim as rogue, announces rogue's
// feed up to seq, and lets send write whatever it likes after the hellos.
func rogueRound(t *testing.T, h *p2p.Host, victim *node, network string, announce ledger.VersionVector, send func(w *changestream.Writer, raw io.Writer) error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	s, err := h.Libp2p().NewStream(ctx, victim.h.ID(), replicate.ProtocolID)
	if err != nil {
		t.Fatalf("open stream: %v", err)
	}
	defer s.Reset()
	w := changestream.NewWriter(s)
	b, _ := ledger.Marshal(wireHello{Network: network, VV: announce, Limit: 1 << 20})
	if err := w.WriteFrame(b); err != nil {
		t.Fatal(err)
	}
	w.Flush()
	r := changestream.NewReader(s)
	if _, err := r.ReadFrame(1 << 20); err != nil {
		t.Fatalf("read victim's hello: %v", err)
	}
	if err := send(w, s); err != nil {
		t.Fatalf("send: %v", err)
	}
	w.Flush()
	// Read until the victim ends the stream: a reset on a violation, or its
	// changes, end frame, done frame and close.
	s.SetReadDeadline(time.Now().Add(10 * time.Second))
	io.Copy(io.Discard, s)
}

func TestMisbehavingPeer(t *testing.T) {
	st := newStores(t, 3)
	victim := startNode(t, "victim", st[0], replicate.Config{})
	honest := startNode(t, "honest", st[1], replicate.Config{})
	rogueStore := st[2]
	net, _ := victim.st.Network()
	rogue, err := p2p.New(rogueStore.PrivateKey(), rogueStore, p2p.Config{Listen: []string{"/ip4/127.0.0.1/tcp/0"}})
	if err != nil {
		t.Fatal(err)
	}
	defer rogue.Close()
	connect(t, &node{name: "rogue", h: rogue}, victim)

	base := victim.st.VersionVector()
	with := func(seq uint64) ledger.VersionVector {
		vv := base.Clone()
		vv.Set(rogueStore.Device(), seq)
		return vv
	}

	// Frames refused before they decode to a change are counted by the store
	// too, so that `status` shows them (and keeps them across restarts).
	status := func(r ledger.Reason) uint64 { return victim.st.Status().Rejected[string(r)] }
	t.Run("malformed frame", func(t *testing.T) {
		before := victim.r.Stats().Rejected[ledger.ReasonMalformed]
		beforeStatus := status(ledger.ReasonMalformed)
		rogueRound(t, rogue, victim, net.ID, with(1), func(w *changestream.Writer, raw io.Writer) error {
			return w.WriteFrame([]byte{0xa1, 0xff, 0x00, 0x13})
		})
		waitFor(t, 30*time.Second, "malformed frame counted", func() error {
			if got := victim.r.Stats().Rejected[ledger.ReasonMalformed]; got != before+1 {
				return fmt.Errorf("Rejected[malformed] = %d; want %d", got, before+1)
			}
			if got := status(ledger.ReasonMalformed); got != beforeStatus+1 {
				return fmt.Errorf("Status().Rejected[malformed] = %d; want %d", got, beforeStatus+1)
			}
			return nil
		})
	})
	t.Run("oversized frame", func(t *testing.T) {
		before := victim.r.Stats().Rejected[ledger.ReasonTooLarge]
		beforeStatus := status(ledger.ReasonTooLarge)
		rogueRound(t, rogue, victim, net.ID, with(1), func(w *changestream.Writer, raw io.Writer) error {
			// Only the length prefix: the victim must refuse before reading (or allocating) the body.
			var hdr [binary.MaxVarintLen64]byte
			n := binary.PutUvarint(hdr[:], ledger.MaxChangeSize+1)
			_, err := raw.Write(hdr[:n])
			return err
		})
		waitFor(t, 30*time.Second, "oversized frame counted", func() error {
			if got := victim.r.Stats().Rejected[ledger.ReasonTooLarge]; got != before+1 {
				return fmt.Errorf("Rejected[too_large] = %d; want %d", got, before+1)
			}
			if got := status(ledger.ReasonTooLarge); got != beforeStatus+1 {
				return fmt.Errorf("Status().Rejected[too_large] = %d; want %d", got, beforeStatus+1)
			}
			return nil
		})
	})
	t.Run("forged change in catch-up", func(t *testing.T) {
		before := victim.st.Rejected()[ledger.ReasonBadSignature]
		f := forged(t, rogueStore)
		rogueRound(t, rogue, victim, net.ID, with(f.Seq), func(w *changestream.Writer, raw io.Writer) error {
			if err := w.WriteChange(f); err != nil {
				return err
			}
			if err := w.End(); err != nil {
				return err
			}
			b, _ := ledger.Marshal(struct {
				VV ledger.VersionVector `cbor:"1,keyasint"`
			}{with(0)})
			return w.WriteFrame(b)
		})
		waitFor(t, 30*time.Second, "forged change counted by the store", func() error {
			if got := victim.st.Rejected()[ledger.ReasonBadSignature]; got != before+1 {
				return fmt.Errorf("store Rejected[bad_signature] = %d; want %d", got, before+1)
			}
			return nil
		})
		if victim.st.VersionVector().Get(rogueStore.Device()) != 0 {
			t.Errorf("the forged change was stored")
		}
	})
	t.Run("forged and malformed gossip", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		ps, err := pubsub.NewGossipSub(ctx, rogue.Libp2p(),
			pubsub.WithMessageSignaturePolicy(pubsub.StrictNoSign), pubsub.WithNoAuthor(),
			pubsub.WithMessageIdFn(func(m *pb.Message) string { return replicate.MessageID(m.Data) }))
		if err != nil {
			t.Fatal(err)
		}
		topic, err := ps.Join(replicate.TopicName(net.ID))
		if err != nil {
			t.Fatal(err)
		}
		waitFor(t, 30*time.Second, "victim in the rogue's topic peers", func() error {
			for _, p := range topic.ListPeers() {
				if p == victim.h.ID() {
					return nil
				}
			}
			return fmt.Errorf("topic peers %v", topic.ListPeers())
		})
		before := victim.st.Rejected()[ledger.ReasonBadSignature]
		beforeMalformed := victim.r.Stats().Rejected[ledger.ReasonMalformed]
		beforeStatus := status(ledger.ReasonMalformed)
		b, err := ledger.Encode(forged(t, rogueStore))
		if err != nil {
			t.Fatal(err)
		}
		// The rogue must get past its own pubsub, which does not validate.
		if err := topic.Publish(ctx, b); err != nil {
			t.Fatal(err)
		}
		if err := topic.Publish(ctx, []byte("not a change")); err != nil {
			t.Fatal(err)
		}
		waitFor(t, 30*time.Second, "forged and malformed gossip rejected and counted", func() error {
			if got := victim.st.Rejected()[ledger.ReasonBadSignature]; got != before+1 {
				return fmt.Errorf("store Rejected[bad_signature] = %d; want %d", got, before+1)
			}
			if got := victim.r.Stats().Rejected[ledger.ReasonMalformed]; got != beforeMalformed+1 {
				return fmt.Errorf("Rejected[malformed] = %d; want %d", got, beforeMalformed+1)
			}
			if got := status(ledger.ReasonMalformed); got != beforeStatus+1 {
				return fmt.Errorf("Status().Rejected[malformed] = %d; want %d", got, beforeStatus+1)
			}
			return nil
		})
	})

	// The victim keeps working: an honest peer syncs with it.
	connect(t, honest, victim)
	d, err := honest.st.RecordDemand(demand("after the attack"))
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, 20*time.Second, "victim still syncs", func() error {
		_, err := victim.st.Demand(d.ID)
		return err
	})
	if s := victim.r.Stats(); s.RoundsFailed == 0 || s.GossipRejected < 2 {
		t.Errorf("victim stats %+v; want failed rounds and rejected gossip counted", s)
	}
}
