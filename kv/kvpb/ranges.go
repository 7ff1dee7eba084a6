package kvpb

import (
	"bytes"
	"fmt"
)

// RangeID identifies a range. IDs are never reused; 0 means "no range" (an
// unaddressed request, see Header.RangeID).
type RangeID int64

// ReplicaDescriptor names one replica of a range. On a single node every
// range has exactly one replica, {NodeID: 1, StoreID: 1, ReplicaID: 1}.
type ReplicaDescriptor struct {
	NodeID    int32
	StoreID   int32
	ReplicaID int32
}

// RangeDescriptor describes a range: the key span [StartKey, EndKey) it
// owns and its replicas. A nil EndKey is the end of the key space; the
// first range starts at the empty key. Ranges partition the key space.
type RangeDescriptor struct {
	RangeID  RangeID
	StartKey []byte
	EndKey   []byte
	Replicas []ReplicaDescriptor
	// Generation increases each time the span changes (a split), so a
	// stale cached copy can be told apart from the current one.
	Generation int64
}

// ContainsKey reports whether key is in [StartKey, EndKey).
func (d *RangeDescriptor) ContainsKey(key []byte) bool {
	return bytes.Compare(key, d.StartKey) >= 0 && (d.EndKey == nil || bytes.Compare(key, d.EndKey) < 0)
}

// ContainsSpan reports whether the span lies entirely inside the range. A
// span with a nil EndKey is contained only by the last range.
func (d *RangeDescriptor) ContainsSpan(sp Span) bool {
	if !d.ContainsKey(sp.Key) {
		return false
	}
	if sp.EndKey == nil {
		return d.EndKey == nil
	}
	return d.EndKey == nil || bytes.Compare(sp.EndKey, d.EndKey) <= 0
}

// String formats the descriptor for logs.
func (d *RangeDescriptor) String() string {
	end := "/Max"
	if d.EndKey != nil {
		end = fmt.Sprintf("%q", d.EndKey)
	}
	return fmt.Sprintf("r%d:[%q, %s) gen=%d", d.RangeID, d.StartKey, end, d.Generation)
}

// RangeKeyMismatchError is returned by a store when a request addressed
// to a range touches keys outside it (the range split, or the sender's
// cache is stale). It is internal to the kv layer: the range-addressing
// sender refreshes its cache from Ranges and retries.
type RangeKeyMismatchError struct {
	RangeID RangeID
	Key     []byte
	// Ranges are the store's current descriptors around Key, if known.
	Ranges []RangeDescriptor
}

// Error implements error.
func (e *RangeKeyMismatchError) Error() string {
	return fmt.Sprintf("key %q is not in range r%d", e.Key, e.RangeID)
}

// RangeNotFoundError is returned for a request addressed to a range the
// store does not have.
type RangeNotFoundError struct {
	RangeID RangeID
}

// Error implements error.
func (e *RangeNotFoundError) Error() string { return fmt.Sprintf("range r%d not found", e.RangeID) }

// RangeLookupRequest asks for the descriptor of the range containing Key.
// It is unaddressed (served by whoever keeps the range directory: the
// local store today, the meta group in a cluster).
type RangeLookupRequest struct {
	Key []byte
}

// RangeLookupResponse answers RangeLookupRequest.
type RangeLookupResponse struct {
	Descriptor RangeDescriptor
}

// Method implements Request.
func (*RangeLookupRequest) Method() Method { return MethodRangeLookup }

// Method implements Response.
func (*RangeLookupResponse) Method() Method { return MethodRangeLookup }
