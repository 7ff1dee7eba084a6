package distsender

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"

	"github.com/aegisdb/aegis/kv/kvpb"
)

// Sender sends a batch (the same contract as kv.Sender, which this
// package cannot import).
type Sender interface {
	Send(ctx context.Context, ba *kvpb.BatchRequest) (*kvpb.BatchResponse, error)
}

// maxAttempts bounds the retries of one request after stale-cache errors.
const maxAttempts = 16

// DistSender routes requests to ranges. It is safe for concurrent use.
type DistSender struct {
	next Sender

	mu struct {
		sync.RWMutex
		// descs are cached descriptors, ordered by start key, disjoint.
		descs []kvpb.RangeDescriptor
	}
}

var _ Sender = (*DistSender)(nil)

// New returns a DistSender that sends addressed requests (and range
// lookups) to next.
func New(next Sender) *DistSender { return &DistSender{next: next} }

// Send implements the Sender contract: requests run in order and the
// first error stops the batch.
func (ds *DistSender) Send(ctx context.Context, ba *kvpb.BatchRequest) (*kvpb.BatchResponse, error) {
	br := &kvpb.BatchResponse{Responses: make([]kvpb.Response, 0, len(ba.Requests))}
	for _, req := range ba.Requests {
		resp, err := ds.SendOne(ctx, ba.Header, req)
		if err != nil {
			return nil, err
		}
		br.Responses = append(br.Responses, resp)
	}
	return br, nil
}

// SendOne implements kvpb.OneSender: Send of a batch of one request.
func (ds *DistSender) SendOne(ctx context.Context, h kvpb.Header, req kvpb.Request) (kvpb.Response, error) {
	for attempt := 1; ; attempt++ {
		resp, err := ds.route(ctx, h, req)
		if attempt < maxAttempts && ds.handleStale(err) {
			continue
		}
		return resp, err
	}
}

// handleStale updates the cache after a stale-routing error and reports
// whether the request should be retried.
func (ds *DistSender) handleStale(err error) bool {
	if err == nil {
		return false
	}
	var mm *kvpb.RangeKeyMismatchError
	if errors.As(err, &mm) {
		ds.mu.Lock()
		defer ds.mu.Unlock()
		ds.evictLocked(mm.RangeID)
		for _, d := range mm.Ranges {
			ds.insertLocked(d)
		}
		return true
	}
	var nf *kvpb.RangeNotFoundError
	if errors.As(err, &nf) {
		ds.mu.Lock()
		defer ds.mu.Unlock()
		ds.evictLocked(nf.RangeID)
		return true
	}
	return false
}

func (ds *DistSender) evictLocked(id kvpb.RangeID) {
	ds.mu.descs = slices.DeleteFunc(ds.mu.descs, func(d kvpb.RangeDescriptor) bool { return d.RangeID == id })
}

// insertLocked caches d, dropping cached descriptors that overlap it.
func (ds *DistSender) insertLocked(d kvpb.RangeDescriptor) {
	overlaps := func(c kvpb.RangeDescriptor) bool {
		return (c.EndKey == nil || bytes.Compare(d.StartKey, c.EndKey) < 0) &&
			(d.EndKey == nil || bytes.Compare(c.StartKey, d.EndKey) < 0)
	}
	ds.mu.descs = slices.DeleteFunc(ds.mu.descs, overlaps)
	i, _ := slices.BinarySearchFunc(ds.mu.descs, d.StartKey, func(c kvpb.RangeDescriptor, k []byte) int {
		return bytes.Compare(c.StartKey, k)
	})
	ds.mu.descs = slices.Insert(ds.mu.descs, i, d)
}

// cachedLocked returns the cached descriptor containing key.
func (ds *DistSender) cachedLocked(key []byte) (kvpb.RangeDescriptor, bool) {
	descs := ds.mu.descs
	i, found := slices.BinarySearchFunc(descs, key, func(c kvpb.RangeDescriptor, k []byte) int {
		return bytes.Compare(c.StartKey, k)
	})
	if !found {
		i--
	}
	if i >= 0 && i < len(descs) && descs[i].ContainsKey(key) {
		return descs[i], true
	}
	return kvpb.RangeDescriptor{}, false
}

