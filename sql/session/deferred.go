package session

import (
	"context"

	pg "github.com/pganalyze/pg_query_go/v6"

	"github.com/aegisdb/aegis/sql/catalog"
	"github.com/aegisdb/aegis/sql/pgerror"
)

// deferredCheck is a deferred constraint's check, run at COMMIT.
type deferredCheck struct {
	name  string
	check func(ctx context.Context) error
}

// deferCheck queues a deferred constraint's check for COMMIT.
func (s *Session) deferCheck(name string, check func(ctx context.Context) error) {
	s.deferred = append(s.deferred, deferredCheck{name: name, check: check})
}

// runDeferred runs and clears the queued checks (COMMIT, SET CONSTRAINTS
// ... IMMEDIATE); the first failure is the error.
func (s *Session) runDeferred(ctx context.Context) error {
	checks := s.deferred
	s.deferred = nil
	for _, c := range checks {
		if err := c.check(ctx); err != nil {
			return err
		}
	}
	return nil
}

// fkDeferred reports whether a foreign key's checks wait for COMMIT.
func (s *Session) fkDeferred(fk catalog.ForeignKey) bool {
	if !fk.Deferrable {
		return false
	}
	switch s.constraintsMode {
	case "immediate":
		return false
	case "deferred":
		return true
	}
	return fk.InitiallyDeferred
}

// setConstraints is SET CONSTRAINTS { ALL | name, ... } { DEFERRED |
// IMMEDIATE }; named constraints are treated as ALL.
func (s *Session) setConstraints(ctx context.Context, cs *pg.ConstraintsSetStmt) (string, error) {
	if !s.explicit {
		_ = s.notice(pgerror.New(pgerror.NoActiveSqlTransaction, "SET CONSTRAINTS can only be used in transaction blocks"))
		return "SET CONSTRAINTS", nil
	}
	if cs.Deferred {
		s.constraintsMode = "deferred"
		return "SET CONSTRAINTS", nil
	}
	s.constraintsMode = "immediate"
	if err := s.runDeferred(ctx); err != nil {
		return "", err
	}
	return "SET CONSTRAINTS", nil
}
