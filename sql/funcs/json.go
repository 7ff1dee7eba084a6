package funcs

import (
	"bytes"
	"strings"

	"github.com/aegisdb/aegis/sql/jsonb"
	"github.com/aegisdb/aegis/sql/pgerror"
	"github.com/aegisdb/aegis/sql/types"
	"github.com/aegisdb/aegis/sql/typio"
)

// The json and jsonb operators and functions. jsonb values are
// jsonb.Value trees; json values are their text, and the json operators
// return pieces of it as written (jsonb's Raw* functions).

// textArrayArg returns a text[] argument as the jsonb package takes it:
// nil elements for NULLs.
func textArrayArg(d types.Datum) []*string {
	a, ok := d.(*types.DArray)
	if !ok {
		return nil
	}
	out := make([]*string, len(a.Elems))
	for i, e := range a.Elems {
		if s, ok := e.(string); ok {
			out[i] = &s
		}
	}
	return out
}

// jsonNumber reports whether t's values are JSON numbers in to_json.
func jsonNumber(t types.T) bool {
	switch t.Oid {
	case types.OidInt2, types.OidInt4, types.OidInt8, types.OidFloat4, types.OidFloat8, types.OidNumeric:
		return true
	}
	return false
}

// xsdDatetime renders a date, timestamp or timestamptz as to_json does
// (XML Schema form: a 'T' between date and time, a ±hh:mm offset).
func xsdDatetime(t types.T, d types.Datum, s *typio.Settings) string {
	iso := *s
	iso.DateStyle = "ISO, MDY"
	out := string(typio.AppendText(nil, t, d, &iso))
	if t.Oid == types.OidDate || strings.HasSuffix(out, "infinity") {
		return out
	}
	out = strings.Replace(out, " ", "T", 1)
	if t.Oid == types.OidTimestampTZ {
		// The offset follows the seconds: +hh, +hh:mm or +hh:mm:ss.
		if i := strings.LastIndexAny(out, "+-"); i > 10 && len(out)-i == 3 {
			out += ":00"
		}
	}
	return out
}

// AppendToJSON appends to_json's text of d, a value of type t
// (PostgreSQL's datum_to_json): numbers and booleans as themselves,
// json and jsonb as their text, arrays as JSON arrays, date and time
// values in ISO 8601 form, and everything else as a JSON string of its
// text output.
func AppendToJSON(buf []byte, t types.T, d types.Datum, s *typio.Settings) []byte {
	if d == nil {
		return append(buf, "null"...)
	}
	if s == nil {
		s = typio.DefaultSettings()
	}
	switch {
	case t.Oid == types.OidRecord:
		r := d.(*types.DRecord)
		buf = append(buf, '{')
		for i, v := range r.Vals {
			if i > 0 {
				buf = append(buf, ',')
			}
			buf = jsonb.AppendQuoted(buf, r.Names[i])
			buf = append(buf, ':')
			buf = AppendToJSON(buf, r.Types[i], v, s)
		}
		return append(buf, '}')
	case t.IsArray() && !t.IsVector():
		a := d.(*types.DArray)
		if len(a.Dims) == 0 {
			return append(buf, "[]"...)
		}
		pos := 0
		return appendJSONArrayDim(buf, t.Elem(), a, 0, &pos, s)
	case t.Oid == types.OidBool:
		if d.(bool) {
			return append(buf, "true"...)
		}
		return append(buf, "false"...)
	case jsonNumber(t):
		start := len(buf)
		buf = typio.AppendText(buf, t, d, s)
		switch string(buf[start:]) {
		case "NaN", "Infinity", "-Infinity":
			txt := string(buf[start:])
			return jsonb.AppendQuoted(buf[:start], txt)
		}
		return buf
	case t.Oid == types.OidJSON || t.Oid == types.OidJSONB:
		return typio.AppendText(buf, t, d, s)
	case t.Oid == types.OidDate || t.Oid == types.OidTimestamp || t.Oid == types.OidTimestampTZ:
		return jsonb.AppendQuoted(buf, xsdDatetime(t, d, s))
	}
	return jsonb.AppendQuoted(buf, string(typio.AppendText(nil, t, d, s)))
}

func appendJSONArrayDim(buf []byte, et types.T, a *types.DArray, dim int, pos *int, s *typio.Settings) []byte {
	buf = append(buf, '[')
	for i := int32(0); i < a.Dims[dim].Len; i++ {
		if i > 0 {
			buf = append(buf, ',')
		}
		if dim == len(a.Dims)-1 {
			buf = AppendToJSON(buf, et, a.Elems[*pos], s)
			*pos++
		} else {
			buf = appendJSONArrayDim(buf, et, a, dim+1, pos, s)
		}
	}
	return append(buf, ']')
}

