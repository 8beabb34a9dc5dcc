package bench

import (
	"bufio"
	"crypto/ed25519"
	"crypto/rand"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
	"github.com/reliefmesh/reliefmesh/seal"
	"github.com/reliefmesh/reliefmesh/store"
	"github.com/reliefmesh/reliefmesh/sync/changestream"
)

// Members is how many node keys a Feed endorses: the hub, the laptop and the
// other nodes of the live-latency test.
const Members = 5

var districts = []string{"江岸区", "江汉区", "硚口区", "汉阳区", "武昌区", "青山区", "洪山区", "东西湖区", "黄陂区", "新洲区"}

var categories = []string{"protective_equipment", "medical_supplies", "food_water", "transport"}

// Demand returns the i-th demand of the workload, shaped like the 2020 Wuhan
// sheets; js/workload.js makes the same records for the other engines.
func Demand(i int) relief.Demand {
	d := districts[i%len(districts)]
	qty := func(f float64) *float64 { return &f }
	return relief.Demand{
		Title:        fmt.Sprintf("%s第%d人民医院急需医用防护物资", d, i%97+1),
		Description:  "发热门诊接诊量大，医护人员防护物资严重短缺，急需防护口罩、防护服和护目镜。",
		Category:     categories[i%4],
		District:     d,
		Address:      fmt.Sprintf("武汉市%s解放大道%d号住院部%d楼", d, 100+i%900, i%12+1),
		RequesterOrg: fmt.Sprintf("%s第%d人民医院", d, i%97+1),
		Items: []relief.Item{
			{Name: "医用防护口罩 | N95口罩", Spec: "符合GB19083", Unit: "只", Needed: qty(float64(1000 + i%5000))},
			{Name: "医用防护服", Spec: "一次性", Unit: "套", Needed: qty(float64(200 + i%300))},
			{Name: "护目镜", Unit: "个"},
		},
		Contacts: []relief.Contact{{Name: "王医生", Phone: fmt.Sprintf("138%08d", i), Role: "采购科"}},
		Urgency:  relief.UrgencyHigh,
	}
}

// demandOp is Demand(i) as the op store.RecordDemand would make of it.
func demandOp(i int) (ledger.Op, error) {
	d := Demand(i)
	return relief.SetFields(relief.KindDemand, store.NewID(), map[string]any{
		relief.FieldTitle:        d.Title,
		relief.FieldDescription:  d.Description,
		relief.FieldCategory:     d.Category,
		relief.FieldDistrict:     d.District,
		relief.FieldAddress:      d.Address,
		relief.FieldRequesterOrg: d.RequesterOrg,
		relief.FieldItems:        d.Items,
		relief.FieldContacts:     d.Contacts,
		relief.FieldUrgency:      d.Urgency,
	})
}

// Feed is a file holding a framed change stream (package changestream, what
// catch-up sends and bundles hold): a coordinator's genesis, which endorses
// a field device and Members node keys, then N changes of that field device,
// one new demand each.
type Feed struct {
	Path    string
	Network string
	N       int
	Author  ledger.DeviceID
	Nodes   [Members]ed25519.PrivateKey // keys of devices the genesis endorses
	Bytes   int64                       // encoded size of the N demand changes
	// Sealed is, when not 0, how many members each change's content key is
	// wrapped to (WriteSealedFeed).
	Sealed int `json:",omitempty"`
	// EndorserLast says the coordinator's device id sorts after the field
	// device's, so that catch-up (which sends feeds in device id order) sends
	// the endorsement after the changes it admits.
	EndorserLast bool
}

// WriteFeed writes a feed of n demand changes to path, stamped in the past
// hour(s) so that no store holds them as too far ahead. The coordinator's
// device id sorts before the field device's unless endorserLast.
func WriteFeed(path string, n int, endorserLast bool) (*Feed, error) {
	return writeFeed(path, n, endorserLast, 0)
}

// WriteSealedFeed is WriteFeed with each demand's contacts sealed as the
// desk writes them (relief.SealSet under a new content key per change, and
// a grant op wrapping that key to recipients members in the same change:
// the field device and the first recipients-1 node keys, at most Members+1).
func WriteSealedFeed(path string, n, recipients int) (*Feed, error) {
	return writeFeed(path, n, false, max(1, min(recipients, Members+1)))
}

