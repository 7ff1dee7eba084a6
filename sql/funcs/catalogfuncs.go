package funcs

import (
	"fmt"
	"math"
	"regexp"
	"sync"
	"time"

	"github.com/aegisdb/aegis/sql/pgerror"
	"github.com/aegisdb/aegis/sql/types"
	"github.com/aegisdb/aegis/sql/vtable"
)

// regexCache keeps compiled patterns: catalog queries reuse a few.
var regexCache struct {
	sync.Mutex
	m map[string]*regexp.Regexp
}

func compileRegex(pattern string, icase bool) (*regexp.Regexp, error) {
	key := pattern
	if icase {
		key = "(?i)" + pattern
	}
	regexCache.Lock()
	defer regexCache.Unlock()
	if re, ok := regexCache.m[key]; ok {
		return re, nil
	}
	re, err := regexp.Compile(key)
	if err != nil {
		return nil, pgerror.New(pgerror.InvalidRegularExpression, "invalid regular expression: %s", err.Error())
	}
	if regexCache.m == nil || len(regexCache.m) > 1000 {
		regexCache.m = map[string]*regexp.Regexp{}
	}
	regexCache.m[key] = re
	return re, nil
}

func registerCatalogFunctions(r *Registry) {
	r.addFn(&Overload{Name: "pg_notify", Args: []types.T{types.Text, types.Text}, Ret: types.Void, Volatility: Volatile, NonStrict: true,
		Fn: func(env Env, a []types.Datum) (types.Datum, error) {
			ch, _ := a[0].(string)
			payload, _ := a[1].(string)
			return nil, env.Notify(ch, payload)
		}})
	// pg_sleep waits, interrupted by cancellation and statement_timeout.
	r.addFn(&Overload{Name: "pg_sleep", Args: []types.T{types.Float8}, Ret: types.Void, Volatility: Volatile,
		Fn: func(env Env, a []types.Datum) (types.Datum, error) {
			secs := a[0].(float64)
			if secs <= 0 || math.IsNaN(secs) {
				return nil, nil
			}
			if secs > 1e6 {
				secs = 1e6
			}
			t := time.NewTimer(time.Duration(secs * float64(time.Second)))
			defer t.Stop()
			select {
			case <-t.C:
				return nil, nil
			case <-env.Context().Done():
				return nil, env.Context().Err()
			}
		}})
	// Relation sizes: the bytes of the stored keys and values.
	regclass := types.T{Oid: types.OidRegClass, Typmod: -1}
	for name, what := range map[string]string{"pg_relation_size": "relation", "pg_table_size": "table",
		"pg_indexes_size": "indexes", "pg_total_relation_size": "total"} {
		what := what
		r.addFn(&Overload{Name: name, Args: []types.T{regclass}, Ret: types.Int8, Volatility: Volatile,
			Fn: func(env Env, a []types.Datum) (types.Datum, error) {
				n, ok, err := env.RelationSize(a[0].(int64), what)
				if !ok || err != nil {
					return nil, err
				}
				return n, nil
			}})
	}
	r.addFn(&Overload{Name: "pg_relation_size", Args: []types.T{regclass, types.Text}, Ret: types.Int8, Volatility: Volatile,
		Fn: func(env Env, a []types.Datum) (types.Datum, error) {
			if a[1].(string) != "main" {
				return int64(0), nil // no free space map, visibility map or init fork
			}
			n, ok, err := env.RelationSize(a[0].(int64), "relation")
			if !ok || err != nil {
				return nil, err
			}
			return n, nil
		}})
	r.addFn(&Overload{Name: "pg_database_size", Args: []types.T{types.Name}, Ret: types.Int8, Volatility: Volatile,
		Fn: func(env Env, a []types.Datum) (types.Datum, error) {
			n, ok, err := env.DatabaseSize(a[0].(string))
			if err != nil {
				return nil, err
			}
			if !ok {
				return nil, pgerror.New(pgerror.UndefinedDatabase, "database %q does not exist", a[0].(string))
			}
			return n, nil
		}})
	r.addFn(&Overload{Name: "pg_database_size", Args: []types.T{types.OidT}, Ret: types.Int8, Volatility: Volatile,
		Fn: func(env Env, a []types.Datum) (types.Datum, error) {
			n, _, err := env.DatabaseSize(env.CurrentDatabase())
			return n, err
		}})
	r.addFn(&Overload{Name: "pg_size_pretty", Args: []types.T{types.Int8}, Ret: types.Text,
		Fn: func(_ Env, a []types.Datum) (types.Datum, error) { return SizePretty(a[0].(int64)), nil }})
	// acldefault(kind, owner): the built-in default privileges. ACLs are
	// not modelled yet (every ACL column is NULL, meaning the default),
	// so the default is NULL too and clients emit no GRANTs.
	textArr, _ := types.ArrayOf(types.Text)
	r.addFn(&Overload{Name: "acldefault", Args: []types.T{{Oid: types.OidChar, Typmod: -1}, types.OidT}, Ret: textArr, NonStrict: true, Fn: func(Env, []types.Datum) (types.Datum, error) {
		return nil, nil
	}})
	r.addFn(&Overload{Name: "current_setting", Args: []types.T{types.Text}, Ret: types.Text, Volatility: Stable, Fn: func(env Env, a []types.Datum) (types.Datum, error) {
		v, _, err := env.Setting(a[0].(string), false)
		return v, err
	}})
	r.addFn(&Overload{Name: "current_setting", Args: []types.T{types.Text, types.Bool}, Ret: types.Text, Volatility: Stable, Fn: func(env Env, a []types.Datum) (types.Datum, error) {
		v, ok, err := env.Setting(a[0].(string), a[1].(bool))
		if !ok || err != nil {
			return nil, err
		}
		return v, nil
	}})
	r.addFn(&Overload{Name: "set_config", Args: []types.T{types.Text, types.Text, types.Bool}, Ret: types.Text, Volatility: Volatile, NonStrict: true, Fn: func(env Env, a []types.Datum) (types.Datum, error) {
		name, ok := a[0].(string)
		if !ok {
			return nil, pgerror.New(pgerror.NullValueNotAllowed, "SET requires parameter name")
		}
		val, _ := a[1].(string)
		local, _ := a[2].(bool)
		return env.SetConfig(name, val, local)
	}})
	// POSIX regular expression match operators (RE2 syntax covers the
	// patterns clients send; back-references are not supported).
	for _, op := range []string{"~", "!~", "~*", "!~*"} {
		op := op
		icase := op == "~*" || op == "!~*"
		negate := op[0] == '!'
		r.addOp(&Overload{Op: op, Args: []types.T{types.Text, types.Text}, Ret: types.Bool, Fn: func(_ Env, a []types.Datum) (types.Datum, error) {
			re, err := compileRegex(a[1].(string), icase)
			if err != nil {
				return nil, err
			}
			return re.MatchString(a[0].(string)) != negate, nil
		}})
	}
	constFn := func(name string, args []types.T, ret types.T, v types.Datum) {
		r.addFn(&Overload{Name: name, Args: args, Ret: ret, Volatility: Stable, NonStrict: true,
			Fn: func(Env, []types.Datum) (types.Datum, error) { return v, nil }})
	}
	r.addFn(&Overload{Name: "pg_get_userbyid", Args: []types.T{types.OidT}, Ret: types.Name, Volatility: Stable,
		Fn: func(env Env, a []types.Datum) (types.Datum, error) {
			if a[0].(int64) == 6171 {
				return "pg_database_owner", nil
			}
			return env.CurrentUser(), nil
		}})
	r.addFn(&Overload{Name: "pg_table_is_visible", Args: []types.T{types.OidT}, Ret: types.Bool, Volatility: Stable,
		Fn: func(env Env, a []types.Datum) (types.Datum, error) { return env.RelationVisible(a[0].(int64)), nil }})
	for _, n := range []string{"pg_type_is_visible", "pg_function_is_visible", "pg_operator_is_visible", "pg_conversion_is_visible",
		"pg_opclass_is_visible", "pg_opfamily_is_visible", "pg_collation_is_visible", "pg_ts_config_is_visible",
		"pg_ts_dict_is_visible", "pg_ts_parser_is_visible", "pg_ts_template_is_visible", "pg_statistics_obj_is_visible"} {
		constFn(n, []types.T{types.OidT}, types.Bool, true)
	}
	// The built-in tablespaces live in the data directory.
	constFn("pg_tablespace_location", []types.T{types.OidT}, types.Text, "")
	r.addFn(&Overload{Name: "pg_encoding_to_char", Args: []types.T{types.Int4}, Ret: types.Name,
		Fn: func(Env, []types.Datum) (types.Datum, error) { return "UTF8", nil }})
	describe := func(env Env, obj, class, sub int64) (types.Datum, error) {
		c := env.Catalog()
		if c == nil {
			return nil, nil
		}
		text, ok, err := vtable.DescriptionOf(c, obj, class, sub)
		if !ok || err != nil {
			return nil, err
		}
		return text, nil
	}
	r.addFn(&Overload{Name: "obj_description", Args: []types.T{types.OidT, types.Name}, Ret: types.Text, Volatility: Stable,
		Fn: func(env Env, a []types.Datum) (types.Datum, error) {
			class, ok := types.CatalogTableOid(a[1].(string))
			if !ok {
				return nil, nil
			}
			return describe(env, a[0].(int64), int64(class), 0)
		}})
	r.addFn(&Overload{Name: "obj_description", Args: []types.T{types.OidT}, Ret: types.Text, Volatility: Stable,
		Fn: func(env Env, a []types.Datum) (types.Datum, error) { return describe(env, a[0].(int64), 0, 0) }})
	r.addFn(&Overload{Name: "col_description", Args: []types.T{types.OidT, types.Int4}, Ret: types.Text, Volatility: Stable,
		Fn: func(env Env, a []types.Datum) (types.Datum, error) {
			return describe(env, a[0].(int64), 1259, a[1].(int64))
		}})
	constFn("shobj_description", []types.T{types.OidT, types.Name}, types.Text, nil)
	for _, n := range []string{"has_table_privilege", "has_schema_privilege", "has_database_privilege", "has_column_privilege"} {
		constFn(n, []types.T{types.Text, types.Text}, types.Bool, true)
		constFn(n, []types.T{types.Text, types.Text, types.Text}, types.Bool, true)
	}
	getExpr := func(env Env, a []types.Datum) (types.Datum, error) {
		pretty := len(a) > 2 && a[2].(bool)
		c := env.Catalog()
		if c == nil || pretty {
			return a[0], nil
		}
		c.Ctx = env.Context()
		return vtable.Expr(c, a[0].(string), a[1].(int64), false), nil
	}
	r.addFn(&Overload{Name: "pg_get_expr", Args: []types.T{types.Text, types.OidT}, Ret: types.Text, Volatility: Stable, Fn: getExpr})
	r.addFn(&Overload{Name: "pg_get_expr", Args: []types.T{types.Text, types.OidT, types.Bool}, Ret: types.Text, Volatility: Stable, Fn: getExpr})
	r.addFn(&Overload{Name: "format_type", Args: []types.T{types.OidT, types.Int4}, Ret: types.Text, Volatility: Stable, NonStrict: true,
		Fn: func(env Env, a []types.Datum) (types.Datum, error) {
			if a[0] == nil {
				return nil, nil
			}
			t, ok := types.FromOid(types.Oid(a[0].(int64)))
			if !ok {
				if pt, ok := types.LookupPgType(types.Oid(a[0].(int64))); ok {
					return pt.Name, nil
				}
				return "???", nil
			}
			if a[1] != nil {
				t.Typmod = int32(a[1].(int64))
			}
			suffix := ""
			if t.IsArray() && t.Elem().IsEnum() {
				t, suffix = t.Elem(), "[]"
			}
			if t.IsEnum() {
				if s := env.Settings(); s != nil && s.Names != nil {
					if name, ok := s.Names.RegName(types.OidRegType, int64(t.Oid)); ok {
						return name + suffix, nil
					}
				}
			}
			return t.String(), nil
		}})
	constFn("pg_is_in_recovery", nil, types.Bool, false)
	registerCatalogInfoFunctions(r)
	r.addFn(&Overload{Name: "pg_backend_pid", Ret: types.Int4, Volatility: Stable,
		Fn: func(env Env, _ []types.Datum) (types.Datum, error) { return env.BackendPID(), nil }})
	r.addFn(&Overload{Name: "pg_cancel_backend", Args: []types.T{types.Int4}, Ret: types.Bool, Volatility: Volatile,
		Fn: func(env Env, a []types.Datum) (types.Datum, error) { return env.SignalBackend(a[0].(int64), false) }})
	for _, args := range [][]types.T{{types.Int4}, {types.Int4, types.Int8}} {
		r.addFn(&Overload{Name: "pg_terminate_backend", Args: args, Ret: types.Bool, Volatility: Volatile,
			Fn: func(env Env, a []types.Datum) (types.Datum, error) { return env.SignalBackend(a[0].(int64), true) }})
	}
	r.addFn(&Overload{Name: "txid_current", Ret: types.Int8, Volatility: Volatile,
		Fn: func(env Env, _ []types.Datum) (types.Datum, error) { return int64(env.TxnTimestamp()), nil }})
	r.addFn(&Overload{Name: "pg_postmaster_start_time", Ret: types.TimestampTZ, Volatility: Stable,
		Fn: func(env Env, _ []types.Datum) (types.Datum, error) { return env.TxnTimestamp(), nil }})
	r.addFn(&Overload{Name: "inet_server_port", Ret: types.Int4, Volatility: Stable,
		Fn: func(Env, []types.Datum) (types.Datum, error) { return nil, nil }, NonStrict: true})
}

// SizePretty is pg_size_pretty(bigint): bytes below 10 kB, then kB, MB,
// GB, TB and PB, each rounded half away from zero.
func SizePretty(size int64) string {
	const limit = 10 * 1024
	const limit2 = limit*2 - 1
	abs := func(x int64) int64 {
		if x < 0 {
			return -x
		}
		return x
	}
	half := func(x int64) int64 {
		if x < 0 {
			return (x - 1) / 2
		}
		return (x + 1) / 2
	}
	if abs(size) < limit {
		return fmt.Sprintf("%d bytes", size)
	}
	size /= 1 << 9 // one extra bit for rounding
	for _, unit := range []string{"kB", "MB", "GB", "TB"} {
		if abs(size) < limit2 {
			return fmt.Sprintf("%d %s", half(size), unit)
		}
		size /= 1 << 10
	}
	return fmt.Sprintf("%d PB", half(size))
}