// lookup returns the descriptor of the range containing key.
func (ds *DistSender) lookup(ctx context.Context, key []byte) (kvpb.RangeDescriptor, error) {
	ds.mu.RLock()
	d, ok := ds.cachedLocked(key)
	ds.mu.RUnlock()
	if ok {
		return d, nil
	}
	br, err := ds.next.Send(ctx, &kvpb.BatchRequest{Requests: []kvpb.Request{&kvpb.RangeLookupRequest{Key: key}}})
	if err != nil {
		return kvpb.RangeDescriptor{}, fmt.Errorf("distsender: range lookup: %w", err)
	}
	resp, ok := one[*kvpb.RangeLookupResponse](br)
	if !ok || !resp.Descriptor.ContainsKey(key) {
		return kvpb.RangeDescriptor{}, fmt.Errorf("distsender: range lookup for %q: bad answer", key)
	}
	ds.mu.Lock()
	ds.insertLocked(resp.Descriptor)
	ds.mu.Unlock()
	return resp.Descriptor, nil
}

func one[R kvpb.Response](br *kvpb.BatchResponse) (R, bool) {
	var zero R
	if br == nil || len(br.Responses) != 1 {
		return zero, false
	}
	r, ok := br.Responses[0].(R)
	return r, ok
}

// sendTo sends req to range id.
func (ds *DistSender) sendTo(ctx context.Context, h kvpb.Header, id kvpb.RangeID, req kvpb.Request) (kvpb.Response, error) {
	h.RangeID = id
	return kvpb.SendOne(ctx, ds.next, h, req)
}

func (ds *DistSender) route(ctx context.Context, h kvpb.Header, req kvpb.Request) (kvpb.Response, error) {
	switch r := req.(type) {
	case *kvpb.TimestampRequest, *kvpb.BeginCommitRequest, *kvpb.FinishCommitRequest, *kvpb.RangeLookupRequest:
		return ds.sendTo(ctx, h, 0, req)
	case *kvpb.GetRequest:
		return ds.routeKey(ctx, h, r.Key, req)
	case *kvpb.EndTxnRequest:
		return ds.routeKey(ctx, h, r.Primary, req)
	case *kvpb.ClearTxnRecordRequest:
		return ds.routeKey(ctx, h, r.Primary, req)
	case *kvpb.ScanRequest:
		return ds.scan(ctx, h, r)
	case *kvpb.GCRequest:
		return ds.gc(ctx, h, r)
	case *kvpb.CommitRequest:
		return ds.commit(ctx, h, r)
	case *kvpb.PrewriteRequest:
		return ds.prewrite(ctx, h, r)
	case *kvpb.LockRequest:
		return ds.lock(ctx, h, r)
	case *kvpb.ResolveRequest:
		return ds.perRange(ctx, h, r.Keys, func(keys [][]byte) kvpb.Request {
			return &kvpb.ResolveRequest{Keys: keys, Commit: r.Commit, CommitTimestamp: r.CommitTimestamp}
		}, &kvpb.ResolveResponse{})
	case *kvpb.ReleaseLocksRequest:
		return ds.perRange(ctx, h, r.Keys, func(keys [][]byte) kvpb.Request {
			return &kvpb.ReleaseLocksRequest{Keys: keys, Mode: r.Mode}
		}, &kvpb.ReleaseLocksResponse{})
	case *kvpb.ValidateRequest:
		return ds.validate(ctx, h, r)
	default:
		return nil, fmt.Errorf("distsender: unsupported request %T", req)
	}
}

func (ds *DistSender) routeKey(ctx context.Context, h kvpb.Header, key []byte, req kvpb.Request) (kvpb.Response, error) {
	d, err := ds.lookup(ctx, key)
	if err != nil {
		return nil, err
	}
	return ds.sendTo(ctx, h, d.RangeID, req)
}

