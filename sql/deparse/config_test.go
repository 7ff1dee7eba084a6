package deparse_test

import (
	"testing"
	"time"

	"github.com/cockroachdb/apd/v3"

	"github.com/aegisdb/aegis/sql/deparse"
	"github.com/aegisdb/aegis/sql/funcs"
	"github.com/aegisdb/aegis/sql/plan"
	"github.com/aegisdb/aegis/sql/types"
	"github.com/aegisdb/aegis/sql/typio"
)

// Expressions the binder does not produce for defaults and checks, and
// the session settings constants print with (the expected texts are
// PostgreSQL 15's).
func TestDeparseConfig(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip(err)
	}
	ts := types.DTimestamp(time.Date(2024, 7, 1, 10, 0, 0, 0, time.UTC).UnixMicro())
	iv := types.DInterval{Days: 1, Micros: (2*3600+3*60+4)*1e6 + 500000}
	for _, tc := range []struct {
		name string
		cfg  deparse.Config
		e    plan.Expr
		want string
	}{
		{"param", deparse.Config{}, &plan.Call{Fn: gt(types.Int4), Args: []plan.Expr{&plan.Param{Idx: 1, T: types.Int4}, &plan.Const{Val: int64(0), T: types.Int4}}}, "$2 > 0"},
		{"column name from ColRef", deparse.Config{}, &plan.IsNull{Arg: &plan.ColRef{Idx: 3, Name: "User Name", T: types.Text}}, `"User Name" IS NULL`},
		{"column name from ColName", deparse.Config{ColName: func(int) string { return "order" }}, &plan.IsNull{Arg: &plan.ColRef{Idx: 3, Name: "x", T: types.Text}}, `"order" IS NULL`},
		{"timestamptz in UTC", deparse.Config{}, &plan.Const{Val: ts, T: types.TimestampTZ}, "'2024-07-01 10:00:00+00'::timestamp with time zone"},
		{"timestamptz in the session zone", deparse.Config{Settings: &typio.Settings{Location: ny}}, &plan.Const{Val: ts, T: types.TimestampTZ}, "'2024-07-01 06:00:00-04'::timestamp with time zone"},
		{"interval", deparse.Config{}, &plan.Const{Val: iv, T: types.Interval}, "'1 day 02:03:04.5'::interval"},
		{"interval in ISO 8601", deparse.Config{Settings: &typio.Settings{IntervalStyle: "iso_8601"}}, &plan.Const{Val: iv, T: types.Interval}, "'P1DT2H3M4.5S'::interval"},
		{"float8", deparse.Config{}, &plan.Const{Val: 0.1, T: types.Float8}, "'0.1'::double precision"},
		{"numeric", deparse.Config{}, &plan.Const{Val: apd.New(15, -1), T: types.Numeric}, "1.5"},
		{"plain param", deparse.Config{Plain: true}, &plan.Call{Fn: gt(types.Int4), Args: []plan.Expr{&plan.Param{Idx: 1, T: types.Int4}, &plan.Const{Val: int64(0), T: types.Int4}}}, "($2 > 0)"},
		{"plain column name from ColName", deparse.Config{Plain: true, ColName: func(int) string { return "order" }}, &plan.IsNull{Arg: &plan.ColRef{Idx: 3, Name: "x", T: types.Text}}, `("order" IS NULL)`},
		{"plain timestamptz in the session zone", deparse.Config{Plain: true, Settings: &typio.Settings{Location: ny}}, &plan.Const{Val: ts, T: types.TimestampTZ}, "'2024-07-01 06:00:00-04'::timestamp with time zone"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.cfg.Expr(tc.e); got != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
		})
	}
}

// The package-level functions are Config's methods with its defaults.
func TestPlainCheck(t *testing.T) {
	e := &plan.Call{Fn: gt(types.Int4), Args: []plan.Expr{&plan.ColRef{Idx: 0, Name: "qty", T: types.Int4}, &plan.Const{Val: int64(0), T: types.Int4}}}
	if got, want := deparse.Check(e, nil), "CHECK (qty > 0)"; got != want {
		t.Errorf("Check: got %s, want %s", got, want)
	}
	if got, want := deparse.PlainCheck(e, nil), "CHECK ((qty > 0))"; got != want {
		t.Errorf("PlainCheck: got %s, want %s", got, want)
	}
}

func gt(t types.T) *funcs.Overload {
	return &funcs.Overload{Name: ">(" + t.TypName() + "," + t.TypName() + ")", Op: ">", Args: []types.T{t, t}, Ret: types.Bool}
}
