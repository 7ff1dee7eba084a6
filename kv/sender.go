package kv

import (
	"context"

	"github.com/aegisdb/aegis/kv/kvpb"
)

// Sender executes a batch of kvpb requests. It is the seam between the
// transaction client and the data: kv/localstore implements it over a local
// engine, and the cluster layer implements it over replicated ranges.
//
// Implementations must be safe for concurrent use. The caller must not
// modify ba while Send runs; the caller owns the returned response.
type Sender interface {
	Send(ctx context.Context, ba *kvpb.BatchRequest) (*kvpb.BatchResponse, error)
}
