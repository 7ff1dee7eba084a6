package session

import (
	"slices"
	"sync"

	pg "github.com/pganalyze/pg_query_go/v6"

	"github.com/aegisdb/aegis/sql/pgerror"
)

// Notification is an asynchronous NOTIFY message for a listening session.
type Notification struct {
	PID     uint32 // the notifying backend
	Channel string
	Payload string
}

// notifyHub routes NOTIFY messages of an Engine's sessions to the
// sessions listening on their channels.
type notifyHub struct {
	mu        sync.Mutex
	listeners map[string]map[*Session]bool
}

func (e *Engine) hub() *notifyHub {
	e.hubOnce.Do(func() { e.notify = &notifyHub{listeners: map[string]map[*Session]bool{}} })
	return e.notify
}

// SetNotifier sets how the session's connection delivers notifications.
func (s *Session) SetNotifier(fn func(Notification)) {
	s.mu.Lock()
	s.mu.notifier = fn
	s.mu.Unlock()
}

func (s *Session) listen(channel string) {
	h := s.eng.hub()
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.listeners[channel] == nil {
		h.listeners[channel] = map[*Session]bool{}
	}
	h.listeners[channel][s] = true
}

// unlisten stops listening on channel ("*": every channel).
func (s *Session) unlisten(channel string) {
	h := s.eng.hub()
	h.mu.Lock()
	defer h.mu.Unlock()
	for ch, set := range h.listeners {
		if channel == "*" || ch == channel {
			delete(set, s)
			if len(set) == 0 {
				delete(h.listeners, ch)
			}
		}
	}
}

// queueNotify records a NOTIFY of the current transaction; it is sent at
// commit (a duplicate of a queued message is dropped, as in PostgreSQL).
func (s *Session) queueNotify(channel, payload string) error {
	if channel == "" {
		return pgerror.New(pgerror.InvalidParameterValue, "channel name cannot be empty")
	}
	if len(channel) >= 64 {
		return pgerror.New(pgerror.InvalidParameterValue, "channel name too long")
	}
	if len(payload) >= 8000 {
		return pgerror.New(pgerror.InvalidParameterValue, "payload string too long")
	}
	n := Notification{PID: uint32(s.BackendPID()), Channel: channel, Payload: payload}
	if !slices.Contains(s.pendingNotify, n) {
		s.pendingNotify = append(s.pendingNotify, n)
	}
	return nil
}

// deliverNotifications sends the committed transaction's notifications.
func (s *Session) deliverNotifications() {
	pending := s.pendingNotify
	s.pendingNotify = nil
	if len(pending) == 0 {
		return
	}
	h := s.eng.hub()
	for _, n := range pending {
		h.mu.Lock()
		var targets []*Session
		for l := range h.listeners[n.Channel] {
			targets = append(targets, l)
		}
		h.mu.Unlock()
		for _, t := range targets {
			t.mu.Lock()
			fn := t.mu.notifier
			t.mu.Unlock()
			if fn != nil {
				fn(n)
			}
		}
	}
}

// execListen runs LISTEN, UNLISTEN and NOTIFY.
func (s *Session) execListen(n *pg.Node) (string, error) {
	switch x := n.Node.(type) {
	case *pg.Node_ListenStmt:
		s.listen(x.ListenStmt.Conditionname)
		return "LISTEN", nil
	case *pg.Node_UnlistenStmt:
		ch := x.UnlistenStmt.Conditionname
		if ch == "" {
			ch = "*"
		}
		s.unlisten(ch)
		return "UNLISTEN", nil
	case *pg.Node_NotifyStmt:
		if err := s.queueNotify(x.NotifyStmt.Conditionname, x.NotifyStmt.Payload); err != nil {
			return "", err
		}
		return "NOTIFY", nil
	}
	return "", pgerror.AssertionFailed("not a LISTEN/NOTIFY statement")
}

// Notify implements funcs.Env (pg_notify).
func (s *Session) Notify(channel, payload string) error { return s.queueNotify(channel, payload) }