// clampEnd returns the end of span [_, end) cut at the range's end, and
// whether it was cut.
func clampEnd(d kvpb.RangeDescriptor, end []byte) ([]byte, bool) {
	if d.EndKey != nil && (end == nil || bytes.Compare(d.EndKey, end) < 0) {
		return d.EndKey, true
	}
	return end, false
}

func (ds *DistSender) scan(ctx context.Context, h kvpb.Header, r *kvpb.ScanRequest) (kvpb.Response, error) {
	out := &kvpb.ScanResponse{}
	start := r.Key
	for {
		d, err := ds.lookup(ctx, start)
		if err != nil {
			return nil, err
		}
		end, cut := clampEnd(d, r.EndKey)
		max := 0
		if r.MaxKeys > 0 {
			max = r.MaxKeys - len(out.Rows)
		}
		resp, err := ds.sendTo(ctx, h, d.RangeID, &kvpb.ScanRequest{Span: kvpb.Span{Key: start, EndKey: end}, MaxKeys: max})
		if err != nil {
			return nil, err
		}
		sr, ok := resp.(*kvpb.ScanResponse)
		if !ok {
			return nil, errors.New("distsender: malformed scan response")
		}
		if out.Rows == nil {
			out.Rows = sr.Rows
		} else {
			out.Rows = append(out.Rows, sr.Rows...)
		}
		if sr.ResumeKey != nil {
			out.ResumeKey = sr.ResumeKey
			return out, nil
		}
		if !cut {
			return out, nil
		}
		start = end
		if r.MaxKeys > 0 && len(out.Rows) >= r.MaxKeys {
			out.ResumeKey = start
			return out, nil
		}
	}
}

// gc runs a GC request on the range of its start key, cut at the range's
// end; the resume key then points at the next range.
func (ds *DistSender) gc(ctx context.Context, h kvpb.Header, r *kvpb.GCRequest) (kvpb.Response, error) {
	d, err := ds.lookup(ctx, r.Key)
	if err != nil {
		return nil, err
	}
	end, cut := clampEnd(d, r.EndKey)
	sub := *r
	sub.EndKey = end
	resp, err := ds.sendTo(ctx, h, d.RangeID, &sub)
	if err != nil {
		return nil, err
	}
	gr, ok := resp.(*kvpb.GCResponse)
	if !ok {
		return nil, errors.New("distsender: malformed GC response")
	}
	if gr.ResumeKey == nil && cut {
		gr.ResumeKey = end
	}
	return gr, nil
}

func (ds *DistSender) commit(ctx context.Context, h kvpb.Header, r *kvpb.CommitRequest) (kvpb.Response, error) {
	if len(r.Mutations) == 0 {
		return &kvpb.CommitResponse{}, nil
	}
	d, err := ds.lookup(ctx, r.Mutations[0].Key)
	if err != nil {
		return nil, err
	}
	for _, m := range r.Mutations[1:] {
		if !d.ContainsKey(m.Key) {
			return nil, kvpb.ErrNeedsTwoPhase
		}
	}
	for _, sp := range r.ReadSpans {
		if !d.ContainsSpan(sp) {
			return nil, kvpb.ErrNeedsTwoPhase
		}
	}
	return ds.sendTo(ctx, h, d.RangeID, r)
}

// group is the part of a key-list request for one range.
type group struct {
	rangeID kvpb.RangeID
	idx     []int // indexes into the request's key list
}

// groupKeys splits n keys (key(i)) by range, groups in order of first key.
func (ds *DistSender) groupKeys(ctx context.Context, n int, key func(int) []byte) ([]group, error) {
	var groups []group
	at := map[kvpb.RangeID]int{}
	var cur kvpb.RangeDescriptor
	for i := 0; i < n; i++ {
		k := key(i)
		if cur.RangeID == 0 || !cur.ContainsKey(k) {
			d, err := ds.lookup(ctx, k)
			if err != nil {
				return nil, err
			}
			cur = d
		}
		g, ok := at[cur.RangeID]
		if !ok {
			g = len(groups)
			at[cur.RangeID] = g
			groups = append(groups, group{rangeID: cur.RangeID})
		}
		groups[g].idx = append(groups[g].idx, i)
	}
	return groups, nil
}