// ToJSONB converts d, a value of type t, as to_jsonb does.
func ToJSONB(t types.T, d types.Datum, s *typio.Settings) (jsonb.Value, error) {
	if d == nil {
		return jsonb.Null(), nil
	}
	if s == nil {
		s = typio.DefaultSettings()
	}
	switch {
	case t.Oid == types.OidRecord:
		r := d.(*types.DRecord)
		vals := make([]jsonb.Value, len(r.Vals))
		for i, v := range r.Vals {
			var err error
			if vals[i], err = ToJSONB(r.Types[i], v, s); err != nil {
				return jsonb.Value{}, err
			}
		}
		return jsonb.FromRow(r.Names, vals), nil
	case t.IsArray() && !t.IsVector():
		a := d.(*types.DArray)
		if len(a.Dims) == 0 {
			return jsonb.NewArray(), nil
		}
		pos := 0
		return jsonbArrayDim(t.Elem(), a, 0, &pos, s)
	case t.Oid == types.OidBool:
		return jsonb.FromBool(d.(bool)), nil
	case t.Oid == types.OidFloat4:
		return jsonb.FromGo(float32(d.(float64)))
	case jsonNumber(t):
		return jsonb.FromGo(d)
	case t.Oid == types.OidJSONB:
		return d.(jsonb.Value), nil
	case t.Oid == types.OidJSON:
		return jsonb.ParseJSONB(d.(string))
	case t.Oid == types.OidDate || t.Oid == types.OidTimestamp || t.Oid == types.OidTimestampTZ:
		return jsonb.FromString(xsdDatetime(t, d, s)), nil
	}
	return jsonb.FromString(string(typio.AppendText(nil, t, d, s))), nil
}

func jsonbArrayDim(et types.T, a *types.DArray, dim int, pos *int, s *typio.Settings) (jsonb.Value, error) {
	elems := make([]jsonb.Value, a.Dims[dim].Len)
	for i := range elems {
		var err error
		if dim == len(a.Dims)-1 {
			elems[i], err = ToJSONB(et, a.Elems[*pos], s)
			*pos++
		} else {
			elems[i], err = jsonbArrayDim(et, a, dim+1, pos, s)
		}
		if err != nil {
			return jsonb.Value{}, err
		}
	}
	return jsonb.NewArray(elems...), nil
}

// jsonKeyArg is a key argument of json(b)_build_object and
// json(b)_object_agg.
func jsonKeyArg(t types.T, d types.Datum, s *typio.Settings) jsonb.BuildArg {
	switch {
	case d == nil:
		return jsonb.BuildArg{Null: true}
	case t.IsArray() || t.Oid == types.OidJSON || t.Oid == types.OidJSONB:
		return jsonb.BuildArg{NotScalar: true}
	}
	return jsonb.BuildArg{Text: string(typio.AppendText(nil, t, d, s))}
}

// BuildJSONObject is json_build_object's text: {"k" : v, ...} with
// PostgreSQL's spacing.
func BuildJSONObject(ts []types.T, args []types.Datum, s *typio.Settings) (string, error) {
	kargs := make([]jsonb.BuildArg, len(args))
	for i := 0; i < len(args); i += 2 {
		kargs[i] = jsonKeyArg(ts[i], args[i], s)
	}
	// Validate as jsonb_build_object does (even count, scalar non-NULL keys).
	if _, err := jsonb.BuildObject(kargs); err != nil {
		return "", pgerrorRename(err, "jsonb_build_object()", "json_build_object()")
	}
	buf := []byte{'{'}
	for i := 0; i < len(args); i += 2 {
		if i > 0 {
			buf = append(buf, ", "...)
		}
		buf = jsonb.AppendQuoted(buf, kargs[i].Text)
		buf = append(buf, " : "...)
		buf = AppendToJSON(buf, ts[i+1], args[i+1], s)
	}
	return string(append(buf, '}')), nil
}

// pgerrorRename replaces a function name in an error's hint (the jsonb
// package words its errors for the jsonb functions).
func pgerrorRename(err error, from, to string) error {
	if e, ok := err.(*pgerror.Error); ok {
		c := *e
		c.Hint = strings.ReplaceAll(c.Hint, from, to)
		return &c
	}
	return err
}