func writeFeed(path string, n int, endorserLast bool, sealTo int) (*Feed, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("create feed: %w", err)
	}
	defer f.Close()
	bw := bufio.NewWriterSize(f, 1<<20)
	w := changestream.NewWriter(bw)

	feed := &Feed{Path: path, N: n, EndorserLast: endorserLast}
	cid, ckey, err := ledger.GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	aid, akey, err := ledger.GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	if (cid.Compare(aid) > 0) != endorserLast {
		cid, ckey, aid, akey = aid, akey, cid, ckey
	}
	feed.Author = aid
	feed.Network = relief.NetworkID(cid, nil) // the network relief.Genesis(cid) founds
	start := time.Now().Add(-time.Duration(n+3600_000) * time.Millisecond)
	var tick int64
	clock := func() time.Time { tick++; return start.Add(time.Duration(tick) * time.Millisecond) }

	ca, err := ledger.NewAuthor(ckey, feed.Network, ledger.Head{}, ledger.NewHLC(clock, 0))
	if err != nil {
		return nil, err
	}
	genesis, err := relief.Genesis(cid, "coordinator")
	if err != nil {
		return nil, err
	}
	ops := []ledger.Op{genesis}
	endorse, err := relief.Endorse(aid, relief.RoleVolunteer, "field laptop")
	if err != nil {
		return nil, err
	}
	ops = append(ops, endorse)
	for i := range feed.Nodes {
		id, key, err := ledger.GenerateKey(rand.Reader)
		if err != nil {
			return nil, err
		}
		feed.Nodes[i] = key
		op, err := relief.Endorse(id, relief.RoleCoordinator, fmt.Sprintf("node %d", i))
		if err != nil {
			return nil, err
		}
		ops = append(ops, op)
	}
	c, err := ca.Next(ops)
	if err != nil {
		return nil, err
	}
	if err := w.WriteChange(c); err != nil {
		return nil, err
	}

	a, err := ledger.NewAuthor(akey, feed.Network, ledger.Head{}, ledger.NewHLC(clock, 0))
	if err != nil {
		return nil, err
	}
	feed.Sealed = sealTo
	var to map[ledger.DeviceID]seal.PublicKey
	if sealTo > 0 {
		to = map[ledger.DeviceID]seal.PublicKey{}
		keys := append([]ed25519.PrivateKey{akey}, feed.Nodes[:sealTo-1]...)
		for _, k := range keys {
			x, err := seal.IdentityFromSeed(k.Seed())
			if err != nil {
				return nil, err
			}
			to[ledger.DeviceOf(k)] = x.Public()
		}
	}
	for i := range n {
		op, err := demandOp(i)
		if err != nil {
			return nil, err
		}
		ops := []ledger.Op{op}
		if sealTo > 0 {
			if ops, err = sealDemand(op, to); err != nil {
				return nil, err
			}
		}
		c, err := a.Next(ops)
		if err != nil {
			return nil, err
		}
		b, err := ledger.Encode(c)
		if err != nil {
			return nil, err
		}
		feed.Bytes += int64(len(b))
		if err := w.WriteFrame(b); err != nil {
			return nil, fmt.Errorf("write feed: %w", err)
		}
	}
	if err := w.End(); err != nil {
		return nil, fmt.Errorf("write feed: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return nil, fmt.Errorf("write feed: %w", err)
	}
	return feed, f.Close()
}

// openNode opens a store in a new directory under parent with key as its
// device key (the key file is written before Open, as a restored device's
// would be) and joins the feed's network.
func openNode(parent, name string, key ed25519.PrivateKey, network string) (*store.Store, error) {
	return openNodeWith(parent, name, key, network, store.Options{})
}

// openNodeWith is openNode with the store opened with opts
// (ValueLogGCInterval is -1 whatever opts say).
func openNodeWith(parent, name string, key ed25519.PrivateKey, network string, opts store.Options) (*store.Store, error) {
	dir := filepath.Join(parent, name)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	if key != nil {
		if err := os.WriteFile(filepath.Join(dir, store.KeyFile), key, 0o600); err != nil {
			return nil, err
		}
	}
	opts.ValueLogGCInterval = -1
	st, err := store.Open(dir, opts)
	if err != nil {
		return nil, err
	}
	if err := st.JoinNetwork(network); err != nil {
		st.Close()
		return nil, err
	}
	return st, nil
}

// ingest applies the feed file to st through changestream.Apply, the path
// catch-up and bundles take (batches of changestream.DefaultBatch).
func ingest(st *store.Store, path string) (changestream.Stats, error) {
	f, err := os.Open(path)
	if err != nil {
		return changestream.Stats{}, err
	}
	defer f.Close()
	return changestream.Apply(ctxBackground(), changestream.NewReader(bufio.NewReaderSize(f, 1<<20)), st, changestream.ApplyOptions{})
}

// ingestBatch is ingest with batches of batch changes (0: the default).
func ingestBatch(st *store.Store, path string, batch, expected int) (changestream.Stats, error) {
	f, err := os.Open(path)
	if err != nil {
		return changestream.Stats{}, err
	}
	defer f.Close()
	// The feed's count is announced as a catch-up's is (replicate's round
	// knows it from the version vectors): a large one into an empty store
	// builds the views once at its end (store.Store.BeginCatchUp).
	return changestream.Apply(ctxBackground(), changestream.NewReader(bufio.NewReaderSize(f, 1<<20)), st, changestream.ApplyOptions{Batch: batch, Expected: expected})
}

// sealDemand returns the ops the desk writes for the demand op: op with its
// contacts sealed under a new content key, and the grant of that key to to.
func sealDemand(op ledger.Op, to map[ledger.DeviceID]seal.PublicKey) ([]ledger.Op, error) {
	k, err := seal.NewKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	sealed, _, err := relief.SealSet(op, k, rand.Reader)
	if err != nil {
		return nil, err
	}
	g, err := relief.GrantKey(sealed.Kind, sealed.ID, k, to, rand.Reader)
	if err != nil {
		return nil, err
	}
	return []ledger.Op{sealed, g}, nil
}
