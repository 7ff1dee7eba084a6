package opt

import (
	"testing"

	"github.com/aegisdb/aegis/sql/funcs"
	"github.com/aegisdb/aegis/sql/plan"
	"github.com/aegisdb/aegis/sql/types"
)

func eq(l, r int) plan.Expr {
	var ov *funcs.Overload
	for _, o := range funcs.Builtins().BinaryOps("=") {
		if o.Args[0] == types.Int4 && o.Args[1] == types.Int4 {
			ov = o
		}
	}
	return &plan.Call{Fn: ov, Args: []plan.Expr{&plan.ColRef{Idx: l, T: types.Int4}, &plan.ColRef{Idx: r, T: types.Int4}}}
}

func values(n int) *plan.Values {
	v := &plan.Values{}
	for i := 0; i < n; i++ {
		v.Cols = append(v.Cols, plan.Column{Name: "c", T: types.Int4})
	}
	return v
}

// FROM a, b, c WHERE a.0 = b.0 AND b.1 = c.1 AND a.1 = a.0:
// each conjunct must land on the join that first has its columns, with
// equality keys for the hash join, and nothing left on top.
func TestPushFiltersIntoJoins(t *testing.T) {
	a, b, c := values(2), values(2), values(2)
	ab := &plan.Join{Kind: plan.InnerJoin, Left: a, Right: b, Cols: append(append([]plan.Column{}, a.Cols...), b.Cols...)}
	abc := &plan.Join{Kind: plan.InnerJoin, Left: ab, Right: c, Cols: append(append([]plan.Column{}, ab.Cols...), c.Cols...)}
	where := plan.AndOf([]plan.Expr{eq(0, 2), eq(3, 5), eq(1, 0)})
	out, _ := Optimize(&plan.Filter{Input: abc, Pred: where}, Options{Disabled: map[string]bool{ReorderJoins: true}})
	top, ok := out.(*plan.Join)
	if !ok {
		t.Fatalf("filter left on top: %T", out)
	}
	if len(top.EqLeft) != 1 || top.EqLeft[0] != 3 || top.EqRight[0] != 1 {
		t.Fatalf("top join keys %v %v", top.EqLeft, top.EqRight)
	}
	inner := top.Left.(*plan.Join)
	if len(inner.EqLeft) != 1 || inner.EqLeft[0] != 0 || inner.EqRight[0] != 0 {
		t.Fatalf("inner join keys %v %v", inner.EqLeft, inner.EqRight)
	}
	if f, ok := inner.Left.(*plan.Filter); !ok || f.Pred.String() != eq(1, 0).String() {
		t.Fatalf("single-table conjunct not pushed to its scan: %T", inner.Left)
	}
	if n, _ := Optimize(&plan.Filter{Input: abc, Pred: where}, Options{Disabled: map[string]bool{PushFilters: true}}); n.(*plan.Filter) == nil {
		t.Fatal("disabled rule still ran")
	}
}

// Outer joins keep conjuncts above them.
func TestNoPushThroughOuterJoin(t *testing.T) {
	a, b := values(1), values(1)
	j := &plan.Join{Kind: plan.LeftJoin, Left: a, Right: b, Cols: append(append([]plan.Column{}, a.Cols...), b.Cols...)}
	out, _ := Optimize(&plan.Filter{Input: j, Pred: eq(1, 1)}, Options{})
	if _, ok := out.(*plan.Filter); !ok {
		t.Fatalf("filter over a LEFT JOIN moved: %T", out)
	}
}

// FROM a, b, c WHERE a.0 = c.0 AND c.1 = b.1: a and b share no condition,
// so the joins are rebuilt as (a ⋈ c) ⋈ b, each with hash keys, under a
// projection that restores a, b, c column order.
func TestReorderJoinsAvoidsCrossProducts(t *testing.T) {
	a, b, c := values(2), values(2), values(2)
	ab := &plan.Join{Kind: plan.InnerJoin, Left: a, Right: b, Cols: append(append([]plan.Column{}, a.Cols...), b.Cols...)}
	abc := &plan.Join{Kind: plan.InnerJoin, Left: ab, Right: c, Cols: append(append([]plan.Column{}, ab.Cols...), c.Cols...)}
	where := plan.AndOf([]plan.Expr{eq(0, 4), eq(5, 3)})
	out, _ := Optimize(&plan.Filter{Input: abc, Pred: where}, Options{})
	p, ok := out.(*plan.Project)
	if !ok {
		t.Fatalf("want a projection on top, got %T", out)
	}
	var check func(n plan.Node) int
	check = func(n plan.Node) int {
		j, ok := n.(*plan.Join)
		if !ok {
			return 1
		}
		if len(j.EqLeft) == 0 {
			t.Errorf("join without hash keys (cross product): on=%v", j.On)
		}
		return check(j.Left) + check(j.Right)
	}
	if leaves := check(p.Input); leaves != 3 {
		t.Fatalf("%d inputs, want 3", leaves)
	}
	// Original order: a's columns 0-1, b's 2-3, c's 4-5. New order a, c, b.
	want := []int{0, 1, 4, 5, 2, 3}
	for i, e := range p.Exprs {
		if e.(*plan.ColRef).Idx != want[i] {
			t.Fatalf("projection %d reads %d, want %d", i, e.(*plan.ColRef).Idx, want[i])
		}
	}
}