func registerJSONFunctions(r *Registry) {
	J, JB := types.JSON, types.JSONB
	textArr, _ := types.ArrayOf(types.Text)
	val := func(d types.Datum) jsonb.Value { return d.(jsonb.Value) }
	opt := func(v jsonb.Value, ok bool) (types.Datum, error) {
		if !ok {
			return nil, nil
		}
		return v, nil
	}
	optText := func(s string, ok bool) (types.Datum, error) {
		if !ok {
			return nil, nil
		}
		return s, nil
	}
	fn := func(f func(a []types.Datum) (types.Datum, error)) Fn {
		return func(_ Env, a []types.Datum) (types.Datum, error) { return f(a) }
	}

	// Comparisons (jsonb's btree order).
	for _, op := range comparisonOps {
		test := cmpTest(op)
		r.addOp(&Overload{Op: op, Args: []types.T{JB, JB}, Ret: types.Bool, Fn: fn(func(a []types.Datum) (types.Datum, error) {
			return test(jsonb.Compare(val(a[0]), val(a[1]))), nil
		})})
	}

	// jsonb operators.
	r.addOp(&Overload{Op: "->", Args: []types.T{JB, types.Text}, Ret: JB, Fn: fn(func(a []types.Datum) (types.Datum, error) {
		return opt(jsonb.Field(val(a[0]), a[1].(string)))
	})})
	r.addOp(&Overload{Op: "->", Args: []types.T{JB, types.Int4}, Ret: JB, Fn: fn(func(a []types.Datum) (types.Datum, error) {
		return opt(jsonb.Index(val(a[0]), a[1].(int64)))
	})})
	r.addOp(&Overload{Op: "->>", Args: []types.T{JB, types.Text}, Ret: types.Text, Fn: fn(func(a []types.Datum) (types.Datum, error) {
		return optText(jsonb.FieldText(val(a[0]), a[1].(string)))
	})})
	r.addOp(&Overload{Op: "->>", Args: []types.T{JB, types.Int4}, Ret: types.Text, Fn: fn(func(a []types.Datum) (types.Datum, error) {
		return optText(jsonb.IndexText(val(a[0]), a[1].(int64)))
	})})
	r.addOp(&Overload{Op: "#>", Args: []types.T{JB, textArr}, Ret: JB, Fn: fn(func(a []types.Datum) (types.Datum, error) {
		return opt(jsonb.ExtractPath(val(a[0]), textArrayArg(a[1])))
	})})
	r.addOp(&Overload{Op: "#>>", Args: []types.T{JB, textArr}, Ret: types.Text, Fn: fn(func(a []types.Datum) (types.Datum, error) {
		return optText(jsonb.ExtractPathText(val(a[0]), textArrayArg(a[1])))
	})})
	r.addOp(&Overload{Op: "@>", Args: []types.T{JB, JB}, Ret: types.Bool, Fn: fn(func(a []types.Datum) (types.Datum, error) {
		return jsonb.Contains(val(a[0]), val(a[1])), nil
	})})
	r.addOp(&Overload{Op: "<@", Args: []types.T{JB, JB}, Ret: types.Bool, Fn: fn(func(a []types.Datum) (types.Datum, error) {
		return jsonb.Contains(val(a[1]), val(a[0])), nil
	})})
	r.addOp(&Overload{Op: "?", Args: []types.T{JB, types.Text}, Ret: types.Bool, Fn: fn(func(a []types.Datum) (types.Datum, error) {
		return jsonb.Exists(val(a[0]), a[1].(string)), nil
	})})
	r.addOp(&Overload{Op: "?|", Args: []types.T{JB, textArr}, Ret: types.Bool, Fn: fn(func(a []types.Datum) (types.Datum, error) {
		return jsonb.ExistsAny(val(a[0]), textArrayArg(a[1])), nil
	})})
	r.addOp(&Overload{Op: "?&", Args: []types.T{JB, textArr}, Ret: types.Bool, Fn: fn(func(a []types.Datum) (types.Datum, error) {
		return jsonb.ExistsAll(val(a[0]), textArrayArg(a[1])), nil
	})})
	r.addOp(&Overload{Op: "||", Args: []types.T{JB, JB}, Ret: JB, Fn: fn(func(a []types.Datum) (types.Datum, error) {
		return jsonb.Concat(val(a[0]), val(a[1])), nil
	})})
	r.addOp(&Overload{Op: "-", Args: []types.T{JB, types.Text}, Ret: JB, Fn: fn(func(a []types.Datum) (types.Datum, error) {
		return jsonb.DeleteKey(val(a[0]), a[1].(string))
	})})
	r.addOp(&Overload{Op: "-", Args: []types.T{JB, textArr}, Ret: JB, Fn: fn(func(a []types.Datum) (types.Datum, error) {
		return jsonb.DeleteKeys(val(a[0]), textArrayArg(a[1]))
	})})
	r.addOp(&Overload{Op: "-", Args: []types.T{JB, types.Int4}, Ret: JB, Fn: fn(func(a []types.Datum) (types.Datum, error) {
		return jsonb.DeleteIndex(val(a[0]), a[1].(int64))
	})})
	r.addOp(&Overload{Op: "#-", Args: []types.T{JB, textArr}, Ret: JB, Fn: fn(func(a []types.Datum) (types.Datum, error) {
		return jsonb.DeletePath(val(a[0]), textArrayArg(a[1]))
	})})

	// json operators: pieces of the text as written.
	r.addOp(&Overload{Op: "->", Args: []types.T{J, types.Text}, Ret: J, Fn: fn(func(a []types.Datum) (types.Datum, error) {
		return optText(jsonb.RawField(a[0].(string), a[1].(string)))
	})})
	r.addOp(&Overload{Op: "->", Args: []types.T{J, types.Int4}, Ret: J, Fn: fn(func(a []types.Datum) (types.Datum, error) {
		return optText(jsonb.RawIndex(a[0].(string), a[1].(int64)))
	})})
	asText := func(raw string, ok bool) (types.Datum, error) {
		if !ok {
			return nil, nil
		}
		return optText(jsonb.RawAsText(raw))
	}
	r.addOp(&Overload{Op: "->>", Args: []types.T{J, types.Text}, Ret: types.Text, Fn: fn(func(a []types.Datum) (types.Datum, error) {
		return asText(jsonb.RawField(a[0].(string), a[1].(string)))
	})})
	r.addOp(&Overload{Op: "->>", Args: []types.T{J, types.Int4}, Ret: types.Text, Fn: fn(func(a []types.Datum) (types.Datum, error) {
		return asText(jsonb.RawIndex(a[0].(string), a[1].(int64)))
	})})
	r.addOp(&Overload{Op: "#>", Args: []types.T{J, textArr}, Ret: J, Fn: fn(func(a []types.Datum) (types.Datum, error) {
		return optText(jsonb.RawPath(a[0].(string), textArrayArg(a[1])))
	})})
	r.addOp(&Overload{Op: "#>>", Args: []types.T{J, textArr}, Ret: types.Text, Fn: fn(func(a []types.Datum) (types.Datum, error) {
		return asText(jsonb.RawPath(a[0].(string), textArrayArg(a[1])))
	})})

	// Conversion and construction.
	r.addFn(&Overload{Name: "to_json", Args: []types.T{types.Any}, Ret: J, Volatility: Stable, Poly: func(args []types.T, _ types.T) Fn {
		t := args[0]
		return func(env Env, a []types.Datum) (types.Datum, error) {
			return string(AppendToJSON(nil, t, a[0], env.Settings())), nil
		}
	}})
	r.addFn(&Overload{Name: "to_jsonb", Args: []types.T{types.Any}, Ret: JB, Volatility: Stable, Poly: func(args []types.T, _ types.T) Fn {
		t := args[0]
		return func(env Env, a []types.Datum) (types.Datum, error) {
			return ToJSONB(t, a[0], env.Settings())
		}
	}})
	r.addFn(&Overload{Name: "row_to_json", Args: []types.T{types.Record}, Ret: J, Volatility: Stable, Fn: func(env Env, a []types.Datum) (types.Datum, error) {
		return string(AppendToJSON(nil, types.Record, a[0], env.Settings())), nil
	}})
	r.addFn(&Overload{Name: "array_to_json", Args: []types.T{types.AnyArray}, Ret: J, Volatility: Stable, Poly: func(args []types.T, _ types.T) Fn {
		t := args[0]
		return func(env Env, a []types.Datum) (types.Datum, error) {
			return string(AppendToJSON(nil, t, a[0], env.Settings())), nil
		}
	}})
	r.addFn(&Overload{Name: "jsonb_build_object", Args: []types.T{types.Any}, Variadic: true, Ret: JB, Volatility: Stable, NonStrict: true, Poly: func(args []types.T, _ types.T) Fn {
		return func(env Env, a []types.Datum) (types.Datum, error) {
			bargs := make([]jsonb.BuildArg, len(a))
			for i := range a {
				if i%2 == 0 {
					bargs[i] = jsonKeyArg(args[i], a[i], env.Settings())
					continue
				}
				v, err := ToJSONB(args[i], a[i], env.Settings())
				if err != nil {
					return nil, err
				}
				bargs[i].Value = v
			}
			return jsonb.BuildObject(bargs)
		}
	}})
	r.addFn(&Overload{Name: "json_build_object", Args: []types.T{types.Any}, Variadic: true, Ret: J, Volatility: Stable, NonStrict: true, Poly: func(args []types.T, _ types.T) Fn {
		return func(env Env, a []types.Datum) (types.Datum, error) {
			return BuildJSONObject(args, a, env.Settings())
		}
	}})
	r.addFn(&Overload{Name: "jsonb_build_array", Args: []types.T{types.Any}, Variadic: true, Ret: JB, Volatility: Stable, NonStrict: true, Poly: func(args []types.T, _ types.T) Fn {
		return func(env Env, a []types.Datum) (types.Datum, error) {
			vals := make([]jsonb.Value, len(a))
			for i := range a {
				v, err := ToJSONB(args[i], a[i], env.Settings())
				if err != nil {
					return nil, err
				}
				vals[i] = v
			}
			return jsonb.BuildArray(vals...), nil
		}
	}})
	r.addFn(&Overload{Name: "json_build_array", Args: []types.T{types.Any}, Variadic: true, Ret: J, Volatility: Stable, NonStrict: true, Poly: func(args []types.T, _ types.T) Fn {
		return func(env Env, a []types.Datum) (types.Datum, error) {
			buf := []byte{'['}
			for i := range a {
				if i > 0 {
					buf = append(buf, ", "...)
				}
				buf = AppendToJSON(buf, args[i], a[i], env.Settings())
			}
			return string(append(buf, ']')), nil
		}
	}})

	// Inspection.
	r.addFn(&Overload{Name: "jsonb_typeof", Args: []types.T{JB}, Ret: types.Text, Fn: fn(func(a []types.Datum) (types.Datum, error) {
		return jsonb.Typeof(val(a[0])), nil
	})})
	r.addFn(&Overload{Name: "json_typeof", Args: []types.T{J}, Ret: types.Text, Fn: fn(func(a []types.Datum) (types.Datum, error) {
		return jsonb.RawTypeof(a[0].(string)), nil
	})})
	r.addFn(&Overload{Name: "jsonb_array_length", Args: []types.T{JB}, Ret: types.Int4, Fn: fn(func(a []types.Datum) (types.Datum, error) {
		n, err := jsonb.ArrayLength(val(a[0]))
		return int64(n), err
	})})
	r.addFn(&Overload{Name: "json_array_length", Args: []types.T{J}, Ret: types.Int4, Fn: fn(func(a []types.Datum) (types.Datum, error) {
		n, err := jsonb.RawArrayLength(a[0].(string))
		return int64(n), err
	})})
	r.addFn(&Overload{Name: "jsonb_pretty", Args: []types.T{JB}, Ret: types.Text, Fn: fn(func(a []types.Datum) (types.Datum, error) {
		return val(a[0]).Pretty(), nil
	})})
	r.addFn(&Overload{Name: "jsonb_strip_nulls", Args: []types.T{JB}, Ret: JB, Fn: fn(func(a []types.Datum) (types.Datum, error) {
		return jsonb.StripNulls(val(a[0])), nil
	})})
	r.addFn(&Overload{Name: "jsonb_extract_path", Args: []types.T{JB, types.Text}, Variadic: true, Ret: JB, Fn: fn(func(a []types.Datum) (types.Datum, error) {
		return opt(jsonb.ExtractPath(val(a[0]), stringArgs(a[1:])))
	})})
	r.addFn(&Overload{Name: "jsonb_extract_path_text", Args: []types.T{JB, types.Text}, Variadic: true, Ret: types.Text, Fn: fn(func(a []types.Datum) (types.Datum, error) {
		return optText(jsonb.ExtractPathText(val(a[0]), stringArgs(a[1:])))
	})})
	r.addFn(&Overload{Name: "json_extract_path", Args: []types.T{J, types.Text}, Variadic: true, Ret: J, Fn: fn(func(a []types.Datum) (types.Datum, error) {
		return optText(jsonb.RawPath(a[0].(string), stringArgs(a[1:])))
	})})
	r.addFn(&Overload{Name: "json_extract_path_text", Args: []types.T{J, types.Text}, Variadic: true, Ret: types.Text, Fn: fn(func(a []types.Datum) (types.Datum, error) {
		return asText(jsonb.RawPath(a[0].(string), stringArgs(a[1:])))
	})})
	r.addFn(&Overload{Name: "jsonb_exists", Args: []types.T{JB, types.Text}, Ret: types.Bool, Fn: fn(func(a []types.Datum) (types.Datum, error) {
		return jsonb.Exists(val(a[0]), a[1].(string)), nil
	})})

	// Modification.
	set := func(a []types.Datum, create bool) (types.Datum, error) {
		if len(a) > 3 {
			create = a[3].(bool)
		}
		return jsonb.Set(val(a[0]), textArrayArg(a[1]), val(a[2]), create)
	}
	r.addFn(&Overload{Name: "jsonb_set", Args: []types.T{JB, textArr, JB}, Ret: JB, Fn: fn(func(a []types.Datum) (types.Datum, error) { return set(a, true) })})
	r.addFn(&Overload{Name: "jsonb_set", Args: []types.T{JB, textArr, JB, types.Bool}, Ret: JB, Fn: fn(func(a []types.Datum) (types.Datum, error) { return set(a, true) })})
	insert := func(a []types.Datum) (types.Datum, error) {
		after := len(a) > 3 && a[3].(bool)
		return jsonb.Insert(val(a[0]), textArrayArg(a[1]), val(a[2]), after)
	}
	r.addFn(&Overload{Name: "jsonb_insert", Args: []types.T{JB, textArr, JB}, Ret: JB, Fn: fn(insert)})
	r.addFn(&Overload{Name: "jsonb_insert", Args: []types.T{JB, textArr, JB, types.Bool}, Ret: JB, Fn: fn(insert)})

	// Set-returning functions.
	values := func(vs []jsonb.Value) Iterator {
		ds := make([]types.Datum, len(vs))
		for i, v := range vs {
			ds[i] = v
		}
		return &sliceIter{vals: ds}
	}
	strs := func(ss []string) Iterator {
		ds := make([]types.Datum, len(ss))
		for i, s := range ss {
			ds[i] = s
		}
		return &sliceIter{vals: ds}
	}
	optStrs := func(ss []*string) Iterator {
		ds := make([]types.Datum, len(ss))
		for i, s := range ss {
			if s != nil {
				ds[i] = *s
			}
		}
		return &sliceIter{vals: ds}
	}
	r.addFn(&Overload{Name: "jsonb_array_elements", OutName: "value", Args: []types.T{JB}, Ret: JB, SRF: func(_ Env, a []types.Datum) (Iterator, error) {
		el, err := jsonb.ArrayElements(val(a[0]))
		if err != nil {
			return nil, err
		}
		return values(el), nil
	}})
	r.addFn(&Overload{Name: "jsonb_array_elements_text", OutName: "value", Args: []types.T{JB}, Ret: types.Text, SRF: func(_ Env, a []types.Datum) (Iterator, error) {
		el, err := jsonb.ArrayElementsText(val(a[0]))
		if err != nil {
			return nil, err
		}
		return optStrs(el), nil
	}})
	r.addFn(&Overload{Name: "jsonb_object_keys", Args: []types.T{JB}, Ret: types.Text, SRF: func(_ Env, a []types.Datum) (Iterator, error) {
		keys, err := jsonb.ObjectKeys(val(a[0]))
		if err != nil {
			return nil, err
		}
		return strs(keys), nil
	}})
	r.addFn(&Overload{Name: "json_array_elements", OutName: "value", Args: []types.T{J}, Ret: J, SRF: func(_ Env, a []types.Datum) (Iterator, error) {
		el, err := jsonb.RawArrayElements(a[0].(string))
		if err != nil {
			return nil, err
		}
		return strs(el), nil
	}})
	r.addFn(&Overload{Name: "json_array_elements_text", OutName: "value", Args: []types.T{J}, Ret: types.Text, SRF: func(_ Env, a []types.Datum) (Iterator, error) {
		el, err := jsonb.RawArrayElements(a[0].(string))
		if err != nil {
			return nil, err
		}
		out := make([]*string, len(el))
		for i, e := range el {
			if s, ok := jsonb.RawAsText(e); ok {
				out[i] = &s
			}
		}
		return optStrs(out), nil
	}})
	r.addFn(&Overload{Name: "json_object_keys", Args: []types.T{J}, Ret: types.Text, SRF: func(_ Env, a []types.Datum) (Iterator, error) {
		keys, err := jsonb.RawObjectKeys(a[0].(string))
		if err != nil {
			return nil, err
		}
		return strs(keys), nil
	}})

	// Row-returning: (key, value) pairs of an object.
	each := func(name string, vt types.T, f func(d types.Datum) ([]types.Datum, []string, error)) {
		cols := []OutCol{{Name: "key", T: types.Text}, {Name: "value", T: vt}}
		ts := []types.T{types.Text, vt}
		names := []string{"key", "value"}
		arg := JB
		if vt.Oid == types.OidJSON || (vt.Oid == types.OidText && strings.HasPrefix(name, "json_")) {
			arg = J
		}
		r.addFn(&Overload{Name: name, Args: []types.T{arg}, Ret: types.RecordType(names, ts), OutCols: cols, SRF: func(_ Env, a []types.Datum) (Iterator, error) {
			vals, keys, err := f(a[0])
			if err != nil {
				return nil, err
			}
			rows := make([]types.Datum, len(keys))
			for i := range keys {
				rows[i] = &types.DRecord{Names: names, Types: ts, Vals: []types.Datum{keys[i], vals[i]}}
			}
			return &sliceIter{vals: rows}, nil
		}})
	}
	each("jsonb_each", JB, func(d types.Datum) ([]types.Datum, []string, error) {
		pairs, err := jsonb.Each(val(d))
		if err != nil {
			return nil, nil, err
		}
		vals, keys := make([]types.Datum, len(pairs)), make([]string, len(pairs))
		for i, p := range pairs {
			vals[i], keys[i] = p.Value, p.Key
		}
		return vals, keys, nil
	})
	each("jsonb_each_text", types.Text, func(d types.Datum) ([]types.Datum, []string, error) {
		pairs, err := jsonb.EachText(val(d))
		if err != nil {
			return nil, nil, err
		}
		vals, keys := make([]types.Datum, len(pairs)), make([]string, len(pairs))
		for i, p := range pairs {
			keys[i] = p.Key
			if p.Value != nil {
				vals[i] = *p.Value
			}
		}
		return vals, keys, nil
	})
	rawEach := func(text bool) func(d types.Datum) ([]types.Datum, []string, error) {
		return func(d types.Datum) ([]types.Datum, []string, error) {
			keys, raws, err := jsonb.RawEach(d.(string))
			if err != nil {
				return nil, nil, err
			}
			vals := make([]types.Datum, len(raws))
			for i, raw := range raws {
				vals[i] = raw
				if text {
					if s, ok := jsonb.RawAsText(raw); ok {
						vals[i] = s
					} else {
						vals[i] = nil
					}
				}
			}
			return vals, keys, nil
		}
	}
	each("json_each", J, rawEach(false))
	each("json_each_text", types.Text, rawEach(true))

	// jsonb_to_record(set), json_to_record(set): rows of the columns the
	// query declares, read from objects by name.
	toRecord := func(name string, arg types.T, set bool) {
		r.addFn(&Overload{Name: name, Args: []types.T{arg}, Ret: types.Record, Volatility: Stable,
			SRF: func(Env, []types.Datum) (Iterator, error) {
				return nil, pgerror.New(pgerror.SyntaxError, "a column definition list is required for functions returning \"record\"")
			},
			ColumnsFor: func(cols []OutCol) *Overload {
				names, ts := make([]string, len(cols)), make([]types.T, len(cols))
				for i, c := range cols {
					names[i], ts[i] = c.Name, c.T
				}
				return &Overload{Name: name, Args: []types.T{arg}, Ret: types.RecordType(names, ts), Volatility: Stable, OutCols: cols,
					SRF: func(env Env, a []types.Datum) (Iterator, error) {
						v, ok := a[0].(jsonb.Value)
						if !ok {
							var err error
							if v, err = jsonb.ParseJSON(a[0].(string)); err != nil {
								return nil, err
							}
						}
						objs := []jsonb.Value{v}
						if set {
							if v.Kind() != jsonb.KindArray {
								return nil, pgerror.New(pgerror.InvalidParameterValue, "cannot call %s on a non-array", name)
							}
							objs = v.Elems()
						}
						rows := make([]types.Datum, 0, len(objs))
						for _, o := range objs {
							if o.Kind() != jsonb.KindObject {
								if set {
									return nil, pgerror.New(pgerror.InvalidParameterValue, "argument of %s must be an array of objects", name)
								}
								return nil, pgerror.New(pgerror.InvalidParameterValue, "cannot call %s on a non-object", name)
							}
							vals := make([]types.Datum, len(cols))
							for i, c := range cols {
								fv, ok := o.Lookup(c.Name)
								if !ok || fv.IsNull() {
									continue
								}
								d, err := jsonToColumn(fv, c.T, env.Settings())
								if err != nil {
									return nil, err
								}
								vals[i] = d
							}
							rows = append(rows, &types.DRecord{Names: names, Types: ts, Vals: vals})
						}
						return &sliceIter{vals: rows}, nil
					}}
			}})
	}
	toRecord("jsonb_to_record", JB, false)
	toRecord("jsonb_to_recordset", JB, true)
	toRecord("json_to_record", J, false)
	toRecord("json_to_recordset", J, true)

	// Aggregates.
	r.aggs["json_object_agg"] = append(r.aggs["json_object_agg"], &Aggregate{Name: "json_object_agg", Arg: types.Record, Ret: J, KeepNulls: true})
	r.aggs["jsonb_object_agg"] = append(r.aggs["jsonb_object_agg"], &Aggregate{Name: "jsonb_object_agg", Arg: types.Record, Ret: JB, KeepNulls: true})
	for _, name := range []string{"json_agg", "jsonb_agg"} {
		ret := J
		if name == "jsonb_agg" {
			ret = JB
		}
		r.aggs[name] = append(r.aggs[name],
			&Aggregate{Name: AggKind(name), Arg: types.Record, Ret: ret, KeepNulls: true},
			&Aggregate{Name: AggKind(name), Arg: types.AnyArray, Ret: ret, KeepNulls: true},
			&Aggregate{Name: AggKind(name), Arg: types.AnyElement, Ret: ret, KeepNulls: true})
	}
}

