package kvpb

import (
	"context"
	"errors"
	"time"

	"github.com/aegisdb/aegis/internal/hlc"
)

// Method identifies a request type.
type Method int

// Request methods.
const (
	MethodGet Method = iota + 1
	MethodScan
	MethodTimestamp
	MethodCommit
	MethodRangeLookup
	MethodLock
	MethodReleaseLocks
	MethodPrewrite
	MethodBeginCommit
	MethodFinishCommit
	MethodValidate
	MethodEndTxn
	MethodResolve
	MethodClearTxnRecord
	MethodGC
)

var methodNames = [...]string{
	MethodGet: "Get", MethodScan: "Scan", MethodTimestamp: "Timestamp", MethodCommit: "Commit",
	MethodRangeLookup: "RangeLookup", MethodLock: "Lock", MethodReleaseLocks: "ReleaseLocks",
	MethodPrewrite: "Prewrite", MethodBeginCommit: "BeginCommit", MethodFinishCommit: "FinishCommit",
	MethodValidate: "Validate", MethodEndTxn: "EndTxn", MethodResolve: "Resolve",
	MethodClearTxnRecord: "ClearTxnRecord", MethodGC: "GC",
}

// String returns the method's name.
func (m Method) String() string {
	if m > 0 && int(m) < len(methodNames) {
		return methodNames[m]
	}
	return "Method(?)"
}

// Request is one operation in a BatchRequest. The concrete types are the
// *XxxRequest structs of this package.
type Request interface {
	Method() Method
}

// Response is the result of one Request; BatchResponse.Responses[i] answers
// BatchRequest.Requests[i] and has the matching *XxxResponse type.
type Response interface {
	Method() Method
}

// Header carries fields common to all requests of a batch.
type Header struct {
	// Timestamp is the MVCC read timestamp of Get and Scan requests. It
	// must be a timestamp obtained from a TimestampRequest (or older).
	Timestamp hlc.Timestamp
	// RangeID addresses the batch to one range. Clients leave it zero and
	// send through the range-addressing sender (kv/distsender), which
	// splits the batch per range and fills it in. Oracle requests
	// (Timestamp, BeginCommit, FinishCommit, RangeLookup) are unaddressed.
	RangeID RangeID
	// Txn is the transaction the requests belong to; lock, prewrite,
	// resolve and commit requests need it.
	Txn TxnID
	// WaitPolicy and LockTimeout govern waiting for locks held by other
	// transactions (Lock, Prewrite and Commit requests). A zero
	// LockTimeout waits until the context ends.
	WaitPolicy  WaitPolicy
	LockTimeout time.Duration
}

// BatchRequest is a sequence of requests executed in order. Requests and
// their byte slices are owned by the sender until Send returns and must not
// be modified while it runs.
type BatchRequest struct {
	Header
	Requests []Request
}

// BatchResponse holds one response per request. The receiver owns every
// byte slice in it.
type BatchResponse struct {
	Responses []Response
}

// Span is the key range [Key, EndKey). A nil EndKey is unbounded above (the
// end of the key space); a single key k is the span [k, k+"\x00"), see
// PointSpan.
type Span struct {
	Key    []byte
	EndKey []byte
}

// PointSpan returns the span containing exactly key.
func PointSpan(key []byte) Span {
	end := make([]byte, len(key)+1)
	copy(end, key)
	return Span{Key: key, EndKey: end}
}

// KeyValue is one row of a ScanResponse.
type KeyValue struct {
	Key   []byte
	Value []byte
}

// GetRequest reads the newest version of Key at Header.Timestamp.
type GetRequest struct {
	Key []byte
}

// GetResponse answers GetRequest.
type GetResponse struct {
	Value []byte
	Found bool
}

// ScanRequest reads the live keys of [Key, EndKey) at Header.Timestamp in
// ascending order. A nil EndKey means the end of the key space.
type ScanRequest struct {
	Span
	// MaxKeys bounds the number of rows returned; <= 0 means no limit.
	MaxKeys int
}

