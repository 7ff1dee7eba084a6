package funcs

import (
	"sync"
	"time"

	"github.com/aegisdb/aegis/sql/types"
)

// rowIDGen hands out unique, roughly time-ordered int8 values for the
// hidden key of tables without a primary key: microseconds since the
// epoch shifted left by 4, bumped to stay strictly increasing. Values stay
// unique across restarts as long as the clock does not step back by more
// than the rows inserted per microsecond allow.
var rowIDGen struct {
	mu   sync.Mutex
	last int64
}

// UniqueRowID returns a new row ID.
func UniqueRowID() int64 {
	v := time.Now().UnixMicro() << 4
	rowIDGen.mu.Lock()
	defer rowIDGen.mu.Unlock()
	if v <= rowIDGen.last {
		v = rowIDGen.last + 1
	}
	rowIDGen.last = v
	return v
}

func registerRowID(r *Registry) {
	r.addFn(&Overload{Name: "unique_rowid", Ret: types.Int8, Volatility: Volatile, Fn: func(Env, []types.Datum) (types.Datum, error) {
		return UniqueRowID(), nil
	}})
}