// stringArgs returns variadic text arguments as the jsonb package takes
// them.
func stringArgs(a []types.Datum) []*string {
	out := make([]*string, len(a))
	for i, d := range a {
		if s, ok := d.(string); ok {
			out[i] = &s
		}
	}
	return out
}

// JSONAgg accumulates json_agg and jsonb_agg.
type JSONAgg struct {
	T     types.T // the argument type
	B     bool    // jsonb_agg
	buf   bytes.Buffer
	elems []jsonb.Value
	n     int
}

// Add adds one input value (NULL included).
func (a *JSONAgg) Add(d types.Datum, s *typio.Settings) error {
	a.n++
	if a.B {
		v, err := ToJSONB(a.T, d, s)
		if err != nil {
			return err
		}
		a.elems = append(a.elems, v)
		return nil
	}
	if a.n == 1 {
		a.buf.WriteByte('[')
	} else {
		a.buf.WriteString(", ")
		if a.T.Oid == types.OidRecord || a.T.IsArray() {
			// PostgreSQL starts structured elements on a new line.
			a.buf.WriteString("\n ")
		}
	}
	a.buf.Write(AppendToJSON(nil, a.T, d, s))
	return nil
}

// Result returns the aggregate (NULL over no rows).
func (a *JSONAgg) Result() types.Datum {
	if a.n == 0 {
		return nil
	}
	if a.B {
		return jsonb.NewArray(a.elems...)
	}
	return a.buf.String() + "]"
}

