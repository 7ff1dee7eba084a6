package session

import (
	"sort"
	"sync"
	"time"

	"github.com/aegisdb/aegis/sql/pgerror"
	"github.com/aegisdb/aegis/sql/types"
	"github.com/aegisdb/aegis/sql/vtable"
)

// backends tracks the sessions of an Engine for pg_stat_activity,
// pg_cancel_backend and pg_terminate_backend.
type backends struct {
	mu sync.Mutex
	m  map[uint32]*Session
}

// activity is what pg_stat_activity shows of a session; guarded by
// Session.mu.
type activity struct {
	pid         uint32
	clientAddr  string
	clientPort  int64
	start       time.Time
	state       string
	query       string
	queryStart  time.Time
	xactStart   time.Time
	stateChange time.Time
	terminate   func()
}

func (e *Engine) registry() *backends {
	e.backendsOnce.Do(func() { e.backends = &backends{m: map[uint32]*Session{}} })
	return e.backends
}

// Attach registers the session as backend pid (its BackendKeyData
// process ID); terminate closes its connection (pg_terminate_backend).
func (s *Session) Attach(pid uint32, clientAddr string, clientPort int, terminate func()) {
	now := time.Now()
	s.mu.Lock()
	s.mu.act = activity{pid: pid, clientAddr: clientAddr, clientPort: int64(clientPort), start: now, state: "idle",
		stateChange: now, terminate: terminate}
	s.mu.Unlock()
	r := s.eng.registry()
	r.mu.Lock()
	r.m[pid] = s
	r.mu.Unlock()
}

// Detach removes the session from the backends (its connection ended).
func (s *Session) Detach() {
	s.mu.Lock()
	pid := s.mu.act.pid
	s.mu.Unlock()
	r := s.eng.registry()
	r.mu.Lock()
	if r.m[pid] == s {
		delete(r.m, pid)
	}
	r.mu.Unlock()
}

// noteActive records that a query started running.
func (s *Session) noteActive(query string) {
	now := time.Now()
	s.mu.Lock()
	s.mu.act.state, s.mu.act.query, s.mu.act.queryStart, s.mu.act.stateChange = "active", query, now, now
	if s.mu.act.xactStart.IsZero() {
		s.mu.act.xactStart = now
	}
	s.mu.Unlock()
}

// NoteIdle records that the session waits for the client (pgwire calls
// it when it sends ReadyForQuery).
func (s *Session) NoteIdle() {
	state := "idle"
	switch s.TxnStatus() {
	case 'T':
		state = "idle in transaction"
	case 'E':
		state = "idle in transaction (aborted)"
	}
	now := time.Now()
	s.mu.Lock()
	s.mu.act.state, s.mu.act.stateChange = state, now
	if state == "idle" {
		s.mu.act.xactStart = time.Time{}
	}
	s.mu.Unlock()
}

// BackendPID implements funcs.Env (pg_backend_pid).
func (s *Session) BackendPID() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return int64(s.mu.act.pid)
}

// SignalBackend implements funcs.Env: pg_cancel_backend (cancel the
// running statement) and pg_terminate_backend (close the connection).
func (s *Session) SignalBackend(pid int64, terminate bool) (bool, error) {
	r := s.eng.registry()
	r.mu.Lock()
	target := r.m[uint32(pid)]
	r.mu.Unlock()
	if target == nil || pid <= 0 {
		w := pgerror.New(pgerror.Warning, "PID %d is not a PostgreSQL backend process", pid)
		w.Severity = pgerror.SeverityWarning
		_ = s.notice(w)
		return false, nil
	}
	if terminate {
		target.mu.Lock()
		t := target.mu.act.terminate
		target.mu.Unlock()
		if t != nil {
			t()
		}
	}
	target.Cancel()
	return true, nil
}

// activityRows lists the backends of the engine (pg_stat_activity).
func (s *Session) activityRows() []vtable.Activity {
	r := s.eng.registry()
	r.mu.Lock()
	sessions := make([]*Session, 0, len(r.m))
	for _, x := range r.m {
		sessions = append(sessions, x)
	}
	r.mu.Unlock()
	var out []vtable.Activity
	for _, x := range sessions {
		x.mu.Lock()
		a := x.mu.act
		x.mu.Unlock()
		ts := func(t time.Time) types.Datum {
			if t.IsZero() {
				return nil
			}
			return types.DTimestamp(t.UnixMicro())
		}
		out = append(out, vtable.Activity{PID: int64(a.pid), Database: x.database, DBOID: int64(x.dbID), User: x.user,
			Application: x.settings["application_name"], ClientAddr: a.clientAddr, ClientPort: a.clientPort,
			BackendStart: ts(a.start), XactStart: ts(a.xactStart), QueryStart: ts(a.queryStart), StateChange: ts(a.stateChange),
			State: a.state, Query: a.query})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].PID < out[j].PID })
	return out
}
