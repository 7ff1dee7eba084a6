package funcs

import (
	"github.com/aegisdb/aegis/sql/typio"
	"strings"
	"sync"

	"github.com/aegisdb/aegis/sql/types"
)

// Registry holds every built-in function, operator and aggregate.
type Registry struct {
	ops  map[string][]*Overload // by operator symbol ("+", "=", ...); unary ops under "u" + symbol
	fns  map[string][]*Overload // by lower-case name
	aggs map[string][]*Aggregate
}

var (
	builtinOnce sync.Once
	builtin     *Registry
)

// Builtins returns the registry of built-in functions (built once).
func Builtins() *Registry {
	builtinOnce.Do(func() {
		r := &Registry{ops: map[string][]*Overload{}, fns: map[string][]*Overload{}, aggs: map[string][]*Aggregate{}}
		registerOperators(r)
		registerFunctions(r)
		registerRowID(r)
		registerCatalogFunctions(r)
		registerDateTimeFunctions(r)
		registerStringFunctions(r)
		registerArrayFunctions(r)
		registerSetReturningFunctions(r)
		registerAggregates(r)
		registerJSONFunctions(r)
		registerEnumFunctions(r)
		builtin = r
	})
	return builtin
}

func (r *Registry) addOp(o *Overload) {
	if o.Volatility == 0 {
		o.Volatility = Immutable
	}
	key := o.Op
	if len(o.Args) == 1 {
		key = "u" + key
	}
	o.Name = opFuncName(o)
	r.ops[key] = append(r.ops[key], o)
}

func opFuncName(o *Overload) string {
	var parts []string
	for _, a := range o.Args {
		parts = append(parts, a.TypName())
	}
	return o.Op + "(" + strings.Join(parts, ",") + ")"
}

func (r *Registry) addFn(o *Overload) {
	if o.Volatility == 0 {
		o.Volatility = Immutable
	}
	r.fns[o.Name] = append(r.fns[o.Name], o)
}

// BinaryOps returns the overloads of a binary operator.
func (r *Registry) BinaryOps(op string) []*Overload { return r.ops[op] }

// UnaryOps returns the overloads of a prefix operator.
func (r *Registry) UnaryOps(op string) []*Overload { return r.ops["u"+op] }

// Functions returns the overloads of a function name (lower case).
func (r *Registry) Functions(name string) []*Overload { return r.fns[name] }

// Aggregates returns the overloads of an aggregate name.
func (r *Registry) Aggregates(name string) []*Aggregate { return r.aggs[name] }

// IsAggregate reports whether name is an aggregate function.
func (r *Registry) IsAggregate(name string) bool { return len(r.aggs[name]) > 0 }

// Comparison operators.
var comparisonOps = []string{"=", "<>", "<", "<=", ">", ">="}

// IsComparison reports whether op is a comparison operator.
func IsComparison(op string) bool {
	for _, c := range comparisonOps {
		if c == op {
			return true
		}
	}
	return op == "!="
}

func registerAggregates(r *Registry) {
	add := func(name string, arg, ret types.T) {
		r.aggs[name] = append(r.aggs[name], &Aggregate{Name: AggKind(name), Arg: arg, Ret: ret})
	}
	add("count", types.Unknown, types.Int8) // count(*) and count(any): the binder special-cases it
	for _, t := range []types.T{types.Int2, types.Int4} {
		add("sum", t, types.Int8)
		add("avg", t, types.Numeric)
	}
	add("sum", types.Int8, types.Numeric)
	add("avg", types.Int8, types.Numeric)
	add("sum", types.Numeric, types.Numeric)
	add("avg", types.Numeric, types.Numeric)
	add("sum", types.Float4, types.Float4)
	add("avg", types.Float4, types.Float8)
	add("sum", types.Float8, types.Float8)
	add("avg", types.Float8, types.Float8)
	add("sum", types.Interval, types.Interval)
	add("avg", types.Interval, types.Interval)
	for _, t := range orderable {
		add("min", t, t)
		add("max", t, t)
	}
	add("bool_and", types.Bool, types.Bool)
	add("bool_or", types.Bool, types.Bool)
	add("every", types.Bool, types.Bool)
	add("string_agg", types.Text, types.Text)
	// array_agg of arrays stacks them into one more dimension.
	r.aggs["array_agg"] = append(r.aggs["array_agg"],
		&Aggregate{Name: "array_agg", Arg: types.AnyArray, Ret: types.AnyArray, KeepNulls: true},
		&Aggregate{Name: "array_agg", Arg: types.AnyElement, Ret: types.AnyArray, KeepNulls: true})
}

// orderable lists the types with a btree ordering.
var orderable = []types.T{
	types.Bool, types.Int2, types.Int4, types.Int8, types.Float4, types.Float8, types.Numeric,
	types.Text, types.Varchar, types.Name, types.Bytea, types.Date, types.Timestamp, types.TimestampTZ,
	types.Interval, types.UUID, types.OidT, {Oid: types.OidChar, Typmod: -1},
	{Oid: types.OidRegClass, Typmod: -1}, {Oid: types.OidRegType, Typmod: -1}, {Oid: types.OidRegProc, Typmod: -1},
	{Oid: types.OidRegNamespace, Typmod: -1}, {Oid: types.OidRegRole, Typmod: -1},
}

// registerEnumFunctions adds the comparisons of enum types (anyenum),
// which order by label position.
func registerEnumFunctions(r *Registry) {
	ee := []types.T{types.AnyEnum, types.AnyEnum}
	for _, op := range comparisonOps {
		test := cmpTest(op)
		r.addOp(&Overload{Op: op, Args: ee, Ret: types.Bool, Poly: func(args []types.T, _ types.T) Fn {
			t := args[0]
			return func(_ Env, a []types.Datum) (types.Datum, error) {
				return test(typio.Compare(t, a[0], a[1])), nil
			}
		}})
	}
}