// RowConstructor is ROW(...) (and a whole-row reference) over fields of
// the given names and types: a record of the argument values.
func RowConstructor(names []string, ts []types.T) *Overload {
	return &Overload{Name: "row", Args: ts, Ret: types.RecordType(names, ts), NonStrict: true, Volatility: Immutable, Fields: names,
		Fn: func(_ Env, a []types.Datum) (types.Datum, error) {
			return &types.DRecord{Names: names, Types: ts, Vals: append([]types.Datum(nil), a...)}, nil
		}}
}

// FieldSelect is (r).field for a record type with a known layout: field
// i of the record.
func FieldSelect(rec types.T, i int) *Overload {
	_, ts, _ := types.RecordLayout(rec)
	return &Overload{Name: "fieldselect", Args: []types.T{rec}, Ret: ts[i], Volatility: Immutable,
		Fn: func(_ Env, a []types.Datum) (types.Datum, error) {
			r, ok := a[0].(*types.DRecord)
			if !ok || i >= len(r.Vals) {
				return nil, nil
			}
			return r.Vals[i], nil
		}}
}

// JSONObjectAgg accumulates json_object_agg and jsonb_object_agg over
// (key, value) records.
type JSONObjectAgg struct {
	B     bool // jsonb_object_agg
	buf   []byte
	pairs []jsonb.Pair
	n     int
}