func pick(keys [][]byte, idx []int) [][]byte {
	if len(idx) == len(keys) {
		return keys
	}
	out := make([][]byte, len(idx))
	for j, i := range idx {
		out[j] = keys[i]
	}
	return out
}

// perRange sends make(keys of the range) to each range and answers resp.
func (ds *DistSender) perRange(
	ctx context.Context, h kvpb.Header, keys [][]byte, make func([][]byte) kvpb.Request, resp kvpb.Response,
) (kvpb.Response, error) {
	groups, err := ds.groupKeys(ctx, len(keys), func(i int) []byte { return keys[i] })
	if err != nil {
		return nil, err
	}
	for _, g := range groups {
		if _, err := ds.sendTo(ctx, h, g.rangeID, make(pick(keys, g.idx))); err != nil {
			return nil, err
		}
	}
	return resp, nil
}

func (ds *DistSender) lock(ctx context.Context, h kvpb.Header, r *kvpb.LockRequest) (kvpb.Response, error) {
	groups, err := ds.groupKeys(ctx, len(r.Keys), func(i int) []byte { return r.Keys[i] })
	if err != nil {
		return nil, err
	}
	out := &kvpb.LockResponse{}
	for _, g := range groups {
		resp, err := ds.sendTo(ctx, h, g.rangeID, &kvpb.LockRequest{
			Keys: pick(r.Keys, g.idx), Mode: r.Mode, ConflictTimestamp: r.ConflictTimestamp,
		})
		if err != nil {
			return nil, err
		}
		lr, ok := resp.(*kvpb.LockResponse)
		if !ok {
			return nil, errors.New("distsender: malformed lock response")
		}
		out.Locked = append(out.Locked, lr.Locked...)
	}
	return out, nil
}

func (ds *DistSender) prewrite(ctx context.Context, h kvpb.Header, r *kvpb.PrewriteRequest) (kvpb.Response, error) {
	groups, err := ds.groupKeys(ctx, len(r.Mutations), func(i int) []byte { return r.Mutations[i].Key })
	if err != nil {
		return nil, err
	}
	for _, g := range groups {
		muts := r.Mutations
		if len(g.idx) != len(muts) {
			muts = make([]kvpb.Mutation, len(g.idx))
			for j, i := range g.idx {
				muts[j] = r.Mutations[i]
			}
		}
		if _, err := ds.sendTo(ctx, h, g.rangeID, &kvpb.PrewriteRequest{Primary: r.Primary, Mutations: muts}); err != nil {
			return nil, err
		}
	}
	return &kvpb.PrewriteResponse{}, nil
}

func (ds *DistSender) validate(ctx context.Context, h kvpb.Header, r *kvpb.ValidateRequest) (kvpb.Response, error) {
	parts := map[kvpb.RangeID][]kvpb.Span{}
	var order []kvpb.RangeID
	for _, sp := range r.Spans {
		start := sp.Key
		for {
			d, err := ds.lookup(ctx, start)
			if err != nil {
				return nil, err
			}
			end, cut := clampEnd(d, sp.EndKey)
			if _, ok := parts[d.RangeID]; !ok {
				order = append(order, d.RangeID)
			}
			parts[d.RangeID] = append(parts[d.RangeID], kvpb.Span{Key: start, EndKey: end})
			if !cut {
				break
			}
			start = end
		}
	}
	for _, id := range order {
		if _, err := ds.sendTo(ctx, h, id, &kvpb.ValidateRequest{
			ReadTimestamp: r.ReadTimestamp, CommitTimestamp: r.CommitTimestamp, Spans: parts[id],
		}); err != nil {
			return nil, err
		}
	}
	return &kvpb.ValidateResponse{}, nil
}
