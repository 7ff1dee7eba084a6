package funcs

import (
	"github.com/aegisdb/aegis/sql/types"
	"github.com/aegisdb/aegis/sql/vtable"
)

// The system catalog information functions that clients call on catalog
// rows: pg_get_indexdef, pg_get_constraintdef, pg_get_viewdef,
// pg_get_serial_sequence, current_schemas, ...

func registerCatalogInfoFunctions(r *Registry) {
	regclass := types.T{Oid: types.OidRegClass, Typmod: -1}
	withCatalog := func(f func(c *vtable.Context, a []types.Datum) (types.Datum, error)) Fn {
		return func(env Env, a []types.Datum) (types.Datum, error) {
			c := env.Catalog()
			if c == nil {
				return nil, nil
			}
			c.Ctx = env.Context()
			return f(c, a)
		}
	}
	indexDef := withCatalog(func(c *vtable.Context, a []types.Datum) (types.Datum, error) {
		col, pretty := int64(0), false
		if len(a) > 2 {
			col, pretty = a[1].(int64), a[2].(bool)
		}
		def, ok, err := vtable.IndexDef(c, a[0].(int64), int(col), pretty)
		if err != nil || !ok {
			return nil, err
		}
		return def, nil
	})
	r.addFn(&Overload{Name: "pg_get_indexdef", Args: []types.T{types.OidT}, Ret: types.Text, Volatility: Stable, Fn: indexDef})
	r.addFn(&Overload{Name: "pg_get_indexdef", Args: []types.T{types.OidT, types.Int4, types.Bool}, Ret: types.Text, Volatility: Stable, Fn: indexDef})
	conDef := withCatalog(func(c *vtable.Context, a []types.Datum) (types.Datum, error) {
		pretty := len(a) > 1 && a[1].(bool)
		def, ok, err := vtable.ConstraintDef(c, a[0].(int64), pretty)
		if err != nil || !ok {
			return nil, err
		}
		return def, nil
	})
	r.addFn(&Overload{Name: "pg_get_constraintdef", Args: []types.T{types.OidT}, Ret: types.Text, Volatility: Stable, Fn: conDef})
	r.addFn(&Overload{Name: "pg_get_constraintdef", Args: []types.T{types.OidT, types.Bool}, Ret: types.Text, Volatility: Stable, Fn: conDef})
	viewDef := withCatalog(func(c *vtable.Context, a []types.Datum) (types.Datum, error) {
		pretty := len(a) > 1 && a[1] == true
		def, ok, err := vtable.ViewDef(c, a[0].(int64), pretty)
		if err != nil || !ok {
			return nil, err
		}
		return def, nil
	})
	r.addFn(&Overload{Name: "pg_get_viewdef", Args: []types.T{types.OidT}, Ret: types.Text, Volatility: Stable, Fn: viewDef})
	r.addFn(&Overload{Name: "pg_get_viewdef", Args: []types.T{types.OidT, types.Bool}, Ret: types.Text, Volatility: Stable, Fn: viewDef})
	r.addFn(&Overload{Name: "pg_get_serial_sequence", Args: []types.T{types.Text, types.Text}, Ret: types.Text, Volatility: Stable,
		Fn: withCatalog(func(c *vtable.Context, a []types.Datum) (types.Datum, error) {
			seq, ok, err := vtable.SerialSequence(c, a[0].(string), a[1].(string))
			if err != nil || !ok {
				return nil, err
			}
			return seq, nil
		})})
	r.addFn(&Overload{Name: "pg_relation_is_publishable", Args: []types.T{regclass}, Ret: types.Bool, Volatility: Stable,
		Fn: func(Env, []types.Datum) (types.Datum, error) { return true, nil }})
	r.addFn(&Overload{Name: "pg_partition_ancestors", Args: []types.T{regclass}, Ret: regclass, Volatility: Stable,
		SRF: func(Env, []types.Datum) (Iterator, error) { return empty{}, nil }})
	r.addFn(&Overload{Name: "pg_get_statisticsobjdef_columns", Args: []types.T{types.OidT}, Ret: types.Text, Volatility: Stable,
		Fn: func(Env, []types.Datum) (types.Datum, error) { return nil, nil }})
	for name, f := range map[string]func(int64) (string, bool){
		"pg_get_function_result": vtable.FunctionResult, "pg_get_function_arguments": vtable.FunctionArguments,
		"pg_get_function_identity_arguments": vtable.FunctionArguments,
	} {
		r.addFn(&Overload{Name: name, Args: []types.T{types.OidT}, Ret: types.Text, Volatility: Stable,
			Fn: func(_ Env, a []types.Datum) (types.Datum, error) {
				if s, ok := f(a[0].(int64)); ok {
					return s, nil
				}
				return nil, nil
			}})
	}
	for _, name := range []string{"pg_get_functiondef", "pg_get_triggerdef", "pg_get_ruledef"} {
		for _, args := range [][]types.T{{types.OidT}, {types.OidT, types.Bool}} {
			r.addFn(&Overload{Name: name, Args: args, Ret: types.Text, Volatility: Stable,
				Fn: func(Env, []types.Datum) (types.Datum, error) { return nil, nil }})
		}
	}
	nameArr, _ := types.ArrayOf(types.Name)
	r.addFn(&Overload{Name: "current_schemas", Args: []types.T{types.Bool}, Ret: nameArr, Volatility: Stable,
		Fn: func(env Env, a []types.Datum) (types.Datum, error) {
			out := []types.Datum{}
			path := vtable.SearchPath
			if c := env.Catalog(); c != nil {
				path = c.Path()
			} else if v, _, err := env.Setting("search_path", false); err == nil {
				path = vtable.ParseSearchPath(v, env.CurrentUser())
			}
			for i, s := range path {
				// pg_catalog is implicit when not listed; the implicit
				// entry shows only with current_schemas(true).
				if s == "pg_catalog" && i == 0 && !a[0].(bool) {
					continue
				}
				if s == "public" || s == "pg_catalog" || schemaExists(env, s) {
					out = append(out, s)
				}
			}
			return types.NewArray1(out), nil
		}})
}

// schemaExists reports whether a schema of that name exists.
func schemaExists(env Env, name string) bool {
	c := env.Catalog()
	if c == nil {
		return false
	}
	all, err := vtable.Relations(c)
	if err != nil {
		return false
	}
	for _, r := range all {
		if r.Schema == name {
			return true
		}
	}
	return false
}