// Add adds one (key, value) record.
func (a *JSONObjectAgg) Add(d types.Datum, s *typio.Settings) error {
	r, ok := d.(*types.DRecord)
	if !ok || len(r.Vals) != 2 {
		return pgerror.AssertionFailed("json_object_agg input is not a (key, value) record")
	}
	if r.Vals[0] == nil {
		return pgerror.New(pgerror.InvalidParameterValue, "field name must not be null")
	}
	key := jsonKeyArg(r.Types[0], r.Vals[0], s)
	if key.NotScalar && a.B {
		return pgerror.New(pgerror.InvalidParameterValue, "key value must be scalar, not array, composite, or json")
	}
	a.n++
	if a.B {
		v, err := ToJSONB(r.Types[1], r.Vals[1], s)
		if err != nil {
			return err
		}
		a.pairs = append(a.pairs, jsonb.Pair{Key: key.Text, Value: v})
		return nil
	}
	if a.n == 1 {
		a.buf = append(a.buf, "{ "...)
	} else {
		a.buf = append(a.buf, ", "...)
	}
	keyText := key.Text
	if key.NotScalar {
		keyText = string(typio.AppendText(nil, r.Types[0], r.Vals[0], s))
	}
	a.buf = jsonb.AppendQuoted(a.buf, keyText)
	a.buf = append(a.buf, " : "...)
	a.buf = AppendToJSON(a.buf, r.Types[1], r.Vals[1], s)
	return nil
}