// ScanResponse answers ScanRequest.
type ScanResponse struct {
	Rows []KeyValue
	// ResumeKey, if non-nil, is where the scan stopped because of MaxKeys:
	// continue with a ScanRequest starting at ResumeKey.
	ResumeKey []byte
}

// TimestampRequest asks for a read timestamp: the largest timestamp at which
// every commit is already applied.
type TimestampRequest struct{}

// TimestampResponse answers TimestampRequest.
type TimestampResponse struct {
	Timestamp hlc.Timestamp
}

// Mutation is one buffered write of a committing transaction.
type Mutation struct {
	Key []byte
	// Value is written unless Delete is set, in which case a tombstone is.
	Value  []byte
	Delete bool
	// ConflictTimestamp is the snapshot at which the transaction decided to
	// write Key. If Key has a version newer than it, the commit fails
	// (first-committer-wins).
	ConflictTimestamp hlc.Timestamp
}

// CommitRequest atomically and durably applies Mutations at a new commit
// timestamp, after checking write-write conflicts and, if ReadSpans is set,
// that nothing in ReadSpans changed after ReadTimestamp. It is the
// one-phase commit of a transaction whose keys and read spans lie in one
// range: it takes write locks on the keys for Header.Txn (waiting for
// other holders as Header.WaitPolicy says) and releases all of the
// transaction's locks on them when done.
type CommitRequest struct {
	// Mutations must have distinct keys, in ascending key order.
	Mutations []Mutation
	// ReadTimestamp is the snapshot the ReadSpans were read at.
	ReadTimestamp hlc.Timestamp
	// ReadSpans are validated for SERIALIZABLE transactions: any version
	// in them committed after ReadTimestamp by another transaction fails
	// the commit with a retry error.
	ReadSpans []Span
}

// CommitResponse answers CommitRequest.
type CommitResponse struct {
	// CommitTimestamp is the timestamp the mutations were written at.
	CommitTimestamp hlc.Timestamp
}

// Method implements Request.
func (*GetRequest) Method() Method { return MethodGet }

// Method implements Request.
func (*ScanRequest) Method() Method { return MethodScan }

// Method implements Request.
func (*TimestampRequest) Method() Method { return MethodTimestamp }

// Method implements Request.
func (*CommitRequest) Method() Method { return MethodCommit }

// Method implements Response.
func (*GetResponse) Method() Method { return MethodGet }

// Method implements Response.
func (*ScanResponse) Method() Method { return MethodScan }

// Method implements Response.
func (*TimestampResponse) Method() Method { return MethodTimestamp }

// Method implements Response.
func (*CommitResponse) Method() Method { return MethodCommit }

// BatchSender is what sends batches (kv.Sender's contract).
type BatchSender interface {
	Send(ctx context.Context, ba *BatchRequest) (*BatchResponse, error)
}

// OneSender is implemented by senders with a cheaper path for a batch of
// one request; SendOne(ctx, h, req) must behave exactly as Send of
// BatchRequest{Header: h, Requests: {req}}, returning the one response.
// Most requests travel alone, and the path avoids the batch's
// allocations.
type OneSender interface {
	SendOne(ctx context.Context, h Header, req Request) (Response, error)
}

// SendOne sends req alone with header h through s, using s's OneSender
// path if it has one.
func SendOne(ctx context.Context, s BatchSender, h Header, req Request) (Response, error) {
	if o, ok := s.(OneSender); ok {
		return o.SendOne(ctx, h, req)
	}
	br, err := s.Send(ctx, &BatchRequest{Header: h, Requests: []Request{req}})
	if err != nil {
		return nil, err
	}
	if br == nil || len(br.Responses) != 1 {
		return nil, errors.New("kvpb: malformed response to a single request")
	}
	return br.Responses[0], nil
}
