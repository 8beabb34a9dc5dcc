package main

import (
	"fmt"
	"strconv"
	"strings"

	badger "github.com/dgraph-io/badger/v4"
	"github.com/dgraph-io/badger/v4/options"
)

// badgerTuning parses -badger's comma-separated key=value list into a
// function that applies it to the store's Badger options (nil for an empty
// list). Errors name the key or value that is not understood.
func badgerTuning(spec string) (func(badger.Options) badger.Options, error) {
	if strings.TrimSpace(spec) == "" {
		return nil, nil
	}
	var steps []func(badger.Options) badger.Options
	for _, kv := range strings.Split(spec, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(kv), "=")
		if !ok {
			return nil, fmt.Errorf("-badger %q: want key=value", kv)
		}
		n, nerr := strconv.ParseInt(v, 10, 64)
		b, berr := strconv.ParseBool(v)
		f, ferr := strconv.ParseFloat(v, 64)
		var step func(badger.Options) badger.Options
		switch {
		case k == "compression":
			c := map[string]options.CompressionType{"none": options.None, "snappy": options.Snappy, "zstd": options.ZSTD}
			t, ok := c[v]
			if !ok {
				return nil, fmt.Errorf("-badger compression=%q: want none, snappy or zstd", v)
			}
			step = func(o badger.Options) badger.Options { return o.WithCompression(t) }
		case k == "conflicts" && berr == nil:
			step = func(o badger.Options) badger.Options { return o.WithDetectConflicts(b) }
		case k == "metrics" && berr == nil:
			step = func(o badger.Options) badger.Options { return o.WithMetricsEnabled(b) }
		case k == "bloomfp" && ferr == nil:
			step = func(o badger.Options) badger.Options { return o.WithBloomFalsePositive(f) }
		case nerr != nil:
			return nil, fmt.Errorf("-badger %s=%q: not a number", k, v)
		case k == "vthreshold":
			step = func(o badger.Options) badger.Options { return o.WithValueThreshold(n) }
		case k == "l0tables":
			step = func(o badger.Options) badger.Options { return o.WithNumLevelZeroTables(int(n)) }
		case k == "l0stall":
			step = func(o badger.Options) badger.Options { return o.WithNumLevelZeroTablesStall(int(n)) }
		case k == "basetable":
			step = func(o badger.Options) badger.Options { return o.WithBaseTableSize(n << 20) }
		case k == "baselevel":
			step = func(o badger.Options) badger.Options { return o.WithBaseLevelSize(n << 20) }
		case k == "levelmult":
			step = func(o badger.Options) badger.Options { return o.WithLevelSizeMultiplier(int(n)) }
		case k == "blocksize":
			step = func(o badger.Options) badger.Options { return o.WithBlockSize(int(n)) }
		default:
			return nil, fmt.Errorf("-badger %s: unknown key", k)
		}
		steps = append(steps, step)
	}
	return func(o badger.Options) badger.Options {
		for _, s := range steps {
			o = s(o)
		}
		return o
	}, nil
}