// Result returns the object (NULL over no rows).
func (a *JSONObjectAgg) Result() types.Datum {
	if a.n == 0 {
		return nil
	}
	if a.B {
		return jsonb.NewObject(a.pairs)
	}
	return string(a.buf) + " }"
}

// jsonToColumn converts a JSON value to a column of type t as
// json_populate_record does: json and jsonb take the value itself,
// arrays take JSON arrays element by element, other types read the
// value's text (a string's contents, or the JSON text).
func jsonToColumn(v jsonb.Value, t types.T, s *typio.Settings) (types.Datum, error) {
	switch {
	case t.Oid == types.OidJSONB:
		return v, nil
	case t.Oid == types.OidJSON:
		return v.String(), nil
	case t.IsArray() && v.Kind() == jsonb.KindArray:
		elems := make([]types.Datum, len(v.Elems()))
		for i, e := range v.Elems() {
			if e.IsNull() {
				continue
			}
			d, err := jsonToColumn(e, t.Elem(), s)
			if err != nil {
				return nil, err
			}
			elems[i] = d
		}
		return types.NewArray1(elems), nil
	}
	text, _ := v.Text()
	if v.Kind() == jsonb.KindObject || v.Kind() == jsonb.KindArray {
		text = v.String()
	}
	return typio.ParseText(t, text, s)
}
