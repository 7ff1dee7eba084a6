package build

import (
	"github.com/aegisdb/aegis/exec/op"
	"github.com/aegisdb/aegis/kv"
	"github.com/aegisdb/aegis/sql/plan"
	"github.com/aegisdb/aegis/sql/types"
)

// buildLockRows builds SELECT ... FOR UPDATE/SHARE's operator; each
// strength takes its kv lock mode (PostgreSQL's conflict table).
func (b *Builder) buildLockRows(x *plan.LockRows) (op.Operator, error) {
	in, err := b.Build(x.Input)
	if err != nil {
		return nil, err
	}
	o := &op.LockRows{Input: in, Txn: b.Txn, FromStart: x.FromStart, T: plan.Types(x.Columns()), Limit: -1, Slot: &op.EPQSlot{}}
	for _, t := range x.Targets {
		ot := op.LockTarget{Table: t.Table, Start: t.Start}
		switch t.Strength {
		case plan.ForKeyShare:
			ot.Mode = kv.LockKeyShare
		case plan.ForShare:
			ot.Mode = kv.LockShare
		case plan.ForNoKeyUpdate:
			ot.Mode = kv.LockNoKeyUpdate
		default:
			ot.Mode = kv.LockUpdate
		}
		switch t.Wait {
		case plan.LockWaitSkip:
			ot.Wait = kv.WaitSkipLocked
		case plan.LockWaitError:
			ot.Wait = kv.WaitNoWait
		default:
			ot.Wait = kv.WaitBlock
		}
		o.Targets = append(o.Targets, ot)
	}
	child := *b
	child.epq = o.Slot
	if o.Recheck, err = child.Build(x.Recheck); err != nil {
		return nil, err
	}
	if x.Count != nil {
		v, err := b.EvalConst(x.Count)
		if err != nil {
			return nil, err
		}
		if n, ok := v.(int64); ok && n >= 0 {
			o.Limit = n
			if x.Offset != nil {
				if off, err := b.EvalConst(x.Offset); err != nil {
					return nil, err
				} else if m, ok := off.(int64); ok && m > 0 {
					o.Limit += m
				}
			}
		}
	}
	return o, nil
}

// recheck compiles an UPDATE's or DELETE's re-check of rows changed by
// concurrent transactions (see plan.Recheck) into m.
func (b *Builder) recheck(o op.Operator, r plan.Recheck) error {
	m, ok := o.(*op.Mutate)
	if !ok || len(r.Exprs) == 0 {
		return nil
	}
	ts := make([]types.T, len(m.Table.Table.Columns))
	for i, c := range m.Table.Table.Columns {
		ts[i] = c.Type
	}
	var err error
	if r.Pred != nil {
		if m.RecheckPred, err = b.compile(r.Pred, ts); err != nil {
			return err
		}
	}
	m.RecheckExprs, err = b.compileAll(r.Exprs, ts)
	return err
}
